// Compiles src/ into lib/ with `tsc -b`, but only when an input changed since the last
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
const stamp = path.join(root, 'lib/.compiled');

/** Newest modification time (ms) of a file, or of a folder and everything under it. */
function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of readdirSync(file)) time = Math.max(time, newest(path.join(file, entry)));
  return time;
}

/** True when lib/ is missing or older than any input of the compilation. */
function stale() {
  try {
    const compiled = statSync(stamp).mtimeMs;
    statSync(path.join(root, 'lib/cli.js'));
    const inputs = ['src', 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json'];
    return inputs.some((input) => newest(path.join(root, input)) >= compiled);
  } catch {
    return true;
  }
}

/**
 * Compiles when stale; returns tsc's exit status, 0 when nothing needed compiling. `stdio` is
 * tsc's (the tests keep its output to themselves).
 */
export function compileIfChanged(stdio = 'inherit') {
  if (!stale()) return 0;
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.json')], { stdio });
  if (run.status !== 0) return run.status ?? 1;
  closeSync(openSync(stamp, 'a'));
  utimesSync(stamp, started, started);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = compileIfChanged();
