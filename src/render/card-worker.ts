import { parentPort, workerData } from 'node:worker_threads';
import type { CardView } from '../graph/cards.js';
import { drawCard } from './social-card.js';

/** A worker thread of the card stage: draws its share of the cards and sends each PNG back, in order. */
const { views } = workerData as { views: CardView[] };
for (const view of views) {
  const png = await drawCard(view);
  // Copied, not transferred: sharp's buffers are not always detachable, and a card is 40 kB.
  parentPort!.postMessage(png);
}
