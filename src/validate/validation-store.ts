import { readCacheFile, writeCacheFile } from '../cache-file.js';
import { CODE_STAMP } from '../code-stamp.js';
import type { ValidationCache } from './validate-content.js';

/** The validated records of the previous build (`.cache/agora/validation.v8`), and a way to save this build's. */
export interface ValidationStore {
  cache: ValidationCache;
  /** Writes the cache when validation changed it (a file edited, added or gone). */
  save(): Promise<void>;
}

/**
 * Opens the persistent validation cache: an entry is used only for a file whose text has the
 * same digest, and the whole file only under the same Agora (its code stamp), since another
 * version may validate otherwise. Damaged or missing, it is empty.
 */
export async function openValidationStore(file: string): Promise<ValidationStore> {
  const cache: ValidationCache = await readCacheFile(file, CODE_STAMP);
  const read = new Map(cache);
  return {
    cache,
    async save() {
      const changed = cache.size !== read.size || [...cache].some(([key, entry]) => read.get(key) !== entry);
      if (changed) await writeCacheFile(file, CODE_STAMP, cache);
    },
  };
}
