/** The in-place writer: brings an output folder that the previous build wrote (its manifest says so) up to date, file by file. */
import { mkdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import { RenderProblems } from '../render/render-pages.js';
import { contentsHash, hashShards, type ManifestEntry } from './manifest.js';
import { assertOutputFolder, markerText, OUTPUT_MARKER, type ProtectedFolders } from './output-folder.js';
import { keptContents, removeStale, renderedOrThrow, shardOfPath, TEMPORARY_FILE } from './output-files.js';
import { heapCeiling } from './heap-ceiling.js';
import { isIndexed, searchFeed, shardFolder } from './search-index.js';
import type { Plan, Written } from './write-site.js';

/**
 * How much rendered text (UTF-16 units, about 64 MB) an in-place write keeps between rendering
 * its changed pages and writing them; `AGORA_KEEP_RENDERED` sets another (tests: 0).
 */
const FRESH_BUDGET = 32 * 1024 * 1024;
const freshBudget = () => {
  const configured = Number(process.env.AGORA_KEEP_RENDERED);
  return Number.isInteger(configured) && configured >= 0 ? configured : FRESH_BUDGET;
};

/** Brings an output folder written by the previous build up to date, in place (see writeSite). */
export async function updateFolder(plan: Plan, guard: ProtectedFolders | undefined, beforeChange: () => Promise<void>): Promise<Written> {
  const { target, previous, files } = plan;
  if (guard) await assertOutputFolder(target, guard);
  const { present, foreign } = plan;
  // Every page whose key changed is rendered before the folder is touched, every problem found
  // (RenderFailures, and nothing is changed). What must be written is kept up to FRESH_BUDGET;
  // past it, a page is rendered again when written (a theme change at 10 000 essays held every
  // page: 1.1 GB).
  const changed = new Set<number>();
  const fresh = new Map<number, string>();
  let budget = freshBudget();
  const problems = new RenderProblems();
  const ceiling = heapCeiling();
  const entries = files.map((file, i): ManifestEntry => {
    ceiling();
    const before = previous!.files[file.path];
    if (file.key !== undefined && before?.key === file.key && typeof before.hash === 'string' && typeof before.indexed === 'boolean') return before;
    const contents = problems.take(file.render()) ?? '';
    const entry = { hash: contentsHash(contents), key: file.key ?? null, indexed: isIndexed(file.path, contents) };
    if (before?.hash !== entry.hash || !present.has(file.path)) {
      changed.add(i);
      if (contents.length <= budget) {
        fresh.set(i, contents);
        budget -= contents.length;
      }
    }
    return entry;
  });
  problems.throwIfAny();
  // A page is read back from the folder when its bytes have the hash it must have (a kept page,
  // or a changed one already written: reading is cheaper than rendering again), else rendered.
  const contentsOf = (i: number) => {
    ceiling();
    return fresh.get(i) ?? keptContents(path.join(target, files[i]!.path), entries[i]!.hash) ?? renderedOrThrow(files[i]!);
  };
  const { shards, hashes } = hashShards(files, entries, plan.shardCount);
  const publicFiles = await plan.publicFiles();
  await beforeChange();
  const expected = new Set<string>([OUTPUT_MARKER]);
  const made = new Set<string>();
  const write = async (file: string, contents: string | Uint8Array) => {
    ceiling();
    const destination = path.join(target, file);
    const folder = path.dirname(destination);
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    const temporary = `${destination}${TEMPORARY_FILE}${process.pid}`;
    await writeFile(temporary, contents);
    await rename(temporary, destination).catch(async (error: unknown) => {
      await rm(temporary, { force: true });
      throw error;
    });
  };
  for (const { file, destination } of publicFiles) {
    expected.add(destination);
    if (previous!.public?.[destination] === file.hash && present.has(destination)) continue;
    await write(destination, await readFile(file.source));
  }
  // A shard whose pages did not change, and whose bundle is still there, is kept; the others are indexed again.
  const same = previous!.search?.length === plan.shardCount;
  const kept = new Set(hashes.flatMap((shardHash, i) => (same && previous!.search![i] === shardHash && present.has(`${shardFolder(i)}pagefind-entry.json`) ? [i] : [])));
  for (const file of present) {
    const shard = shardOfPath(file);
    if (shard !== null && kept.has(shard)) expected.add(file);
  }
  const toIndex = shards.map((_, i) => i).filter((i) => !kept.has(i));
  const feed = toIndex.length ? searchFeed(toIndex, async (file, content) => {
    expected.add(file);
    await write(file, content);
  }) : null;
  try {
    const indexing = Promise.all(toIndex.flatMap((shard) => shards[shard]!.map((i) => feed!.add(shard, files[i]!.path, () => contentsOf(i)))));
    // Awaited below, after the writes: marked as handled meanwhile, so that a failure waits for it.
    indexing.catch(() => undefined);
    const toWrite = files.flatMap((file, i) => {
      expected.add(file.path);
      return changed.has(i) || !present.has(file.path) ? [i] : [];
    });
    await mapLimit(toWrite, FILE_CONCURRENCY, (i) => write(files[i]!.path, contentsOf(i)));
    await indexing;
    await feed?.finish();
    const marker = markerText(expected);
    if (keptContents(path.join(target, OUTPUT_MARKER), contentsHash(marker)) === null) await write(OUTPUT_MARKER, marker);
    removeStale(target, present, (file) => expected.has(file) || foreign.has(file));
    return {
      entries, shardHashes: hashes,
      report: { written: toWrite.length, unchanged: files.length - toWrite.length, searchReused: kept.size, searchIndexed: toIndex.length, paths: [...expected, ...foreign].sort() },
    };
  } catch (error) {
    await feed?.abort();
    throw error;
  }
}
