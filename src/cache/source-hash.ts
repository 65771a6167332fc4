import { createHash } from 'node:crypto';
import type { SourceFile } from '../records.js';

/** The hash of each source's text, by file, with the length of the text it was made from (see sourceHash). */
const sourceHashes = new WeakMap<SourceFile, { length: number; hash: string }>();

/**
 * SHA-1 of a source file's text, made once per file: the build's key (up to date?) and the
 * validation store both need it, and hashing 3 846 texts (1000 essays, their comments) took
 * ~35 ms each time. A file's text is never edited in place: agora dev reads a changed file into
 * a new SourceFile, and a build only empties texts it no longer needs (letTextsGo), which the
 * length tells. The text itself is not kept here: a build lets texts go to save memory.
 */
export function sourceHash(file: SourceFile): string {
  const known = sourceHashes.get(file);
  if (known && known.length === file.text.length) return known.hash;
  const hash = createHash('sha1').update(file.text).digest('base64url');
  sourceHashes.set(file, { length: file.text.length, hash });
  return hash;
}
