import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonCache } from '../../src/cache/cache-file.js';
import { build } from '../../src/build.js';
import { listOutput } from '../../src/write/build-record.js';
import { stageThemedSite } from '../helpers/cli.js';
import { NOW } from '../helpers/sites.js';

let root: string;

beforeEach(async () => {
  root = await stageThemedSite();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a build with nothing to do', () => {
  it('leaves dist/ as it is when no input changed, and says the previous warnings again', async () => {
    await writeFile(path.join(root, 'content/posts/notes.txt'), 'pas un essai');
    const first = await build({ root, now: NOW });
    expect(first.ok).toBe(true);
    const warnings = first.diagnostics.map((d) => d.code);
    expect(warnings).toContain('content/skipped');
    const again = await build({ root, now: NOW });
    expect(again).toMatchObject({ ok: true, upToDate: { files: first.files.length }, files: [] });
    expect(again.diagnostics.map((d) => d.code)).toEqual(warnings);
  });

  it('builds again after any change of input: an essay, a public file, a file gone from dist/, options, a due essay', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    const rebuilt = async (options: Partial<Parameters<typeof build>[0]> = {}) => (await build({ root, now: NOW, ...options })).upToDate === undefined;

    await writeFile(path.join(root, 'content/posts/premier-essai.md'), '---\ntitle: Premier essai\ndate: 2020-01-01\nauthor: ada-testeuse\n---\n\nUn texte changé.\n');
    expect(await rebuilt()).toBe(true);
    expect(await rebuilt()).toBe(false);
    await writeFile(path.join(root, 'public/nouveau.txt'), 'un fichier public inventé');
    expect(await rebuilt()).toBe(true);
    await unlink(path.join(root, 'dist/archives/index.html'));
    expect(await rebuilt()).toBe(true);
    expect(await rebuilt({ drafts: true })).toBe(true);
    expect(await rebuilt()).toBe(true);
    // futur.md is dated 2099-01-01: once that day has come, the same inputs publish it.
    expect(await rebuilt({ now: Date.UTC(2099, 0, 2) })).toBe(true);
  });

  it('records exactly the files dist/ holds, after a full build and after an update in place', async () => {
    const recorded = async () => (await readJsonCache(path.join(root, '.cache/agora/construction.json'), (value): value is { paths: string[] } => true))!.paths;
    expect((await build({ root, now: NOW })).ok).toBe(true);
    expect(await recorded()).toEqual(listOutput(path.join(root, 'dist')));
    expect((await recorded()).some((file) => file.startsWith('pagefind/'))).toBe(true);
    await writeFile(path.join(root, 'content/posts/premier-essai.md'), '---\ntitle: Premier essai\ndate: 2020-01-01\nauthor: ada-testeuse\n---\n\nUn texte changé.\n');
    await unlink(path.join(root, 'dist/archives/index.html'));
    expect((await build({ root, now: NOW })).written).toMatchObject({ searchIndexed: 1 });
    expect(await recorded()).toEqual(listOutput(path.join(root, 'dist')));
  });

  it('is never taken without the cache', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    expect((await build({ root, now: NOW, cache: false })).upToDate).toBeUndefined();
  });
});
