import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { usableCores } from '../concurrency.js';
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

/** What a page sent to the index may be: its text, or a function that gives it when its turn comes. */
type PageContents = string | (() => string);

const SEARCH_WORKER = new URL('./search-worker.js', import.meta.url);

/**
 * Indexes the pages of the shards named, each shard into its own Pagefind bundle (see
 * serviceFeed), spread over as many Pagefind services as there are cores and shards. Pagefind's
 * service indexes one page at a time, about 4.6 ms each: with one service, 1000 essays kept a
 * core busy for ~6 s while the other waited. The first service is this thread's; each other
 * one is started by a worker thread of its own (search-worker.ts), since Pagefind's node API
 * has one service per module instance. A shard's bundle does not depend on the service that
 * made it, so the output is the same for any number of them (tests/write/search-shards.test.ts);
 * from TypeScript sources, where there is no worker file, there is one.
 */
export function searchFeed(shards: readonly number[], write: (file: string, content: Uint8Array) => Promise<void>): SearchFeed {
  const count = Math.min(usableCores(), shards.length);
  if (count < 2 || !existsSync(fileURLToPath(SEARCH_WORKER))) return serviceFeed(shards, write);
  const groups = Array.from({ length: count }, (_, service) => shards.filter((_, i) => i % count === service));
  const feeds = groups.map((group, service) => (service === 0 ? serviceFeed(group, write) : workerFeed(group, write)));
  const feedOf = new Map(groups.flatMap((group, service) => group.map((shard) => [shard, feeds[service]!] as const)));
  return {
    add: (shard, path, contents) => feedOf.get(shard)!.add(shard, path, contents),
    async finish() {
      const done = await Promise.allSettled(feeds.map((feed) => feed.finish()));
      const failure = done.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      return done.reduce((sum, result) => sum + (result as PromiseFulfilledResult<number>).value, 0);
    },
    async abort() {
      await Promise.allSettled(feeds.map((feed) => feed.abort()));
    },
  };
}

/** A message of search-worker.ts. */
export type SearchWorkerReply =
  | { type: 'added'; id: number; error?: string }
  | { type: 'file'; file: string; content: Uint8Array }
  | { type: 'finished'; count?: number; error?: string };

/**
 * The shards of one Pagefind service in a worker thread (search-worker.ts). Within a shard, a
 * page is rendered and sent only once the worker has taken the one before, as serviceFeed does
 * in this thread: a shard holds one page at a time, and pages keep their order. The bundles'
 * files come back one by one and go through `write` in order.
 */
function workerFeed(shards: readonly number[], write: (file: string, content: Uint8Array) => Promise<void>): SearchFeed {
  const worker = new Worker(SEARCH_WORKER, { workerData: { shards: [...shards] } });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const chains = new Map<number, Promise<void>>();
  let finished: { resolve: (count: number) => void; reject: (error: Error) => void } | null = null;
  let writing = Promise.resolve();
  let ended: Error | null = null;
  let next = 0;
  const end = (error: Error) => {
    ended ??= error;
    for (const { reject } of pending.values()) reject(ended);
    pending.clear();
    finished?.reject(ended);
  };
  worker.on('message', (message: SearchWorkerReply) => {
    if (message.type === 'added') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve();
    } else if (message.type === 'file') {
      writing = writing.then(() => write(message.file, message.content));
      // Its failure is told by finish(), not as an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    } else if (message.error) {
      finished?.reject(new Error(message.error));
    } else {
      const count = message.count ?? 0;
      writing.then(() => finished?.resolve(count), (error: Error) => finished?.reject(error));
    }
  });
  worker.once('error', end);
  worker.once('exit', (code) => end(new Error(`Pagefind : le fil de l'index de recherche s'est arrêté (code ${code}).`)));
  return {
    add(shard, path, contents: PageContents) {
      const added = (chains.get(shard) ?? Promise.resolve()).then(() => new Promise<void>((resolve, reject) => {
        if (ended) return reject(ended);
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'add', id, shard, path, contents: typeof contents === 'function' ? contents() : contents });
      }));
      chains.set(shard, added);
      return added;
    },
    async finish() {
      try {
        await Promise.all(chains.values());
        return await new Promise<number>((resolve, reject) => {
          if (ended) return reject(ended);
          finished = { resolve, reject };
          worker.postMessage({ type: 'finish' });
        });
      } finally {
        await worker.terminate();
      }
    },
    async abort() {
      await Promise.allSettled([...chains.values()]);
      // Its service, a process of its own, ends with its input when the thread is stopped.
      await worker.terminate();
    },
  };
}

/**
 * Indexes the pages of the shards named in this thread's Pagefind service (search-worker.ts runs
 * one in another thread), each shard into its own Pagefind bundle, from memory, in
 * the language of `<html lang>` (French stemming and accent folding). Pages are sent as they are
 * rendered, so Pagefind's process works while this one renders and writes; within a shard they
 * are sent one at a time, in the order given (sent concurrently, pages are numbered in the order
 * Pagefind finishes them, and the index is no longer byte-identical from one build to the next).
 * A shard that gets no page still gets its (empty) bundle. The files are taken from Pagefind in
 * memory and handed to `write` (path in the output, bytes): letting it write them itself raced
 * with close() on a loaded machine (a fresh-clone CI run once got a truncated pagefind-ui.js).
 */
export function serviceFeed(shards: readonly number[], write: (file: string, content: Uint8Array) => Promise<void>): SearchFeed {
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

/** This thread's Pagefind service being started (startSearchService), or null. */
let starting: Promise<void> | null = null;

/**
 * Starts this thread's Pagefind service and has it index one small French page, while the build
 * compiles: the service's process then starts (~30 ms) and warms up on its first page (~15 ms)
 * on the other core, not when the writer sends it the first essay. A build with one essay
 * changed writes one shard, indexed here. Once per process: `agora dev`, the comment server
 * and the tests keep the service between builds. A failure here only means the service is
 * started later, by the first index (createIndex).
 */
export function startSearchService(): void {
  starting ??= pagefind.createIndex({}).then(async ({ index }) => {
    if (!index) return;
    await index.addHTMLFile({ url: '/', content: '<html lang="fr"><body data-pagefind-body><p>Essai de démarrage.</p></body></html>' });
    await index.deleteIndex();
  }).catch(() => undefined);
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
  await starting;
  try {
    return await pagefind.createIndex({});
  } catch {
    await pagefind.close();
    return pagefind.createIndex({});
  }
}
