import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/config.js';
import { imageVariants, pictureOf, photoFormat, srcsetValue, variantWidths } from '../../src/images/image-set.js';
import { feedHtml } from '../../src/render/feeds.js';

const SETTINGS = DEFAULT_CONFIG.images;
const COLUMN = { kind: 'column' } as const;

describe('the versions of a photo', () => {
  it('take the wanted widths narrower than the photo, the widest capped at its own width', () => {
    expect(variantWidths(2400, [480, 800, 1200, 1600])).toEqual([480, 800, 1200, 1600]);
    expect(variantWidths(1000, [480, 800, 1200, 1600])).toEqual([480, 800, 1000]);
    expect(variantWidths(300, [480, 800])).toEqual([300]);
  });

  it('are never wider than the photo, and a 2400-pixel photo gets at least three widths in every format', () => {
    const variants = imageVariants('/images/vue.jpg', { '/images/vue.jpg': { width: 2400, height: 1600 } }, SETTINGS, COLUMN);
    for (const format of ['avif', 'webp', 'jpeg'] as const) {
      const widths = variants.filter((variant) => variant.format === format).map((variant) => variant.width);
      expect(widths.length, format).toBeGreaterThanOrEqual(3);
      expect(Math.max(...widths)).toBeLessThanOrEqual(2400);
    }
    expect(variants.find((variant) => variant.format === 'avif' && variant.width === 800)).toMatchObject({ url: '/images/vue-800w.avif', quality: 50 });
  });

  it('leave out the photo itself: its own format at its own width is the file of public/', () => {
    const variants = imageVariants('/images/petite.png', { '/images/petite.png': { width: 600, height: 400 } }, SETTINGS, COLUMN);
    expect(variants.map((variant) => variant.url)).not.toContain('/images/petite-600w.png');
    expect(variants.map((variant) => variant.url)).toContain('/images/petite-480w.png');
    expect(pictureOf('/images/petite.png', { '/images/petite.png': { width: 600, height: 400 } }, SETTINGS, COLUMN)!.src).toBe('/images/petite.png');
  });

  it('are none for SVG and GIF, for a photo whose size is unknown, and when site.yml says images: false', () => {
    expect(photoFormat('/a.svg')).toBeNull();
    expect(photoFormat('/a.gif')).toBeNull();
    expect(photoFormat('/a.JPG')).toBe('jpeg');
    expect(imageVariants('/a.gif', { '/a.gif': { width: 2000, height: 1000 } }, SETTINGS, COLUMN)).toEqual([]);
    expect(pictureOf('/a.jpg', {}, SETTINGS, COLUMN)).toBeNull();
    expect(pictureOf('/a.jpg', { '/a.jpg': { width: 2000, height: 1000 } }, { ...SETTINGS, enabled: false }, COLUMN)).toBeNull();
  });

  it('keep the photo\'s extension in their names when another photo has the same name (a.png and a.jpg)', () => {
    const images = { '/images/a.png': { width: 1000, height: 500 }, '/images/a.jpg': { width: 1000, height: 500 }, '/images/b.jpg': { width: 1000, height: 500 } };
    const png = imageVariants('/images/a.png', images, SETTINGS, COLUMN).map((variant) => variant.url);
    const jpg = imageVariants('/images/a.jpg', images, SETTINGS, COLUMN).map((variant) => variant.url);
    expect(png).toContain('/images/a-png-800w.avif');
    expect(jpg).toContain('/images/a-jpg-800w.avif');
    expect(png.filter((url) => jpg.includes(url))).toEqual([]);
    expect(imageVariants('/images/b.jpg', images, SETTINGS, COLUMN).map((variant) => variant.url)).toContain('/images/b-800w.avif');
    expect(pictureOf('/images/a.jpg', images, SETTINGS, COLUMN)!.sources[0]!.srcset[0]!.url).toBe('/images/a-jpg-480w.avif');
  });

  it('for an avatar shown at 64 px are its sizes at 1×, 1.5×, 2× and 3×, with sizes="64px"', () => {
    const picture = pictureOf('/a.png', { '/a.png': { width: 400, height: 400 } }, SETTINGS, { kind: 'fixed', width: 64, height: 64 })!;
    expect(picture.srcset.map((entry) => entry.width)).toEqual([64, 96, 128, 192]);
    expect([picture.sizes, picture.width, picture.height]).toEqual(['64px', 64, 64]);
  });
});

describe('a picture', () => {
  it('offers AVIF then WebP, and its <img> the photo\'s own format, each candidate under the base path', () => {
    const picture = pictureOf('/images/vue.jpg', { '/images/vue.jpg': { width: 2400, height: 1600 } }, SETTINGS, COLUMN)!;
    expect(picture.sources.map((source) => source.type)).toEqual(['image/avif', 'image/webp']);
    expect(picture.src).toBe('/images/vue-1600w.jpg');
    expect([picture.width, picture.height, picture.sizes]).toEqual([2400, 1600, SETTINGS.sizes]);
    expect(srcsetValue(picture.srcset.slice(0, 2), '/carnets')).toBe('/carnets/images/vue-480w.jpg 480w, /carnets/images/vue-800w.jpg 800w');
    // A comma or a space in a name would split the candidate list: both are escaped.
    expect(srcsetValue([{ url: '/a b,c.png', width: 10 }], '')).toBe('/a%20b%2Cc.png 10w');
  });

  it('becomes a single plain <img> with an absolute address in feeds', () => {
    const html = '<p><picture><source type="image/avif" srcset="/c/v-480w.avif 480w" sizes="100vw"><img src="/c/v-1600w.jpg" alt="Vue" width="2400" height="1600" loading="lazy" decoding="async" srcset="/c/v-480w.jpg 480w" sizes="100vw"></picture></p>';
    expect(feedHtml(html, { ...DEFAULT_CONFIG, baseUrl: 'https://exemple.test/c/' }))
      .toBe('<p><img src="https://exemple.test/c/v-1600w.jpg" alt="Vue" width="2400" height="1600"></p>');
    // An alternative text may hold « > » unescaped (hast-util-to-html leaves it in attributes).
    const arrow = '<picture><source type="image/avif" srcset="/c/v-480w.avif 480w"><img src="/c/v.jpg" alt="avant > après" srcset="/c/v-480w.jpg 480w"></picture>';
    expect(feedHtml(arrow, { ...DEFAULT_CONFIG, baseUrl: 'https://exemple.test/c/' })).toBe('<img src="https://exemple.test/c/v.jpg" alt="avant > après">');
  });
});

describe('site.yml images', () => {
  const read = (yaml: string) => validateConfig({ path: 'content/site.yml', text: `title: T\nbaseUrl: https://t.test/\n${yaml}` });

  it('changes widths, formats, quality and sizes, and false turns the versions off', () => {
    const { config, diagnostics } = read('images:\n  widths: [1200, 400]\n  formats: [webp]\n  quality: { webp: 60 }\n  sizes: 100vw\n');
    expect(diagnostics).toEqual([]);
    expect(config.images).toEqual({ ...SETTINGS, widths: [400, 1200], formats: ['webp'], quality: { ...SETTINGS.quality, webp: 60 }, sizes: '100vw' });
    expect(read('images: false\n').config.images.enabled).toBe(false);
  });

  it('refuses what it cannot use, naming the setting and the line', () => {
    const { diagnostics } = read('images:\n  widths: [0]\n  formats: [gif]\n  quality: { avif: 200, png: 5 }\n  taille: 3\n');
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('« images.widths » doit être une liste de largeurs'),
      expect.stringContaining('« images.formats » doit être une liste prise dans avif et webp'),
      expect.stringContaining('« images.quality.avif » doit être un entier de 1 à 100'),
      expect.stringContaining('« images.quality.png » est inconnu'),
      expect.stringContaining('« images.taille » est inconnu'),
    ]);
    expect(diagnostics.map((d) => [d.file, d.line, d.severity])).toEqual([4, 5, 6, 6, 7].map((line) => ['content/site.yml', line, 'error']));
  });
});
