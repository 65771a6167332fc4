/**
 * A process of the card stage (write/card-files.ts forks it): gets its share of the cards in one
 * message, sends each PNG back in order, and ends when its parent lets it go. A process rather
 * than a thread, so that the native memory satori's renderer and sharp free goes back to the
 * system when it ends (glibc keeps it inside a process: images/encoder-process.ts).
 */
import type { CardView } from '../graph/cards.js';
import { drawCard } from './social-card.js';

process.once('message', async ({ cards }: { cards: { view: CardView; cover: Uint8Array | null }[] }) => {
  for (const { view, cover } of cards) {
    const png = await drawCard(view, cover);
    process.send!(png);
  }
});
