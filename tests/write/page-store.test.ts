import { readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, CACHE_DIR } from '../../src/build.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW, treeDigests } from '../helpers/sites.js';

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
  return treeDigests(path.join(root, 'dist-propre'));
}

describe('the manifest', () => {
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
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await cleanBuild());
  });

  it('writes the same site when the changed pages outgrow what it keeps in memory, rendering them again', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    // A theme change: every essay's page changes, and none of them is kept between rendering and writing.
    const template = path.join(root, 'templates/post.hbs');
    await writeFile(template, `${await readFile(template, 'utf8')}\n<!-- gabarit modifié pour le test -->\n`);
    process.env.AGORA_KEEP_RENDERED = '0';
    try {
      const again = await build({ root, now: NOW });
      expect(again.ok).toBe(true);
      expect(again.written?.written).toBeGreaterThanOrEqual(3);
    } finally {
      delete process.env.AGORA_KEEP_RENDERED;
    }
    const site = await treeDigests(path.join(root, 'dist'));
    expect([...site.keys()].filter((file) => file.startsWith("essais/")).length).toBeGreaterThanOrEqual(3);
    expect(site).toEqual(await cleanBuild());
  });

  it('renders a kept page again when its file is gone from dist/', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    await unlink(path.join(root, 'dist/essais/premier-essai/index.html'));
    await lengthen('Un autre paragraphe inventé.');
    const again = await build({ root, now: NOW });
    expect(again.ok).toBe(true);
    expect(renderedPaths(again)).not.toContain('essais/premier-essai/index.html');
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await cleanBuild());
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
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await cleanBuild());
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

describe('the output folder brought up to date in place', () => {
  it('adds, replaces and removes exactly what changed, and ends as a clean build', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    const folder = (await stat(path.join(root, 'dist'))).ino;
    await writeFile(path.join(root, 'dist/ajout-a-la-main.html'), 'un fichier que personne n’a produit');
    await writeFile(path.join(root, 'public/style.css'), '/* une feuille de style inventée */\n');
    await unlink(path.join(root, 'public/favicon.svg'));
    await unlink(path.join(root, 'content/posts/deuxieme-essai.md'));
    const again = await build({ root, now: NOW });
    expect(again.ok).toBe(true);
    const dist = await treeDigests(path.join(root, 'dist'));
    // The same folder, updated (a new one swapped in would have another inode).
    expect((await stat(path.join(root, 'dist'))).ino).toBe(folder);
    // A file added by hand is not Agora's to remove (issue 21); the rest is what a clean build gives.
    expect(await readFile(path.join(root, 'dist/ajout-a-la-main.html'), 'utf8')).toBe('un fichier que personne n’a produit');
    dist.delete('ajout-a-la-main.html');
    expect(dist.has('favicon.svg')).toBe(false);
    expect(await readFile(path.join(root, 'dist/style.css'), 'utf8')).toBe('/* une feuille de style inventée */\n');
    // The essay's folder goes with its page.
    await expect(readdir(path.join(root, 'dist/essais/deuxieme-essai'))).rejects.toThrow();
    expect(dist.has('essais/premier-essai/index.html')).toBe(true);
    expect(dist).toEqual(await cleanBuild());
  });

  it('keeps no record while writing: a write that fails midway is followed by a full build that repairs dist/', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    await lengthen('Un paragraphe inventé avant une panne.');
    const { writeSite, readManifest } = await import('../../src/write/write-site.js');
    const manifestFile = path.join(root, CACHE_DIR, 'sortie.json');
    const previous = await readManifest(manifestFile, path.join(root, 'dist'));
    expect(previous).not.toBeNull();
    // A page that cannot be written where a folder stands: the write stops after another file was replaced.
    const good = { path: 'index.html', render: () => ({ contents: '<!doctype html><title>moitié écrite</title>' }) };
    const failing = { path: 'essais', render: () => ({ contents: 'pas à sa place' }) };
    await expect(writeSite(path.join(root, 'dist'), [good, failing], [], { manifestFile, previous })).rejects.toThrow();
    expect(await readFile(path.join(root, 'dist/index.html'), 'utf8')).toContain('moitié écrite');
    await expect(readFile(manifestFile)).rejects.toThrow();
    const repaired = await build({ root, now: NOW });
    expect(repaired.ok).toBe(true);
    expect(repaired.upToDate).toBeUndefined();
    expect(renderedPaths(repaired)).toHaveLength(repaired.files.length);
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await cleanBuild());
  });
});

describe('pages rendered as they are written', () => {
  /** A template that fails on one essay only: the one whose source is known. */
  async function breakOneEssay(): Promise<void> {
    const template = path.join(root, 'templates/post.hbs');
    await writeFile(template, `{{#if post.source}}{{post.champInconnu}}{{/if}}\n${await readFile(template, 'utf8')}`);
  }

  for (const [way, prepare] of [
    ['updated in place', async () => {}],
    ['replaced whole (no record)', async () => rm(path.join(root, CACHE_DIR, 'sortie.json'))],
  ] as const) {
    it(`stop on a template error before dist/ changes, and report it with its file and line (${way})`, async () => {
      expect((await build({ root, now: NOW })).ok).toBe(true);
      const before = await treeDigests(path.join(root, 'dist'));
      await prepare();
      await breakOneEssay();
      const failed = await build({ root, now: NOW });
      expect(failed.ok).toBe(false);
      expect(failed.diagnostics).toContainEqual(expect.objectContaining({ file: 'templates/post.hbs', line: 1, code: 'template/unknown-field' }));
      expect(await treeDigests(path.join(root, 'dist'))).toEqual(before);
      expect((await readdir(root)).filter((name) => name.startsWith('.dist-'))).toEqual([]);
    });
  }
});
