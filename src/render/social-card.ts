import { readFileSync } from 'node:fs';
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

/** Smaller type for longer titles, so that one of 150 characters still fits in four lines. */
function titleSize(title: string): number {
  const length = [...title].length;
  return length <= 50 ? 68 : length <= 90 ? 56 : length <= 140 ? 46 : 38;
}

/** The card as a layout satori understands: category, title, authors and the site's name, in the site's colours. */
function layout(view: CardView): Node {
  const { colours } = view;
  return box({ width: CARD_SIZE.width, height: CARD_SIZE.height, display: 'flex', background: colours.background, color: colours.text, fontFamily: 'Sans' }, [
    box({ width: 18, height: '100%', background: colours.accent }),
    box({ flexGrow: 1, display: 'flex', flexDirection: 'column', padding: '64px 72px 56px 64px' }, [
      box({ fontSize: 30, color: colours.accent, display: 'flex' }, view.kicker || ' '),
      box({ flexGrow: 1, display: 'flex', alignItems: 'center', fontFamily: 'Serif', fontWeight: 600, fontSize: titleSize(view.title), lineHeight: 1.15 }, view.title),
      box({ display: 'flex', justifyContent: 'space-between', fontSize: 28 }, [
        box({ display: 'flex', color: colours.text }, view.byline || ' '),
        box({ display: 'flex', color: colours.muted }, view.site),
      ]),
    ]),
  ]);
}

/**
 * Draws a card: SVG by satori (its text already turned into paths), PNG by sharp's librsvg (the
 * libvips that sharp ships through npm, no system library): 11 ms a card where resvg took 27.
 */
export async function drawCard(view: CardView): Promise<Buffer> {
  const svg = await satori(layout(view) as never, { ...CARD_SIZE, fonts: cardFonts() });
  return sharp(Buffer.from(svg)).png().toBuffer();
}
