import * as pagefind from 'pagefind';
import { routes } from '../graph/routes.js';

/** True for a page Pagefind indexes: an essay, marked `data-pagefind-body`. */
export function isIndexed(path: string, contents: string): boolean {
  return path.endsWith('.html') && contents.includes('data-pagefind-body');
}

/** Where a shard's bundle goes in the output folder: `pagefind/`, `pagefind/morceau-1/`… */
export function shardFolder(index: number): string {
  return routes.searchBundle(index).slice(1);
}

/** What a merged shard needs; the UI's scripts and the WebAssembly come from the first shard. */
const MERGED_SHARD_FILE = /^(pagefind-entry\.json|[^/]+\.pf_meta|(index|fragment|filter)\/.+)$/;

/** Indexes pages as they come (see searchFeed). */
export interface SearchFeed {
  /** Sends a page to its shard's index, after the pages given before it; resolves once Pagefind has it. */
  add(shard: number, path: string, contents: string | (() => string)): Promise<void>;
  /** Waits for every page, writes each bundle through `write`; returns how many pages were indexed. */
  finish(): Promise<number>;
  /** Ends the feed after a failure, deleting its indexes from Pagefind's service. */
  abort(): Promise<void>;
}

/**
 * Indexes the pages of the shards named, each shard into its own Pagefind bundle, from memory, in
 * the language of `<html lang>` (French stemming and accent folding). Pages are sent as they are
 * rendered, so Pagefind's process works while this one renders and writes; within a shard they
 * are sent one at a time, in the order given (sent concurrently, pages are numbered in the order
 * Pagefind finishes them, and the index is no longer byte-identical from one build to the next).
 * A shard that gets no page still gets its (empty) bundle. The files are taken from Pagefind in
 * memory and handed to `write` (path in the output, bytes): letting it write them itself raced
 * with close() on a loaded machine (a fresh-clone CI run once got a truncated pagefind-ui.js).
 */
export function searchFeed(shards: readonly number[], write: (file: string, content: Uint8Array) => Promise<void>): SearchFeed {
  const indexes = new Map<number, Promise<pagefind.PagefindIndex>>();
  const chains = new Map<number, Promise<void>>();
  let count = 0;
  const indexOf = (shard: number) => {
    let index = indexes.get(shard);
    if (!index) {
      index = createIndex().then(({ index: created, errors }) => {
        if (!created || errors.length) throw new Error(`Pagefind : ${errors.join(' ; ')}`);
        return created;
      });
      indexes.set(shard, index);
    }
    return index;
  };
  return {
    add(shard, path, contents) {
      // Site-relative: Pagefind's script puts the base path in front itself, taken from where
      // its bundle is served (indexing `/carnets/essais/x/` gave `/carnets/carnets/essais/x/`).
      const url = '/' + path.replace(/index\.html$/, '');
      const added = (chains.get(shard) ?? Promise.resolve()).then(async () => {
        // Given as a function, the page is read or rendered only when its turn comes: a shard holds one page at a time.
        const result = await (await indexOf(shard)).addHTMLFile({ url, content: typeof contents === 'function' ? contents() : contents });
        if (result.errors.length) throw new Error(`Pagefind : ${result.errors.join(' ; ')}`);
        count += 1;
      });
      chains.set(shard, added);
      return added;
    },
    async finish() {
      for (const shard of shards) {
        await chains.get(shard);
        const index = await indexOf(shard);
        const output = await index.getFiles();
        if (output.errors.length) throw new Error(`Pagefind : ${output.errors.join(' ; ')}`);
        for (const file of [...output.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
          if (shard !== 0 && !MERGED_SHARD_FILE.test(file.path)) continue;
          await write(`${shardFolder(shard)}${file.path}`, file.content);
        }
        await index.deleteIndex();
      }
      return count;
    },
    async abort() {
      await Promise.allSettled([...chains.values()]);
      // The service outlives the build: an index left in it would stay in its memory.
      await Promise.allSettled([...indexes.values()].map(async (index) => (await index).deleteIndex()));
    },
  };
}

/**
 * A new index in Pagefind's service. Pagefind's node API has one service per process, and it is
 * never closed: Pagefind unreferences its process while no request is pending, so it never keeps
 * Node alive, and the process ends with Node's (its input closes). `agora dev`, the comment
 * server and the tests, which build many times in one process, thus start Pagefind once instead
 * of once per build (149 starts in the test suite, each a fork of a large process), and builds
 * running at the same time share it (closed by the first to finish, it failed the others with
 * « Pagefind backend closed »). Its process may have ended since the last build (killed, out of
 * memory): a dead service refuses every request, and is then replaced, once.
 */
async function createIndex(): Promise<pagefind.NewIndexResponse> {
  try {
    return await pagefind.createIndex({});
  } catch {
    await pagefind.close();
    return pagefind.createIndex({});
  }
}
