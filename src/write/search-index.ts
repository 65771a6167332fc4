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
  add(shard: number, path: string, contents: string): Promise<void>;
  /** Waits for every page, writes each bundle through `write`, and closes Pagefind; returns how many pages were indexed. */
  finish(): Promise<number>;
  /** Ends the feed after a failure (Pagefind's service is replaced before the next build). */
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
  const release = useService();
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
        const result = await (await indexOf(shard)).addHTMLFile({ url, content: contents });
        if (result.errors.length) throw new Error(`Pagefind : ${result.errors.join(' ; ')}`);
        count += 1;
      });
      chains.set(shard, added);
      return added;
    },
    async finish() {
      try {
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
        await release('ok');
        return count;
      } catch (error) {
        await release('failed');
        throw error;
      }
    },
    async abort() {
      // A build that failed elsewhere (a content error) leaves the service sound.
      const settled = await Promise.allSettled([...chains.values(), ...indexes.values()]);
      const broken = settled.some((result) => result.status === 'rejected');
      // The service outlives the build: an index left in it would stay in its memory.
      if (!broken) await Promise.allSettled([...indexes.values()].map(async (index) => (await index).deleteIndex()));
      await release(broken ? 'failed' : 'ok');
    },
  };
}

/**
 * A new index in Pagefind's service. The service is kept between builds, and its process may
 * have ended since the last one (killed, out of memory): then the service is replaced once.
 */
async function createIndex(): Promise<pagefind.NewIndexResponse> {
  try {
    return await pagefind.createIndex({});
  } catch {
    await pagefind.close();
    return pagefind.createIndex({});
  }
}

/** Feeds open in this process: Pagefind's node API has one service per process, shared by them. */
let feeds = 0;
/** Set when a feed failed: the service may be broken, and is replaced once no feed uses it. */
let failed = false;

/**
 * Counts a feed as a user of Pagefind's service and returns its release, to be called once
 * (later calls do nothing) with whether the feed failed. The service is kept between builds:
 * Pagefind unreferences its process while no request is pending, so it never keeps Node alive,
 * and the process ends with Node's (its input closes). `agora dev`, the comment server and the
 * tests, which build many times in one process, thus start Pagefind once instead of once per
 * build (149 starts in the test suite, each a fork of a large process). After a failure, the
 * service is closed when the last feed lets it go, and the next build starts a new one: a
 * service whose process died answers every later request with « Pagefind backend closed ».
 * Closed by the first build to finish, it had failed the others running at the same time.
 */
function useService(): (outcome: 'ok' | 'failed') => Promise<void> {
  feeds += 1;
  let released = false;
  return async (outcome) => {
    if (released) return;
    released = true;
    feeds -= 1;
    if (outcome === 'failed') failed = true;
    if (feeds === 0 && failed) {
      failed = false;
      await pagefind.close();
    }
  };
}
