import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
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
  /** The stamp (size, time) of each public file copied, by its path in the output. */
  public: Record<string, string>;
  /** The hash of each search shard's essays (their paths and contents). */
  search: string[] | null;
}

/** One file the previous build wrote: the hash of its contents, its page's key, and whether it was indexed for search. */
interface ManifestEntry {
  hash: string;
  key: string | null;
  indexed: boolean;
}

const MANIFEST_VERSION = 3;

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

/** What both ways of writing need: the output folder, the previous manifest, the files with their entries, the shards. */
interface Plan {
  target: string;
  previous: Manifest | null;
  files: readonly OutputFile[];
  entries: readonly ManifestEntry[];
  publicFiles: readonly { file: PublicFile; destination: string; stamp: string }[];
  shards: OutputFile[][];
  shardHashes: string[];
}

/**
 * Writes the site into `outDir`, with the public files and the search index, so that it holds
 * exactly them. When the previous build's manifest stands for the folder, the folder is brought
 * up to date in place: only new or changed files are written (each to a temporary name, then
 * renamed over the old one), only changed search shards are indexed, and files no longer
 * produced are removed. Otherwise (first build, no or damaged manifest, another folder), the
 * site is written into a temporary folder beside it, then swapped in place of `outDir`.
 * Either way the manifest is removed before `outDir` is touched and written after: a build
 * killed midway is followed by a full one. Content errors stop a build before this stage, so
 * a failed build leaves `outDir` as it was. The folder is marked as Agora's (OUTPUT_MARKER), and
 * with `guard` a folder Agora may not replace is refused before anything is touched.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], publicFiles: readonly PublicFile[], options: WriteOptions = {}): Promise<WriteReport> {
  const target = path.resolve(outDir);
  await removeLeftovers(path.dirname(target));
  const previous = options.previous !== undefined ? options.previous : options.manifestFile ? await readManifest(options.manifestFile, target) : null;
  // A page kept from the previous build (same key) is known without reading it: its hash and whether it is indexed come from the manifest.
  const entries = files.map((file): ManifestEntry => {
    const before = previous?.files[file.path];
    if (file.key !== undefined && before?.key === file.key && typeof before.hash === 'string' && typeof before.indexed === 'boolean') return before;
    return { hash: hash(file.contents), key: file.key ?? null, indexed: isIndexed(file) };
  });
  const entryOf = new Map(files.map((file, i) => [file, entries[i]!]));
  const shards = options.searchShards ? searchShards(files.filter((file) => entryOf.get(file)!.indexed), options.searchShards) : [];
  const plan: Plan = {
    target, previous, files, entries, shards,
    shardHashes: shards.map((shard) => hash(shard.map((file) => `${file.path}\0${entryOf.get(file)!.hash}`).join('\0'))),
    publicFiles: await mapLimit(publicFiles, FILE_CONCURRENCY, async (file) => {
      const info = await stat(file.source);
      return { file, destination: file.path.replace(/^public\//, ''), stamp: `${info.size}:${info.mtimeMs}` };
    }),
  };
  if (options.manifestFile) await rm(options.manifestFile, { force: true });
  const inPlace = previous !== null && options.manifestFile && (await isDirectory(target)) && existsSync(path.join(target, OUTPUT_MARKER));
  const report = inPlace ? await updateFolder(plan, options.guard) : await replaceFolder(plan, options.guard);
  if (options.manifestFile) {
    const manifest: Manifest = {
      version: MANIFEST_VERSION, outDir: target,
      files: Object.fromEntries(files.map((file, i) => [file.path, entries[i]!])),
      public: Object.fromEntries(plan.publicFiles.map((entry) => [entry.destination, entry.stamp])),
      search: shards.length ? plan.shardHashes : null,
    };
    await mkdir(path.dirname(options.manifestFile), { recursive: true });
    await writeFile(options.manifestFile, JSON.stringify(manifest));
  }
  return report;
}

/** The shards whose essays are those the previous build indexed, and whose folder `has` still finds. */
function keptShards(plan: Plan, has: (shard: number) => boolean): Set<number> {
  const { previous, shards, shardHashes } = plan;
  const same = previous?.search?.length === shards.length;
  return new Set(shardHashes.flatMap((shardHash, i) => (same && previous!.search![i] === shardHash && has(i) ? [i] : [])));
}

/** Brings an output folder written by the previous build up to date, in place (see writeSite). */
async function updateFolder(plan: Plan, guard: ProtectedFolders | undefined): Promise<WriteReport> {
  const { target, previous, files, entries } = plan;
  if (guard) await assertOutputFolder(target, guard);
  const present = new Set(listFiles(target));
  const expected = new Set<string>([OUTPUT_MARKER]);
  const made = new Set<string>();
  const write = async (file: string, contents: string | Uint8Array) => {
    const destination = path.join(target, file);
    const folder = path.dirname(destination);
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    const temporary = `${destination}${TEMPORARY_FILE}${process.pid}`;
    await writeFile(temporary, contents);
    await rename(temporary, destination);
  };
  if (!present.has(OUTPUT_MARKER)) await write(OUTPUT_MARKER, OUTPUT_MARKER_TEXT);
  for (const { file, destination, stamp } of plan.publicFiles) {
    expected.add(destination);
    if (previous!.public?.[destination] === stamp && present.has(destination)) continue;
    const content = await readFile(file.source);
    await write(destination, content);
  }
  const kept = keptShards(plan, (i) => present.has(`${shardFolder(i)}pagefind-entry.json`));
  for (const file of present) {
    const shard = shardOfPath(file);
    if (shard !== null && kept.has(shard)) expected.add(file);
  }
  const toIndex = plan.shards.map((_, i) => i).filter((i) => !kept.has(i));
  const search = toIndex.length ? indexSearch(plan.shards, toIndex, async (file, content) => {
    expected.add(file);
    await write(file, content);
  }) : null;
  const toWrite = files.filter((file, i) => {
    expected.add(file.path);
    return !(previous!.files[file.path]?.hash === entries[i]!.hash && present.has(file.path));
  });
  await mapLimit(toWrite, FILE_CONCURRENCY, (file) => write(file.path, file.contents));
  await search;
  // What the site no longer has goes, and the folders it leaves empty.
  const emptied = new Set<string>();
  for (const file of present) {
    if (expected.has(file)) continue;
    unlinkSync(path.join(target, file));
    for (let folder = path.posix.dirname(file); folder !== '.'; folder = path.posix.dirname(folder)) emptied.add(folder);
  }
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) removeIfEmpty(path.join(target, folder));
  return { written: toWrite.length, unchanged: files.length - toWrite.length, searchReused: kept.size, searchIndexed: toIndex.length };
}

/** Writes the site into a new folder beside the output, then swaps it in (see writeSite). */
async function replaceFolder(plan: Plan, guard: ProtectedFolders | undefined): Promise<WriteReport> {
  const { target, previous, files, entries } = plan;
  const parent = path.dirname(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `${TEMPORARY_PREFIX}new-${suffix}`);
  const stale = path.join(parent, `${TEMPORARY_PREFIX}old-${suffix}`);
  await mkdir(fresh, { recursive: true });
  try {
    for (const { file, destination } of plan.publicFiles) {
      mkdirSync(path.dirname(path.join(fresh, destination)), { recursive: true });
      await copyFile(file.source, path.join(fresh, destination));
    }
    await writeFile(path.join(fresh, OUTPUT_MARKER), OUTPUT_MARKER_TEXT);
    // A shard whose essays did not change is linked from the previous build; the others are indexed again.
    const kept = keptShards(plan, (i) => linkedTree(path.join(target, shardFolder(i)), path.join(fresh, shardFolder(i)), i === 0 ? SHARD_FOLDERS : null));
    const toIndex = plan.shards.map((_, i) => i).filter((i) => !kept.has(i));
    const search = toIndex.length ? indexSearch(plan.shards, toIndex, async (file, content) => {
      mkdirSync(path.dirname(path.join(fresh, file)), { recursive: true });
      await writeFile(path.join(fresh, file), content);
    }) : null;
    // Folders and links are made synchronously: thousands of them through the thread pool cost ten times more.
    // (public/ and the search index may have made some already.)
    for (const folder of foldersOf(files.map((file) => file.path))) makeFolder(path.join(fresh, folder));
    const toWrite = files.filter((file, i) => !(previous?.files[file.path]?.hash === entries[i]!.hash && linkIfPresent(path.join(target, file.path), path.join(fresh, file.path))));
    await mapLimit(toWrite, FILE_CONCURRENCY, (file) => writeFile(path.join(fresh, file.path), file.contents));
    await search;
    if (guard) await assertOutputFolder(target, guard);
    const hadPrevious = await isDirectory(target);
    if (hadPrevious) await rename(target, stale);
    await rename(fresh, target);
    if (hadPrevious) rmSync(stale, { recursive: true, force: true });
    return { written: toWrite.length, unchanged: files.length - toWrite.length, searchReused: kept.size, searchIndexed: toIndex.length };
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
}

/** Every file below a folder, as relative paths with `/`. */
function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The search shard a file of the output belongs to, or null for a file outside the index. */
function shardOfPath(file: string): number | null {
  const match = /^pagefind\/(?:morceau-(\d+)\/)?/.exec(file);
  return match ? Number(match[1] ?? 0) : null;
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty: something of the site is still there.
  }
}

/** The suffix of a file being written in place, before it is renamed over the old one. */
const TEMPORARY_FILE = '.agora-tmp-';

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
