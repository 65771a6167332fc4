import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { agora, stageThemedSite } from '../helpers/cli.js';
import { NOW, treeDigests } from '../helpers/sites.js';

/**
 * Issue 22, bug 3: cache files were trusted blindly. One changed byte in a validation bucket
 * gave a wrong site with exit 0, one in a Markdown bucket made every build fail until .cache/
 * was deleted, a folder in place of a cache file gave exit 2. Every cache file is now sealed
 * (cache/cache-file.ts): damaged, it is ignored and written anew, never served.
 */
let root: string;
beforeEach(async () => {
  root = await stageThemedSite();
  // An invented essay long enough for its HTML to have a file of its own in the Markdown store.
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraphe inventé numéro ${i} d'un long essai de test, pour que son HTML dépasse 4 Kio.`);
  await writeFile(path.join(root, 'content/posts/long-essai.md'), `---\ntitle: Un long essai\ndate: 2020-04-01\nauthor: ada-testeuse\n---\n\n${paragraphs.join('\n\n')}\n`);
});
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

const CACHE = () => path.join(root, '.cache/agora');
const cached = () => build({ root, now: NOW });
/** The site as a build without any cache gives it, into a folder of its own. */
const clean = async () => {
  const result = await build({ root, now: NOW, cache: false, outDir: 'propre' });
  expect(result.ok).toBe(true);
  const tree = await treeDigests(path.join(root, 'propre'));
  await rm(path.join(root, 'propre'), { recursive: true });
  return tree;
};
const site = () => treeDigests(path.join(root, 'dist'));

/** The cache files a build leaves (not the lock, not the schedule that CI reads). */
async function cacheFiles(): Promise<string[]> {
  const entries = await readdir(CACHE(), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name !== 'prochaine-publication.json').map((e) => path.join(e.parentPath, e.name)).sort();
}

/** Changes `text` to `replacement` (as long) in every cache file of `folder` holding it, in Latin-1 or in UTF-16 as V8 stores strings; how many files held it. */
async function alterText(folder: string, text: string, replacement: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(folder, entry.name);
    const bytes = await readFile(file);
    const encoding = (['latin1', 'utf16le'] as const).find((candidate) => bytes.includes(text, 0, candidate));
    if (!encoding) continue;
    bytes.write(replacement, bytes.indexOf(text, 0, encoding), encoding);
    await writeFile(file, bytes);
    count += 1;
  }
  return count;
}

/** A small, seeded generator: the same damages at every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** An edit that makes the next build use its caches instead of finding nothing to do. */
async function edit(round: number): Promise<void> {
  const file = path.join(root, 'content/posts/deuxieme-essai.md');
  await writeFile(file, `${await readFile(file, 'utf8')}\nParagraphe ajouté numéro ${round}.\n`);
}

describe('damaged cache files', () => {
  it('never serves a validated record whose bytes changed (a title, in place)', async () => {
    expect((await cached()).ok).toBe(true);
    expect(await alterText(path.join(CACHE(), 'validation'), 'Premier essai : la confiance', 'Qremier essai : la confiance')).toBe(1);
    await edit(0);
    const result = await cached();
    expect(result.ok).toBe(true);
    const pages = await site();
    expect([...pages.values()].some((bytes) => bytes.includes('Qremier essai'))).toBe(false);
    expect(pages).toEqual(await clean());
  });

  it('never serves a Markdown head whose bytes changed', async () => {
    expect((await cached()).ok).toBe(true);
    // An entry holds its body's excerpt and word count; its HTML is a file named by its hash.
    const altered = await alterText(path.join(CACHE(), 'markdown'), 'Ceci est le premier essai', 'Ceci est le dernier essai');
    expect(altered).toBeGreaterThan(0);
    await edit(0);
    expect((await cached()).ok).toBe(true);
    const pages = await site();
    expect([...pages.values()].some((bytes) => bytes.includes('le dernier essai'))).toBe(false);
    expect(pages).toEqual(await clean());
  });

  it('builds the right site whatever damage every cache file takes, and writes each one anew', async () => {
    const next = random(22);
    expect((await cached()).ok).toBe(true);
    const reference = await clean();
    for (let round = 1; round <= 5; round++) {
      const files = await cacheFiles();
      expect(files.length).toBeGreaterThan(10);
      expect(files.some((file) => file.includes(`${path.sep}html${path.sep}`)), 'an HTML file of the Markdown store').toBe(true);
      const damage = ['flip', 'truncate', 'folder', 'garbage', 'empty'][round % 5]!;
      for (const file of files) {
        const bytes = await readFile(file);
        if (damage === 'flip') {
          const at = Math.floor(next() * bytes.length);
          bytes[at] = bytes[at]! ^ (1 << Math.floor(next() * 8));
          await writeFile(file, bytes);
        } else if (damage === 'truncate') {
          await writeFile(file, bytes.subarray(0, Math.floor(next() * bytes.length)));
        } else if (damage === 'folder') {
          await rm(file);
          await mkdir(file);
          await writeFile(path.join(file, 'intrus'), 'x');
        } else if (damage === 'garbage') {
          await writeFile(file, Buffer.from(Array.from({ length: bytes.length }, () => Math.floor(next() * 256))));
        } else {
          await writeFile(file, '');
        }
      }
      expect((await cached()).ok, `${damage} (round ${round})`).toBe(true);
      expect(await site(), `${damage} (round ${round})`).toEqual(reference);
      // Written anew: each damaged cache file is a file again (or gone), and serves the next build.
      for (const file of files) expect(await stat(file).then((info) => info.isFile(), () => true), file).toBe(true);
      await rm(path.join(CACHE(), 'construction.json'));
      const progress: string[] = [];
      expect((await build({ root, now: NOW, progress: (line) => progress.push(line) })).ok).toBe(true);
      expect(progress.join('\n'), `${damage} (round ${round})`).toMatch(/conversion Markdown de 0 texte \((?!0 )\d+ repris du cache/);
      expect(await site()).toEqual(reference);
    }
  });

  it('renders a damaged HTML file again in the compiled CLI, whose own thread never loads remark (markdown/render-now.ts)', async () => {
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    const page = path.join(root, 'dist/essais/long-essai/index.html');
    const before = await readFile(page, 'utf8');
    const folder = path.join(CACHE(), 'markdown/html');
    const names = await readdir(folder);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) await writeFile(path.join(folder, name), 'abîmé');
    // Its title alone changes: the body is taken from the cache, and its page rendered again.
    const essay = path.join(root, 'content/posts/long-essai.md');
    await writeFile(essay, (await readFile(essay, 'utf8')).replace('title: Un long essai', 'title: Un long essai retitré'));
    const result = await agora(['--root', root, 'build', '--timings']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toMatch(/conversion Markdown de 0 texte/);
    const after = await readFile(page, 'utf8');
    expect(after).toContain('Un long essai retitré');
    expect(after).not.toContain('abîmé');
    const body = (html: string) => html.slice(html.indexOf('<p>Paragraphe inventé numéro 0'), html.indexOf('Paragraphe inventé numéro 59'));
    expect(body(after)).toBe(body(before));
    expect(body(after).length).toBeGreaterThan(1000);
    // And the file is written anew.
    const rewritten = await Promise.all((await readdir(folder)).map((name) => readFile(path.join(folder, name), 'utf8')));
    expect(rewritten.some((text) => text.includes('Paragraphe inventé numéro 59'))).toBe(true);
  });
});
