/**
 * A process of the card stage (write/card-files.ts forks it): gets its share of the cards in one
 * message, cuts their covers (each photo once) and sends each PNG back in order, then ends when
 * its parent lets it go. A process rather than a thread, so that the native memory satori's
 * renderer and sharp free goes back to the system when it ends (glibc keeps it inside a
 * process: images/encoder-process.ts).
 */
import type { CardView } from '../graph/cards.js';
import { drawCards } from './social-card.js';

process.once('message', ({ cards }: { cards: { view: CardView; cover: string | null }[] }) => {
  void drawCards(cards, (png) => process.send!(png));
});
