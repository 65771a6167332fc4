import { parentPort, workerData } from 'node:worker_threads';
import type { CardView } from '../graph/cards.js';
import { drawCard } from './social-card.js';

/** A worker thread of the card stage: draws its share of the cards and sends each PNG back, in order. */
const { views } = workerData as { views: CardView[] };
for (const view of views) {
  const png = await drawCard(view);
  parentPort!.postMessage(png, [png.buffer as ArrayBuffer]);
}
