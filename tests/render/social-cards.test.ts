import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { CARD_SIZE, type CardView } from '../../src/graph/cards.js';
import { drawCard } from '../../src/render/social-card.js';
import { agora, stageThemedSite } from '../helpers/cli.js';
import { inventedPhoto } from '../helpers/photo.js';
import { FIXTURES, NOW, treeDigests } from '../helpers/sites.js';

const REFERENCE = path.join(FIXTURES, 'cards/reference.png');
const VIEW: CardView = {
  title: 'La «\u202Fvictoire\u202F» du point de bascule\u202F: un titre inventé pour la carte de référence',
  kicker: 'Réseaux sociaux', byline: 'Ada Testeuse et Bob Fictif', site: 'Site d’essai',
  colours: { background: '#fdfbf7', text: '#1f1d1a', accent: '#8a2f1d', muted: '#5a544c' },
};

/** Pixels that differ between two PNGs (pixelmatch's threshold: anti-aliasing aside). */
function differing(a: Buffer, b: Buffer): number {
  const [one, two] = [PNG.sync.read(a), PNG.sync.read(b)];
  expect([one.width, one.height]).toEqual([two.width, two.height]);
  return pixelmatch(one.data, two.data, null, one.width, one.height, { threshold: 0.1 });
}

describe('a social card', () => {
  it('looks like its reference picture, drawn with the fonts shipped through npm', async () => {
    const card = await drawCard(VIEW);
    const png = PNG.sync.read(card);
    expect([png.width, png.height]).toEqual([CARD_SIZE.width, CARD_SIZE.height]);
    // A font or a layout that changes moves thousands of pixels; a renderer's rounding, a few.
    expect(differing(card, await readFile(REFERENCE))).toBeLessThan(CARD_SIZE.width * CARD_SIZE.height * 0.002);
    // And the comparison sees a change: another title is far from the reference.
    expect(differing(await drawCard({ ...VIEW, title: 'Un autre titre' }), await readFile(REFERENCE))).toBeGreaterThan(5000);
  });
});

describe('the cards of a site', () => {
  let root: string;
  beforeEach(async () => {
    root = await stageThemedSite();
    // The fixture turns cards off for the other tests: here they are on, as by default.
    const config = path.join(root, 'content/site.yml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/^cards: false$/m, ''));
  });
  afterEach(async () => { await rm(root, { recursive: true, force: true }); });

  it('give every page a picture to be shared with, drawn again only when what it shows changes', async () => {
    const first = await build({ root, now: NOW });
    expect(first.ok).toBe(true);
    expect(first.cards).toEqual({ total: 4, drawn: 4 });
    const essay = await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8');
    expect(essay).toContain('<meta property="og:image" content="https://test.invalid/sous-dossier/essais/premier-essai/carte.png">');
    expect(essay).toContain('<meta property="og:image:width" content="1200">\n<meta property="og:image:height" content="630">');
    expect(essay).toMatch(/<meta property="og:image:alt" content="Premier essai[\u00A0\u202F]: la confiance">/);
    expect(essay).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(essay).toContain('"image":"https://test.invalid/sous-dossier/essais/premier-essai/carte.png"');
    for (const list of ['index.html', 'categories/index.html', 'archives/index.html', 'auteurs/ada-testeuse/index.html']) {
      expect(await readFile(path.join(root, 'dist', list), 'utf8'), list).toContain('content="https://test.invalid/sous-dossier/carte.png"');
    }
    const check = await agora(['--root', root, 'check']);
    expect(check.code, check.stderr).toBe(0);

    // A body edit draws nothing; a title edit draws that essay's card only.
    const file = path.join(root, 'content/posts/premier-essai.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nUn paragraphe de plus.\n`);
    expect((await build({ root, now: NOW })).cards).toEqual({ total: 4, drawn: 0 });
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: "Premier essai : la confiance"', 'title: "Premier essai, retitré"'));
    expect((await build({ root, now: NOW })).cards).toEqual({ total: 4, drawn: 1 });
    // The cache keeps the cards this build uses, and no other; the site is the one a clean build gives.
    expect(await readdir(path.join(root, '.cache/agora/cartes'))).toHaveLength(4);
    expect((await build({ root, now: NOW, cache: false, outDir: 'propre' })).cards).toEqual({ total: 4, drawn: 4 });
    expect(await treeDigests(path.join(root, 'dist'))).toEqual(await treeDigests(path.join(root, 'propre')));
    await rm(path.join(root, 'propre'), { recursive: true });

    // A card that does not have the size its page announces is caught by agora check.
    await writeFile(path.join(root, 'dist/carte.png'), await readFile(path.join(root, 'public/favicon.svg')));
    const broken = await agora(['--root', root, 'check']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('[image/og-image');
  });

  it('show an essay\'s cover photo beside its title, drawn again when the photo changes', async () => {
    await mkdir(path.join(root, 'public/images'), { recursive: true });
    const photo = path.join(root, 'public/images/vue.jpg');
    await writeFile(photo, await inventedPhoto(1600, 1000));
    const essay = path.join(root, 'content/posts/troisieme-essai.md');
    await writeFile(essay, (await readFile(essay, 'utf8')).replace('src: /images/couverture.svg', 'src: /images/vue.jpg'));
    expect((await build({ root, now: NOW })).cards).toEqual({ total: 4, drawn: 4 });
    const card = PNG.sync.read(await readFile(path.join(root, 'dist/essais/troisieme-essai/carte.png')));
    const pixel = (x: number, y: number) => [...card.data.subarray((y * card.width + x) * 4, (y * card.width + x) * 4 + 3)];
    // The right panel is the photo (not the card's background), the left the card's own colours.
    expect(pixel(1100, 315)).not.toEqual([0xfd, 0xfb, 0xf7]);
    expect(pixel(600, 20)).toEqual([0xfd, 0xfb, 0xf7]);
    // Another card without a cover keeps the background there.
    const plain = PNG.sync.read(await readFile(path.join(root, 'dist/essais/premier-essai/carte.png')));
    expect([...plain.data.subarray((315 * plain.width + 1100) * 4, (315 * plain.width + 1100) * 4 + 3)]).toEqual([0xfd, 0xfb, 0xf7]);
    // Another photo under the same name draws that card again, and only it.
    await writeFile(photo, await inventedPhoto(1600, 1000, 'jpeg', 7));
    expect((await build({ root, now: NOW })).cards).toEqual({ total: 4, drawn: 1 });
  });

  it('are not drawn with cards: false, and a wrong setting is an error naming it', async () => {
    const config = path.join(root, 'content/site.yml');
    const text = await readFile(config, 'utf8');
    await writeFile(config, `${text}cards: false\n`);
    const result = await build({ root, now: NOW });
    expect(result.cards).toEqual({ total: 0, drawn: 0 });
    const essay = await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8');
    expect(essay).not.toContain('og:image');
    expect(essay).toContain('<meta name="twitter:card" content="summary">');
    expect((await readdir(path.join(root, 'dist'))).includes('carte.png')).toBe(false);

    await writeFile(config, `${text}cards:\n  accent: rouge\n`);
    const wrong = await agora(['--root', root, 'build']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('« cards.accent » doit être une couleur #rrggbb (reçu : rouge).');
  });

  it('drawn by the compiled CLI in processes of their own are the pictures drawn in the build\'s process', async () => {
    // 40 essays more: past 2 × 16 cards, the compiled CLI draws in processes, one per core at a time and
    // here 10 cards each (write/card-files.ts), so that several follow one another; from the sources, in this one.
    const essay = await readFile(path.join(root, 'content/posts/premier-essai.md'), 'utf8');
    for (let i = 1; i <= 40; i++) {
      await writeFile(path.join(root, `content/posts/essai-invente-${i}.md`), essay.replace('title: "Premier essai : la confiance"', `title: "Essai inventé numéro ${i}"`));
    }
    const cli = await agora(['--root', root, 'build', '--quiet', '--no-cache'], { AGORA_CARDS_PER_PROCESS: '10' });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const here = await build({ root, now: NOW, outDir: 'ici', cache: false, search: false });
    expect(here.cards!.total).toBeGreaterThan(40);
    const cards = (await readdir(path.join(root, 'ici/essais'))).map((slug) => `essais/${slug}/carte.png`);
    expect(cards.length).toBeGreaterThan(40);
    for (const card of ['carte.png', ...cards]) expect(await readFile(path.join(root, 'dist', card)), card).toEqual(await readFile(path.join(root, 'ici', card)));
  });
});
