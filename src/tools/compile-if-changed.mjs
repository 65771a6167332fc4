// Compiles src/ into lib/ with `tsc -b` (and, with --tools, tests/bench/ into lib/.tools/), but only when an input changed since the last
// successful compilation: loading tsc only to hear "up to date" costs about half a second,
// more than `agora build` itself on a small site. Plain JavaScript, not compiled, so that it
// runs before lib/ exists.
//
// Inputs: every file and folder under src/ (a folder's time changes when a file is added,
// removed or renamed in it), tsconfig.json, package.json and npm's record of the last install
// (node_modules/.package-lock.json, rewritten by every `npm install` / `npm ci`). After tsc
// succeeds, lib/.compiled is stamped with the time tsc *started*, so that a file saved while
// it ran is compiled again next time. When in doubt (a time equal to the stamp's, a file that
// cannot be read), compile: tsc -b itself then skips what is really up to date.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AGORA = {
  project: 'tsconfig.json',
  output: 'lib/cli.js',
  stamp: 'lib/.compiled',
  inputs: ['src', 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json'],
};
/** The benchmark and the audit (tests/bench/ → lib/.tools/): they import Agora's compiled modules and their declarations from lib/. */
const TOOLS = {
  project: 'tests/bench/tsconfig.json',
  output: 'lib/.tools/bench.js',
  stamp: 'lib/.tools/.compiled',
  inputs: [...AGORA.inputs, 'tests/bench'],
};

/** Newest modification time (ms) of a file, or of a folder and everything under it. */
function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of readdirSync(file)) time = Math.max(time, newest(path.join(file, entry)));
  return time;
}

/** True when a target's output is missing or older than any of its inputs. */
function stale(target) {
  try {
    const compiled = statSync(path.join(root, target.stamp)).mtimeMs;
    statSync(path.join(root, target.output));
    return target.inputs.some((input) => newest(path.join(root, input)) >= compiled);
  } catch {
    return true;
  }
}

/**
 * Compiles Agora when stale, and then the tools when `tools` is true (`--tools`: npm run bench,
 * npm run audit); returns tsc's exit status, 0 when nothing needed compiling. `stdio` is tsc's
 * (the tests keep its output to themselves).
 */
export function compileIfChanged(stdio = 'inherit', { tools = false } = {}) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const target of tools ? [AGORA, TOOLS] : [AGORA]) {
    if (!stale(target)) continue;
    const started = new Date();
    const run = spawnSync(process.execPath, [tsc, '-b', path.join(root, target.project)], { stdio });
    if (run.status !== 0) return run.status ?? 1;
    const stamp = path.join(root, target.stamp);
    closeSync(openSync(stamp, 'a'));
    utimesSync(stamp, started, started);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = compileIfChanged('inherit', { tools: process.argv.includes('--tools') });
