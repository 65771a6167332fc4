/** The manifest, `.cache/agora/sortie.json`: what the last write left in the output folder. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readJsonCache } from '../cache/cache-file.js';
import type { OutputFile } from '../records.js';
import { searchShardOf } from '../graph/routes.js';

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
export interface ManifestEntry {
  hash: string;
  key: string | null;
  indexed: boolean;
}

export const MANIFEST_VERSION = 4;

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

/** The hash of each shard's pages (their paths and contents' hashes), in shard order. */
export function hashShards(files: readonly OutputFile[], entries: readonly ManifestEntry[], shardCount: number): { shards: number[][]; hashes: string[] } {
  const shards = Array.from({ length: shardCount }, () => [] as number[]);
  files.forEach((file, i) => {
    if (shardCount && entries[i]!.indexed) shards[searchShardOf(file.path, shardCount)]!.push(i);
  });
  return { shards, hashes: shards.map((shard) => contentsHash(shard.map((i) => `${files[i]!.path}\0${entries[i]!.hash}`).join('\0'))) };
}

/** The hash of a page's contents, as the manifest keeps it. */
export const contentsHash = (text: string) => createHash('sha1').update(text).digest('base64url');
