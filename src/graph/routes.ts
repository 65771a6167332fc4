/**
 * Every URL of the site, in one place. URLs are site-relative, end with `/` for pages
 * written as `index.html`, and are prefixed with the base path only when rendered.
 */
export const routes = {
  frontPage: (page = 1) => paged('/', page),
  post: (slug: string) => `/essais/${slug}/`,
  categories: () => '/categories/',
  category: (slug: string, page = 1) => paged(`/categories/${slug}/`, page),
  tags: () => '/etiquettes/',
  tag: (slug: string, page = 1) => paged(`/etiquettes/${slug}/`, page),
  authors: () => '/auteurs/',
  author: (id: string, page = 1) => paged(`/auteurs/${id}/`, page),
  archives: () => '/archives/',
  archiveYear: (year: number) => `/archives/${year}/`,
  search: () => '/recherche/',
  notFound: () => '/404.html',
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

/** The file a URL is written to, relative to the output folder: `/essais/x/` → `essais/x/index.html`. */
export function outputPath(url: string): string {
  const relative = url.replace(/^\/+/, '');
  return relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
}
