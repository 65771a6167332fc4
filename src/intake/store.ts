import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The file operations the store needs, replaceable in tests to simulate a full disk. */
export interface StoreIo {
  open: typeof open;
  rename: typeof rename;
  unlink: typeof unlink;
}

const realIo: StoreIo = { open, rename, unlink };

/**
 * Writes `text` to `folder/name` so that a reader never sees a partial file: the text goes to a
 * hidden temporary file (the build ignores dot files), is synced to disk, then renamed into
 * place, and the folder is synced. On any error the temporary file is removed and the error
 * is thrown; nothing is left where the build would read it.
 */
export async function writeFileDurably(folder: string, name: string, text: string, io: StoreIo = realIo): Promise<string> {
  await mkdir(folder, { recursive: true });
  const target = path.join(folder, name);
  const temporary = path.join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await io.open(temporary, 'wx', 0o644);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await io.rename(temporary, target);
  } catch (error) {
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

/** Comment files of a queue folder (`<queue>/<post-slug>/<id>.md`), sorted. */
export async function listQueue(queue: string): Promise<{ postSlug: string; id: string; file: string }[]> {
  let slugs: string[];
  try {
    slugs = (await readdir(queue, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
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
