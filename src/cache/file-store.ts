import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureFolder, writeAtomically } from './cache-file.js';
import { hashBytes, hashFiles } from './file-hashes.js';

/** A file the store holds: where it is, and the hash of its bytes (its name says it). */
export interface StoredFile {
  source: string;
  hash: string;
}

/** One file to have in the store: its key (cache/keys.ts) and its extension. */
export interface Wanted {
  key: string;
  extension: string;
}

/**
 * A folder of made files (social cards, versions of photos), each named by its key and the
 * hash of its bytes (`<key>.<hash>.<ext>`, the SHA-1 of file-hashes.ts): a file whose key is there and whose bytes still
 * match their hash is not made again; one that does not match is made again, never served.
 * `make` is given what is missing and hands each file's bytes to `keep` (by its place among the
 * missing) as soon as they are made: each is written then, not held until all are (10 001
 * social cards, ≈ 400 MB of PNG, were).
 */
export async function storeFiles(folder: string, wanted: readonly Wanted[], make: (missing: number[], keep: (n: number, bytes: Uint8Array) => void) => Promise<void>, options: { prune?: boolean } = {}): Promise<{ files: StoredFile[]; made: number }> {
  await ensureFolder(folder);
  const present = new Map<string, string>();
  for (const name of await readdir(folder)) {
    const match = /^([\w-]+)\.([\w-]+)\.\w+$/.exec(name);
    if (match) present.set(match[1]!, name);
  }
  const kept = new Set<string>();
  const candidates = wanted.map((entry) => {
    const known = present.get(entry.key);
    return known && known.endsWith(`.${entry.extension}`) ? known : null;
  });
  // The bytes of each file found are checked against the hash its name gives, hashed again only
  // when stat says they may have changed (cache/file-hashes.ts, in `<folder>.v8`).
  const names = candidates.filter((name): name is string => name !== null);
  const hashes = await hashFiles(names.map((name) => path.join(folder, name)), `${folder}.v8`).catch(() => null);
  const hashByName = new Map(names.map((name, i) => [name, hashes?.[i]]));
  const files: (StoredFile | null)[] = candidates.map((name) => {
    const hash = name ? name.split('.')[1]! : null;
    if (!name || !hash || hashByName.get(name) !== hash) return null;
    kept.add(name);
    return { source: path.join(folder, name), hash };
  });
  const missing = files.flatMap((file, i) => (file ? [] : [i]));
  const writes: Promise<void>[] = [];
  const keep = (n: number, bytes: Uint8Array) => {
    const i = missing[n]!;
    const hash = hashBytes(bytes);
    const name = `${wanted[i]!.key}.${hash}.${wanted[i]!.extension}`;
    kept.add(name);
    files[i] = { source: path.join(folder, name), hash };
    writes.push(writeAtomically(path.join(folder, name), bytes));
  };
  if (missing.length) {
    // Written even when making fails later: each file is whole and under its key, a next build keeps it.
    const making = make(missing, keep);
    await making.finally(() => Promise.allSettled(writes));
    await Promise.all(writes);
  }
  if (missing.some((i) => !files[i])) throw new Error(`${folder} : ${missing.filter((i) => !files[i]).length} fichiers n'ont pas été faits`);
  // Files no build uses any more go (the cache only costs time when missing, never when kept small).
  if (options.prune) await Promise.all((await readdir(folder)).filter((name) => !kept.has(name)).map((name) => rm(path.join(folder, name), { recursive: true, force: true })));
  return { files: files as StoredFile[], made: missing.length };
}
