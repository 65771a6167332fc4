import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { hashPublicFiles } from '../../src/load/public-hashes.js';
import { listPublicFiles } from '../../src/load/public-files.js';
import { stageThemedSite } from '../helpers/cli.js';
import { plainPng } from '../helpers/png.js';
import { NOW, treeDigests } from '../helpers/sites.js';

/** Rewrites a file with other bytes of the same length, and puts its times back with `touch -r` (as `cp -p` or `rsync -t` do). */
async function replaceKeepingTimes(file: string, bytes: Buffer): Promise<void> {
  const before = await stat(file, { bigint: true });
  expect(bytes.length).toBe(Number(before.size));
  const times = `${file}.heure`;
  await writeFile(times, '');
  execFileSync('touch', ['-r', file, times]);
  await writeFile(file, bytes);
  execFileSync('touch', ['-r', times, file]);
  await rm(times);
  const after = await stat(file, { bigint: true });
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
}

/**
 * Issue 22, bug 2: a public file changed with its size and time kept was never copied again:
 * the up-to-date check and the in-place copy knew it by `size:mtime`.
 */
describe('a public file changed with its size and time kept', () => {
  let root: string;
  beforeEach(async () => { root = await stageThemedSite(); });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('is copied again, and the pages show its new dimensions', async () => {
    const photo = path.join(root, 'public/images/photo.png');
    const wide = plainPng(40, 10, [200, 30, 30]);
    const tall = plainPng(10, 40, [30, 30, 200]);
    const length = Math.max(wide.length, tall.length) + 40;
    await writeFile(photo, plainPng(40, 10, [200, 30, 30], length));
    const essay = path.join(root, 'content/posts/deuxieme-essai.md');
    await writeFile(essay, `${await readFile(essay, 'utf8')}\n![Une photo inventée](/images/photo.png)\n`);
    expect((await build({ root, now: NOW })).ok).toBe(true);
    const page = () => readFile(path.join(root, 'dist/essais/deuxieme-essai/index.html'), 'utf8');
    expect(await page()).toMatch(/<img src="[^"]*photo\.png" alt="Une photo inventée" width="40" height="10"/);

    const replacement = plainPng(10, 40, [30, 30, 200], length);
    await replaceKeepingTimes(photo, replacement);
    const result = await build({ root, now: NOW });
    expect(result.upToDate).toBeUndefined();
    expect(await readFile(path.join(root, 'dist/images/photo.png'))).toEqual(replacement);
    expect(await page()).toMatch(/width="10" height="40"/);

    // And once more, in place, after other edits: still the file as it is.
    await writeFile(essay, `${await readFile(essay, 'utf8')}\nUne ligne de plus.\n`);
    const third = plainPng(40, 10, [30, 200, 30], length);
    await replaceKeepingTimes(photo, third);
    expect((await build({ root, now: NOW })).ok).toBe(true);
    expect(await readFile(path.join(root, 'dist/images/photo.png'))).toEqual(third);
    const cleanBuild = await build({ root, now: NOW, cache: false, outDir: 'propre' });
    expect(cleanBuild.ok).toBe(true);
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await treeDigests(path.join(root, 'propre')));
  });
});

describe('the hashes of public files', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'agora-hashes-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('are kept by what stat says, and a file rewritten with its times kept is hashed again', async () => {
    const publicDir = path.join(dir, 'public');
    const cacheDir = path.join(dir, 'cache');
    await mkdir(publicDir);
    await writeFile(path.join(publicDir, 'a.txt'), 'version un');
    await writeFile(path.join(publicDir, 'b.txt'), 'autre');
    const hashes = async () => {
      const { files } = await listPublicFiles(publicDir);
      // No racy window here: a file is trusted as soon as it is hashed.
      return Object.fromEntries((await hashPublicFiles(files, cacheDir, 0)).map((file) => [file.path, file.hash]));
    };
    const first = await hashes();
    expect(await hashes()).toEqual(first);
    await replaceKeepingTimes(path.join(publicDir, 'a.txt'), Buffer.from('version 2!'));
    const second = await hashes();
    expect(second['public/a.txt']).not.toBe(first['public/a.txt']);
    expect(second['public/b.txt']).toBe(first['public/b.txt']);
    // Touched, not changed: the same hash.
    await utimes(path.join(publicDir, 'b.txt'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(await hashes()).toEqual(second);
    // Without a cache, the same hashes.
    const { files } = await listPublicFiles(publicDir);
    expect(Object.fromEntries((await hashPublicFiles(files, null)).map((file) => [file.path, file.hash]))).toEqual(second);
  });
});
