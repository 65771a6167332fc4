import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { generateCollection } from '../src/bench/generate.js';
import { PROJECT_ROOT, readTree } from './helpers/sites.js';

const run = promisify(execFile);

it('builds the same bytes with worker threads, on one thread, and from the cache', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'agora-parallel-'));
  // Social cards are not what this test is about (tests/render/social-cards.test.ts).
  await generateCollection(root, 150, 7, { cards: false });
  for (const folder of ['templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(root, folder), { recursive: true });
  const agora = (args: string[], threads: string) =>
    run(process.execPath, [path.join(PROJECT_ROOT, 'lib/cli.js'), '--root', root, 'build', ...args], { env: { ...process.env, AGORA_THREADS: threads } });

  await agora(['--out', 'un-fil', '--no-cache'], '1');
  await expect(stat(path.join(root, '.cache/agora/markdown'))).rejects.toThrow();
  await agora(['--out', 'deux-fils'], '2');
  await agora(['--out', 'cache'], '2');
  const single = await readTree(path.join(root, 'un-fil'));
  expect(single.size).toBeGreaterThan(300);
  for (const other of ['deux-fils', 'cache']) {
    const tree = await readTree(path.join(root, other));
    const differing = [...new Set([...single.keys(), ...tree.keys()])].filter((file) => single.get(file) !== tree.get(file));
    expect(differing, `files that differ between un-fil/ and ${other}/`).toEqual([]);
  }
  await rm(root, { recursive: true, force: true });
});
