import path from 'node:path';
import { digestFiles } from '../cache/file-digests.js';
import type { PublicFile } from './public-files.js';

/** A public file with the digest of its contents: what tells a build that it changed. */
export interface DigestedFile extends PublicFile {
  digest: string;
}

/** The cache of digests (`.cache/agora/publics.v8`), by source path. */
const CACHE_FILE = 'publics.v8';

/**
 * The digest of every public file, hashed again only when `stat` says it may have changed
 * (cache/file-digests.ts); `cacheDir` null hashes every file; `racyMs` is for tests.
 */
export async function digestPublicFiles(files: readonly PublicFile[], cacheDir: string | null, racyMs?: number): Promise<DigestedFile[]> {
  const digests = await digestFiles(files.map((file) => file.source), cacheDir ? path.join(cacheDir, CACHE_FILE) : null, racyMs);
  return files.map((file, i) => ({ ...file, digest: digests[i]! }));
}
