import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import { readJsonCache, removeCacheFile, writeJsonCache } from '../cache/cache-file.js';
import type { HashedFile } from '../load/public-hashes.js';
import type { OutputFile } from '../records.js';
import { RenderFailures, RenderProblems } from '../render/render-pages.js';
import { listOutput } from './build-record.js';
import { UsageError } from '../usage-error.js';
import { assertOutputFolder, KEPT_ENTRIES, markerText, OUTPUT_MARKER, readMarker, type ProtectedFolders } from './output-folder.js';
import { searchShardOf } from '../graph/routes.js';
import { isIndexed, searchFeed, shardFolder } from './search-index.js';


/** How a write went: files written anew, files kept from the previous build. */
export interface WriteReport {
  written: number;
  unchanged: number;
  /** Search shards kept from the previous build, and indexed anew. */
  searchReused: number;
  searchIndexed: number;
  /** Every file the output folder holds after the write, sorted (as listOutput gives them). */
  paths: string[];
}

/** What the previous build wrote, to recognise unchanged files (`.cache/agora/sortie.json`). */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  outDir: string;
  files: Record<string, ManifestEntry>;
  /** The hash of each public file copied (load/public-hashes.ts), by its path in the output. */
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

const MANIFEST_VERSION = 4;

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
  /** Called just before the output folder is first changed (the build forgets its record then). */
  beforeChange?: () => Promise<void>;
}

const hash = (text: string) => createHash('sha1').update(text).digest('base64url');

/** What both ways of writing need: the output folder, the previous manifest, the files, the public files, the shards. */
interface Plan {
  target: string;
  previous: Manifest | null;
  files: readonly OutputFile[];
  /** Public files with their path in the output. */
  publicFiles: readonly { file: HashedFile; destination: string }[];
  shardCount: number;
  /** What the output folder holds now (listOutput), and which of it Agora did not write: kept as it is. */
  present: ReadonlySet<string>;
  foreign: ReadonlySet<string>;
}

/** What a way of writing leaves for the manifest, and its report. */
interface Written {
  entries: ManifestEntry[];
  shardHashes: string[];
  report: WriteReport;
}

/**
 * Writes the site into `outDir`, with the public files and the search index, so that it holds
 * exactly them. When the previous build's manifest stands for the folder, the folder is brought
 * up to date in place: every page whose key changed is rendered first, then only new or changed
 * files are written (each to a temporary name, then renamed over the old one), only changed
 * search shards are indexed, and files no longer produced are removed. Otherwise (first build,
 * no or damaged manifest, another folder), pages are rendered one by one as they are written
 * into a temporary folder beside it, and indexed for search meanwhile, so that memory holds a
 * few pages at a time; the folder is then swapped in place of `outDir`. A page that fails to
 * render (RenderFailures, with every page's problem) stops the write before `outDir` is touched. The manifest is
 * removed just before `outDir` is first changed and written after: a build killed midway is
 * followed by a full one. The folder is marked as Agora's (OUTPUT_MARKER), and with `guard` a folder Agora
 * may not replace is refused before anything is touched.
 */
export async function writeSite(outDir: string, files: readonly OutputFile[], publicFiles: readonly HashedFile[], options: WriteOptions = {}): Promise<WriteReport> {
  const target = path.resolve(outDir);
  await removeLeftovers(path.dirname(target));
  const previous = options.previous !== undefined ? options.previous : options.manifestFile ? await readManifest(options.manifestFile, target) : null;
  const present = new Set(listOutput(target));
  const plan: Plan = {
    target, previous, files, shardCount: options.searchShards ?? 0,
    publicFiles: publicFiles.map((file) => ({ file, destination: file.path.replace(/^public\//, '') })),
    present, foreign: foreignFiles(target, present, previous),
  };
  refuseCollisions(plan);
  const inPlace = previous !== null && !!options.manifestFile && (await isDirectory(target)) && existsSync(path.join(target, OUTPUT_MARKER));
  // No record describes the folder while it changes: a build killed midway is followed by a full one.
  const beforeChange = async () => {
    await options.beforeChange?.();
    if (options.manifestFile) await removeCacheFile(options.manifestFile);
  };
  const { entries, shardHashes, report } = inPlace ? await updateFolder(plan, options.guard, beforeChange) : await replaceFolder(plan, options.guard, beforeChange);
  if (options.manifestFile) {
    const manifest: Manifest = {
      version: MANIFEST_VERSION, outDir: target,
      files: Object.fromEntries(files.map((file, i) => [file.path, entries[i]!])),
      public: Object.fromEntries(plan.publicFiles.map((entry) => [entry.destination, entry.file.hash])),
      search: plan.shardCount ? shardHashes : null,
    };
    await writeJsonCache(options.manifestFile, manifest);
  }
  return report;
}

/** The hash of each shard's pages (their paths and contents' hashes), in shard order. */
function hashShards(files: readonly OutputFile[], entries: readonly ManifestEntry[], shardCount: number): { shards: number[][]; hashes: string[] } {
  const shards = Array.from({ length: shardCount }, () => [] as number[]);
  files.forEach((file, i) => {
    if (shardCount && entries[i]!.indexed) shards[searchShardOf(file.path, shardCount)]!.push(i);
  });
  return { shards, hashes: shards.map((shard) => hash(shard.map((i) => `${files[i]!.path}\0${entries[i]!.hash}`).join('\0'))) };
}

/** Brings an output folder written by the previous build up to date, in place (see writeSite). */
async function updateFolder(plan: Plan, guard: ProtectedFolders | undefined, beforeChange: () => Promise<void>): Promise<Written> {
  const { target, previous, files } = plan;
  if (guard) await assertOutputFolder(target, guard);
  const { present, foreign } = plan;
  // Every page whose key changed is rendered before the folder is touched, every problem found
  // (RenderFailures, and nothing is changed); what must be written is kept.
  const fresh = new Map<number, string>();
  const problems = new RenderProblems();
  const entries = files.map((file, i): ManifestEntry => {
    const before = previous!.files[file.path];
    if (file.key !== undefined && before?.key === file.key && typeof before.hash === 'string' && typeof before.indexed === 'boolean') return before;
    const contents = problems.take(file.render()) ?? '';
    const entry = { hash: hash(contents), key: file.key ?? null, indexed: isIndexed(file.path, contents) };
    if (before?.hash !== entry.hash || !present.has(file.path)) fresh.set(i, contents);
    return entry;
  });
  problems.throwIfAny();
  // A kept page is read back from the folder when its bytes still have the recorded hash (a
  // re-indexed shard needs its unchanged essays: reading is cheaper than rendering them again).
  const contentsOf = (i: number) => fresh.get(i) ?? keptContents(path.join(target, files[i]!.path), entries[i]!.hash) ?? renderedOrThrow(files[i]!);
  const { shards, hashes } = hashShards(files, entries, plan.shardCount);
  await beforeChange();
  const expected = new Set<string>([OUTPUT_MARKER]);
  const made = new Set<string>();
  const write = async (file: string, contents: string | Uint8Array) => {
    const destination = path.join(target, file);
    const folder = path.dirname(destination);
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    const temporary = `${destination}${TEMPORARY_FILE}${process.pid}`;
    await writeFile(temporary, contents);
    await rename(temporary, destination).catch(async (error: unknown) => {
      await rm(temporary, { force: true });
      throw error;
    });
  };
  for (const { file, destination } of plan.publicFiles) {
    expected.add(destination);
    if (previous!.public?.[destination] === file.hash && present.has(destination)) continue;
    await write(destination, await readFile(file.source));
  }
  // A shard whose pages did not change, and whose bundle is still there, is kept; the others are indexed again.
  const same = previous!.search?.length === plan.shardCount;
  const kept = new Set(hashes.flatMap((shardHash, i) => (same && previous!.search![i] === shardHash && present.has(`${shardFolder(i)}pagefind-entry.json`) ? [i] : [])));
  for (const file of present) {
    const shard = shardOfPath(file);
    if (shard !== null && kept.has(shard)) expected.add(file);
  }
  const toIndex = shards.map((_, i) => i).filter((i) => !kept.has(i));
  const feed = toIndex.length ? searchFeed(toIndex, async (file, content) => {
    expected.add(file);
    await write(file, content);
  }) : null;
  try {
    const indexing = Promise.all(toIndex.flatMap((shard) => shards[shard]!.map((i) => feed!.add(shard, files[i]!.path, contentsOf(i)))));
    // Awaited below, after the writes: marked as handled meanwhile, so that a failure waits for it.
    indexing.catch(() => undefined);
    const toWrite = files.flatMap((file, i) => {
      expected.add(file.path);
      return fresh.has(i) || !present.has(file.path) ? [i] : [];
    });
    await mapLimit(toWrite, FILE_CONCURRENCY, (i) => write(files[i]!.path, contentsOf(i)));
    await indexing;
    await feed?.finish();
    const marker = markerText(expected);
    if (keptContents(path.join(target, OUTPUT_MARKER), hash(marker)) === null) await write(OUTPUT_MARKER, marker);
    removeStale(target, present, (file) => expected.has(file) || foreign.has(file));
    return {
      entries, shardHashes: hashes,
      report: { written: toWrite.length, unchanged: files.length - toWrite.length, searchReused: kept.size, searchIndexed: toIndex.length, paths: [...expected, ...foreign].sort() },
    };
  } catch (error) {
    await feed?.abort();
    throw error;
  }
}

/**
 * Writes the site into a new folder beside the output, then swaps it in (see writeSite). Pages
 * are rendered as they are written, and each essay is sent to the search index at once: memory
 * holds the pages under way, and Pagefind works while this process renders.
 */
async function replaceFolder(plan: Plan, guard: ProtectedFolders | undefined, beforeChange: () => Promise<void>): Promise<Written> {
  const { target, previous, files, shardCount } = plan;
  const parent = path.dirname(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `${TEMPORARY_PREFIX}new-${suffix}`);
  const stale = path.join(parent, `${TEMPORARY_PREFIX}old-${suffix}`);
  await mkdir(fresh, { recursive: true });
  const shardList = Array.from({ length: shardCount }, (_, i) => i);
  const paths = new Set<string>([OUTPUT_MARKER, ...plan.publicFiles.map((entry) => entry.destination), ...files.map((file) => file.path)]);
  const feed = shardCount ? searchFeed(shardList, async (file, content) => {
    paths.add(file);
    mkdirSync(path.dirname(path.join(fresh, file)), { recursive: true });
    await writeFile(path.join(fresh, file), content);
  }) : null;
  try {
    for (const { file, destination } of plan.publicFiles) {
      mkdirSync(path.dirname(path.join(fresh, destination)), { recursive: true });
      await copyFile(file.source, path.join(fresh, destination));
    }
    // Folders are made synchronously: thousands of them through the thread pool cost ten times more.
    for (const folder of foldersOf(files.map((file) => file.path))) makeFolder(path.join(fresh, folder));
    const entries: ManifestEntry[] = new Array(files.length);
    let unchanged = 0;
    // Each lane renders its page (synchronously, so pages reach the index in their order), sends
    // an essay to its shard, then writes or links the file and waits for the index to take it.
    // A page whose template fails is noted and skipped: every problem is found in this one pass,
    // and the new folder is dropped before the output is touched.
    const problems = new RenderProblems();
    await mapLimit(files, FILE_CONCURRENCY, async (file, i) => {
      const contents = problems.take(file.render());
      if (contents === null) return;
      const entry: ManifestEntry = { hash: hash(contents), key: file.key ?? null, indexed: isIndexed(file.path, contents) };
      entries[i] = entry;
      const indexed = entry.indexed && feed ? feed.add(searchShardOf(file.path, shardCount), file.path, contents) : null;
      indexed?.catch(() => undefined);
      if (previous?.files[file.path]?.hash === entry.hash && linkIfPresent(path.join(target, file.path), path.join(fresh, file.path))) unchanged += 1;
      else await writeFile(path.join(fresh, file.path), contents);
      await indexed;
    });
    problems.throwIfAny();
    await feed?.finish();
    await writeFile(path.join(fresh, OUTPUT_MARKER), markerText(paths));
    if (guard) await assertOutputFolder(target, guard);
    await beforeChange();
    const hadPrevious = await isDirectory(target);
    const keeps = plan.foreign.size > 0 || KEPT_ENTRIES.some((name) => existsSync(path.join(target, name)));
    if (keeps) {
      // The folder holds what Agora did not write (.git, a file added by hand): it stays where it
      // is, and only Agora's own files are replaced or removed around it.
      mergeInto(fresh, target, paths, plan);
    } else {
      if (hadPrevious) await rename(target, stale);
      await rename(fresh, target);
      if (hadPrevious) rmSync(stale, { recursive: true, force: true });
    }
    return {
      entries, shardHashes: hashShards(files, entries, shardCount).hashes,
      report: { written: files.length - unchanged, unchanged, searchReused: 0, searchIndexed: shardCount, paths: [...paths, ...plan.foreign].sort() },
    };
  } catch (error) {
    await feed?.abort();
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
}

/** A file's contents, rendered now; a template that fails there (a page kept from the previous build) stops the write. */
function renderedOrThrow(file: OutputFile): string {
  const result = file.render();
  if ('diagnostic' in result) throw new RenderFailures([result.diagnostic]);
  return result.contents;
}

/**
 * The files of the output folder that Agora did not write: those neither its marker nor the
 * previous build's sortie.json lists. A marker from before the lists is trusted only when
 * sortie.json names this folder too (this machine's Agora wrote it): copied elsewhere, it
 * gives nothing away.
 */
function foreignFiles(target: string, present: ReadonlySet<string>, previous: Manifest | null): Set<string> {
  const listed = readMarker(target);
  if (listed === null && previous !== null) return new Set();
  const owned = new Set([OUTPUT_MARKER, ...(listed ?? []), ...Object.keys(previous?.files ?? {}), ...Object.keys(previous?.public ?? {})]);
  // A file left half-written by a killed in-place build is Agora's too.
  return new Set([...present].filter((file) => !owned.has(file) && !file.includes(TEMPORARY_FILE)));
}

/** Refuses, before anything is written, a build that would replace a file Agora did not write. */
function refuseCollisions(plan: Plan): void {
  if (!plan.foreign.size) return;
  const wanted = [...plan.files.map((file) => file.path), ...plan.publicFiles.map((entry) => entry.destination)];
  const clashes = wanted.filter((file) => plan.foreign.has(file)).sort();
  if (!clashes.length) return;
  const shown = clashes.slice(0, 5).join(', ') + (clashes.length > 5 ? `… (${clashes.length} en tout)` : '');
  throw new UsageError(`Dossier de sortie ${plan.target} : ${shown} n'${clashes.length > 1 ? 'ont' : 'a'} pas été écrit par Agora et serai${clashes.length > 1 ? 'en' : ''}t remplacé${clashes.length > 1 ? 's' : ''} par la construction ; déplacez ou supprimez ${clashes.length > 1 ? 'ces fichiers' : 'ce fichier'}, puis reconstruisez. Rien n'a été modifié.`);
}

/**
 * Moves a freshly written site into an output folder that also holds what Agora did not write:
 * Agora's files that the new site no longer has are removed, each new file is renamed over its
 * old version, and everything else is left where it is. A build killed midway leaves a mix of
 * old and new files of Agora's own, which the next (full) build repairs.
 */
function mergeInto(fresh: string, target: string, paths: ReadonlySet<string>, plan: Plan): void {
  removeStale(target, plan.present, (file) => paths.has(file) || plan.foreign.has(file));
  for (const folder of foldersOf([...paths])) makeFolder(path.join(target, folder));
  for (const file of paths) renameSync(path.join(fresh, file), path.join(target, file));
  rmSync(fresh, { recursive: true, force: true });
}

/** The search shard a file of the output belongs to, or null for a file outside the index. */
function shardOfPath(file: string): number | null {
  const match = /^pagefind\/(?:morceau-(\d+)\/)?/.exec(file);
  return match ? Number(match[1] ?? 0) : null;
}

/** Removes the files of the output folder that `stays` does not keep, then the folders they leave empty. */
function removeStale(target: string, present: Iterable<string>, stays: (file: string) => boolean): void {
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

/** The manifest of the previous build into `outDir`, or null (none, another folder, another version, damaged: see cache/cache-file.ts). */
export async function readManifest(file: string, outDir: string): Promise<Manifest | null> {
  const target = path.resolve(outDir);
  return readJsonCache(file, (value): value is Manifest => isManifest(value) && value.outDir === target);
}

/** The shape of a manifest, checked before it is trusted. */
function isManifest(value: unknown): value is Manifest {
  const manifest = value as Partial<Manifest> | null;
  if (!manifest || typeof manifest !== 'object' || manifest.version !== MANIFEST_VERSION || typeof manifest.outDir !== 'string') return false;
  if (!isRecord(manifest.files) || !isRecord(manifest.public) || !(manifest.search === null || (Array.isArray(manifest.search) && manifest.search.every((h) => typeof h === 'string')))) return false;
  return Object.values(manifest.files).every((entry) => isRecord(entry) && typeof entry.hash === 'string' && (entry.key === null || typeof entry.key === 'string') && typeof entry.indexed === 'boolean')
    && Object.values(manifest.public).every((hash) => typeof hash === 'string');
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** A file of the previous build, when it is there and its contents still have `expected` hash. */
function keptContents(file: string, expected: string): string | null {
  try {
    const contents = readFileSync(file, 'utf8');
    return hash(contents) === expected ? contents : null;
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

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}
