import type { Element } from 'hast';
import type { Image, Root } from 'mdast';
import { defaultHandlers, type State } from 'mdast-util-to-hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { pictureOf, srcsetValue, type ImageSize, type Picture } from '../images/image-set.js';
import type { ImageSettings } from '../records.js';
import { sitePath } from '../graph/routes.js';

export type { ImageSize };

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
  /** The versions photos are served in (site.yml `images`); absent, every image stays a plain `<img>`. */
  pictures?: ImageSettings;
}

/**
 * Puts root-relative links and images under the site's base path (`/images/x.png` →
 * `/carnets/images/x.png`: issue 12 found them working in dev and broken once deployed), lists
 * them on the file for the build to check that they lead somewhere, and gives every image of
 * public/ its width and height (no layout shift) and every image after the first `loading="lazy"`
 * (all of them in an essay whose cover comes first: `file.data.belowCover`).
 * A photo of public/ also gets its `<picture>` (images/image-set.ts), which `pictureHandlers` writes.
 */
export const remarkSiteLinks: Plugin<[SiteLinkOptions], Root> = function (options) {
  const prefix = options.basePath.replace(/\/$/, '');
  return (tree, file) => {
    const links: InternalLink[] = [];
    // Below a cover (which the page loads first), every image of the body waits for its turn.
    let images = file.data.belowCover ? 1 : 0;
    visit(tree, (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition' && node.type !== 'imageReference') return;
      if (node.type === 'imageReference' || node.type === 'image') {
        const size = node.type === 'image' ? options.images[sitePath(node.url)] : undefined;
        node.data = { ...node.data, hProperties: { ...node.data?.hProperties, ...size, ...(images > 0 ? { loading: 'lazy' } : {}), decoding: 'async' } };
        const picture = node.type === 'image' && options.pictures && isRootRelative(node.url) ? pictureOf(sitePath(node.url), options.images, options.pictures, { kind: 'column' }) : null;
        if (picture) (node.data as PictureData).picture = { ...picture, prefix };
        images += 1;
      }
      if (node.type === 'imageReference') return;
      if (isRootRelative(node.url)) {
        const start = node.position?.start;
        links.push({ url: node.url, line: start?.line ?? 1, column: start?.column ?? 1, image: node.type === 'image' });
        node.url = prefix + node.url;
      }
    });
    file.data.links = links;
  };
};

const isRootRelative = (url: string) => url.startsWith('/') && !url.startsWith('//');

interface PictureData {
  picture?: Picture & { prefix: string };
}

/**
 * The HTML of an image that has a `<picture>`: its sources, best first, then the `<img>` the
 * Markdown gives, with the srcset of the photo's own format (for remark-html's `handlers`).
 */
export const pictureHandlers = {
  image(state: State, node: Image): Element {
    const img = defaultHandlers.image(state, node);
    const picture = (node.data as PictureData | undefined)?.picture;
    if (!picture) return img;
    const { prefix, sizes } = picture;
    img.properties = { ...img.properties, src: prefix + encodeURI(picture.src), srcSet: srcsetValue(picture.srcset, prefix), sizes };
    const sources: Element[] = picture.sources.map((source) => ({
      type: 'element', tagName: 'source', properties: { type: source.type, srcSet: srcsetValue(source.srcset, prefix), sizes }, children: [],
    }));
    return { type: 'element', tagName: 'picture', properties: {}, children: [...sources, img] };
  },
};
