import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import { readSealed, writeSealed } from './cache-file.js';
import { cacheFileKey } from './keys.js';

/** What the cache knows of a file: what `stat` said when it was hashed, and the hash. */
interface Known {
  identity: string;
  hash: string;
}

const FILE_KEY = cacheFileKey('hashes-1');

/**
 * A file changed less than this long before it was hashed may change again within the same
 * tick of the file system's clock (coarse on some), and look untouched: its hash is not kept,
 * and the next build hashes it again (git's « racy » entries).
 */
const RACY_MS = 2000;

/**
 * The SHA-1 (base64url) of each file's contents, in order. A file is hashed again unless
 * `cacheFile` holds it with the same identity: size, modification and change times in
 * nanoseconds, and inode. The change time (ctime) cannot be set back by `touch -r`, `cp -p`,
 * `rsync -t` or an archive, so a file rewritten with its size and time kept is hashed again; a
 * file touched but not changed gets a new identity and the same hash. `cacheFile` null hashes
 * every file; `racyMs` is RACY_MS but in tests.
 */
export async function hashFiles(files: readonly string[], cacheFile: string | null, racyMs = RACY_MS): Promise<string[]> {
  const known = cacheFile ? await readKnown(cacheFile) : new Map<string, Known>();
  const next = new Map<string, Known>();
  let changed = known.size !== files.length;
  const hashes = await mapLimit(files, FILE_CONCURRENCY, async (file): Promise<string> => {
    const info = await stat(file, { bigint: true });
    const identity = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
    const cached = known.get(file);
    if (cached?.identity === identity) {
      next.set(file, cached);
      return cached.hash;
    }
    changed = true;
    const startedAt = Date.now();
    const hash = await hashFile(file);
    if (Number(info.ctimeMs) < startedAt - racyMs && Number(info.mtimeMs) < startedAt - racyMs) next.set(file, { identity, hash });
    return hash;
  });
  if (cacheFile && changed) await writeSealed(cacheFile, serialize({ fileKey: FILE_KEY, known: next }));
  return hashes;
}

async function readKnown(file: string): Promise<Map<string, Known>> {
  const contents = await readSealed(file);
  try {
    const data = contents ? (deserialize(contents) as { fileKey?: unknown; known?: unknown }) : null;
    if (data?.fileKey === FILE_KEY && data.known instanceof Map) return data.known as Map<string, Known>;
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

/** The same hash of bytes in memory (a file about to be written). */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}
