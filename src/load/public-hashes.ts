import path from 'node:path';
import { hashFiles } from '../cache/file-hashes.js';
import type { PublicFile } from './public-files.js';

/** A public file with the hash of its contents: what tells a build that it changed. */
export interface HashedFile extends PublicFile {
  hash: string;
}

/** The cache of hashes (`.cache/agora/publics.v8`), by source path. */
const CACHE_FILE = 'publics.v8';

/**
 * The hash of every public file, hashed again only when `stat` says it may have changed
 * (cache/file-hashes.ts); `cacheDir` null hashes every file; `racyMs` is for tests.
 */
export async function hashPublicFiles(files: readonly PublicFile[], cacheDir: string | null, racyMs?: number): Promise<HashedFile[]> {
  const hashes = await hashFiles(files.map((file) => file.source), cacheDir ? path.join(cacheDir, CACHE_FILE) : null, racyMs);
  return files.map((file, i) => ({ ...file, hash: hashes[i]! }));
}
