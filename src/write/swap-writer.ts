/** The swap writer: writes the whole site into a new folder beside the output, then puts it in its place. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import { searchShardOf } from '../graph/routes.js';
import { RenderProblems } from '../render/render-pages.js';
import { contentsHash, hashShards, type ManifestEntry } from './manifest.js';
import { assertOutputFolder, KEPT_ENTRIES, markerText, OUTPUT_MARKER, type ProtectedFolders } from './output-folder.js';
import { foldersOf, isDirectory, linkIfPresent, makeFolder, removeStale, TEMPORARY_PREFIX } from './output-files.js';
import { heapCeiling } from './heap-ceiling.js';
import { isIndexed, searchFeed } from './search-index.js';
import type { Plan, Written } from './write-site.js';

/**
 * Writes the site into a new folder beside the output, then swaps it in (see writeSite). Pages
 * are rendered as they are written, and each essay is sent to the search index at once: memory
 * holds the pages under way, and Pagefind works while this process renders.
 */
export async function replaceFolder(plan: Plan, guard: ProtectedFolders | undefined, beforeChange: () => Promise<void>): Promise<Written> {
  const { target, previous, files, shardCount } = plan;
  const parent = path.dirname(target);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `${TEMPORARY_PREFIX}new-${suffix}`);
  const stale = path.join(parent, `${TEMPORARY_PREFIX}old-${suffix}`);
  await mkdir(fresh, { recursive: true });
  const shardList = Array.from({ length: shardCount }, (_, i) => i);
  const paths = new Set<string>([OUTPUT_MARKER, ...files.map((file) => file.path)]);
  const ceiling = heapCeiling();
  const feed = shardCount ? searchFeed(shardList, async (file, content) => {
    ceiling();
    paths.add(file);
    mkdirSync(path.dirname(path.join(fresh, file)), { recursive: true });
    await writeFile(path.join(fresh, file), content);
  }) : null;
  try {
    // Folders are made synchronously: thousands of them through the thread pool cost ten times more.
    for (const folder of foldersOf(files.map((file) => file.path))) makeFolder(path.join(fresh, folder));
    const entries: ManifestEntry[] = new Array(files.length);
    let unchanged = 0;
    // Each lane renders its page (synchronously, so pages reach the index in their order), sends
    // an essay to its shard, then writes or links the file and waits for the index to take it.
    // A page whose template fails is noted and skipped: every problem is found in this one pass,
    // and the new folder is dropped before the output is touched.
    const problems = new RenderProblems();
    // Files that could not be made (an unreadable photo) end the write at once, not after every page.
    let unmade: { error: unknown } | null = null;
    plan.publicFiles().catch((error: unknown) => { unmade = { error }; });
    await mapLimit(files, FILE_CONCURRENCY, async (file, i) => {
      if (unmade) throw unmade.error;
      ceiling();
      const contents = problems.take(file.render());
      if (contents === null) return;
      const entry: ManifestEntry = { hash: contentsHash(contents), key: file.key ?? null, indexed: isIndexed(file.path, contents) };
      entries[i] = entry;
      const indexed = entry.indexed && feed ? feed.add(searchShardOf(file.path, shardCount), file.path, contents) : null;
      indexed?.catch(() => undefined);
      if (previous?.files[file.path]?.hash === entry.hash && linkIfPresent(path.join(target, file.path), path.join(fresh, file.path))) unchanged += 1;
      else await writeFile(path.join(fresh, file.path), contents);
      await indexed;
    });
    problems.throwIfAny();
    await feed?.finish();
    // Copied last: the versions of photos and the cards may still be made meanwhile (WriteOptions.made).
    for (const { file, destination } of await plan.publicFiles()) {
      paths.add(destination);
      mkdirSync(path.dirname(path.join(fresh, destination)), { recursive: true });
      await copyFile(file.source, path.join(fresh, destination));
    }
    await writeFile(path.join(fresh, OUTPUT_MARKER), markerText(paths));
    if (guard) await assertOutputFolder(target, guard);
    await beforeChange();
    const hadPrevious = await isDirectory(target);
    const keeps = plan.foreign.size > 0 || KEPT_ENTRIES.some((name) => existsSync(path.join(target, name)));
    if (keeps) {
      // The folder holds what Agora did not write (.git, a file added by hand): it stays where it
      // is, and only Agora's own files are replaced or removed around it.
      mergeInto(fresh, target, paths, plan);
    } else {
      if (hadPrevious) await rename(target, stale);
      await rename(fresh, target);
      if (hadPrevious) rmSync(stale, { recursive: true, force: true });
    }
    return {
      entries, shardHashes: hashShards(files, entries, shardCount).hashes,
      report: { written: files.length - unchanged, unchanged, searchReused: 0, searchIndexed: shardCount, paths: [...paths, ...plan.foreign].sort() },
    };
  } catch (error) {
    await feed?.abort();
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Moves a freshly written site into an output folder that also holds what Agora did not write:
 * Agora's files that the new site no longer has are removed, each new file is renamed over its
 * old version, and everything else is left where it is. A build killed midway leaves a mix of
 * old and new files of Agora's own, which the next (full) build repairs.
 */
function mergeInto(fresh: string, target: string, paths: ReadonlySet<string>, plan: Plan): void {
  removeStale(target, plan.present, (file) => paths.has(file) || plan.foreign.has(file));
  for (const folder of foldersOf([...paths])) makeFolder(path.join(target, folder));
  for (const file of paths) renameSync(path.join(fresh, file), path.join(target, file));
  rmSync(fresh, { recursive: true, force: true });
}
