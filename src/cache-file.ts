import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/**
 * Reads a cache file of `.cache/agora/` (a Map in V8's serialization, with the stamp it was
 * written under). A missing or damaged file, or one written under another stamp (another
 * version of Agora, other options), is an empty cache: a cache is never trusted beyond its stamp.
 */
export async function readCacheFile<V>(file: string, stamp: string): Promise<Map<string, V>> {
  try {
    const data = deserialize(await readFile(file)) as { stamp?: unknown; entries?: unknown };
    if (data && data.stamp === stamp && data.entries instanceof Map) return data.entries as Map<string, V>;
  } catch {
    // No cache yet, or an unreadable one: start afresh.
  }
  return new Map();
}

/** Writes a cache file atomically (a temporary file renamed over it): a killed build leaves the old one or the new one. */
export async function writeCacheFile<V>(file: string, stamp: string, entries: ReadonlyMap<string, V>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, serialize({ stamp, entries }));
  await rename(temporary, file);
}
