import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { checkSite } from '../../src/check/check-site.js';
import { DevSite } from '../../src/dev/dev-site.js';
import { agora, stageThemedSite } from '../helpers/cli.js';
import { inventedPhoto } from '../helpers/photo.js';
import { NOW, PROJECT_ROOT, treeDigests } from '../helpers/sites.js';

/**
 * The basic fixture site with invented photographs (tests/helpers/photo.ts): a 2400-pixel
 * JPEG as the third essay's cover and in its body, and a PNG portrait as the avatar of Bob, its author.
 */
async function stagePhotoSite(): Promise<string> {
  const root = await stageThemedSite();
  await mkdir(path.join(root, 'public/images'), { recursive: true });
  await writeFile(path.join(root, 'public/images/vue.jpg'), await inventedPhoto(2400, 1600));
  await writeFile(path.join(root, 'public/images/portrait.png'), await inventedPhoto(400, 400, 'png', 2));
  const essay = path.join(root, 'content/posts/troisieme-essai.md');
  await writeFile(essay, (await readFile(essay, 'utf8')).replace('src: /images/couverture.svg', 'src: /images/vue.jpg')
    + '\n![Une vue inventée](/images/vue.jpg)\n\n![Un logo](/images/couverture.svg)\n');
  const author = path.join(root, 'content/authors/bob-fictif.md');
  await writeFile(author, (await readFile(author, 'utf8')).replace('name: Bob Fictif', 'name: Bob Fictif\navatar: /images/portrait.png'));
  return root;
}

const pictures = (html: string) => [...html.matchAll(/<picture>.*?<\/picture>/g)].map((match) => match[0]);
const candidates = (markup: string) => [...markup.matchAll(/srcset="([^"]*)"/g)].flatMap((match) => match[1]!.split(', ').map((entry) => {
  const [url, width] = entry.split(' ');
  return { url: url!, width: Number(width!.slice(0, -1)) };
}));
const SHARP_FORMAT: Record<string, string> = { avif: 'heif', webp: 'webp', jpg: 'jpeg', png: 'png' };

describe('responsive images', () => {
  let root: string;
  let dist: string;
  beforeAll(async () => {
    root = await stagePhotoSite();
    dist = path.join(root, 'dist');
    const result = await build({ root, now: NOW, search: false });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('serve each photo of an essay, its cover and an avatar in <picture>: AVIF, WebP, then its own format, in the widths they announce', async () => {
    const page = await readFile(path.join(dist, 'essais/troisieme-essai/index.html'), 'utf8');
    const [cover, body, avatar] = pictures(page);
    expect(cover).toContain('fetchpriority="high"');
    // Below the cover, which loads first, the body's first image waits for its turn too.
    expect(body).toMatch(/<img src="\/sous-dossier\/images\/vue-1600w\.jpg" alt="Une vue inventée" width="2400" height="1600" loading="lazy"/);
    expect(avatar).toMatch(/class="avatar" width="64" height="64" loading="lazy"/);
    expect(avatar).toContain('sizes="64px"');
    for (const markup of [cover!, body!, avatar!]) {
      expect([...markup.matchAll(/<source type="([^"]+)"/g)].map((match) => match[1])).toEqual(['image/avif', 'image/webp']);
      const entries = candidates(markup);
      expect(entries.length).toBeGreaterThanOrEqual(9);
      for (const { url, width } of entries) {
        const file = path.join(dist, url.replace('/sous-dossier/', ''));
        const meta = await sharp(file).metadata();
        expect([meta.width, meta.format], url).toEqual([width, SHARP_FORMAT[url.split('.').pop()!]]);
        expect(meta.exif, 'no metadata is kept').toBeUndefined();
      }
    }
    // The column's photo: never wider than the original, at least three widths per format.
    const widths = candidates(body!).filter((entry) => entry.url.endsWith('.avif')).map((entry) => entry.width);
    expect(widths).toEqual([480, 800, 1200, 1600]);
    // An SVG stays a plain <img>.
    expect(page).toMatch(/<p><img src="\/sous-dossier\/images\/couverture\.svg" alt="Un logo" width="10" height="10" loading="lazy" decoding="async"><\/p>/);
  });

  it('send a phone a fraction of the photo: its smallest AVIF is under a twentieth of the original', async () => {
    const original = (await stat(path.join(dist, 'images/vue.jpg'))).size;
    expect((await stat(path.join(dist, 'images/vue-480w.avif'))).size).toBeLessThan(original / 20);
    expect((await stat(path.join(dist, 'images/vue-800w.avif'))).size).toBeLessThan(original / 5);
  });

  it('leave feeds a single plain <img> with an absolute address', async () => {
    const feed = JSON.parse(await readFile(path.join(dist, 'feed.json'), 'utf8')) as { items: { id: string; content_html: string }[] };
    const html = feed.items.find((item) => item.id.endsWith('/troisieme-essai/'))!.content_html;
    expect(html).not.toMatch(/<picture|<source|srcset/);
    expect(html).toContain('<img src="https://test.invalid/sous-dossier/images/vue-1600w.jpg" alt="Une vue inventée" width="2400" height="1600">');
    expect(await readFile(path.join(dist, 'atom.xml'), 'utf8')).not.toMatch(/&lt;picture|srcset/);
  });

  it('pass agora check, which verifies each candidate\'s width', async () => {
    // Built without the search index (search: false), whose files the search page links to.
    const errors = (await checkSite(dist, '/sous-dossier/')).diagnostics.filter((d) => d.severity === 'error' && !d.message.includes('/pagefind/'));
    expect(errors.map((d) => d.message)).toEqual([]);
    const swapped = path.join(dist, 'images/vue-480w.avif');
    const kept = await readFile(swapped);
    await writeFile(swapped, await readFile(path.join(dist, 'images/vue-800w.avif')));
    const codes = (await checkSite(dist, '/sous-dossier/')).diagnostics.map((d) => d.code);
    await writeFile(swapped, kept);
    expect(codes).toContain('image/srcset-width');
  });

  it('are encoded once: an essay edit encodes nothing, a changed photo its own versions only, and the site equals a build without cache', async () => {
    const essay = path.join(root, 'content/posts/premier-essai.md');
    await writeFile(essay, `${await readFile(essay, 'utf8')}\nUne phrase ajoutée.\n`);
    const edited = await build({ root, now: NOW, search: false });
    expect(edited.images).toEqual({ total: expect.any(Number), encoded: 0 });
    const total = edited.images!.total;
    // vue: 4 widths × 3 formats; portrait: 64, 96, 128, 144, 192 and 288 px (64 and 96 at 1×, 1.5×, 2×, 3×) × 3 formats.
    expect(total).toBe(4 * 3 + 6 * 3);
    await writeFile(path.join(root, 'public/images/portrait.png'), await inventedPhoto(400, 400, 'png', 3));
    const changed = await build({ root, now: NOW, search: false });
    expect(changed.images).toEqual({ total, encoded: 18 });
    const clean = path.join(root, 'propre');
    await build({ root, now: NOW, search: false, outDir: 'propre', cache: false });
    expect(await treeDigests(clean)).toEqual(await treeDigests(dist));
  });

  it('are made by agora dev when first asked for, into the same cache', async () => {
    const site = new DevSite({ root, now: () => NOW });
    await site.start();
    const file = await site.imageVariantFile('images/vue-800w.avif');
    expect(path.dirname(file!)).toBe(path.join(root, '.cache/agora/images'));
    expect((await sharp(file!).metadata()).width).toBe(800);
    expect(await site.imageVariantFile('images/vue-801w.avif')).toBeUndefined();
  });
});

describe('a site with images: false', () => {
  it('shows its photos as plain <img> and makes no version', async () => {
    const root = await stagePhotoSite();
    try {
      const config = path.join(root, 'content/site.yml');
      await writeFile(config, `${await readFile(config, 'utf8')}images: false\n`);
      const result = await build({ root, now: NOW, search: false });
      expect(result.ok).toBe(true);
      expect(await readFile(path.join(root, 'dist/essais/troisieme-essai/index.html'), 'utf8')).not.toMatch(/<picture|srcset/);
      expect((await readdir(path.join(root, 'dist/images'))).sort()).toEqual(['couverture.svg', 'portrait.png', 'vue.jpg']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a photo that cannot be read', () => {
  it('fails the build with a French message naming it, and dist/ stays as it was', async () => {
    const root = await stagePhotoSite();
    try {
      await build({ root, now: NOW, search: false });
      const before = await treeDigests(path.join(root, 'dist'));
      // A PNG whose header gives its size, and whose pixels are damaged.
      const png = await inventedPhoto(900, 600, 'png', 4);
      for (let i = 60; i < png.length - 20; i++) png[i] ^= 0x5a;
      await writeFile(path.join(root, 'public/images/abimee.png'), png);
      const essay = path.join(root, 'content/posts/premier-essai.md');
      await writeFile(essay, `${await readFile(essay, 'utf8')}\n![Abîmée](/images/abimee.png)\n`);
      const result = await build({ root, now: NOW, search: false });
      expect(result.ok).toBe(false);
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.file, d.code])).toEqual([['public/images/abimee.png', 'image/unreadable']]);
      expect(result.diagnostics[0]!.message).toMatch(/^L'image public\/images\/abimee\.png ne peut pas être lue/);
      expect(await treeDigests(path.join(root, 'dist'))).toEqual(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('versions encoded by the compiled CLI, in the encoder\'s own process', () => {
  it('are the bytes an encoding in the build\'s process gives, and every unreadable photo is named', async () => {
    // Compiled, the encoder runs in a process of its own (images/encoder-process.ts); from the sources, in this one.
    expect(existsSync(path.join(PROJECT_ROOT, 'lib/images/encoder-process.js'))).toBe(true);
    const root = await stagePhotoSite();
    try {
      const cli = await agora(['--root', root, 'build', '--quiet', '--no-cache']);
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      await build({ root, now: NOW, search: false, outDir: 'ici', cache: false });
      const versions = (await readdir(path.join(root, 'ici/images'))).filter((name) => /-\d+w\./.test(name)).sort();
      expect(versions.length).toBeGreaterThanOrEqual(18);
      expect((await readdir(path.join(root, 'dist/images'))).filter((name) => /-\d+w\./.test(name)).sort()).toEqual(versions);
      for (const name of versions) expect(await readFile(path.join(root, 'dist/images', name)), name).toEqual(await readFile(path.join(root, 'ici/images', name)));

      const before = await treeDigests(path.join(root, 'dist'));
      const png = await inventedPhoto(900, 600, 'png', 4);
      for (let i = 60; i < png.length - 20; i++) png[i] ^= 0x5a;
      await writeFile(path.join(root, 'public/images/abimee.png'), png);
      await writeFile(path.join(root, 'public/images/tronquee.jpg'), (await inventedPhoto(1000, 700)).subarray(0, 3000));
      const essay = path.join(root, 'content/posts/premier-essai.md');
      await writeFile(essay, `${await readFile(essay, 'utf8')}\n![Abîmée](/images/abimee.png)\n\n![Tronquée](/images/tronquee.jpg)\n`);
      const failed = await agora(['--root', root, 'build', '--no-cache']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/L'image public\/images\/abimee\.png ne peut pas être lue/);
      expect(failed.stderr).toMatch(/L'image public\/images\/tronquee\.jpg ne peut pas être lue/);
      expect(failed.stderr).not.toMatch(/\n\s+at /);
      expect(await treeDigests(path.join(root, 'dist'))).toEqual(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
