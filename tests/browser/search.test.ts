import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { launchChromium } from '../helpers/browser.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW, PROJECT_ROOT } from '../helpers/sites.js';
import { generateCollection } from '../bench/generate.js';
import { searchShardCount, searchShardOf } from '../../src/graph/routes.js';
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

async function search(query: string, at = `${site.url}/sous-dossier/recherche/`): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(at);
  await page.getByLabel('Mot ou expression à chercher').fill(query);
  // Pagefind's UI shows its results as each one's fragment arrives, over several shards: wait
  // for the count (« 5 résultats… ») and for every shown result to be loaded, not just the first
  // (reading at the first once missed one essay of five, on a loaded machine).
  await page.waitForFunction(() => {
    const counted = /\d+/.test(document.querySelector('.pagefind-ui__message')?.textContent ?? '');
    const shown = document.querySelectorAll('.pagefind-ui__result').length;
    return counted && shown > 0 && !document.querySelector('.pagefind-ui__loading') && document.querySelectorAll('.pagefind-ui__result-link').length === shown;
  }, null, { timeout: 15_000 });
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

describe('search over several shards', () => {
  it('finds the same essays as the text says, wherever their shard', async () => {
    // 130 generated essays (five shards); an invented word in five of them, spread over the shards.
    const big = await mkdtemp(path.join(tmpdir(), 'agora-search-'));
    // Social cards are not what this test is about (tests/render/social-cards.test.ts).
    await generateCollection(big, 130, 11, { cards: false });
    for (const folder of ['templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(big, folder), { recursive: true });
    const marked = [3, 5, 8, 101, 129].map((i) => `essai-${String(i).padStart(5, '0')}`);
    for (const slug of marked) {
      const file = path.join(big, 'content/posts', `${slug}.md`);
      await writeFile(file, `${await readFile(file, 'utf8')}\nUn mot inventé : zorglubien.\n`);
    }
    expect(searchShardCount(130)).toBe(5);
    expect(new Set(marked.map((slug) => searchShardOf(`essais/${slug}/index.html`, 5))).size).toBeGreaterThanOrEqual(3);
    expect((await build({ root: big, now: NOW })).ok).toBe(true);
    const served = await serveFolder(path.join(big, 'dist'), '/');
    try {
      const links = await search('zorglubien', `${served.url}/recherche/`);
      expect(links.sort()).toEqual(marked.map((slug) => `/essais/${slug}/`));
    } finally {
      await served.close();
      await rm(big, { recursive: true, force: true });
    }
  });
});
