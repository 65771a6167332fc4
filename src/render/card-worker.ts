/**
 * A process of the card stage (write/card-files.ts forks it): gets its share of the cards in one
 * message, cuts their covers (each photo once) and sends each PNG back in order, then ends when
 * its parent lets it go. A process rather than a thread, so that the native memory satori's
 * renderer and sharp free goes back to the system when it ends (glibc keeps it inside a
 * process: images/encoder-process.ts).
 */
import type { CardView } from '../graph/cards.js';
import { coverCutter, drawCard } from './social-card.js';

process.once('message', async ({ cards }: { cards: { view: CardView; cover: string | null }[] }) => {
  const coverOf = coverCutter();
  for (const { view, cover } of cards) {
    const png = await drawCard(view, cover ? await coverOf(cover) : null);
    process.send!(png);
  }
});
