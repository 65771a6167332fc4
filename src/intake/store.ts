import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The file operations the store needs, replaceable in tests to simulate a full disk. */
export interface StoreIo {
  open: typeof open;
  rename: typeof rename;
  unlink: typeof unlink;
}

const realIo: StoreIo = { open, rename, unlink };

/** The folder of a queue where files are written before being renamed into place. */
export function temporaryFolder(queueDir: string): string {
  return path.join(queueDir, TEMPORARY_FOLDER);
}

const TEMPORARY_FOLDER = '.tmp';

/**
 * Writes `text` to `folder/name` so that a reader never sees a partial file: the text goes to a
 * temporary file in `tempDir` (a folder of the queue, on the same file system, never among
 * published content), is synced to disk, then renamed into place, and the folder is synced.
 * On any error the temporary file is removed and the error is thrown; a crash can leave a file
 * in `tempDir` only, which `removeTemporaryFiles` clears at the next start.
 */
export async function writeFileDurably(folder: string, name: string, text: string, tempDir: string, io: StoreIo = realIo): Promise<string> {
  await mkdir(folder, { recursive: true });
  await mkdir(tempDir, { recursive: true });
  const target = path.join(folder, name);
  const temporary = path.join(tempDir, `${name}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await io.open(temporary, 'wx', 0o644);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await io.rename(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EXDEV' && tempDir !== folder) {
      // The queue is on another file system than the target: write beside the target instead.
      await io.unlink(temporary).catch(() => {});
      return writeFileDurably(folder, name, text, folder, io);
    }
    await handle?.close().catch(() => {});
    await io.unlink(temporary).catch(() => {});
    throw error;
  }
  await syncFolder(folder);
  return target;
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot sync a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * Clears what a killed server may have left: the queue's temporary folder, and the hidden
 * `.<id>.md.<hex>.tmp` files that earlier versions wrote beside the comments themselves.
 */
export async function removeTemporaryFiles(queueDir: string, commentsDir: string): Promise<number> {
  let removed = 0;
  try {
    const names = await readdir(temporaryFolder(queueDir));
    await rm(temporaryFolder(queueDir), { recursive: true, force: true });
    removed += names.length;
  } catch {
    // No temporary folder: nothing was left.
  }
  for (const folder of [queueDir, commentsDir]) {
    let slugs: string[];
    try {
      slugs = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    } catch {
      continue;
    }
    for (const slug of slugs) {
      for (const name of await readdir(path.join(folder, slug)).catch(() => [] as string[])) {
        if (/^\..+\.md\.[0-9a-f]{12}\.tmp$/.test(name)) {
          await rm(path.join(folder, slug, name), { force: true });
          removed += 1;
        }
      }
    }
  }
  return removed;
}

/** Comment files of a queue folder (`<queue>/<post-slug>/<id>.md`), sorted. */
export async function listQueue(queue: string): Promise<{ postSlug: string; id: string; file: string }[]> {
  let slugs: string[];
  try {
    slugs = (await readdir(queue, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch {
    return [];
  }
  const entries = [];
  for (const postSlug of slugs) {
    const names = (await readdir(path.join(queue, postSlug))).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
    for (const name of names) entries.push({ postSlug, id: name.slice(0, -3), file: path.join(queue, postSlug, name) });
  }
  return entries;
}
