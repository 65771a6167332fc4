import { existsSync } from 'node:fs';
import path from 'node:path';
import { removeCacheFile, writeJsonCache } from '../cache/cache-file.js';
import type { HashedFile } from '../load/public-hashes.js';
import type { OutputFile } from '../records.js';
import { listOutput } from './build-record.js';
import { UsageError } from '../diagnostics/usage-error.js';
import { updateFolder } from './in-place-writer.js';
import { MANIFEST_VERSION, readManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { OUTPUT_MARKER, readMarker, type ProtectedFolders } from './output-folder.js';
import { isDirectory, removeLeftovers, TEMPORARY_FILE } from './output-files.js';
import { replaceFolder } from './swap-writer.js';

export { readManifest, type Manifest } from './manifest.js';


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
  /**
   * Public files still being made when the write starts (versions of photos, social cards):
   * copied after the pages, before the output folder changes. A rejection (files that could not
   * be made) ends the write with the folder left as it was.
   */
  made?: Promise<readonly HashedFile[]>;
}

/** A public file with its path in the output. */
export interface PublicEntry {
  file: HashedFile;
  destination: string;
}

/** What both ways of writing need: the output folder, the previous manifest, the files, the public files, the shards. */
export interface Plan {
  target: string;
  previous: Manifest | null;
  files: readonly OutputFile[];
  /**
   * Every public file with its path in the output, those being made (WriteOptions.made) once
   * they are, each checked against the files Agora did not write; the same promise at every call.
   */
  publicFiles: () => Promise<readonly PublicEntry[]>;
  shardCount: number;
  /** What the output folder holds now (listOutput), and which of it Agora did not write: kept as it is. */
  present: ReadonlySet<string>;
  foreign: ReadonlySet<string>;
}

/** What a way of writing leaves for the manifest, and its report. */
export interface Written {
  entries: ManifestEntry[];
  shardHashes: string[];
  report: WriteReport;
}

/**
 * Writes the site into `outDir`, with the public files and the search index, so that it holds
 * exactly them. When the previous build's manifest stands for the folder, the folder is brought
 * up to date in place: every page whose key changed is rendered first (≈ 64 MB of them kept,
 * the others rendered again when written), then only new or changed files are written (each to a temporary name, then renamed over the old one), only changed
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
  const known = publicFiles.map(publicEntry);
  let all: Promise<PublicEntry[]> | null = null;
  const plan: Plan = {
    target, previous, files, shardCount: options.searchShards ?? 0,
    publicFiles: () => (all ??= (options.made ?? Promise.resolve([])).then((list) => {
      const made = list.map(publicEntry);
      refuseCollisions(plan, made.map((entry) => entry.destination));
      return [...known, ...made];
    })),
    present, foreign: foreignFiles(target, present, previous),
  };
  refuseCollisions(plan, [...files.map((file) => file.path), ...known.map((entry) => entry.destination)]);
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
      public: Object.fromEntries((await plan.publicFiles()).map((entry) => [entry.destination, entry.file.hash])),
      search: plan.shardCount ? shardHashes : null,
    };
    await writeJsonCache(options.manifestFile, manifest);
  }
  return report;
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

function publicEntry(file: HashedFile): PublicEntry {
  return { file, destination: file.path.replace(/^public\//, '') };
}

/** Refuses, before the output folder is changed, a build that would replace a file Agora did not write. */
function refuseCollisions(plan: Plan, wanted: readonly string[]): void {
  if (!plan.foreign.size) return;
  const clashes = wanted.filter((file) => plan.foreign.has(file)).sort();
  if (!clashes.length) return;
  const shown = clashes.slice(0, 5).join(', ') + (clashes.length > 5 ? `… (${clashes.length} en tout)` : '');
  throw new UsageError(`Dossier de sortie ${plan.target} : ${shown} n'${clashes.length > 1 ? 'ont' : 'a'} pas été écrit par Agora et serai${clashes.length > 1 ? 'en' : ''}t remplacé${clashes.length > 1 ? 's' : ''} par la construction ; déplacez ou supprimez ${clashes.length > 1 ? 'ces fichiers' : 'ce fichier'}, puis reconstruisez. Rien n'a été modifié.`);
}

