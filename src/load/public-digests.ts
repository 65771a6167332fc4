import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { readSealed, writeSealed } from '../cache/cache-file.js';
import { cacheStamp } from '../cache/keys.js';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { PublicFile } from './public-files.js';

/** A public file with the digest of its contents: what tells a build that it changed. */
export interface DigestedFile extends PublicFile {
  digest: string;
}

/** What the cache knows of a file: what `stat` said when it was hashed, and the digest. */
interface Known {
  identity: string;
  digest: string;
}

/** The cache of digests (`.cache/agora/publics.v8`), by source path. */
const CACHE_FILE = 'publics.v8';
const STAMP = cacheStamp('publics-1');

/**
 * A file changed less than this long before it was hashed may change again within the same
 * tick of the file system's clock (coarse on some), and look untouched: its digest is not kept,
 * and the next build hashes it again (git's « racy » entries).
 */
const RACY_MS = 2000;

/**
 * The digest of every public file. A file is hashed again unless the cache holds it with the
 * same identity: size, modification and change times in nanoseconds, and inode. The change time
 * (ctime) cannot be set back by `touch -r`, `cp -p`, `rsync -t` or an archive, so a file
 * rewritten with its size and time kept is hashed again; a file touched but not changed gets a
 * new identity and the same digest, and is not copied again. `cacheDir` null hashes every file;
 * `racyMs` is RACY_MS but in tests.
 */
export async function digestPublicFiles(files: readonly PublicFile[], cacheDir: string | null, racyMs = RACY_MS): Promise<DigestedFile[]> {
  const cacheFile = cacheDir ? path.join(cacheDir, CACHE_FILE) : null;
  const known = cacheFile ? await readKnown(cacheFile) : new Map<string, Known>();
  const next = new Map<string, Known>();
  let changed = known.size !== files.length;
  const digested = await mapLimit(files, FILE_CONCURRENCY, async (file): Promise<DigestedFile> => {
    const info = await stat(file.source, { bigint: true });
    const identity = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
    const cached = known.get(file.source);
    if (cached?.identity === identity) {
      next.set(file.source, cached);
      return { ...file, digest: cached.digest };
    }
    changed = true;
    const startedAt = Date.now();
    const digest = await hashFile(file.source);
    if (Number(info.ctimeMs) < startedAt - racyMs && Number(info.mtimeMs) < startedAt - racyMs) next.set(file.source, { identity, digest });
    return { ...file, digest };
  });
  if (cacheFile && changed) await writeSealed(cacheFile, serialize({ stamp: STAMP, known: next }));
  return digested;
}

async function readKnown(file: string): Promise<Map<string, Known>> {
  const contents = await readSealed(file);
  try {
    const data = contents ? (deserialize(contents) as { stamp?: unknown; known?: unknown }) : null;
    if (data?.stamp === STAMP && data.known instanceof Map) return data.known as Map<string, Known>;
  } catch {
    // Sealed but unreadable: hash everything.
  }
  return new Map();
}

/** SHA-1 of a file's contents, read as a stream (a public file may be a large video). */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64url');
}
