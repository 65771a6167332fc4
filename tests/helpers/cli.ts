import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES, PROJECT_ROOT, stageSite } from './sites.js';

const run = promisify(execFile);

/** The compiled CLI (npm test compiles first). */
export const CLI = path.join(PROJECT_ROOT, 'lib/cli.js');

/** Runs the real CLI in its own process (in `cwd` when given) and returns its exit code and output. */
export async function agora(args: string[], env: Record<string, string> = {}, cwd?: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, ...(cwd ? { cwd } : {}) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
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
