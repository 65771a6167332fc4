import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** A persistent map of `.cache/agora/`, as read, and the way to save it. */
export interface CacheFile<V> {
  /** The entries read: none when the cache is missing, damaged or written under another stamp. */
  entries: Map<string, V>;
  /** Writes these entries in place of the cache's; only the buckets that changed are written again. */
  save(entries: ReadonlyMap<string, V>): Promise<void>;
}

/** Entries are spread over this many files, so that one changed essay rewrites one sixteenth of a cache. */
export const BUCKETS = 16;

/**
 * Opens a cache folder (`.cache/agora/markdown/`…): a map split into BUCKETS files in V8's
 * serialization, each with the stamp it was written under. A missing or damaged bucket, or one
 * written under another stamp (another version of Agora, another layout), reads as empty: a
 * cache is never trusted beyond its stamp, and deleting it is always safe.
 */
export async function openCacheFile<V>(folder: string, stamp: string): Promise<CacheFile<V>> {
  const buckets = await Promise.all(Array.from({ length: BUCKETS }, (_, i) => readBucket<V>(bucketFile(folder, i), stamp)));
  const entries = new Map<string, V>();
  for (const bucket of buckets) for (const [key, value] of bucket) entries.set(key, value);
  return {
    entries,
    async save(next) {
      const grouped = Array.from({ length: BUCKETS }, () => new Map<string, V>());
      for (const [key, value] of next) grouped[bucketOf(key)]!.set(key, value);
      await mkdir(folder, { recursive: true });
      await Promise.all(grouped.map(async (bucket, i) => {
        const read = buckets[i]!;
        const same = bucket.size === read.size && [...bucket].every(([key, value]) => read.has(key) && read.get(key) === value);
        if (!same) await writeAtomically(bucketFile(folder, i), serialize({ stamp, entries: bucket }));
      }));
    },
  };
}

/** The file of bucket `index` in a cache folder. */
export function bucketFile(folder: string, index: number): string {
  return path.join(folder, `${index.toString(16)}.v8`);
}

/** The bucket of a key: FNV-1a, cheap, and spreads paths as well as hashes. */
export function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

async function readBucket<V>(file: string, stamp: string): Promise<Map<string, V>> {
  try {
    const data = deserialize(await readFile(file)) as { stamp?: unknown; entries?: unknown };
    if (data && data.stamp === stamp && data.entries instanceof Map) return data.entries as Map<string, V>;
  } catch {
    // No cache yet, or an unreadable one: start afresh.
  }
  return new Map();
}

/** A temporary file renamed over the old one: a killed build leaves the old bucket or the new one. */
export async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}
