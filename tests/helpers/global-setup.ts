import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileIfChanged } from '../../src/tools/compile-if-changed.mjs';
import { findBrowser, NO_BROWSER } from '../../src/tools/find-browser.mjs';

/** Memory-backed temporary folders are used only with this much room: a container's 64 MB /dev/shm is not enough. */
const MIN_FREE_BYTES = 2 * 1024 ** 3;
/** statfs's type for tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

/**
 * Before any test file runs:
 * - compiles src/ into lib/ if it changed (as `npm test`'s pretest does, for `npx vitest run`):
 *   the tests run the compiled code (vitest.config.ts);
 * - finds the browser once and hands its path to every worker (AGORA_CHROMIUM): the packaged
 *   Chromium is unpacked here, once, never by two workers at once. Without any browser the run
 *   stops at once with the one line that says why;
 * - makes one temporary folder for the whole run and points TMPDIR at it, so that every test's
 *   mkdtemp, and the processes the tests start, work inside it; it is removed at the end.
 *   Where TMPDIR is not set and /dev/shm is a tmpfs with room, the folder is made there: the
 *   suite creates and deletes many small files, and on ext4 perf showed 10 to 15 CPU-seconds of
 *   the kernel's inode work for it (2 cores).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (compileIfChanged() !== 0) throw new Error('La compilation de src/ a échoué (voir ci-dessus) : les tests exécutent lib/.');
  const found = await findBrowser();
  if (!found) throw new Error(NO_BROWSER);
  process.env.AGORA_CHROMIUM = found.path;
  process.stdout.write(`Navigateur des tests : ${found.path} (${found.source})\n`);

  const base = process.env.TMPDIR ? tmpdir() : (await roomyMemoryFolder('/dev/shm')) ?? tmpdir();
  const folder = await mkdtemp(path.join(base, 'agora-tests-'));
  process.env.TMPDIR = folder;
  return () => rm(folder, { recursive: true, force: true });
}

async function roomyMemoryFolder(folder: string): Promise<string | null> {
  try {
    if (!(await stat(folder)).isDirectory()) return null;
    await access(folder, constants.W_OK);
    const { type, bavail, bsize } = await statfs(folder);
    return type === TMPFS_MAGIC && bavail * bsize >= MIN_FREE_BYTES ? folder : null;
  } catch {
    return null;
  }
}
