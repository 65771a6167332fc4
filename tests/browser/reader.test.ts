import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { axeViolations, launchChromium } from '../helpers/browser.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW, PROJECT_ROOT } from '../helpers/sites.js';
import { serveFolder } from '../../src/serve/static-files.js';

const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results/screenshots');
const BASE = '/sous-dossier/';
let root: string;
let site: Awaited<ReturnType<typeof serveFolder>>;
let browser: Browser;

/** The fixture site (invented essays, base path /sous-dossier/, two essays a page, a comment endpoint) with the whole theme. */
beforeAll(async () => {
  root = await stageThemedSite();
  const result = await build({ root, now: NOW });
  expect(result.ok).toBe(true);
  site = await serveFolder(path.join(root, 'dist'), BASE);
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(root, { recursive: true, force: true });
});

async function open(url: string, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = await browser.newPage(options);
  await page.goto(`${site.url}${BASE}${url.slice(1)}`);
  return page;
}

describe('a reader, by clicking', () => {
  it('goes from La Une to an essay, its author, a category, and the next page of a list', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Deuxième essai' }).first().click();
    await page.waitForURL('**/sous-dossier/essais/deuxieme-essai/');
    await page.locator('.author-box').getByRole('link', { name: 'Ada Testeuse' }).click();
    await page.waitForURL('**/sous-dossier/auteurs/ada-testeuse/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Ada Testeuse');
    await page.getByRole('link', { name: /Premier essai/ }).first().click();
    await page.waitForURL('**/sous-dossier/essais/premier-essai/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Premier essai\u00A0: la confiance');
    await page.getByRole('link', { name: 'Catégories' }).click();
    await page.getByRole('link', { name: 'Essais de test' }).click();
    await page.waitForURL('**/sous-dossier/categories/essais-de-test/');
    await page.getByRole('link', { name: 'La Une' }).click();
    await page.getByRole('link', { name: 'Page suivante →' }).click();
    await page.waitForURL('**/sous-dossier/page/2/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('page 2');
    await page.close();
  });

  it('reads a nested comment thread, replies indented under what they answer', async () => {
    const page = await open('/essais/premier-essai/');
    expect(await page.locator('#commentaires-titre').textContent()).toBe('6\u00A0commentaires');
    const reply = page.locator('li:has(> #commentaire-a) > ol.comment-replies > li > article').first();
    expect(await reply.getAttribute('id')).toBe('commentaire-a-1');
    const parentBox = await page.locator('#commentaire-a').boundingBox();
    const replyBox = await reply.boundingBox();
    expect(replyBox!.x).toBeGreaterThan(parentBox!.x);
    await page.close();
  });

  it('opens « Répondre » and sees the form, with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}${BASE}essais/premier-essai/`);
    const form = page.locator('#commentaire-a form');
    expect(await form.isVisible()).toBe(false);
    await page.locator('#commentaire-a summary').click();
    expect(await form.isVisible()).toBe(true);
    expect(await form.locator('input[name="parent"]').inputValue()).toBe('a');
    expect(await form.getAttribute('action')).toBe('https://commentaires.test.invalid/commentaires');
    expect(await form.getByLabel('Nom').isVisible()).toBe(true);
    await context.close();
  });

  it('lands on the 404 page for a wrong address', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${site.url}${BASE}essais/nexiste-pas/`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    await page.getByRole('link', { name: 'Revenir à La Une' }).click();
    await page.waitForURL(`${site.url}${BASE}`);
    await page.close();
  });

  it('can skip to the content with the keyboard', async () => {
    const page = await open('/essais/deuxieme-essai/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#contenu');
    await page.close();
  });
});

const AUDITED = [
  ['La Une', '/'],
  ['un essai avec commentaires', '/essais/premier-essai/'],
  ['une catégorie', '/categories/essais-de-test/'],
  ['un auteur', '/auteurs/ada-testeuse/'],
  ['les archives', '/archives/'],
  ['la page 404', '/404.html'],
  ['la recherche', '/recherche/'],
] as const;

describe.each(['light', 'dark'] as const)('axe-core, %s color scheme', (colorScheme) => {
  // Concurrently, each page in a tab of its own: Chromium renders and audits them on every core
  // while the test waits (axe takes about 0.65 s of a core per page).
  it.concurrent.for(AUDITED)('finds no violation on %s (WCAG 2 A/AA and best practices)', async ([, url], { expect }) => {
    const page = await open(url, { colorScheme });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

it('the axe harness does report violations (control: a page built to fail)', async () => {
  const page = await browser.newPage();
  await page.setContent('<html><body><img src="x.png"><a href="#"></a><p style="color:#777;background:#888">pâle</p></body></html>');
  const ids = (await axeViolations(page)).map((v) => v.split(':')[0]);
  expect(ids).toEqual(expect.arrayContaining(['image-alt', 'link-name', 'color-contrast', 'html-has-lang']));
  await page.close();
});

describe('screenshots for a person to look at (test-results/screenshots/)', () => {
  it.each([['une', '/'], ['essai', '/essais/premier-essai/']])('%s at phone and desktop widths', async (name, url) => {
    for (const [width, height, label] of [[390, 844, 'telephone'], [1280, 900, 'bureau']] as const) {
      const page = await open(url, { viewport: { width, height } });
      const file = path.join(SCREENSHOTS, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect((await readFile(file)).length).toBeGreaterThan(10_000);
      await page.close();
    }
  });
});
