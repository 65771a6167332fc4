import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { markerText, OUTPUT_MARKER } from '../src/write/output-folder.js';
import { expectGolden } from './helpers/golden.js';
import { FIXTURES, NOW, PROJECT_ROOT, readTree, stageSite } from './helpers/sites.js';

const BASIC = path.join(FIXTURES, 'sites/basic');
const theme = { templatesDir: path.join(PROJECT_ROOT, 'templates'), publicDir: path.join(BASIC, 'public') };

describe('building the basic fixture site', () => {
  it('matches its golden output', async () => {
    const result = await build({ root: BASIC, ...theme, now: NOW, write: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    await expectGolden(path.join(BASIC, 'expected'), new Map(result.files.map((file) => [file.path, file.contents])));
  });

  it('leaves drafts and future essays out, unless asked', async () => {
    const published = await build({ root: BASIC, ...theme, now: NOW, write: false });
    const urls = published.site!.posts.map((post) => post.slug);
    expect(urls).toEqual(['troisieme-essai', 'deuxieme-essai', 'premier-essai']);
    const all = await build({ root: BASIC, ...theme, now: NOW, write: false, drafts: true, future: true });
    expect(all.site!.posts.map((post) => post.slug)).toEqual(['futur', 'brouillon', ...urls]);
    expect(all.files.find((f) => f.path === 'essais/futur/index.html')?.contents).toContain('Programmé');
    expect(all.files.find((f) => f.path === 'essais/brouillon/index.html')?.contents).toContain('Brouillon');
  });

  it('writes the site, copies public/, removes stale files, and is byte-identical when built twice', async () => {
    const root = await stageSite(BASIC);
    await mkdir(path.join(root, 'dist'), { recursive: true });
    // A stale page of an earlier build (the folder carries Agora's marker).
    await writeFile(path.join(root, 'dist/ancienne-page.html'), 'périmée');
    await writeFile(path.join(root, 'dist', OUTPUT_MARKER), markerText(['ancienne-page.html']));
    const options = { root, templatesDir: theme.templatesDir, now: NOW };
    const built = await build(options);
    expect(built.ok).toBe(true);
    // The essay dated 2099 is not published, but CI is told when to rebuild for it.
    expect(built.nextScheduled).toMatchObject({ file: 'content/posts/futur.md' });
    expect(JSON.parse(await readFile(path.join(root, '.cache/agora/prochaine-publication.json'), 'utf8')))
      .toEqual({ next: '2099-01-01T00:00:00Z', file: 'content/posts/futur.md' });
    const first = await readTree(path.join(root, 'dist'));
    expect(first.has('ancienne-page.html')).toBe(false);
    expect(first.get('images/couverture.svg')).toContain('<svg');
    expect((await build(options)).ok).toBe(true);
    expect(await readTree(path.join(root, 'dist'))).toEqual(first);
    await rm(root, { recursive: true, force: true });
  });

  it('prefixes every internal link with the base path', async () => {
    const result = await build({ root: BASIC, ...theme, now: NOW, write: false });
    const home = result.files.find((file) => file.path === 'index.html')!.contents;
    const hrefs = [...home.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!);
    const internal = hrefs.filter((href) => href.startsWith('/') || href.startsWith('#'));
    expect(internal.length).toBeGreaterThan(5);
    for (const href of internal) expect(href.startsWith('/sous-dossier/') || href.startsWith('#'), href).toBe(true);
  });
});

describe('a failed build', () => {
  it('leaves the previous dist/ exactly as it was', async () => {
    const root = await stageSite(BASIC);
    const options = { root, templatesDir: theme.templatesDir, now: NOW };
    expect((await build(options)).ok).toBe(true);
    const before = await readTree(path.join(root, 'dist'));
    await writeFile(path.join(root, 'content/posts/premier-essai.md'), '---\ntitle: Cassé : oui\n---\n');
    const result = await build(options);
    expect(result.ok).toBe(false);
    expect(await readTree(path.join(root, 'dist'))).toEqual(before);
    const leftovers = (await readFile(path.join(root, 'dist/index.html'), 'utf8')).length;
    expect(leftovers).toBeGreaterThan(0);
    await rm(root, { recursive: true, force: true });
  });
});
