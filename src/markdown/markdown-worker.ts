import { parentPort, workerData } from 'node:worker_threads';
import type { MarkdownOptions } from './processor.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/**
 * A worker thread of the Markdown stage: renders each batch of jobs it is sent and sends the
 * results back, in order. The pool sends a batch at a time (worker-pool.ts), so the thread
 * holds a few batches of bodies, never its whole share.
 */
const { options } = workerData as { options: MarkdownOptions };
parentPort!.on('message', (jobs: MarkdownJob[]) => {
  parentPort!.postMessage(jobs.map((job) => renderJob(job, options)));
});
// An empty first message says the thread is ready: the pool's time limit counts from it.
parentPort!.postMessage([]);
