import { openCacheFile } from '../cache/cache-file.js';
import { cacheFileKey } from '../cache/keys.js';
import type { ValidationCache, ValidationEntry } from './validate-content.js';

/** The validated records of the previous build (`.cache/agora/validation/`), and a way to save this build's. */
export interface ValidationStore {
  cache: ValidationCache;
  /** Writes the cache when validation changed it (a file edited, added or gone). */
  save(): Promise<void>;
}

/**
 * Opens the persistent validation cache: an entry is used only for a file whose text has the
 * same hash, and the whole file only under the same Agora (its code fileKey), since another
 * version may validate otherwise. Damaged or missing, it is empty.
 */
export async function openValidationStore(folder: string): Promise<ValidationStore> {
  const file = await openCacheFile<ValidationEntry>(folder, cacheFileKey('validation-1'));
  const cache: ValidationCache = new Map(file.entries);
  return { cache, save: () => file.save(cache) };
}
