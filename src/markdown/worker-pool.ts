import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MarkdownOptions, RenderedMarkdown } from './processor.js';
import { renderJob, type MarkdownJob } from './render-content.js';

/** Below this many bodies, starting threads costs more than it saves. */
export const PARALLEL_THRESHOLD = 64;

/** Splits jobs into `count` shares of about the same total length (longest first, to the lightest share). */
export function balance(jobs: readonly MarkdownJob[], count: number): number[][] {
  const shares = Array.from({ length: count }, () => ({ size: 0, indexes: [] as number[] }));
  const order = jobs.map((job, index) => ({ index, size: job.body.length })).sort((a, b) => b.size - a.size || a.index - b.index);
  for (const { index, size } of order) {
    const lightest = shares.reduce((best, share) => (share.size < best.size ? share : best));
    lightest.size += size;
    lightest.indexes.push(index);
  }
  return shares.map((share) => share.indexes);
}

/**
 * Renders jobs over all cores: one share on this thread, the others in worker threads. The
 * result is the same as rendering in order on one thread. Falls back to one thread for small
 * batches, one core, `AGORA_THREADS=1`, or when running from TypeScript sources (tests).
 */
export async function renderInParallel(jobs: readonly MarkdownJob[], options: MarkdownOptions, threads = defaultThreads()): Promise<RenderedMarkdown[]> {
  const workerFile = new URL('./markdown-worker.js', import.meta.url);
  const usable = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerFile));
  if (threads < 2 || jobs.length < PARALLEL_THRESHOLD || !usable) return jobs.map((job) => renderJob(job, options));
  const shares = balance(jobs, threads);
  const results: RenderedMarkdown[] = new Array(jobs.length);
  const inWorkers = shares.slice(1).map((indexes) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { jobs: indexes.map((i) => jobs[i]), options } });
    worker.once('message', (rendered: RenderedMarkdown[]) => {
      rendered.forEach((result, n) => { results[indexes[n]!] = result; });
      resolve();
      void worker.terminate();
    });
    worker.once('error', reject);
  }));
  for (const index of shares[0]!) results[index] = renderJob(jobs[index]!, options);
  await Promise.all(inWorkers);
  return results;
}

function defaultThreads(): number {
  const configured = Number(process.env.AGORA_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}
