import { workerData, type MessagePort } from 'node:worker_threads';
import type { MarkdownOptions } from './options.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/** The thread of renderNow (render-now.ts): renders each body it is sent, answers, then bumps the counter its caller waits on. */
const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
port.on('message', ({ job, options }: { job: MarkdownJob; options: MarkdownOptions }) => {
  port.postMessage({ html: renderJob(job, options).html });
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
