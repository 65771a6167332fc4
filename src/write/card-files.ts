import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storeFiles } from '../cache/file-store.js';
import { cardKey } from '../cache/keys.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CardView, SocialCard } from '../graph/cards.js';
import type { DigestedFile } from '../load/public-digests.js';

/**
 * Draws the cards a build needs into `folder` (`.cache/agora/cartes/`, or a temporary folder
 * without cache), each under its key (cache/file-store.ts): an edit of an essay's body draws
 * nothing and an edit of its title one card. Cards no build uses are removed. The cards come
 * back as files to copy into the site, as public/'s are.
 */
export async function prepareCards(cards: readonly SocialCard[], folder: string): Promise<{ files: DigestedFile[]; drawn: number }> {
  const stored = await storeFiles(folder, cards.map((card) => ({ key: cardKey(card.view), extension: 'png' })),
    (missing) => drawAll(missing.map((i) => cards[i]!.view)), { prune: true });
  return { files: stored.files.map((file, i) => ({ path: `public${cards[i]!.url}`, ...file })), drawn: stored.made };
}

/** Below this many cards, drawing them here costs less than starting the threads. */
const PARALLEL_CARDS = 16;

/** The worker's module, compiled beside this one; absent when Agora runs from its TypeScript (tests), which then draws here. */
const CARD_WORKER = new URL('../render/card-worker.js', import.meta.url);
const CAN_THREAD = existsSync(fileURLToPath(CARD_WORKER));

/**
 * Draws cards on every core: a worker thread per core, each with its share, since a card costs
 * about 18 ms (satori and sharp are loaded only when a card is to be drawn).
 */
async function drawAll(views: readonly CardView[]): Promise<Buffer[]> {
  // Nothing to draw (cards off, or all in the cache): satori and sharp are not even loaded.
  if (!views.length) return [];
  const threads = CAN_THREAD ? Math.min(availableParallelism(), Math.ceil(views.length / PARALLEL_CARDS)) : 1;
  if (threads < 2) {
    const { drawCard } = await import('../render/social-card.js');
    const pngs: Buffer[] = [];
    for (const view of views) pngs.push(await drawCard(view));
    return pngs;
  }
  const size = Math.ceil(views.length / threads);
  const shares = Array.from({ length: threads }, (_, i) => views.slice(i * size, (i + 1) * size)).filter((share) => share.length);
  const drawn = await Promise.all(shares.map((share) => new Promise<Buffer[]>((resolve, reject) => {
    const worker = new Worker(CARD_WORKER, { workerData: { views: share } });
    const pngs: Buffer[] = [];
    worker.on('message', (png: Uint8Array) => {
      pngs.push(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      if (pngs.length === share.length) {
        resolve(pngs);
        void worker.terminate();
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (pngs.length < share.length) reject(new Error(`fin du fil des cartes avec le code ${code}`)); });
  })));
  return drawn.flat();
}
