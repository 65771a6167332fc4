import type { SiteConfig } from '../records.js';
import { rfc3339 } from '../dates.js';
import { escapeHtml } from './escape.js';
import type { FeedPage, SitemapPage } from '../graph/pages.js';
import { atomFeed } from './atom.js';

/** Absolute URL of a site-relative path under the base URL. */
export function absolute(config: SiteConfig, path: string): string {
  return /^https?:\/\//.test(path) ? path : new URL(path.replace(/^\//, ''), config.baseUrl).href;
}

/**
 * A body's HTML as feeds give it: each `<picture>` becomes its plain `<img>` (feed readers
 * ignore `srcset` and `<source>`) and each image's address is absolute, since many readers
 * resolve neither the Atom entry's `xml:base` nor a JSON Feed item's URL.
 */
export function feedHtml(html: string, config: SiteConfig): string {
  if (!html.includes('<img')) return html;
  return html
    .replace(PICTURE, (_, img: string) => img.replace(/ (?:srcset|sizes|loading|decoding|fetchpriority)="[^"]*"/g, ''))
    .replace(IMG_SRC, (_, start: string, src: string) => `${start}${new URL(src, config.baseUrl).href}"`);
}

/** Attributes as hast-util-to-html writes them: always in double quotes, where `>` may stand unescaped (an alt « a > b »). */
const ATTRIBUTES = String.raw`(?:\s+[\w:-]+(?:="[^"]*")?)*`;
const PICTURE = new RegExp(String.raw`<picture>(?:<source${ATTRIBUTES}\s*>)*(<img${ATTRIBUTES}\s*>)</picture>`, 'g');
const IMG_SRC = new RegExp(String.raw`(<img${ATTRIBUTES}?\s+src=")(/(?!/)[^"]*)"`, 'g');

/**
 * An Atom 1.0 feed with full content, `xml:lang`, authors, categories with `term`, and
 * `published`/`updated`. Titles are plain text, escaped, so `<`, `&` and quotes survive.
 */
export function renderAtom(page: FeedPage, config: SiteConfig): string {
  const url = absolute(config, page.url);
  return atomFeed({
    language: config.language, title: page.title, subtitle: config.description || undefined, id: url, self: url,
    alternate: absolute(config, page.data.alternate),
    updated: page.head.lastModified ? rfc3339(page.head.lastModified) : '1970-01-01T00:00:00Z',
    entries: page.data.posts.map((post) => {
      const postUrl = absolute(config, post.url);
      return {
        title: post.title, id: postUrl, alternate: postUrl, published: rfc3339(post.date), updated: rfc3339(post.updated ?? post.date),
        authors: post.authors.map((author) => ({ name: author.name, uri: absolute(config, author.url) })),
        categories: [...post.categories, ...post.tags].map((term) => ({ term: term.slug, label: term.name, scheme: absolute(config, term.url.replace(/[^/]+\/$/, '')) })),
        summary: post.excerpt,
        content: { html: feedHtml(String(post.html), config), base: postUrl },
      };
    }),
  });
}

/** A JSON Feed 1.1 with full content. */
export function renderJsonFeed(page: FeedPage, config: SiteConfig): string {
  const { posts } = page.data;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: page.title,
    home_page_url: absolute(config, page.data.alternate),
    feed_url: absolute(config, page.url),
    ...(config.description ? { description: config.description } : {}),
    language: config.language,
    items: posts.map((post) => ({
      id: absolute(config, post.url),
      url: absolute(config, post.url),
      title: post.title,
      content_html: feedHtml(String(post.html), config),
      summary: post.excerpt,
      date_published: rfc3339(post.date),
      date_modified: rfc3339(post.updated ?? post.date),
      authors: post.authors.map((author) => ({ name: author.name, url: absolute(config, author.url) })),
      tags: [...post.categories, ...post.tags].map((term) => term.name),
      ...(post.cover ? { image: absolute(config, post.cover.src) } : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/** The sitemap: every public page with its last change. */
export function renderSitemap(page: SitemapPage, config: SiteConfig): string {
  const urls = page.data.entries.map((listed) => `  <url>
    <loc>${escapeHtml(absolute(config, listed.url))}</loc>${listed.lastModified ? `\n    <lastmod>${rfc3339(listed.lastModified)}</lastmod>` : ''}
  </url>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

/** robots.txt: everything may be crawled, and here is the sitemap. */
export function renderRobots(config: SiteConfig): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absolute(config, '/sitemap.xml')}\n`;
}
