import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import satori from 'satori';
import sharp from 'sharp';
import { CARD_SIZE, type CardView } from '../graph/cards.js';

const require = createRequire(import.meta.url);

/**
 * The fonts, shipped through npm (Source Serif 4 and Source Sans 3, SIL Open Font License) so
 * that every machine draws the same card; their latin subset holds French and its thin spaces.
 */
let fonts: { name: string; data: Buffer; weight: 400 | 600; style: 'normal' }[] | null = null;
function cardFonts() {
  fonts ??= [
    { name: 'Serif', data: readFileSync(require.resolve('@fontsource/source-serif-4/files/source-serif-4-latin-600-normal.woff')), weight: 600, style: 'normal' },
    { name: 'Sans', data: readFileSync(require.resolve('@fontsource/source-sans-3/files/source-sans-3-latin-400-normal.woff')), weight: 400, style: 'normal' },
  ];
  return fonts;
}

type Node = { type: string; props: { style: Record<string, unknown>; children?: Node | Node[] | string } };
const box = (style: Record<string, unknown>, children?: Node | Node[] | string): Node => ({ type: 'div', props: { style, children } });

/** Smaller type for longer titles, so that one of 150 characters still fits in four lines (in a narrower column beside a photo, sooner). */
function titleSize(title: string, narrow: boolean): number {
  const length = [...title].length * (narrow ? 1.5 : 1);
  return length <= 50 ? 68 : length <= 90 ? 56 : length <= 140 ? 46 : 38;
}

/** The width of the cover's panel, on the right, when the essay has a photo as its cover. */
export const CARD_COVER_WIDTH = 420;

/** The card as a layout satori understands: category, title, authors and the site's name, in the site's colours; the cover beside them. */
function layout(view: CardView, cover: string | null): Node {
  const { colours } = view;
  return box({ width: CARD_SIZE.width, height: CARD_SIZE.height, display: 'flex', background: colours.background, color: colours.text, fontFamily: 'Sans' }, [
    box({ width: 18, height: '100%', background: colours.accent }),
    box({ flexGrow: 1, ...(cover ? { flexBasis: 0 } : {}), display: 'flex', flexDirection: 'column', padding: cover ? '56px 48px 48px 56px' : '64px 72px 56px 64px' }, [
      box({ fontSize: 30, color: colours.accent, display: 'flex' }, view.kicker || ' '),
      box({ flexGrow: 1, display: 'flex', alignItems: 'center', fontFamily: 'Serif', fontWeight: 600, fontSize: titleSize(view.title, cover !== null), lineHeight: 1.15 }, view.title),
      box({ display: 'flex', justifyContent: 'space-between', fontSize: 28 }, [
        box({ display: 'flex', color: colours.text }, view.byline || ' '),
        box({ display: 'flex', color: colours.muted }, view.site),
      ]),
    ]),
    ...(cover ? [{ type: 'img', props: { src: cover, width: CARD_COVER_WIDTH, height: CARD_SIZE.height, style: { width: CARD_COVER_WIDTH, height: CARD_SIZE.height } } } as unknown as Node] : []),
  ]);
}

/**
 * The cover as the card shows it: cut to its panel (the middle of the photo) and made a JPEG,
 * whatever the photo's format (satori reads PNG and JPEG only).
 */
export function cardCover(photo: Uint8Array): Promise<Buffer> {
  return sharp(photo).rotate().resize({ width: CARD_COVER_WIDTH, height: CARD_SIZE.height, fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
}

/**
 * Draws cards one after the other, each given to `done` in order, their covers read from their
 * files and cut once per photo (a photo shown by many essays is decoded once); a cover that
 * cannot be read leaves its card without one.
 */
export async function drawCards(cards: readonly { view: CardView; cover: string | null }[], done: (png: Buffer) => void): Promise<void> {
  const cut = new Map<string, Promise<Uint8Array | null>>();
  const coverOf = (file: string) => {
    let cover = cut.get(file);
    if (!cover) cut.set(file, (cover = readFile(file).then(cardCover).catch(() => null)));
    return cover;
  };
  for (const { view, cover } of cards) done(await drawCard(view, cover ? await coverOf(cover) : null));
}

/**
 * Draws a card: SVG by satori (its text already turned into paths), PNG by sharp's librsvg (the
 * libvips that sharp ships through npm, no system library): 11 ms a card where resvg took 27.
 */
export async function drawCard(view: CardView, cover: Uint8Array | null = null): Promise<Buffer> {
  const picture = cover ? `data:image/jpeg;base64,${Buffer.from(cover).toString('base64')}` : null;
  const svg = await satori(layout(view, picture) as never, { ...CARD_SIZE, fonts: cardFonts() });
  return sharp(Buffer.from(svg)).png().toBuffer();
}
