import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { generateCollection } from './bench/generate.js';
import { PARALLEL_THRESHOLD } from '../src/markdown/worker-pool.js';
import { PROJECT_ROOT, readTree } from './helpers/sites.js';

const run = promisify(execFile);

it('builds the same bytes with worker threads, on one thread, and from the cache', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'agora-parallel-'));
  // Social cards are not what this test is about (tests/render/social-cards.test.ts).
  // 40 essays and their comments: about 160 bodies, past PARALLEL_THRESHOLD, so the second build
  // shares them between two threads (its progress line says so).
  await generateCollection(root, 40, 7, { cards: false });
  for (const folder of ['templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(root, folder), { recursive: true });
  const agora = (args: string[], threads: string) =>
    run(process.execPath, [path.join(PROJECT_ROOT, 'lib/cli.js'), '--root', root, 'build', ...args], { env: { ...process.env, AGORA_THREADS: threads } });

  const conversion = (stdout: string) => /conversion Markdown de (\d+) textes? \((\d+) repris du cache, (\d) fils?\)/.exec(stdout)?.slice(1).map(Number);

  const [bodies, , oneThread] = conversion((await agora(['--out', 'un-fil', '--no-cache'], '1')).stdout)!;
  expect(bodies).toBeGreaterThan(PARALLEL_THRESHOLD);
  expect(oneThread).toBe(1);
  await expect(stat(path.join(root, '.cache/agora/markdown'))).rejects.toThrow();
  expect(conversion((await agora(['--out', 'deux-fils'], '2')).stdout)).toEqual([bodies, 0, 2]);
  // Everything comes from the cache: nothing is left to convert.
  expect(conversion((await agora(['--out', 'cache'], '2')).stdout)).toEqual([0, bodies, 1]);
  const single = await readTree(path.join(root, 'un-fil'));
  expect(single.size).toBeGreaterThan(100);
  for (const other of ['deux-fils', 'cache']) {
    const tree = await readTree(path.join(root, other));
    const differing = [...new Set([...single.keys(), ...tree.keys()])].filter((file) => single.get(file) !== tree.get(file));
    expect(differing, `files that differ between un-fil/ and ${other}/`).toEqual([]);
  }
  await rm(root, { recursive: true, force: true });
});
