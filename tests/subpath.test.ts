import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { startDev } from '../src/dev/dev.js';
import { serveFolder } from '../src/serve/static-files.js';
import { launchChromium } from './helpers/browser.js';
import { agora, stageThemedSite } from './helpers/cli.js';
import { NOW } from './helpers/sites.js';

/** An invented essay with root-relative images and links, one of each broken. */
const ESSAY = `---
title: Liens et images
date: 2020-03-01
author: ada-testeuse
---

![Une couverture inventée](/images/couverture.svg)

Voir [le premier essai](/essais/premier-essai/) et [une page perdue](/essais/nulle-part/).

![La même, plus bas](/images/couverture.svg)

![Absente](/images/absente.png)
`;

/** The basic fixture (base path /sous-dossier/) with the project's theme and the essay above. */
async function stageLinkedSite(baseUrl?: string): Promise<string> {
  const root = await stageThemedSite();
  await writeFile(path.join(root, 'content/posts/liens.md'), ESSAY);
  if (baseUrl) {
    const config = path.join(root, 'content/site.yml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('https://test.invalid/sous-dossier/', baseUrl));
  }
  return root;
}

describe('a site under a sub-path', () => {
  let root: string;
  beforeAll(async () => { root = await stageLinkedSite(); });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('puts Markdown links and images under the base path, with sizes and lazy loading, in pages and feeds', async () => {
    const result = await build({ root, now: NOW, write: false });
    const page = result.files.find((file) => file.path === 'essais/liens/index.html')!.contents;
    expect(page).toContain('<img src="/sous-dossier/images/couverture.svg" alt="Une couverture inventée" width="10" height="10" decoding="async">');
    expect(page).toContain('<img src="/sous-dossier/images/couverture.svg" alt="La même, plus bas" width="10" height="10" loading="lazy" decoding="async">');
    expect(page).toContain('<a href="/sous-dossier/essais/premier-essai/">le premier essai</a>');
    const feed = result.files.find((file) => file.path === 'atom.xml')!.contents;
    // Feeds give images an absolute address (many readers resolve neither xml:base nor the item's URL).
    expect(feed).toContain('src=&quot;https://test.invalid/sous-dossier/images/couverture.svg&quot;');
  });

  it('reports links and images that lead nowhere with file:line, as warnings, or errors with --strict', async () => {
    const result = await build({ root, now: NOW, write: false });
    const found = result.diagnostics.filter((d) => d.file === 'content/posts/liens.md').map((d) => [d.line, d.severity, d.code]);
    expect(found).toEqual([[9, 'warning', 'link/missing-page'], [13, 'warning', 'link/missing-image']]);
    expect(result.ok).toBe(true);
    const strict = await agora(['--root', root, 'build', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('content/posts/liens.md:9:');
    expect(strict.stderr).toContain('Lien vers une page qui n\'existe pas : /essais/nulle-part/.');
    expect(strict.stderr).toContain('content/posts/liens.md:13:1  erreur  Image introuvable : /images/absente.png');
  });

  it('is served by agora dev under its base path, / redirecting to it', async () => {
    const dev = await startDev({ root, port: 0, host: '127.0.0.1', log: () => {} });
    try {
      expect(dev.url).toMatch(/\/sous-dossier\/$/);
      const origin = new URL(dev.url).origin;
      const home = await fetch(`${origin}/`, { redirect: 'manual' });
      expect(home.status).toBe(302);
      expect(home.headers.get('location')).toBe('/sous-dossier/');
      expect(await (await fetch(`${origin}/sous-dossier/`)).text()).toContain("Site d’essai");
      expect((await fetch(`${origin}/sous-dossier/style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect((await fetch(`${origin}/sous-dossier/essais/liens/`)).status).toBe(200);
      expect((await fetch(`${origin}/style.css`)).status).toBe(404);
    } finally {
      await dev.close();
    }
  });

  it('loads its styles, images and links in a real browser once built and served under the sub-path', async () => {
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    const site = await serveFolder(path.join(root, 'dist'), '/sous-dossier/');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on('response', (response) => { if (response.status() >= 400 && !response.url().endsWith('absente.png')) failures.push(`${response.status()} ${response.url()}`); });
      await page.goto(`${site.url}/`);
      expect(new URL(page.url()).pathname).toBe('/sous-dossier/');
      expect(await page.evaluate(() => [...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0))).toBeGreaterThan(10);
      await page.getByRole('link', { name: 'Liens et images' }).first().click();
      await page.waitForURL(/\/sous-dossier\/essais\/liens\/$/);
      expect(await page.locator('img[alt="Une couverture inventée"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      await page.getByRole('link', { name: 'le premier essai' }).click();
      await page.waitForURL(/\/sous-dossier\/essais\/premier-essai\/$/);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});

describe('a site at the root of its domain', () => {
  it('leaves root-relative links as written', async () => {
    const root = await stageLinkedSite('https://racine.test.invalid/');
    const result = await build({ root, now: NOW, write: false });
    const page = result.files.find((file) => file.path === 'essais/liens/index.html')!.contents;
    expect(page).toContain('<img src="/images/couverture.svg"');
    expect(page).toContain('<a href="/essais/premier-essai/">le premier essai</a>');
    await rm(root, { recursive: true, force: true });
  });
});
