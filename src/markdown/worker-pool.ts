import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { usableCores } from '../concurrency.js';
import { contentError } from '../diagnostics/diagnostic.js';
import { failed, type MarkdownOptions, type RenderedMarkdown } from './options.js';
import type { MarkdownJob } from './render-job.js';

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

/** How renderInParallel runs: on how many threads, with which worker file, and what it keeps of each result. */
export interface ParallelOptions<T> {
  threads?: number;
  workerFile?: URL;
  /**
   * What to keep of each result, called as soon as it arrives (the Markdown store writes its
   * HTML to a file and keeps the rest): the pool never holds more rendered bodies than a batch.
   */
  keep: (result: RenderedMarkdown, index: number) => T;
}

const MARKDOWN_WORKER = new URL('./markdown-worker.js', import.meta.url);

/**
 * Renders jobs over all cores, one share per worker thread. The result is the same as
 * rendering in order on one thread. Falls back to one thread for small
 * batches, one core, `AGORA_THREADS=1`, or when running from TypeScript sources (no worker file).
 */
export async function renderInParallel<T = RenderedMarkdown>(jobs: readonly MarkdownJob[], options: MarkdownOptions, parallel: Partial<ParallelOptions<T>> = {}): Promise<T[]> {
  const { threads = usableCores(), workerFile = MARKDOWN_WORKER } = parallel;
  const keep = parallel.keep ?? ((result: RenderedMarkdown) => result as T);
  const usable = usableWorker(workerFile);
  const results: T[] = new Array(jobs.length);
  const watched = usable ? jobs.flatMap((job, index) => (job.body.length > WATCHED_LENGTH ? [index] : [])) : [];
  if (watched.length) {
    // Long bodies are rendered alone under a time limit; the others as usual, then both merged.
    const others = jobs.flatMap((job, index) => (job.body.length > WATCHED_LENGTH ? [] : [index]));
    const rendered = await renderInParallel(others.map((i) => jobs[i]!), options, { threads, workerFile, keep: (result, n) => keep(result, others[n]!) });
    others.forEach((index, n) => { results[index] = rendered[n]!; });
    for (const index of watched) results[index] = keep(await renderWatched(workerFile, jobs[index]!, options), index);
    return results;
  }
  const put = (index: number, result: RenderedMarkdown) => { results[index] = keep(result, index); };
  const early = workerFile === MARKDOWN_WORKER ? takeWarmWorker() : null;
  if (threads < 2 || jobs.length < PARALLEL_THRESHOLD || !usable) {
    // A few bodies: in the worker started early if there is one (a build), else here (agora dev, whose remark is loaded and warm).
    if (early) await renderShare(workerFile, jobs, jobs.map((_, index) => index), options, put, early);
    else await renderHere(jobs, options, put);
    return results;
  }
  // Every share in a worker of its own, none on this thread: the garbage of remark's trees then
  // grows each worker's heap, not this one, which holds the site (10 000 essays: the process's
  // peak 1.24 → 0.82 GB, the stage no slower), and this thread is free to store the results.
  await Promise.all(balance(jobs, threads).map((indexes, share) => renderShare(workerFile, jobs, indexes, options, put, share === 0 ? early : null)));
  return results;
}

/** Renders jobs on this thread, loading remark if it is not yet (render-job.ts). */
async function renderHere(jobs: readonly MarkdownJob[], options: MarkdownOptions, put: (index: number, result: RenderedMarkdown) => void): Promise<void> {
  const { renderJob } = await import('./render-job.js');
  jobs.forEach((job, index) => put(index, renderJob(job, options)));
}

/** True when the worker file exists: compiled, not run from TypeScript sources. */
function usableWorker(workerFile: URL): boolean {
  return workerFile.pathname.endsWith('.js') && existsSync(fileURLToPath(workerFile));
}

/** A Markdown worker started before its jobs were known (startWorkerEarly), for the next call of renderInParallel. */
let warm: Worker | null = null;

/**
 * Starts a Markdown worker now, so that it loads remark and micromark (~250 modules) while
 * this thread reads the caches and validates: a build with a few bodies to render (one essay
 * changed) renders them there, and its own thread never loads them; a cold build uses it as
 * one of its workers. Does nothing on one core, from TypeScript sources, or when one is waiting
 * already. Unused, it does not keep the process alive.
 */
export function startWorkerEarly(): void {
  if (warm || usableCores() < 2 || !usableWorker(MARKDOWN_WORKER)) return;
  const worker = new Worker(MARKDOWN_WORKER, { workerData: { options: null }, resourceLimits: WORKER_LIMITS });
  worker.unref();
  // Until it is taken, a failure to start only means it is not used.
  const forget = () => { if (warm === worker) warm = null; };
  worker.once('error', forget);
  worker.once('exit', forget);
  warm = worker;
}

function takeWarmWorker(): Worker | null {
  const worker = warm;
  warm = null;
  worker?.ref();
  return worker;
}

/**
 * Renders jobs in one worker thread, never on this one: a server renders strangers' comments
 * off its request path (issue 21: sixty hostile comments rendered on the main thread made the
 * moderation page take 6 s, and every other request wait as long). Past `timeoutMs` the worker
 * is stopped and the bodies not yet answered are refused. From TypeScript sources, where
 * no worker file exists, they are rendered here.
 */
export async function renderAside(jobs: readonly MarkdownJob[], options: MarkdownOptions, timeoutMs = options.timeoutMs, workerFile = MARKDOWN_WORKER): Promise<RenderedMarkdown[]> {
  const results: RenderedMarkdown[] = [];
  if (!usableWorker(workerFile)) {
    await renderHere(jobs, options, (_, result) => results.push(result));
    return results;
  }
  try {
    await runWorker(workerFile, [...jobs], options, timeoutMs, (batch) => { results.push(...batch); });
  } catch (error) {
    for (const job of jobs.slice(results.length)) {
      results.push(failed(contentError(job.file, { line: job.bodyLine, column: 1 }, 'markdown/too-slow',
        `Ce texte n'a pas pu être converti en HTML à temps (${(error as Error).message}).`, 'Lisez le fichier lui-même, ou rejetez le commentaire.')));
    }
  }
  return results;
}

/**
 * Bodies longer than this (in UTF-16 units, about 64 KiB) are rendered each in a worker of its
 * own, stopped after `options.timeoutMs` (site.yml `limits.markdownSeconds`, 20 s by default). micromark's time grows with the square of some
 * constructs (a list of 65 000 items or 256 KiB of « [a]( » take 23-27 s here), so no size
 * limit alone bounds it; an essay of 40 000 words renders in well under a second. Below this
 * length the worst case measured takes about 2 s.
 */
export const WATCHED_LENGTH = 64 * 1024;

/** Renders one long body in its own worker; past the time limit the worker is stopped and the body refused. */
async function renderWatched(workerFile: URL, job: MarkdownJob, options: MarkdownOptions): Promise<RenderedMarkdown> {
  try {
    let result: RenderedMarkdown | undefined;
    await runWorker(workerFile, [job], options, options.timeoutMs, ([first]) => { result = first; });
    return result!;
  } catch (error) {
    return failed(contentError(job.file, { line: job.bodyLine, column: 1 }, (error as Error).message === TIMED_OUT ? 'markdown/too-slow' : 'markdown/failed',
      (error as Error).message === TIMED_OUT
        ? `Ce texte n'a pas pu être converti en HTML en ${options.timeoutMs / 1000}\u00A0s (limits.markdownSeconds dans content/site.yml) : certaines constructions (très longues listes, crochets ou liens ouverts par milliers) coûtent le carré de leur nombre.`
        : `Ce texte n'a pas pu être converti en HTML : le fil de conversion s'est arrêté (${(error as Error).message}).`,
      'Simplifiez le texte ou répartissez-le en plusieurs essais, puis reconstruisez.'));
  }
}

const TIMED_OUT = 'délai dépassé';

/** Jobs sent to a worker at a time, and results sent back. */
const BATCH = 32;

/** Memory a Markdown worker may use: past it, the worker dies and its jobs are retried, not the build. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 1536, stackSizeMb: 8 };

/**
 * Renders a share of the jobs in a worker, which sends its results back a batch at a time. A
 * worker that dies (out of memory, a crash, an exit without a word) is never waited for: what it
 * sent is kept, the rest of its share is split in two and each half retried in a fresh worker,
 * until the job that kills it stands alone and becomes an error on its file.
 */
async function renderShare(workerFile: URL, jobs: readonly MarkdownJob[], indexes: number[], options: MarkdownOptions, put: (index: number, result: RenderedMarkdown) => void, started: Worker | null = null): Promise<void> {
  let done = 0;
  try {
    await runWorker(workerFile, indexes.map((i) => jobs[i]!), options, undefined, (batch) => {
      for (const result of batch) put(indexes[done++]!, result);
    }, started);
  } catch (error) {
    const rest = indexes.slice(done);
    if (rest.length === 1 && done === 0) {
      const job = jobs[rest[0]!]!;
      put(rest[0]!, failed(contentError(job.file, { line: job.bodyLine, column: 1 }, 'markdown/failed',
        `Ce texte n'a pas pu être converti en HTML : le fil de conversion s'est arrêté (${(error as Error).message}).`,
        'Simplifiez le texte (taille, imbrications), puis reconstruisez.')));
      return;
    }
    // One job left after others were answered is retried alone (the second half is then empty).
    const half = Math.ceil(rest.length / 2);
    await renderShare(workerFile, jobs, rest.slice(0, half), options, put);
    await renderShare(workerFile, jobs, rest.slice(half), options, put);
  }
}

/**
 * One worker thread for a list of jobs (`started`, or a new one): hands each batch of results
 * to `onBatch` as it comes, resolves once every job is answered, rejects if the worker ends any
 * other way.
 */
function runWorker(workerFile: URL, jobs: MarkdownJob[], options: MarkdownOptions, timeoutMs: number | undefined, onBatch: (results: RenderedMarkdown[]) => void, started: Worker | null = null): Promise<void> {
  if (!jobs.length) {
    void started?.terminate();
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const worker = started ?? new Worker(workerFile, { workerData: { options }, resourceLimits: WORKER_LIMITS });
    // A worker started early learns its options now; messages wait in its port until it listens.
    if (started) worker.postMessage({ options });
    let settled = false;
    let answered = 0;
    // Jobs go a batch at a time, two batches ahead of the answers: the thread always has work,
    // and holds a few batches of bodies instead of its whole share (10 000 essays: two copies of
    // half the site's text).
    let sent = 0;
    const send = () => {
      while (sent < jobs.length && sent - answered < 2 * BATCH) {
        worker.postMessage(jobs.slice(sent, sent + BATCH));
        sent += BATCH;
      }
    };
    let timer: NodeJS.Timeout | null = null;
    // The time limit counts from the worker's first message, sent once its modules are loaded: it
    // bounds the conversion, not the start of a thread on a busy machine.
    const startClock = () => {
      if (timeoutMs === undefined || timer) return;
      timer = setTimeout(() => {
        if (!settled) reject(new Error(TIMED_OUT));
        settled = true;
        void worker.terminate();
      }, timeoutMs);
    };
    worker.once('exit', () => { if (timer) clearTimeout(timer); });
    worker.on('message', (batch: RenderedMarkdown[]) => {
      startClock();
      if (settled) return;
      onBatch(batch);
      answered += batch.length;
      send();
      if (answered < jobs.length) return;
      settled = true;
      resolve();
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`fin du fil avec le code ${code}`));
      settled = true;
    });
    // The first batches go now: they wait in the worker's port until its modules are loaded.
    send();
  });
}

/** How many threads a batch of `count` bodies is rendered on (for the progress line). */
export function threadsFor(count: number, threads = usableCores()): number {
  return threads < 2 || count < PARALLEL_THRESHOLD ? 1 : threads;
}


