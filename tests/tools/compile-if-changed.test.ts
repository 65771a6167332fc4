import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/sites.js';

// A stand-in project: the real script, and a fake `tsc` that counts its runs in tsc-runs.txt,
// writes lib/cli.js (lib/.tools/bench.js for the tools' project), and fails when src/broken.ts exists.
const FAKE_TSC = `
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '../../..');
fs.appendFileSync(path.join(root, 'tsc-runs.txt'), process.argv.slice(2).join(' ') + '\\n');
if (fs.existsSync(path.join(root, 'src/broken.ts'))) { console.error('error TS1005'); process.exit(2); }
const output = process.argv.some((arg) => arg.endsWith(path.join('tests', 'bench', 'tsconfig.json'))) ? 'lib/.tools/bench.js' : 'lib/cli.js';
fs.mkdirSync(path.dirname(path.join(root, output)), { recursive: true });
fs.writeFileSync(path.join(root, output), '');
`;

let project: string;

function write(file: string, text = ''): void {
  const target = path.join(project, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
}

/** Sets a file's times one minute ahead, as if it were saved after the last compilation. */
function touchLater(file: string): void {
  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(project, file), later, later);
}

function tscRuns(): number {
  const log = path.join(project, 'tsc-runs.txt');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
}

/** Runs the stand-in project's copy of the script in this thread (its module, loaded once per project, finds the project from where it is). */
async function run(options: { tools?: boolean } = {}): Promise<{ status: number | null; tscRuns: number }> {
  const { compileIfChanged } = (await import(/* @vite-ignore */ pathToFileURL(path.join(project, 'src/tools/compile-if-changed.mjs')).href)) as
    { compileIfChanged: (stdio: string, options: { tools?: boolean }) => number };
  return { status: compileIfChanged('pipe', options), tscRuns: tscRuns() };
}

/** Runs the script as npm scripts do, in a process of its own: its exit status is tsc's. */
function runProcess(): { status: number | null; tscRuns: number } {
  const result = spawnSync(process.execPath, [path.join(project, 'src/tools/compile-if-changed.mjs')], { cwd: project, encoding: 'utf8' });
  return { status: result.status, tscRuns: tscRuns() };
}

beforeEach(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'agora-compile-'));
  write('src/tools/.keep');
  copyFileSync(path.join(PROJECT_ROOT, 'src/tools/compile-if-changed.mjs'), path.join(project, 'src/tools/compile-if-changed.mjs'));
  write('src/cli.ts', 'export {};\n');
  write('tsconfig.json', '{}\n');
  write('package.json', '{"type":"module"}\n');
  write('node_modules/.package-lock.json', '{}\n');
  write('node_modules/typescript/package.json', '{"name":"typescript"}\n');
  write('node_modules/typescript/bin/tsc', FAKE_TSC);
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('compile-if-changed', () => {
  it('compiles a fresh clone, then not again while nothing changed', async () => {
    expect(await run()).toEqual({ status: 0, tscRuns: 1 });
    expect(await run()).toEqual({ status: 0, tscRuns: 1 });
    expect(readFileSync(path.join(project, 'tsc-runs.txt'), 'utf8')).toContain(`-b ${path.join(project, 'tsconfig.json')}`);
  });

  it.each(['src/cli.ts', 'src', 'tsconfig.json', 'package.json', 'node_modules/.package-lock.json'])(
    'compiles again when %s is newer than the last compilation',
    async (input) => {
      await run();
      touchLater(input);
      expect(await run()).toEqual({ status: 0, tscRuns: 2 });
    },
  );

  it('compiles again when a source file is added in a subfolder', async () => {
    await run();
    write('src/render/new-helper.ts', 'export {};\n');
    touchLater('src/render');
    expect((await run()).tscRuns).toBe(2);
  });

  it('compiles again when a source file is removed', async () => {
    write('src/render/old-helper.ts', 'export {};\n');
    await run();
    rmSync(path.join(project, 'src/render/old-helper.ts'));
    touchLater('src/render');
    expect((await run()).tscRuns).toBe(2);
  });

  it('compiles the benchmark and the audit (tests/bench/) after Agora with --tools only, and again when they change', async () => {
    write('tests/bench/tsconfig.json', '{}\n');
    write('tests/bench/bench.ts', 'export {};\n');
    expect(await run()).toEqual({ status: 0, tscRuns: 1 });
    expect(existsSync(path.join(project, 'lib/.tools/bench.js'))).toBe(false);
    expect(await run({ tools: true })).toEqual({ status: 0, tscRuns: 2 });
    expect(readFileSync(path.join(project, 'tsc-runs.txt'), 'utf8').trim().split('\n')[1]).toContain(path.join('tests', 'bench', 'tsconfig.json'));
    expect(await run({ tools: true })).toEqual({ status: 0, tscRuns: 2 });
    touchLater('tests/bench/bench.ts');
    expect(await run({ tools: true })).toEqual({ status: 0, tscRuns: 3 });
    // Agora's own compilation does not look at them.
    expect(await run()).toEqual({ status: 0, tscRuns: 3 });
    // A change of Agora compiles both, Agora first.
    touchLater('src/cli.ts');
    expect(await run({ tools: true })).toEqual({ status: 0, tscRuns: 5 });
  });

  it('compiles again when lib/ was deleted', async () => {
    await run();
    rmSync(path.join(project, 'lib'), { recursive: true });
    expect((await run()).tscRuns).toBe(2);
  });

  it('passes on a failed compilation and tries again next time, as its exit status', async () => {
    write('src/broken.ts', 'export const = ;\n');
    expect(runProcess()).toEqual({ status: 2, tscRuns: 1 });
    expect(await run()).toEqual({ status: 2, tscRuns: 2 });
    rmSync(path.join(project, 'src/broken.ts'));
    expect(await run()).toEqual({ status: 0, tscRuns: 3 });
    expect(runProcess()).toEqual({ status: 0, tscRuns: 3 });
  });

  it('runs from npm scripts before every command that needs lib/', () => {
    const scripts = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const [name, script] of Object.entries(scripts)) {
      if (!script.includes('lib/')) continue;
      expect(script, name).toMatch(script.includes('lib/.tools/') ? /^node src\/tools\/compile-if-changed\.mjs --tools && / : /^node src\/tools\/compile-if-changed\.mjs && /);
    }
    expect(execFileSync('git', ['check-ignore', 'lib/.compiled'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim()).toBe('lib/.compiled');
  });
});
