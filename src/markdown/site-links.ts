import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/** The size of an image of public/, read from its file. */
export interface ImageSize {
  width: number;
  height: number;
}

/** A root-relative link or image of a Markdown body (`/essais/x/`, `/images/y.png`), site-relative as written. */
export interface InternalLink {
  url: string;
  line: number;
  column: number;
  image: boolean;
}

/** What the links of a body depend on. */
export interface SiteLinkOptions {
  /** The site's base path (`/` or `/carnets/`). */
  basePath: string;
  /** Sizes of the images of public/, by site path (`/images/x.png`). */
  images: Readonly<Record<string, ImageSize>>;
}

/**
 * Puts root-relative links and images under the site's base path (`/images/x.png` →
 * `/carnets/images/x.png`: issue 12 found them working in dev and broken once deployed), lists
 * them on the file for the build to check that they lead somewhere, and gives every image of
 * public/ its width and height (no layout shift) and every image after the first `loading="lazy"`.
 */
export const remarkSiteLinks: Plugin<[SiteLinkOptions], Root> = function (options) {
  const prefix = options.basePath.replace(/\/$/, '');
  return (tree, file) => {
    const links: InternalLink[] = [];
    let images = 0;
    visit(tree, (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition' && node.type !== 'imageReference') return;
      if (node.type === 'imageReference' || node.type === 'image') {
        const size = node.type === 'image' ? options.images[sitePath(node.url)] : undefined;
        node.data = { ...node.data, hProperties: { ...node.data?.hProperties, ...size, ...(images > 0 ? { loading: 'lazy' } : {}), decoding: 'async' } };
        images += 1;
      }
      if (node.type === 'imageReference') return;
      if (node.url.startsWith('/') && !node.url.startsWith('//')) {
        const start = node.position?.start;
        links.push({ url: node.url, line: start?.line ?? 1, column: start?.column ?? 1, image: node.type === 'image' });
        node.url = prefix + node.url;
      }
    });
    file.data.links = links;
  };
};

/** The path part of a root-relative URL, decoded: `/images/a%20b.png?v=2#x` → `/images/a b.png`. */
export function sitePath(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
