import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { storeFiles } from '../cache/file-store.js';
import { cardKey } from '../cache/keys.js';
import { mapLimit, runInProcess } from '../concurrency.js';
import { availableParallelism } from 'node:os';
import type { CardView, SocialCard } from '../graph/cards.js';
import type { HashedFile } from '../load/public-hashes.js';

/** A card to draw: what it shows, and the file of its cover photo, if any (cut to its panel where the card is drawn). */
interface Drawable {
  view: CardView;
  cover: string | null;
}

/**
 * Draws the cards a build needs into `folder` (`.cache/agora/cartes/`, or a temporary folder
 * without cache), each under its key (cache/file-store.ts: what it shows, and the bytes of its
 * cover through their hash among `publicFiles`): an edit of an essay's body draws nothing, an
 * edit of its title or of its cover photo one card. Cards no build uses are removed. The cards
 * come back as files to copy into the site, as public/'s are.
 */
export async function prepareCards(cards: readonly SocialCard[], folder: string, publicFiles: ReadonlyMap<string, HashedFile> = new Map()): Promise<{ files: HashedFile[]; drawn: number }> {
  const coverOf = (card: SocialCard) => (card.view.cover ? publicFiles.get(card.view.cover) ?? null : null);
  const stored = await storeFiles(folder, cards.map((card) => ({ key: cardKey({ ...card.view, cover: coverOf(card)?.hash ?? null }), extension: 'png' })),
    (missing, keep) => drawAll(missing.map((i) => ({ view: cards[i]!.view, cover: coverOf(cards[i]!)?.source ?? null })), keep), { prune: true });
  return { files: stored.files.map((file, i) => ({ path: `public${cards[i]!.url}`, ...file })), drawn: stored.made };
}

/** Below this many cards, drawing them here costs less than starting the processes. */
const PARALLEL_CARDS = 16;

/** The drawing process's module, compiled beside this one; absent when Agora runs from its TypeScript sources, which then draws here. */
const CARD_WORKER = new URL('../render/card-worker.js', import.meta.url);
const CAN_FORK = existsSync(fileURLToPath(CARD_WORKER));

/**
 * At most this many cards per drawing process: a process grows as it draws (≈ 0.2 MB a card,
 * 130 → 240 MB over 500 cards; 1.3 GB for the 5 000 of each process at 10 000 essays), and
 * what it took goes back to the system when it ends. Starting one costs ≈ 0.3 s, ≈ 3 % of 500 cards.
 */
const CARDS_PER_PROCESS = 500;
/** CARDS_PER_PROCESS, or what `AGORA_CARDS_PER_PROCESS` says (tests: a few, to see many processes in turn). */
const cardsPerProcess = () => {
  const configured = Number(process.env.AGORA_CARDS_PER_PROCESS);
  return Number.isInteger(configured) && configured > 0 ? configured : CARDS_PER_PROCESS;
};

/**
 * Draws cards on every core: as many processes at a time as there are cores (render/card-worker.ts
 * says why not threads), each with a share of at most CARDS_PER_PROCESS, since a card costs about
 * 18 ms (satori and sharp are loaded only when a card is to be drawn).
 */
async function drawAll(views: readonly Drawable[], keep: (n: number, png: Uint8Array) => void): Promise<void> {
  // Nothing to draw (cards off, or all in the cache): satori and sharp are not even loaded.
  if (!views.length) return;
  const processes = CAN_FORK ? Math.min(availableParallelism(), Math.ceil(views.length / PARALLEL_CARDS)) : 1;
  if (processes < 2) {
    const { drawCards } = await import('../render/social-card.js');
    let n = 0;
    await drawCards(views, (png) => keep(n++, png));
    return;
  }
  const size = Math.min(cardsPerProcess(), Math.ceil(views.length / processes));
  const starts = Array.from({ length: Math.ceil(views.length / size) }, (_, i) => i * size);
  // Each card is kept (written) as it comes: 10 001 cards held until the last, ≈ 400 MB.
  await mapLimit(starts, processes, async (start) => {
    let n = start;
    await runInProcess<Uint8Array>(CARD_WORKER, { cards: views.slice(start, start + size) }, Math.min(size, views.length - start), (png) => keep(n++, png), 'dessine les cartes');
  });
}
