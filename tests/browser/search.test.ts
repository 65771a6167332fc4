import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { launchChromium } from '../helpers/browser.js';
import { NOW, PROJECT_ROOT, stageSite } from '../helpers/sites.js';
import { serveFolder } from '../../src/serve/static-files.js';

let root: string;
let site: Awaited<ReturnType<typeof serveFolder>>;
let browser: Browser;

beforeAll(async () => {
  root = await stageSite();
  await cp(path.join(PROJECT_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  const result = await build({ root, templatesDir: path.join(PROJECT_ROOT, 'templates'), publicDir: path.join(PROJECT_ROOT, 'public'), now: NOW });
  expect(result.ok).toBe(true);
  site = await serveFolder(path.join(root, 'dist'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(root, { recursive: true, force: true });
});

async function search(query: string): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(`${site.url}/recherche/`);
  await page.getByRole('textbox').fill(query);
  await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
  const links = await page.locator('.pagefind-ui__result-link').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
  await page.close();
  return links;
}

describe('search, in French', () => {
  it('finds « économiques » when the reader types « economie »', async () => {
    expect(await search('economie')).toContain('/essais/les-racines-des-reseaux-sociaux/');
  });

  it('indexes essays only, not the lists', async () => {
    const links = await search('reseaux');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^\/essais\/[a-z0-9-]+\/$/);
  });
});
