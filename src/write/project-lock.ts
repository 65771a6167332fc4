import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { UsageError } from '../diagnostics/usage-error.js';

/** The lock of a project, beside its caches: `.cache/agora/verrou.lock` (a folder while held). */
export const LOCK_FILE = '.cache/agora/verrou';

/** How long a holder's lock stays fresh without being touched: past that it is a dead process's, and taken over. */
const STALE_MS = 10_000;
/** How long a build or an approval waits for another one to finish before giving up. */
const WAIT_MS = 10 * 60_000;
const RETRY_MS = 100;

/** The projects whose lock the current asynchronous context holds (a build called by an approval). */
const held = new AsyncLocalStorage<ReadonlySet<string>>();
/** In this process, who waits for each project's lock after whom. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `work` holding the project's lock, so that builds and approvals of one project run one
 * at a time, across processes too (issue 21: four `agora comments approve` at once built into
 * one dist/ together, crashed on each other's files and lost pages). The lock is a folder made
 * atomically (proper-lockfile) and touched while held; one left by a killed process goes stale
 * after 10 s and is taken over. Reentrant: an approval that builds already holds it.
 */
export async function withProjectLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const project = path.resolve(root);
  const mine = held.getStore();
  if (mine?.has(project)) return work();
  const before = queues.get(project) ?? Promise.resolve();
  let done!: () => void;
  const turn = before.then(() => new Promise<void>((resolve) => { done = resolve; }));
  queues.set(project, turn);
  await before;
  try {
    const file = path.join(project, LOCK_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(file, {
        realpath: false, stale: STALE_MS,
        retries: { retries: WAIT_MS / RETRY_MS, factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS },
        // A lock taken over while held (the machine slept past STALE_MS): say so, and go on.
        onCompromised: () => process.stderr.write(`Attention : le verrou ${LOCK_FILE}.lock a été repris par un autre processus.\n`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      throw new UsageError(`Une autre construction ou approbation de ce projet dure depuis plus de ${WAIT_MS / 60_000} minutes (verrou ${LOCK_FILE}.lock) : attendez qu'elle finisse, ou supprimez ce dossier si aucun processus d'Agora ne tourne.`);
    }
    try {
      return await held.run(new Set([...(mine ?? []), project]), work);
    } finally {
      await release().catch(() => undefined);
    }
  } finally {
    done();
    if (queues.get(project) === turn) queues.delete(project);
  }
}
