import { imageSizeFromFile } from 'image-size/fromFile';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { ImageSize } from '../images/image-set.js';
import type { PublicFile } from './public-files.js';

const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg)$/i;

/**
 * Reads the width and height of every image of public/ (image-size reads only the header), by
 * site path (`/images/x.png`). An image it cannot read simply has no size.
 */
export async function readImageSizes(files: readonly PublicFile[]): Promise<Record<string, ImageSize>> {
  const images = files.filter((file) => IMAGE.test(file.path));
  const sizes = await mapLimit(images, FILE_CONCURRENCY, async (file) => {
    try {
      const { width, height, orientation } = await imageSizeFromFile(file.source);
      // EXIF orientations 5 to 8 turn a photo by a quarter: browsers show it turned, and so do its versions.
      if (!width || !height) return null;
      return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
    } catch {
      return null;
    }
  });
  const result: Record<string, ImageSize> = {};
  images.forEach((file, i) => {
    const size = sizes[i];
    if (size) result[file.path.replace(/^public/, '')] = size;
  });
  return result;
}
