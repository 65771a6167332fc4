import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { FIXTURES, PROJECT_ROOT, stageSite } from './sites.js';

const run = promisify(execFile);

/** The compiled CLI (npm test compiles first). */
export const CLI = path.join(PROJECT_ROOT, 'lib/cli.js');

export interface AgoraResult { code: number; stdout: string; stderr: string }

/** Runs the real CLI in its own process (in `cwd` when given) and returns its exit code and output. */
export async function agoraProcess(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<AgoraResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A stream that keeps what is written to it, as the text a process would have printed. */
function collector(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk: Buffer | string, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** The servers: they wait for signals, which a thread does not get. Every other command runs and ends, and `main()` can run it in the test's own thread. */
const SERVERS = new Set(['serve', 'dev', 'comments serve']);

function commandOf(args: readonly string[]): string {
  const words = args.filter((arg, i) => !arg.startsWith('-') && !['--root', '-C'].includes(args[i - 1] ?? ''));
  return words[0] === 'comments' ? `comments ${words[1] ?? ''}` : (words[0] ?? '');
}

/**
 * Runs `agora args` and returns its exit code and output. A command that runs and ends (all but
 * the servers: also `--help`, `--version` and command-line mistakes) goes through
 * the compiled CLI's own `main()` (lib/cli.js, the program's code, whose Markdown workers and time
 * limits only exist compiled) in this thread, with the same parsing, messages and exit codes as the
 * program (cli.ts's entry point only sets process.exitCode to what `main()` returns): it saves the
 * 1.4 s of CPU that starting a process and loading Agora cost each time (108 of them in a run).
 * Tests of the process itself (signals, environment, working folder, locks between processes) use
 * `agoraProcess`, and so does any call here given an environment or a working folder.
 */
export async function agora(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<AgoraResult> {
  if (cwd || Object.keys(env).length || SERVERS.has(commandOf(args))) return agoraProcess(args, env, cwd);
  const { main } = (await import(/* @vite-ignore */ pathToFileURL(CLI).href)) as typeof import('../../src/cli.js');
  const stdout = collector();
  const stderr = collector();
  const code = await main(args, stdout, stderr);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The basic fixture site with the project's templates, in a temporary folder of its own. */
export async function stageBasicSite(): Promise<string> {
  const root = await stageSite(path.join(FIXTURES, 'sites/basic'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  return root;
}

/** The basic fixture with the whole theme (templates and the project's public/ files over the fixture's). */
export async function stageThemedSite(): Promise<string> {
  const root = await stageBasicSite();
  await cp(path.join(PROJECT_ROOT, 'public'), path.join(root, 'public'), { recursive: true, force: true });
  return root;
}
