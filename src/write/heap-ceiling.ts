import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How far the heap may grow past where it stood when the ceiling was set (or last collected)
 * before a full collection. At 10 000 essays, 64 MB keeps the write stage at 0.50-0.53 GB
 * against 0.55-0.63 GB with 128 MB, for no time measurable above the noise (5 December).
 */
const STEP_BYTES = 64 * 1024 * 1024;

/** A heap this large is collected before a stage that lets much go: smaller sites never pay for it. */
const LARGE_HEAP_BYTES = 128 * 1024 * 1024;

let collect: (() => void) | null | undefined;

/**
 * V8's full collector, made available at run time: `--expose-gc` set now reaches the contexts
 * made after it (as the `expose-gc` npm package does). null if this Node refuses it.
 */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

const used = () => getHeapStatistics().used_heap_size;

/**
 * A full collection now when the heap holds more than LARGE_HEAP_BYTES: a large site's next
 * stage then starts from what is alive, and the garbage of the stages before (among it the
 * Markdown texts a build lets go, letTextsGo) does not make V8 reserve more.
 */
export function collectLargeHeap(): void {
  if (used() > LARGE_HEAP_BYTES) collector()?.();
}

/**
 * A ceiling on the garbage of the write stage, to call after each page and search file. There,
 * rendered pages wait for Pagefind long enough to outlive V8's young generation and reach the
 * old one, which V8 collects only once it has grown to a multiple of what was alive: at 10 000
 * essays the heap went from 350 to 950 MB used while about 400 MB were alive. A full
 * collection whenever the heap has grown by `step` since the last one keeps it near what is
 * alive (measured at 10 000 essays: the write stage's process 1.27 GB → 0.65-0.80 GB, about
 * 2 s of collections in 55 s). A small site never grows by a step, and never pays for it.
 * With the Markdown texts let go (letTextsGo) and collected before (collectLargeHeap), the
 * write stage of 10 000 essays stays at 0.50-0.53 GB.
 */
export function heapCeiling(step = STEP_BYTES): (() => void) & { collections: number } {
  collectLargeHeap();
  let limit = used() + step;
  const check = Object.assign(() => {
    if (used() < limit) return;
    collector()?.();
    check.collections += 1;
    limit = used() + step;
  }, { collections: 0 });
  return check;
}
