/**
 * Every URL of the site, in one place. URLs are site-relative, end with `/` for pages
 * written as `index.html`, and are prefixed with the base path only when rendered.
 */
export const routes = {
  frontPage: (page = 1) => paged('/', page),
  post: (slug: string) => `/essais/${slug}/`,
  /** A standalone page of content/pages/: `a-propos` → `/a-propos/`, `mentions/contact` → `/mentions/contact/`. */
  page: (path: string) => `/${path}/`,
  categories: () => '/categories/',
  category: (slug: string, page = 1) => paged(`/categories/${slug}/`, page),
  tags: () => '/etiquettes/',
  tag: (slug: string, page = 1) => paged(`/etiquettes/${slug}/`, page),
  authors: () => '/auteurs/',
  author: (id: string, page = 1) => paged(`/auteurs/${id}/`, page),
  archives: () => '/archives/',
  archiveYear: (year: number) => `/archives/${year}/`,
  search: () => '/recherche/',
  /** Pagefind's bundle of search shard `index`: the first holds the search UI, the others are merged into it. */
  searchBundle: (index: number) => (index === 0 ? '/pagefind/' : `/pagefind/morceau-${index}/`),
  notFound: () => '/404.html',
  /** The social card of an essay, beside its page, and the site's card for every other page. */
  postCard: (slug: string) => `/essais/${slug}/carte.png`,
  siteCard: () => '/carte.png',
  /**
   * A version of a photo of public/, beside it: `/images/vue.jpg`, 800, avif → `/images/vue-800w.avif`;
   * with `withOwnExtension` (another photo has the same name but its extension), `/images/vue-jpg-800w.avif`.
   */
  imageVariant: (image: string, width: number, extension: string, withOwnExtension = false) =>
    `${image.replace(/\.([^./]+)$/, withOwnExtension ? '-$1' : '')}-${width}w.${extension}`,
  atom: () => '/atom.xml',
  jsonFeed: () => '/feed.json',
  categoryFeed: (slug: string) => `/categories/${slug}/atom.xml`,
  authorFeed: (id: string) => `/auteurs/${id}/atom.xml`,
  sitemap: () => '/sitemap.xml',
  robots: () => '/robots.txt',
};

function paged(base: string, page: number): string {
  return page <= 1 ? base : `${base}page/${page}/`;
}

/** The path part of a root-relative URL, decoded: `/images/a%20b.png?v=2#x` → `/images/a b.png`. */
export function sitePath(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** The file a URL is written to, relative to the output folder: `/essais/x/` → `essais/x/index.html`. */
export function outputPath(url: string): string {
  const relative = url.replace(/^\/+/, '');
  return relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
}

/** Essays per search shard, and most shards: one changed essay re-indexes one shard, and a reader's search fetches a little of each. */
const ESSAYS_PER_SHARD = 32;
const MAX_SHARDS = 32;

/** How many Pagefind indexes the essays are split into (1 for a small site). */
export function searchShardCount(essays: number): number {
  return Math.max(1, Math.min(MAX_SHARDS, Math.ceil(essays / ESSAYS_PER_SHARD)));
}

/** The shard of an essay page, from its output path: stable while the shard count stays the same. */
export function searchShardOf(file: string, shards: number): number {
  let hash = 2166136261;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 16777619) >>> 0;
  return hash % shards;
}
