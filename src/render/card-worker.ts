import { parentPort, workerData } from 'node:worker_threads';
import type { CardView } from '../graph/cards.js';
import { drawCard } from './social-card.js';

/** A worker thread of the card stage: draws its share of the cards and sends each PNG back, in order. */
const { cards } = workerData as { cards: { view: CardView; cover: Uint8Array | null }[] };
for (const { view, cover } of cards) {
  const png = await drawCard(view, cover);
  // Copied, not transferred: sharp's buffers are not always detachable, and a card is 40 kB.
  parentPort!.postMessage(png);
}
