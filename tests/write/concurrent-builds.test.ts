import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { stageBasicSite } from '../helpers/cli.js';
import { NOW, PROJECT_ROOT, treeDigests } from '../helpers/sites.js';

const run = promisify(execFile);

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

// One Pagefind process per build cost a fork of the test process each time (149 in the suite);
// the service is kept between builds, and replaced when its process has ended. Run in a process
// of its own: the test's process holds one service per worker thread.
const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
const { build } = await import(process.argv[2]);
const [root, now] = [process.argv[3], Number(process.argv[4])];
const children = () => { try { return execFileSync('pgrep', ['-P', String(process.pid), 'pagefind'], { encoding: 'utf8' }).trim().split('\\n'); } catch { return []; } };
const steps = [];
const run = async () => {
  const result = await build({ root, outDir: 'dist', cache: false, now });
  steps.push({ ok: result.ok, children: children(), search: (await readFile(root + '/dist/pagefind/pagefind-entry.json', 'utf8')).length });
};
await run();
await run();
process.kill(Number(steps[0].children[0]), 'SIGKILL');
await new Promise((resolve) => setTimeout(resolve, 200));
await run();
console.log(JSON.stringify(steps));
`;

it('keeps one Pagefind service between builds, and replaces it once its process has died', async () => {
  const root = await stageBasicSite();
  await writeFile(path.join(root, 'service.mjs'), SCRIPT);
  const { stdout } = await run(process.execPath, [path.join(root, 'service.mjs'), pathToFileURL(path.join(PROJECT_ROOT, 'lib/build.js')).href, root, String(NOW)]);
  const [first, second, third] = JSON.parse(stdout) as { ok: boolean; children: string[]; search: number }[];
  expect([first!.ok, second!.ok, third!.ok]).toEqual([true, true, true]);
  expect(first!.children).toHaveLength(1);
  expect(second!.children).toEqual(first!.children);
  expect(third!.children).toHaveLength(1);
  expect(third!.children).not.toEqual(first!.children);
  expect(third!.search).toBe(first!.search);
  await rm(root, { recursive: true, force: true });
});
