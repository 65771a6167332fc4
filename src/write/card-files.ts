import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureFolder, writeAtomically } from '../cache/cache-file.js';
import { cardKey } from '../cache/keys.js';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { SocialCard } from '../graph/cards.js';
import type { DigestedFile } from '../load/public-digests.js';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64url');

/**
 * Draws the cards a build needs into `folder` (`.cache/agora/cartes/`, or a temporary folder
 * without cache), each under its key and the digest of its bytes (`<key>.<sha1>.png`): a card
 * whose key is there and whose bytes still match is not drawn again, so an edit of an essay's
 * body draws nothing and an edit of its title one card. Cards no build uses are removed. The
 * cards come back as files to copy into the site, as public/'s are.
 */
export async function prepareCards(cards: readonly SocialCard[], folder: string): Promise<{ files: DigestedFile[]; drawn: number }> {
  await ensureFolder(folder);
  const present = new Map<string, string>();
  for (const name of await readdir(folder)) {
    const match = /^([\w-]+)\.([\w-]+)\.png$/.exec(name);
    if (match) present.set(match[1]!, name);
  }
  const wanted = new Set<string>();
  let drawn = 0;
  let drawCard: ((view: SocialCard['view']) => Promise<Buffer>) | null = null;
  const files = await mapLimit(cards, FILE_CONCURRENCY, async (card): Promise<DigestedFile> => {
    const key = cardKey(card.view);
    const known = present.get(key);
    if (known) {
      const bytes = await readFile(path.join(folder, known)).catch(() => null);
      const digest = known.split('.')[1]!;
      if (bytes && sha1(bytes) === digest) {
        wanted.add(known);
        return { path: `public${card.url}`, source: path.join(folder, known), digest };
      }
    }
    // Loaded only when a card is to be drawn: satori and resvg cost a build that draws none.
    drawCard ??= (await import('../render/social-card.js')).drawCard;
    const png = await drawCard(card.view);
    drawn += 1;
    const digest = sha1(png);
    const name = `${key}.${digest}.png`;
    await writeAtomically(path.join(folder, name), png);
    wanted.add(name);
    return { path: `public${card.url}`, source: path.join(folder, name), digest };
  });
  await Promise.all([...(await readdir(folder))].filter((name) => !wanted.has(name)).map((name) => rm(path.join(folder, name), { recursive: true, force: true })));
  return { files, drawn };
}
