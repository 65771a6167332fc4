import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCollection } from '../bench/generate.js';
import { build } from '../../src/build.js';
import { searchShardCount, searchShardOf } from '../../src/graph/routes.js';
import { agora } from '../helpers/cli.js';
import { PROJECT_ROOT, readTree } from '../helpers/sites.js';

let root: string;

/** 130 generated essays (invented text): three search shards. */
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agora-shards-'));
  // Social cards are not what this test is about (tests/render/social-cards.test.ts).
  await generateCollection(root, 130, 7, { cards: false });
  for (const folder of ['templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(root, folder), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('search shards', () => {
  it('split the essays by a stable hash, one shard for a small site, at most 32', () => {
    expect([1, 32, 33, 130, 1000, 4000, 10_000].map(searchShardCount)).toEqual([1, 1, 2, 5, 32, 32, 32]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 130; i++) counts[searchShardOf(`essais/essai-${String(i).padStart(5, '0')}/index.html`, 3)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(25);
  });

  it('re-index only the shard of a changed essay, and give the same files as a clean build', async () => {
    const first = await build({ root });
    expect(first.ok).toBe(true);
    expect(first.written).toMatchObject({ searchIndexed: 5, searchReused: 0 });
    const search = await readFile(path.join(root, 'dist/recherche/index.html'), 'utf8');
    expect(search).toContain(`mergeIndex: [${[1, 2, 3, 4].map((i) => `{ bundlePath: '/pagefind/morceau-${i}/' }`).join(', ')}]`);

    const essay = path.join(root, 'content/posts/essai-00042.md');
    await writeFile(essay, (await readFile(essay, 'utf8')) + '\nUne phrase ajoutée au quarante-deuxième essai.\n');
    const again = await build({ root });
    expect(again.written).toMatchObject({ searchIndexed: 1, searchReused: 4 });

    const clean = await build({ root, outDir: 'propre', cache: false });
    expect(clean.written).toMatchObject({ searchIndexed: 5 });
    const [incremental, reference] = await Promise.all([readTree(path.join(root, 'dist')), readTree(path.join(root, 'propre'))]);
    expect([...incremental.keys()]).toEqual([...reference.keys()]);
    for (const [file, contents] of reference) expect(incremental.get(file), file).toBe(contents);
  });

  it('give the same bundles from one Pagefind service as from three, each in a thread of its own (the compiled CLI)', async () => {
    const one = await agora(['--root', root, 'build', '--no-cache', '--out', 'un-service'], { AGORA_THREADS: '1' });
    expect(one.code, one.stderr).toBe(0);
    const three = await agora(['--root', root, 'build', '--no-cache', '--out', 'trois-services'], { AGORA_THREADS: '3' });
    expect(three.code, three.stderr).toBe(0);
    const [single, spread] = await Promise.all([readTree(path.join(root, 'un-service')), readTree(path.join(root, 'trois-services'))]);
    const bundles = [...single.keys()].filter((file) => file.startsWith('pagefind/'));
    expect(bundles.filter((file) => file.endsWith('pagefind-entry.json')).length).toBe(5);
    expect([...spread.keys()]).toEqual([...single.keys()]);
    for (const [file, contents] of single) expect(spread.get(file), file).toBe(contents);
  });
});
