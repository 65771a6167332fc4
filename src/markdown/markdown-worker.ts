import { parentPort, workerData } from 'node:worker_threads';
import type { MarkdownOptions } from './processor.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/** A worker thread of the Markdown stage: renders its share of the jobs and sends them back. */
const { jobs, options } = workerData as { jobs: MarkdownJob[]; options: MarkdownOptions };
parentPort!.postMessage(jobs.map((job) => renderJob(job, options)));
