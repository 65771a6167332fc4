import { parentPort, workerData } from 'node:worker_threads';
import { serviceFeed, type SearchWorkerReply } from './search-index.js';

/**
 * A Pagefind service of its own, in a worker thread (search-index.ts's searchFeed): indexes the
 * pages of its shards as they are sent, in order, then sends each bundle's files back.
 */
const { shards } = workerData as { shards: number[] };
const reply = (message: SearchWorkerReply) => parentPort!.postMessage(message);
const feed = serviceFeed(shards, async (file, content) => reply({ type: 'file', file, content }));
parentPort!.on('message', (message: { type: 'add'; id: number; shard: number; path: string; contents: string } | { type: 'finish' }) => {
  if (message.type === 'add') {
    feed.add(message.shard, message.path, message.contents).then(
      () => reply({ type: 'added', id: message.id }),
      (error: Error) => reply({ type: 'added', id: message.id, error: error.message }));
  } else {
    feed.finish().then((count) => reply({ type: 'finished', count }), (error: Error) => reply({ type: 'finished', error: error.message }));
  }
});
