import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { stageBasicSite } from '../helpers/cli.js';
import { NOW, treeDigests } from '../helpers/sites.js';

// Pagefind's node API has one service per process: the first build to finish closed it under
// the others (« Pagefind backend closed » for 3 builds in 15 run three at a time).
it('builds several sites at once in one process, each as it builds alone', async () => {
  const roots = await Promise.all([stageBasicSite(), stageBasicSite(), stageBasicSite()]);
  const run = (root: string) => build({ root, outDir: 'dist', cache: false, now: NOW });
  expect((await run(roots[0]!)).ok).toBe(true);
  const alone = await treeDigests(path.join(roots[0]!, 'dist'));
  for (let round = 0; round < 4; round += 1) {
    const results = await Promise.all(roots.map(run));
    expect(results.map((result) => result.ok ? 'ok' : result.diagnostics.map((d) => d.message).join(' ; '))).toEqual(['ok', 'ok', 'ok']);
    expect(await treeDigests(path.join(roots[0]!, 'dist'))).toEqual(alone);
  }
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** Pagefind processes started by this process (the service's, when one is running). */
function pagefindChildren(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'pagefind'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

// One Pagefind process per build cost a fork of the test process each time (149 in the suite);
// the service is kept between builds, and replaced when its process has ended.
it('keeps one Pagefind service between builds, and replaces it once its process has died', async () => {
  const root = await stageBasicSite();
  const run = async () => {
    const result = await build({ root, outDir: 'dist', cache: false, now: NOW });
    expect(result.ok ? 'ok' : result.diagnostics.map((d) => d.message).join(' ; ')).toBe('ok');
  };
  await run();
  const first = pagefindChildren();
  expect(first).toHaveLength(1);
  const built = await treeDigests(path.join(root, 'dist'));
  await run();
  expect(pagefindChildren()).toEqual(first);
  process.kill(Number(first[0]), 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await run();
  const second = pagefindChildren();
  expect(second).toHaveLength(1);
  expect(second).not.toEqual(first);
  expect(await treeDigests(path.join(root, 'dist'))).toEqual(built);
  await rm(root, { recursive: true, force: true });
});
