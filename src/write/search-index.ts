import * as pagefind from 'pagefind';
import { routes, searchShardOf } from '../graph/routes.js';
import type { OutputFile } from '../records.js';

/** True for a page Pagefind indexes: an essay, marked `data-pagefind-body`. */
export function isIndexed(file: OutputFile): boolean {
  return file.path.endsWith('.html') && file.contents.includes('data-pagefind-body');
}

/** The indexed pages (see isIndexed) of each search shard, in the order given. */
export function searchShards(indexed: readonly OutputFile[], shards: number): OutputFile[][] {
  const groups = Array.from({ length: shards }, () => [] as OutputFile[]);
  for (const file of indexed) groups[searchShardOf(file.path, shards)]!.push(file);
  return groups;
}

/** Where a shard's bundle goes in the output folder: `pagefind/`, `pagefind/morceau-1/`… */
export function shardFolder(index: number): string {
  return routes.searchBundle(index).slice(1);
}

/** What a merged shard needs; the UI's scripts and the WebAssembly come from the first shard. */
const MERGED_SHARD_FILE = /^(pagefind-entry\.json|[^/]+\.pf_meta|(index|fragment|filter)\/.+)$/;

/**
 * Indexes the essays of the shards named, each into its own Pagefind bundle, from memory, in the
 * language of `<html lang>` (French stemming and accent folding), and hands each file of the
 * bundles to `write` (its path in the output, its bytes). Pagefind runs in its own process, so
 * the caller can write the other files meanwhile.
 */
export async function indexSearch(shards: readonly OutputFile[][], which: readonly number[], write: (file: string, content: Uint8Array) => Promise<void>): Promise<number> {
  let count = 0;
  try {
    for (const shard of which) {
      const { index, errors } = await pagefind.createIndex({});
      if (!index || errors.length) throw new Error(`Pagefind : ${errors.join(' ; ')}`);
      // One at a time, in order: sent concurrently, pages are numbered in the order Pagefind
      // finishes them, and the index is no longer byte-identical from one build to the next.
      for (const file of shards[shard]!) {
        // Site-relative: Pagefind's script puts the base path in front itself, taken from where
        // its bundle is served (indexing `/carnets/essais/x/` gave `/carnets/carnets/essais/x/`).
        const added = await index.addHTMLFile({ url: '/' + file.path.replace(/index\.html$/, ''), content: file.contents });
        if (added.errors.length) throw new Error(`Pagefind : ${added.errors.join(' ; ')}`);
        count += 1;
      }
      // The files are taken from Pagefind in memory and written here, completely, before its
      // process is closed: letting it write them itself raced with close() on a loaded machine
      // (a fresh-clone CI run once got truncated pagefind-ui.js).
      const output = await index.getFiles();
      if (output.errors.length) throw new Error(`Pagefind : ${output.errors.join(' ; ')}`);
      for (const file of [...output.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        if (shard !== 0 && !MERGED_SHARD_FILE.test(file.path)) continue;
        await write(`${shardFolder(shard)}${file.path}`, file.content);
      }
      await index.deleteIndex();
    }
    return count;
  } finally {
    await pagefind.close();
  }
}
