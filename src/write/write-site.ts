import { randomBytes } from 'node:crypto';
import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A file of the built site: its path inside the output folder and its contents. */
export interface OutputFile {
  path: string;
  contents: string;
}

/**
 * Writes the site into a temporary folder beside `outDir`, copies `publicDir` into it, then
 * swaps it in place of `outDir` (after `beforeSwap`, which may add files such as a search index). Until the swap the previous site is untouched, and stale
 * files disappear with it.
 */
export async function writeSite(
  outDir: string,
  files: readonly OutputFile[],
  publicDir: string | null,
  beforeSwap?: (folder: string) => Promise<unknown>,
): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `.dist-new-${suffix}`);
  const stale = path.join(parent, `.dist-old-${suffix}`);
  await mkdir(fresh, { recursive: true });
  try {
    if (publicDir && (await isDirectory(publicDir))) await cp(publicDir, fresh, { recursive: true });
    const folders = new Set(files.map((file) => path.dirname(path.join(fresh, file.path))));
    for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
    await Promise.all(files.map((file) => writeFile(path.join(fresh, file.path), file.contents)));
    if (beforeSwap) await beforeSwap(fresh);
    const hadPrevious = await isDirectory(outDir);
    if (hadPrevious) await rename(outDir, stale);
    await rename(fresh, outDir);
    if (hadPrevious) await rm(stale, { recursive: true, force: true });
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
}

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}
