import { routes } from '../graph/routes.js';
import type { ImageSettings } from '../records.js';

/** The size of an image of public/, read from its file. */
export interface ImageSize {
  width: number;
  height: number;
}

/** The formats Agora encodes; SVG and GIF are served as they are. */
export type ImageFormat = 'avif' | 'webp' | 'jpeg' | 'png';

const MIME: Record<ImageFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };
/** The extension of each format's files. */
export const EXTENSION: Record<ImageFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };

/** The format of a photo Agora can serve in several versions, from its name (null for SVG, GIF and the rest). */
export function photoFormat(image: string): ImageFormat | null {
  const extension = /\.([^./]+)$/.exec(image)?.[1]?.toLowerCase();
  if (extension === 'jpg' || extension === 'jpeg') return 'jpeg';
  return extension === 'png' || extension === 'webp' || extension === 'avif' ? extension : null;
}

/**
 * How a photo is shown: in the text column (an essay's image, a cover), or as a small square
 * (an avatar), whose versions are its sizes at 1×, 1.5×, 2× and 3×.
 */
export type ImageUse = { kind: 'column' } | { kind: 'fixed'; width: number; height: number };

const FIXED_DENSITIES = [1, 1.5, 2, 3];

/** One file Agora makes from a photo of public/. */
export interface ImageVariant {
  /** The photo's site path (`/images/vue.jpg`). */
  image: string;
  /** The version's site path (`/images/vue-800w.avif`). */
  url: string;
  width: number;
  format: ImageFormat;
  quality: number | null;
}

/** A `srcset` candidate: a version's site path and its width. */
export interface SrcsetEntry {
  url: string;
  width: number;
}

/** What `<picture>` shows: sources best first, then the `<img>` in the photo's own format. */
export interface Picture {
  sources: { type: string; srcset: SrcsetEntry[] }[];
  /** The `<img>`'s own address: its largest version in the photo's format. */
  src: string;
  srcset: SrcsetEntry[];
  sizes: string;
  width: number;
  height: number;
}

/**
 * The widths of a photo's versions: each wanted width narrower than the photo, and the largest
 * wanted one capped at the photo's own width (never enlarged).
 */
export function variantWidths(original: number, wanted: readonly number[]): number[] {
  const largest = Math.min(original, Math.max(...wanted));
  return [...new Set([...wanted.filter((width) => width < largest), largest])].sort((a, b) => a - b);
}

function wantedWidths(use: ImageUse, settings: ImageSettings): number[] {
  return use.kind === 'column' ? settings.widths : FIXED_DENSITIES.map((density) => Math.round(use.width * density));
}

/** The photos of public/ that share their name but not their extension (`a.png`, `a.jpg`), by their path without it: their versions' names keep it. */
const sharedNames = new WeakMap<object, ReadonlySet<string>>();
function namesShared(images: Readonly<Record<string, ImageSize>>): ReadonlySet<string> {
  let shared = sharedNames.get(images);
  if (!shared) {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const image of Object.keys(images)) {
      if (!photoFormat(image)) continue;
      const stem = image.replace(/\.[^./]+$/, '');
      (seen.has(stem) ? twice : seen).add(stem);
    }
    shared = twice;
    sharedNames.set(images, shared);
  }
  return shared;
}

/** The address of a version: beside the photo, its extension kept when another photo has the same name. */
function variantUrl(image: string, width: number, format: ImageFormat, images: Readonly<Record<string, ImageSize>>): string {
  return routes.imageVariant(image, width, EXTENSION[format], namesShared(images).has(image.replace(/\.[^./]+$/, '')));
}

/**
 * Every version of a photo for one use, the photo itself excepted (its own format at its own
 * width is the file of public/): none when responsive images are off, for SVG and GIF, or for a
 * photo whose size `images` (every image of public/, by site path) does not know.
 */
export function imageVariants(image: string, images: Readonly<Record<string, ImageSize>>, settings: ImageSettings, use: ImageUse): ImageVariant[] {
  const own = photoFormat(image);
  const size = images[image];
  if (!settings.enabled || !own || !size) return [];
  const widths = variantWidths(size.width, wantedWidths(use, settings));
  const formats = [...settings.formats.filter((format) => format !== own), own];
  return formats.flatMap((format) => widths
    .filter((width) => !(format === own && width === size.width))
    .map((width) => ({
      image, width, format,
      url: variantUrl(image, width, format, images),
      quality: format === 'png' ? null : settings.quality[format],
    })));
}

/** The `<picture>` of a photo of public/ for one use, or null when it is shown as a plain `<img>`. */
export function pictureOf(image: string, images: Readonly<Record<string, ImageSize>>, settings: ImageSettings, use: ImageUse): Picture | null {
  const own = photoFormat(image);
  const size = images[image];
  if (!size || !own || !settings.enabled) return null;
  const widths = variantWidths(size.width, wantedWidths(use, settings));
  const entry = (format: ImageFormat) => (width: number): SrcsetEntry => ({
    width, url: format === own && width === size.width ? image : variantUrl(image, width, format, images),
  });
  const fallback = widths.map(entry(own));
  return {
    sources: settings.formats.filter((format) => format !== own).map((format) => ({ type: MIME[format], srcset: widths.map(entry(format)) })),
    src: fallback.at(-1)!.url,
    srcset: fallback,
    sizes: use.kind === 'column' ? settings.sizes : `${use.width}px`,
    width: use.kind === 'column' ? size.width : use.width,
    height: use.kind === 'column' ? size.height : use.height,
  };
}

/** A `srcset` attribute's value, each address under the site's base path. */
export function srcsetValue(entries: readonly SrcsetEntry[], prefix: string): string {
  return entries.map((entry) => `${prefix}${encodeURI(entry.url).replace(/,/g, "%2C")} ${entry.width}w`).join(', ');
}
