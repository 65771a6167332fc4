/** The file-level work both writers share: reading back, linking, removing, making folders, cleaning up after a killed build. */
import { linkSync, mkdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../records.js';
import { RenderFailures } from '../render/render-pages.js';
import { contentsHash } from './manifest.js';

/** A file of the previous build, when it is there and its contents still have `expected` hash. */
export function keptContents(file: string, expected: string): string | null {
  try {
    const contents = readFileSync(file, 'utf8');
    return contentsHash(contents) === expected ? contents : null;
  } catch {
    return null;
  }
}

/** Hard-links a file of the previous build; false when it is gone (then it is written anew). */
export function linkIfPresent(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/** Removes the files of the output folder that `stays` does not keep, then the folders they leave empty. */
export function removeStale(target: string, present: Iterable<string>, stays: (file: string) => boolean): void {
  const emptied = new Set<string>();
  for (const file of present) {
    if (stays(file)) continue;
    unlinkSync(path.join(target, file));
    for (let folder = path.posix.dirname(file); folder !== '.'; folder = path.posix.dirname(folder)) emptied.add(folder);
  }
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) removeIfEmpty(path.join(target, folder));
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty: something of the site is still there.
  }
}

/** The suffix of a file being written in place, before it is renamed over the old one. */
export const TEMPORARY_FILE = '.agora-tmp-';

/** Every folder the files need, parents before children (the output folder itself left out), each once: made one by one, without `recursive`, which costs a walk up for each. */
export function foldersOf(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = path.posix.dirname(file); folder !== '.' && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
  }
  return [...folders].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
}

export function makeFolder(folder: string): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Temporary folders beside the output: `.dist-new-<pid>-<random>` while writing, `.dist-old-…` while swapping. */
export const TEMPORARY_PREFIX = '.dist-';

/** Removes the temporary folders of a build that was killed (its process is gone), never another build's. */
export async function removeLeftovers(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^\.dist-(?:new|old)-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (match && !isRunning(Number(match[1]))) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file's contents, rendered now; a template that fails there (a page kept from the previous build) stops the write. */
export function renderedOrThrow(file: OutputFile): string {
  const result = file.render();
  if ('diagnostic' in result) throw new RenderFailures([result.diagnostic]);
  return result.contents;
}

/** The search shard a file of the output belongs to, or null for a file outside the index. */
export function shardOfPath(file: string): number | null {
  const match = /^pagefind\/(?:morceau-(\d+)\/)?/.exec(file);
  return match ? Number(match[1] ?? 0) : null;
}
