import { createHash, randomBytes } from 'node:crypto';
import { cp, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import { indexSearch, isIndexed } from './search-index.js';

/** A file of the built site: its path inside the output folder and its contents. */
export interface OutputFile {
  path: string;
  contents: string;
}

/** How a write went: files written anew, files kept from the previous build. */
export interface WriteReport {
  written: number;
  unchanged: number;
  searchReused: boolean;
}

/** What the previous build wrote, to recognise unchanged files (`.cache/agora/sortie.json`). */
interface Manifest {
  outDir: string;
  files: Record<string, string>;
  search: string | null;
}

/** Options of the write stage. */
export interface WriteOptions {
  /** Where the hashes of the previous build are kept; null writes every file. */
  manifestFile?: string | null;
  /** Index the essays for /recherche/. */
  search?: boolean;
  /** The site's base path, for the URLs in the search index. */
  basePath?: string;
}

const hash = (text: string) => createHash('sha1').update(text).digest('base64url');

/**
 * Writes the site into a temporary folder beside `outDir`, copies `publicDir` into it, indexes
 * the essays, then swaps it in place of `outDir`: until the swap the previous site is
 * untouched, and stale files disappear with it. A page whose contents did not change since the
 * previous build is hard-linked from it rather than written again; when no essay changed, the
 * search index is kept too.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], publicDir: string | null, options: WriteOptions = {}): Promise<WriteReport> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `.dist-new-${suffix}`);
  const stale = path.join(parent, `.dist-old-${suffix}`);
  const previous = options.manifestFile ? await readManifest(options.manifestFile, target) : null;
  const hashes = files.map((file) => hash(file.contents));
  const searchHash = hash(files.filter(isIndexed).map((file) => `${file.path}\0${file.contents}`).join('\0'));
  const report: WriteReport = { written: 0, unchanged: 0, searchReused: false };
  await mkdir(fresh, { recursive: true });
  try {
    if (publicDir && (await isDirectory(publicDir))) await cp(publicDir, fresh, { recursive: true });
    let search: Promise<unknown> | null = null;
    if (options.search) {
      report.searchReused = previous?.search === searchHash && (await isDirectory(path.join(target, 'pagefind')));
      search = report.searchReused
        ? linkTree(path.join(target, 'pagefind'), path.join(fresh, 'pagefind'))
        : indexSearch(files, fresh, options.basePath);
    }
    const folders = new Set(files.map((file) => path.dirname(path.join(fresh, file.path))));
    for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
    await mapLimit(files, FILE_CONCURRENCY, async (file, i) => {
      const destination = path.join(fresh, file.path);
      if (previous?.files[file.path] === hashes[i] && (await linkIfPresent(path.join(target, file.path), destination))) {
        report.unchanged += 1;
      } else {
        await writeFile(destination, file.contents);
        report.written += 1;
      }
    });
    await search;
    const hadPrevious = await isDirectory(target);
    if (hadPrevious) await rename(target, stale);
    await rename(fresh, target);
    if (hadPrevious) await rm(stale, { recursive: true, force: true });
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  if (options.manifestFile) {
    const manifest: Manifest = { outDir: target, files: Object.fromEntries(files.map((file, i) => [file.path, hashes[i]!])), search: options.search ? searchHash : null };
    await mkdir(path.dirname(options.manifestFile), { recursive: true });
    await writeFile(options.manifestFile, JSON.stringify(manifest));
  }
  return report;
}

async function readManifest(file: string, outDir: string): Promise<Manifest | null> {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    return manifest.outDir === outDir && manifest.files ? manifest : null;
  } catch {
    return null;
  }
}

/** Hard-links a file of the previous build; false when it is gone (then it is written anew). */
async function linkIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch {
    return false;
  }
}

async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await linkTree(path.join(from, entry.name), path.join(to, entry.name));
    else await link(path.join(from, entry.name), path.join(to, entry.name));
  }
}

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}
