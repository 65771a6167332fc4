import { createHash, randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/**
 * Every file of `.cache/agora/` is sealed: a first line `agora <SHA-256 of the rest>`, then the
 * contents. A file whose seal fails (a changed byte, cut short, another format), that cannot be
 * read or is not a file reads as absent, and is written anew by the build: a cache is never
 * served beyond what it can prove, and deleting it is always safe.
 */
const SEAL_PREFIX = 'agora ';
/** The seal line's length: the prefix, 43 base64url characters of SHA-256, a line feed. */
export const SEAL_LENGTH = SEAL_PREFIX.length + 43 + 1;

const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

/** Contents with their seal in front. */
export function seal(contents: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${SEAL_PREFIX}${hash(contents)}\n`, 'latin1'), contents]);
}

/** The contents of sealed bytes, or null when the seal is missing or does not match them. */
export function unseal(bytes: Buffer): Buffer | null {
  if (bytes.length < SEAL_LENGTH || bytes.toString('latin1', 0, SEAL_PREFIX.length) !== SEAL_PREFIX || bytes[SEAL_LENGTH - 1] !== 0x0a) return null;
  const contents = bytes.subarray(SEAL_LENGTH);
  return bytes.toString('latin1', SEAL_PREFIX.length, SEAL_LENGTH - 1) === hash(contents) ? contents : null;
}

/** The contents of a sealed cache file, or null (missing, not a file, unreadable, seal broken). */
export async function readSealed(file: string): Promise<Buffer | null> {
  try {
    if (!(await lstat(file)).isFile()) return null;
    return unseal(await readFile(file));
  } catch {
    return null;
  }
}

/** Writes a sealed cache file, atomically. */
export function writeSealed(file: string, contents: Uint8Array): Promise<void> {
  return writeAtomically(file, seal(contents));
}

/** A JSON cache file's value when its seal holds and `valid` accepts it; null otherwise. */
export async function readJsonCache<T>(file: string, valid: (value: unknown) => value is T): Promise<T | null> {
  const contents = await readSealed(file);
  if (!contents) return null;
  try {
    const value: unknown = JSON.parse(contents.toString('utf8'));
    return valid(value) ? value : null;
  } catch {
    return null;
  }
}

/** Writes a JSON cache file, sealed. */
export function writeJsonCache(file: string, value: unknown): Promise<void> {
  return writeSealed(file, Buffer.from(JSON.stringify(value), 'utf8'));
}

/**
 * A temporary file renamed over the old one: a killed build leaves the old file or the new one.
 * Whatever stands in the way inside the cache (a folder where the file goes, a file where its
 * folder goes) is removed first: the cache folder is Agora's own.
 */
export async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  await ensureFolder(path.dirname(file));
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  try {
    await rename(temporary, file);
  } catch (error) {
    // rename(2) will not replace a folder: it was put there by hand, or by a damaged copy.
    if (!(await isFolder(file))) {
      await rm(temporary, { force: true });
      throw error;
    }
    await rm(file, { recursive: true, force: true });
    await rename(temporary, file);
  }
}

/**
 * writeAtomically, synchronously and without throwing, in a folder that exists: for a file that
 * must be there as soon as the call returns, and whose loss only costs making it again (the
 * Markdown store's HTML). False when it could not be written.
 */
export function writeAtomicallySync(file: string, contents: Uint8Array): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents);
    try {
      renameSync(temporary, file);
    } catch {
      // rename(2) will not replace a folder: it goes first.
      rmSync(file, { recursive: true, force: true });
      renameSync(temporary, file);
    }
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}

/** Makes a cache folder, replacing a file that stands where it goes. */
export async function ensureFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    await rm(folder, { force: true });
    await mkdir(folder, { recursive: true });
  }
}

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** A persistent map of `.cache/agora/`, as read, and the way to save it. */
export interface CacheFile<V> {
  /** The entries read: none when the cache is missing, damaged or written under another key. */
  entries: Map<string, V>;
  /** Writes these entries in place of the cache's; only the buckets that changed are written again. */
  save(entries: ReadonlyMap<string, V>): Promise<void>;
}

/** Entries are spread over this many files, so that one changed essay rewrites one sixteenth of a cache. */
export const BUCKETS = 16;

/**
 * Opens a cache folder (`.cache/agora/validation/`…): a map split into BUCKETS sealed files in
 * V8's serialization, each with the key it was written under (cache/keys.ts). A bucket that
 * is missing, damaged or written under another key (another Agora, another layout) reads as
 * empty.
 */
export async function openCacheFile<V>(folder: string, fileKey: string): Promise<CacheFile<V>> {
  const buckets = await Promise.all(Array.from({ length: BUCKETS }, (_, i) => readBucket<V>(bucketFile(folder, i), fileKey)));
  const entries = new Map<string, V>();
  for (const bucket of buckets) for (const [key, value] of bucket ?? []) entries.set(key, value);
  return {
    entries,
    async save(next) {
      const grouped = Array.from({ length: BUCKETS }, () => new Map<string, V>());
      for (const [key, value] of next) grouped[bucketOf(key)]!.set(key, value);
      // One bucket at a time: a serialized bucket is garbage once written, and sixteen of them
      // at once (at 10 000 essays, ≈ 90 MB outside the heap) set the build's peak.
      for (const [i, bucket] of grouped.entries()) {
        const read = buckets[i] ?? null;
        const same = read !== null && bucket.size === read.size && [...bucket].every(([key, value]) => read.has(key) && read.get(key) === value);
        if (!same) await writeSealed(bucketFile(folder, i), serialize({ fileKey, entries: bucket }));
      }
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

/** A bucket's entries; null when it is missing, damaged or of another key (then it is written again, even empty). */
async function readBucket<V>(file: string, fileKey: string): Promise<Map<string, V> | null> {
  const contents = await readSealed(file);
  if (!contents) return null;
  try {
    const data = deserialize(contents) as { fileKey?: unknown; entries?: unknown };
    if (data && data.fileKey === fileKey && data.entries instanceof Map) return data.entries as Map<string, V>;
  } catch {
    // Sealed but unreadable (another Node's serialization): start afresh.
  }
  return null;
}

/** Removes a cache file, or whatever stands in its place. */
export function removeCacheFile(file: string): Promise<void> {
  return rm(file, { recursive: true, force: true });
}
