import { parentPort, workerData } from 'node:worker_threads';
import type { MarkdownOptions } from './processor.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/** Results sent back at a time: the thread never holds more than this many rendered bodies. */
const BATCH = 32;

/** A worker thread of the Markdown stage: renders its share of the jobs and sends them back in order, a batch at a time. */
const { jobs, options } = workerData as { jobs: MarkdownJob[]; options: MarkdownOptions };
// An empty first batch says the thread is ready: the pool's time limit counts from it.
parentPort!.postMessage([]);
for (let start = 0; start < jobs.length; start += BATCH) {
  parentPort!.postMessage(jobs.slice(start, start + BATCH).map((job) => renderJob(job, options)));
}
