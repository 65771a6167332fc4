import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, CACHE_DIR } from '../../src/build.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW, readTreeBytes } from '../helpers/sites.js';

let root: string;

beforeEach(async () => {
  root = await stageThemedSite();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const essay = 'content/posts/deuxieme-essai.md';
/** Appends a paragraph at the end of an essay: its body changes, not its summary (it has one) nor its place. */
const lengthen = async (text: string) => writeFile(path.join(root, essay), `${await readFile(path.join(root, essay), 'utf8')}\n${text}\n`);
const renderedPaths = (result: Awaited<ReturnType<typeof build>>) => result.files.filter((file) => !file.kept).map((file) => file.path).sort();

/** The clean build's files, from a copy of the output built without any cache. */
async function cleanBuild(): Promise<Map<string, Buffer>> {
  const result = await build({ root, now: NOW, cache: false, outDir: 'dist-propre' });
  expect(result.ok).toBe(true);
  return readTreeBytes(path.join(root, 'dist-propre'));
}

describe('the page store', () => {
  it('renders again only the pages whose inputs changed, and writes the same site as a clean build', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    await lengthen('Un paragraphe ajouté pour le test, en fin d’essai.');
    const second = await build({ root, now: NOW });
    expect(second.ok).toBe(true);
    const rendered = renderedPaths(second);
    // Its page, the lists that show its reading time, its feeds: not the other essays' pages, the indexes or the sitemap.
    expect(rendered).toEqual([
      'atom.xml', 'auteurs/ada-testeuse/atom.xml', 'auteurs/ada-testeuse/index.html', 'auteurs/bob-fictif/atom.xml', 'auteurs/bob-fictif/index.html',
      'categories/essais-de-test/atom.xml', 'categories/essais-de-test/index.html', 'categories/oeuvres-completes/atom.xml', 'categories/oeuvres-completes/index.html',
      'essais/deuxieme-essai/index.html', 'feed.json', 'index.html',
    ]);
    expect(await readTreeBytes(path.join(root, 'dist'))).toEqual(await cleanBuild());
  });

  it('renders a kept page again when its file is gone from dist/', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    await unlink(path.join(root, 'dist/essais/premier-essai/index.html'));
    await lengthen('Un autre paragraphe inventé.');
    const again = await build({ root, now: NOW });
    expect(again.ok).toBe(true);
    expect(renderedPaths(again)).not.toContain('essais/premier-essai/index.html');
    expect(await readTreeBytes(path.join(root, 'dist'))).toEqual(await cleanBuild());
  });

  it('never trusts a damaged record: garbage or a truncated file means every page is rendered', async () => {
    const first = await build({ root, now: NOW });
    const manifest = path.join(root, CACHE_DIR, 'sortie.json');
    const text = await readFile(manifest, 'utf8');
    for (const damaged of [text.slice(0, text.length / 2), 'n’importe quoi', '{"version":2,"outDir":null,"files":{}}']) {
      await writeFile(manifest, damaged);
      await lengthen('Encore un paragraphe.');
      const again = await build({ root, now: NOW });
      expect(again.ok).toBe(true);
      expect(renderedPaths(again)).toHaveLength(first.files.length);
    }
    expect(await readTreeBytes(path.join(root, 'dist'))).toEqual(await cleanBuild());
  });

  it('renders every page again when a template changes', async () => {
    const first = await build({ root, now: NOW });
    const layout = path.join(root, 'templates/layouts/base.hbs');
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('</body>', '<!-- gabarit changé --></body>'));
    const again = await build({ root, now: NOW });
    expect(renderedPaths(again)).toHaveLength(first.files.filter((file) => file.path.endsWith('.html')).length + first.files.filter((file) => !file.path.endsWith('.html')).length);
    expect((await readFile(path.join(root, 'dist/index.html'), 'utf8'))).toContain('<!-- gabarit changé -->');
  });
});
