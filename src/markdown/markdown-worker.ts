import { parentPort, workerData } from 'node:worker_threads';
import type { MarkdownOptions } from './options.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/**
 * A worker thread of the Markdown stage: renders each batch of jobs it is sent and sends the
 * results back, in order. The pool sends a batch at a time (worker-pool.ts), so the thread
 * holds a few batches of bodies, never its whole share.
 */
// A worker started before its options were known (startWorkerEarly) is sent them first.
let { options } = workerData as { options: MarkdownOptions | null };
parentPort!.on('message', (message: MarkdownJob[] | { options: MarkdownOptions }) => {
  if (!Array.isArray(message)) options = message.options;
  else parentPort!.postMessage(message.map((job) => renderJob(job, options!)));
});
// An empty first message says the thread is ready: the pool's time limit counts from it.
parentPort!.postMessage([]);
