import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { MarkdownOptions } from './options.js';
import type { MarkdownJob } from './render-job.js';

const NOW_WORKER = new URL('./render-now-worker.js', import.meta.url);

/** Time allowed to the worker to start, on top of the body's own limit. */
const START_MS = 30_000;

let thread: { worker: Worker; port: MessagePort; signal: Int32Array } | null = null;
let here: typeof import('./render-job.js') | null = null;

/**
 * From TypeScript sources (tests), where there is no worker file, renderNow renders on this
 * thread: its module is loaded now, since renderNow cannot wait for it.
 */
export async function prepareRenderNow(): Promise<void> {
  if (!existsSync(fileURLToPath(NOW_WORKER)) && !here) here = await import('./render-job.js');
}

/**
 * Renders one body and waits for it, synchronously, in a worker thread of its own (started the
 * first time, then kept): for the rare body whose cached HTML is found damaged while a page is
 * being rendered (markdown-store.ts), a moment that cannot wait for a promise. A build's own
 * thread thus never loads remark (render-job.ts), whose ~250 modules cost ~150 ms. The thread
 * waits on a shared counter (Atomics.wait) and reads the answer off the port
 * (receiveMessageOnPort), as synckit does. Throws if no answer comes in time.
 */
export function renderNow(job: MarkdownJob, options: MarkdownOptions): string {
  if (here) return here.renderJob(job, options).html;
  if (!thread) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(NOW_WORKER, { workerData: { port: port2, signal }, transferList: [port2] });
    worker.unref();
    port1.unref();
    thread = { worker, port: port1, signal };
  }
  const { port, signal } = thread;
  const seen = Atomics.load(signal, 0);
  port.postMessage({ job, options });
  Atomics.wait(signal, 0, seen, options.timeoutMs + START_MS);
  const answer = receiveMessageOnPort(port);
  if (!answer) {
    void thread.worker.terminate();
    thread = null;
    throw new Error(`Le texte de ${job.file} n'a pas pu être converti de nouveau en HTML (son HTML en cache était abîmé) : le fil de conversion n'a pas répondu.`);
  }
  return (answer.message as { html: string }).html;
}
