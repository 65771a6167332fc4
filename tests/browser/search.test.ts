import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { launchChromium } from '../helpers/browser.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW } from '../helpers/sites.js';
import { serveFolder } from '../../src/serve/static-files.js';

let root: string;
let site: Awaited<ReturnType<typeof serveFolder>>;
let browser: Browser;

beforeAll(async () => {
  // The fixture site, and one more invented essay whose words carry accents.
  root = await stageThemedSite();
  await writeFile(path.join(root, 'content/posts/essai-accentue.md'), '---\ntitle: Un essai accentué\ndate: 2020-04-01\nauthor: ada-testeuse\n---\n\nDes échanges économiques inventés, sur des réseaux qui n\'existent pas.\n');
  const result = await build({ root, now: NOW });
  expect(result.ok).toBe(true);
  site = await serveFolder(path.join(root, 'dist'), '/sous-dossier/');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(root, { recursive: true, force: true });
});

async function search(query: string): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(`${site.url}/sous-dossier/recherche/`);
  await page.getByLabel('Mot ou expression à chercher').fill(query);
  await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
  const links = await page.locator('.pagefind-ui__result-link').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
  await page.close();
  return links;
}

describe('search, in French', () => {
  it('finds « économiques » when the reader types « economie »', async () => {
    expect(await search('economie')).toContain('/sous-dossier/essais/essai-accentue/');
  });

  it('indexes essays only, not the lists', async () => {
    const links = await search('reseaux');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^\/sous-dossier\/essais\/[a-z0-9-]+\/$/);
  });
});
