import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { PublicFile } from '../load/public-files.js';
import type { OutputFile } from '../records.js';
import { assertOutputFolder, OUTPUT_MARKER, OUTPUT_MARKER_TEXT, type ProtectedFolders } from './output-folder.js';
import { indexSearch, isIndexed, searchShards, shardFolder } from './search-index.js';


/** How a write went: files written anew, files kept from the previous build. */
export interface WriteReport {
  written: number;
  unchanged: number;
  /** Search shards kept from the previous build, and indexed anew. */
  searchReused: number;
  searchIndexed: number;
}

/** What the previous build wrote, to recognise unchanged files (`.cache/agora/sortie.json`). */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  outDir: string;
  files: Record<string, ManifestEntry>;
  /** The hash of each search shard's essays (their paths and contents). */
  search: string[] | null;
}

/** One file the previous build wrote: the hash of its contents, its page's key, and whether it was indexed for search. */
interface ManifestEntry {
  hash: string;
  key: string | null;
  indexed: boolean;
}

const MANIFEST_VERSION = 2;

/** Options of the write stage. */
export interface WriteOptions {
  /** Where the hashes of the previous build are kept; null writes every file. */
  manifestFile?: string | null;
  /** The previous build's manifest, when the caller read it already (readManifest). */
  previous?: Manifest | null;
  /** Index the essays for /recherche/ in this many shards (none when 0 or absent). */
  searchShards?: number;
  /** Folders the output must stay clear of: checked again just before the swap. */
  guard?: ProtectedFolders;
}

const hash = (text: string) => createHash('sha1').update(text).digest('base64url');

/**
 * Writes the site into a temporary folder beside `outDir`, copies the public files into it,
 * indexes the essays, then swaps it in place of `outDir`: until the swap the previous site is
 * untouched, and stale files disappear with it. A page whose contents did not change since the
 * previous build is hard-linked from it rather than written again; when no essay changed, the
 * search index is kept too. The folder is marked as Agora's (OUTPUT_MARKER), and with `guard`
 * a folder Agora may not replace is refused before anything is touched.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], publicFiles: readonly PublicFile[], options: WriteOptions = {}): Promise<WriteReport> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  await removeLeftovers(parent);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `${TEMPORARY_PREFIX}new-${suffix}`);
  const stale = path.join(parent, `${TEMPORARY_PREFIX}old-${suffix}`);
  const previous = options.previous !== undefined ? options.previous : options.manifestFile ? await readManifest(options.manifestFile, target) : null;
  // A page kept from the previous build (same key) is known without reading it: its hash and whether it is indexed come from the manifest.
  const entries = files.map((file): ManifestEntry => {
    const before = previous?.files[file.path];
    if (file.key !== undefined && before?.key === file.key && typeof before.hash === 'string' && typeof before.indexed === 'boolean') return before;
    return { hash: hash(file.contents), key: file.key ?? null, indexed: isIndexed(file) };
  });
  const entryOf = new Map(files.map((file, i) => [file, entries[i]!]));
  const shards = options.searchShards ? searchShards(files.filter((file) => entryOf.get(file)!.indexed), options.searchShards) : [];
  const shardHashes = shards.map((shard) => hash(shard.map((file) => `${file.path}\0${entryOf.get(file)!.hash}`).join('\0')));
  const report: WriteReport = { written: 0, unchanged: 0, searchReused: 0, searchIndexed: 0 };
  await mkdir(fresh, { recursive: true });
  try {
    await copyPublicFiles(publicFiles, fresh);
    await writeFile(path.join(fresh, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    // A shard whose essays did not change is linked from the previous build; the others are indexed again.
    const toIndex: number[] = [];
    for (const [i, shardHash] of shardHashes.entries()) {
      const folder = shardFolder(i);
      const kept = previous?.search?.length === shards.length && previous.search[i] === shardHash && (await isDirectory(path.join(target, folder)))
        && linkedTree(path.join(target, folder), path.join(fresh, folder), i === 0 ? SHARD_FOLDERS : null);
      if (!kept) toIndex.push(i);
    }
    report.searchReused = shards.length - toIndex.length;
    report.searchIndexed = toIndex.length;
    const search = toIndex.length ? indexSearch(shards, toIndex, fresh) : null;
    // Folders and links are made synchronously: thousands of them through the thread pool cost ten times more.
    // (public/ and the search index may have made some already.)
    for (const folder of foldersOf(files.map((file) => file.path))) makeFolder(path.join(fresh, folder));
    const toWrite = files.filter((file, i) => !(previous?.files[file.path]?.hash === entries[i]!.hash && linkIfPresent(path.join(target, file.path), path.join(fresh, file.path))));
    report.unchanged = files.length - toWrite.length;
    await mapLimit(toWrite, FILE_CONCURRENCY, (file) => writeFile(path.join(fresh, file.path), file.contents));
    report.written = toWrite.length;
    await search;
    if (options.guard) await assertOutputFolder(target, options.guard);
    const hadPrevious = await isDirectory(target);
    if (hadPrevious) await rename(target, stale);
    await rename(fresh, target);
    if (hadPrevious) rmSync(stale, { recursive: true, force: true });
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  if (options.manifestFile) {
    const manifest: Manifest = { version: MANIFEST_VERSION, outDir: target, files: Object.fromEntries(files.map((file, i) => [file.path, entries[i]!])), search: shards.length ? shardHashes : null };
    await mkdir(path.dirname(options.manifestFile), { recursive: true });
    await writeFile(options.manifestFile, JSON.stringify(manifest));
  }
  return report;
}

/** Every folder the files need, parents before children (the output folder itself left out), each once: made one by one, without `recursive`, which costs a walk up for each. */
export function foldersOf(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let folder = path.posix.dirname(file); folder !== '.' && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
  }
  return [...folders].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
}

function makeFolder(folder: string): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Temporary folders beside the output: `.dist-new-<pid>-<random>` while writing, `.dist-old-…` while swapping. */
const TEMPORARY_PREFIX = '.dist-';

/** Copies public/ file by file (links inside public/ already resolved to their targets: no link is ever copied). */
async function copyPublicFiles(publicFiles: readonly PublicFile[], folder: string): Promise<void> {
  const destinations = publicFiles.map((file) => path.join(folder, file.path.replace(/^public\//, '')));
  for (const dir of [...new Set(destinations.map((file) => path.dirname(file)))].sort()) await mkdir(dir, { recursive: true });
  await mapLimit(publicFiles, FILE_CONCURRENCY, (file, i) => copyFile(file.source, destinations[i]!));
}

/** Removes the temporary folders of a build that was killed (its process is gone), never another build's. */
async function removeLeftovers(parent: string): Promise<void> {
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

/** The manifest of the previous build into `outDir`, or null (none, another folder, another version, unreadable). */
export async function readManifest(file: string, outDir: string): Promise<Manifest | null> {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    return manifest.version === MANIFEST_VERSION && manifest.outDir === path.resolve(outDir) && manifest.files && typeof manifest.files === 'object' ? manifest : null;
  } catch {
    return null;
  }
}

/** Hard-links a file of the previous build; false when it is gone (then it is written anew). */
function linkIfPresent(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** Links a shard's folder from the previous build; false when it could not (then the shard is indexed anew). */
function linkedTree(from: string, to: string, skip: RegExp | null): boolean {
  try {
    linkTree(from, to, skip);
    return true;
  } catch {
    rmSync(to, { recursive: true, force: true });
    return false;
  }
}

/** The other shards' folders inside the first shard's: never part of it. */
const SHARD_FOLDERS = /^morceau-\d+$/;

/** Hard-links a folder's files into a new tree, leaving out the top-level folders that `skip` matches. */
function linkTree(from: string, to: string, skip: RegExp | null = null): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip?.test(entry.name)) continue;
    if (entry.isDirectory()) linkTree(path.join(from, entry.name), path.join(to, entry.name));
    else linkSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}
