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
