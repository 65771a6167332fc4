import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { startServe } from '../../src/serve/serve.js';
import { axeViolations, launchChromium } from '../helpers/browser.js';
import { PROJECT_ROOT } from '../helpers/sites.js';
import { stageThemedSite } from '../helpers/cli.js';
import { git, repositoryWithRemote } from '../helpers/git.js';

const SECRET = 'secret-de-test-invente-0123456789';
let browser: Browser;
const cleanup: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(path.join(PROJECT_ROOT, 'test-results/screenshots'), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  for (const folder of cleanup) await rm(folder, { recursive: true, force: true });
});

/** The fixture site with no comments.endpoint: its forms post to the site's own origin. */
async function stageSameOriginSite(publish: string): Promise<string> {
  const root = await stageThemedSite();
  cleanup.push(root);
  const file = path.join(root, 'content/site.yml');
  const config = (await readFile(file, 'utf8')).replace(/comments:\n  endpoint: .*\n/, '');
  await writeFile(file, `${config}comments:\n${publish}`);
  return root;
}

/** A reader without JavaScript: fills the essay's form and sends it. */
async function comment(page: Page, essayUrl: string, author: string, text: string): Promise<void> {
  await page.goto(essayUrl);
  const form = page.locator('.comment-new form');
  await form.getByLabel('Nom').fill(author);
  await form.getByLabel('Commentaire').fill(text);
  await form.getByRole('button', { name: 'Publier le commentaire' }).click();
  await page.waitForLoadState();
  expect(await page.locator('h1').textContent()).toBe('Merci pour votre commentaire');
}

/** A moderator without JavaScript: signs in with the secret and approves the comment of `author`. */
async function approve(page: Page, moderationUrl: string, author: string): Promise<void> {
  await page.goto(moderationUrl);
  await page.getByLabel('Secret de modération').fill(SECRET);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState();
  await page.getByRole('button', { name: `Approuver le commentaire de ${author}` }).click();
  await page.waitForLoadState();
}

/** The sign-in page and the queue pass axe (in a context of their own, where the page's CSP is set aside for axe's script). */
async function moderationIsAccessible(moderationUrl: string): Promise<void> {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(moderationUrl);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Secret de modération').fill(SECRET);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(moderationUrl);
    expect(await page.getByRole('button', { name: /^Approuver le commentaire de/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(PROJECT_ROOT, 'test-results/screenshots/moderation.png'), fullPage: true });
  } finally {
    await context.close();
  }
}

describe('from a reader\'s form to the live page, in a browser without JavaScript', () => {
  it('publish: build — agora serve takes the comment, the moderator approves it with a click, the page shows it', async () => {
    const root = await stageSameOriginSite('  publish: build\n');
    expect((await build({ root })).ok).toBe(true);
    const served = await startServe({ root, outDir: path.join(root, 'dist'), port: 0, host: '127.0.0.1', queueDir: path.join(root, '.comments/en-attente'), secret: SECRET, log: () => {} });
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const essay = `${served.url}essais/premier-essai/`;
      await page.goto(essay);
      expect(await page.locator('.comment-new form').getAttribute('action')).toBe('/sous-dossier/commentaires');
      await comment(page, essay, 'Lectrice Sans Script', 'Un avis inventé, envoyé sans JavaScript.');
      await page.getByRole('link', { name: /Revenir à l’essai|Revenir à l'essai/ }).click();
      expect(page.url()).toBe(`${essay}#commentaires`);
      expect(await page.content()).not.toContain('Un avis inventé');

      await moderationIsAccessible(served.moderation!);
      await approve(page, served.moderation!, 'Lectrice Sans Script');
      expect(await page.locator('[role="status"]').textContent()).toMatch(/Approuvé : .*Site reconstruit dans dist\//s);
      await page.goto(essay);
      const thread = page.locator('#commentaires');
      await expect.poll(() => thread.textContent()).toContain('Un avis inventé, envoyé sans JavaScript.');
      expect(await thread.textContent()).toContain('Lectrice Sans Script');
    } finally {
      await context.close();
      await served.shutdown();
    }
  });

  it('publish: git — the approval is committed and pushed, and the site CI builds from the remote shows it', async () => {
    const root = await stageSameOriginSite('  publish: git\n  push: true\n');
    const remote = await mkdtemp(path.join(tmpdir(), 'agora-remote-'));
    cleanup.push(remote);
    await writeFile(path.join(root, '.gitignore'), 'dist/\n.cache/\n.comments/\n');
    await repositoryWithRemote(root, remote);
    expect((await build({ root })).ok).toBe(true);
    const served = await startServe({ root, outDir: path.join(root, 'dist'), port: 0, host: '127.0.0.1', queueDir: path.join(root, '.comments/en-attente'), secret: SECRET, log: () => {} });
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await comment(page, `${served.url}essais/deuxieme-essai/`, 'Lecteur Versionné', 'Un commentaire inventé qui passe par git.');
      await approve(page, served.moderation!, 'Lecteur Versionné');
      expect(await page.locator('[role="status"]').textContent()).toContain('Envoyé vers origin (main)');
    } finally {
      await context.close();
      await served.shutdown();
    }
    // What CI sees on push: a commit of that one file, whose message names the commenter and the essay.
    const log = await git(remote, 'log', '-1', '--format=%s', 'main');
    expect(log).toBe('Commentaire de Lecteur Versionné sur « Deuxième essai »');
    const files = (await git(remote, 'show', '--name-only', '--format=', 'main')).split('\n');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^content\/comments\/deuxieme-essai\/\d{14}-[0-9a-f]{16}\.md$/);

    const clone = await mkdtemp(path.join(tmpdir(), 'agora-ci-'));
    cleanup.push(clone);
    await git(clone, 'clone', '--quiet', remote, '.');
    const ci = await build({ root: clone });
    expect(ci.ok).toBe(true);
    const html = await readFile(path.join(clone, 'dist/essais/deuxieme-essai/index.html'), 'utf8');
    expect(html).toContain('Un commentaire inventé qui passe par git.');
  });
});
