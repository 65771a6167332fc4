import type { Site } from '../graph/site.js';
import type { MarkdownOutput } from '../markdown/html-text.js';
import { sitePath } from '../graph/routes.js';
import type { ImageSettings } from '../records.js';
import { imageVariants, type ImageSize, type ImageUse, type ImageVariant } from './image-set.js';

/** The avatar's two sizes in the default templates (author box, author page). */
const AVATAR_USES: ImageUse[] = [{ kind: 'fixed', width: 64, height: 64 }, { kind: 'fixed', width: 96, height: 96 }];

/**
 * Every version of a photo the site shows, once each: images of the bodies (essays, pages,
 * biographies, descriptions) and covers in the text column, avatars at their two sizes. The
 * same rules as the `<picture>` the pages get (image-set.ts), so each address they give exists.
 */
export function siteImageVariants(site: Site, markdown: ReadonlyMap<string, MarkdownOutput>, sizes: Readonly<Record<string, ImageSize>>): ImageVariant[] {
  const settings = site.config.images;
  if (!settings.enabled) return [];
  const variants = new Map<string, ImageVariant>();
  const add = (image: string, use: ImageUse) => {
    for (const variant of imageVariants(image, sizes, settings, use)) variants.set(variant.url, variant);
  };
  for (const output of markdown.values()) for (const variant of bodyImageVariants(output, sizes, settings)) variants.set(variant.url, variant);
  for (const post of site.posts) if (post.cover) add(post.cover.src, { kind: 'column' });
  for (const author of site.authors) if (author.avatar) for (const use of AVATAR_USES) add(author.avatar, use);
  return [...variants.values()].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** The versions of the photos one body shows, in the text column (the `<picture>` of site-links.ts). */
export function bodyImageVariants(output: Pick<MarkdownOutput, 'links'>, sizes: Readonly<Record<string, ImageSize>>, settings: ImageSettings): ImageVariant[] {
  return output.links.filter((link) => link.image).flatMap((link) => imageVariants(sitePath(link.url), sizes, settings, { kind: 'column' }));
}
