import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { storeFiles } from '../cache/file-store.js';
import { cardKey } from '../cache/keys.js';
import { runInProcess } from '../concurrency.js';
import { availableParallelism } from 'node:os';
import type { CardView, SocialCard } from '../graph/cards.js';
import type { HashedFile } from '../load/public-hashes.js';

/** A card to draw: what it shows, and its cover cut to its panel (a JPEG), if any. */
interface Drawable {
  view: CardView;
  cover: Uint8Array | null;
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
    async (missing) => drawAll(await Promise.all(missing.map((i) => drawable(cards[i]!.view, coverOf(cards[i]!))))), { prune: true });
  return { files: stored.files.map((file, i) => ({ path: `public${cards[i]!.url}`, ...file })), drawn: stored.made };
}

/** A card with its cover prepared; a cover that cannot be read leaves the card without one. */
async function drawable(view: CardView, cover: HashedFile | null): Promise<Drawable> {
  if (!cover) return { view, cover: null };
  const { cardCover } = await import('../render/social-card.js');
  return { view, cover: await readFile(cover.source).then(cardCover).catch(() => null) };
}

/** Below this many cards, drawing them here costs less than starting the processes. */
const PARALLEL_CARDS = 16;

/** The drawing process's module, compiled beside this one; absent when Agora runs from its TypeScript sources, which then draws here. */
const CARD_WORKER = new URL('../render/card-worker.js', import.meta.url);
const CAN_FORK = existsSync(fileURLToPath(CARD_WORKER));

/**
 * Draws cards on every core: a process per core (render/card-worker.ts says why not a thread),
 * each with its share, since a card costs about 18 ms (satori and sharp are loaded only when a
 * card is to be drawn).
 */
async function drawAll(views: readonly Drawable[]): Promise<Buffer[]> {
  // Nothing to draw (cards off, or all in the cache): satori and sharp are not even loaded.
  if (!views.length) return [];
  const processes = CAN_FORK ? Math.min(availableParallelism(), Math.ceil(views.length / PARALLEL_CARDS)) : 1;
  if (processes < 2) {
    const { drawCard } = await import('../render/social-card.js');
    const pngs: Buffer[] = [];
    for (const { view, cover } of views) pngs.push(await drawCard(view, cover));
    return pngs;
  }
  const size = Math.ceil(views.length / processes);
  const shares = Array.from({ length: processes }, (_, i) => views.slice(i * size, (i + 1) * size)).filter((share) => share.length);
  const drawn = await Promise.all(shares.map(async (share) => {
    const pngs: Buffer[] = [];
    await runInProcess<Uint8Array>(CARD_WORKER, { cards: share }, share.length, (png) => pngs.push(Buffer.from(png.buffer, png.byteOffset, png.byteLength)), 'dessine les cartes');
    return pngs;
  }));
  return drawn.flat();
}
