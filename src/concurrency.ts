import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Maps over items with at most `limit` operations under way: a site of 10 000 essays has tens of
 * thousands of files, and opening them all at once fails with EMFILE (too many open files).
 * Results keep the order of the items. After a failure no new item is started, and the first
 * error is thrown only once every operation under way has ended: nothing keeps writing after
 * the caller was told the work failed.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await map(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/** How many files are read or written at once. */
export const FILE_CONCURRENCY = 64;

/**
 * Runs a module in a Node process of its own (child_process.fork, structured-clone messages,
 * without this process's flags: --inspect or --cpu-prof are not the child's): sends it `job` in
 * one message, gives each of the `expected` messages it sends back to `received`, then lets it
 * go. Rejects, naming `what`, if it ends first. For native libraries whose freed memory glibc
 * keeps inside a process (sharp, satori's renderer): a process gives it back when it ends.
 */
export function runInProcess<T>(module: URL, job: unknown, expected: number, received: (message: T) => void, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(module), [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let count = 0;
    child.on('message', (message: T) => {
      received(message);
      if (++count === expected) {
        child.disconnect();
        resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (count < expected) reject(new Error(`le processus qui ${what} s'est arrêté (${signal ?? `code ${code}`}) avec ${count} des ${expected} résultats attendus`));
    });
    child.send(job as object);
  });
}

/** The cores Agora's work is spread over: AGORA_THREADS when set (1 forces one thread), else every core. */
export function usableCores(): number {
  const configured = Number(process.env.AGORA_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}
