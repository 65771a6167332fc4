import type { SiteConfig } from '../records.js';
import { rfc3339 } from '../dates.js';
import { escapeHtml } from '../escape.js';
import type { FeedPage, SitemapPage } from '../graph/pages.js';

/** Absolute URL of a site-relative path under the base URL. */
export function absolute(config: SiteConfig, path: string): string {
  return /^https?:\/\//.test(path) ? path : new URL(path.replace(/^\//, ''), config.baseUrl).href;
}



/**
 * An Atom 1.0 feed with full content, `xml:lang`, authors, categories with `term`, and
 * `published`/`updated`. Titles are plain text, escaped, so `<`, `&` and quotes survive.
 */
export function renderAtom(page: FeedPage, config: SiteConfig): string {
  const { posts } = page.data;
  const alternate = absolute(config, page.data.alternate);
  const updated = page.head.lastModified ? rfc3339(page.head.lastModified) : '1970-01-01T00:00:00Z';
  const entries = posts.map((post) => {
    const url = absolute(config, post.url);
    return `  <entry>
    <title type="text">${escapeHtml(post.title)}</title>
    <id>${escapeHtml(url)}</id>
    <link rel="alternate" type="text/html" href="${escapeHtml(url)}"/>
    <published>${rfc3339(post.date)}</published>
    <updated>${rfc3339(post.updated ?? post.date)}</updated>
${post.authors.map((author) => `    <author><name>${escapeHtml(author.name)}</name><uri>${escapeHtml(absolute(config, author.url))}</uri></author>`).join('\n')}
${[...post.categories, ...post.tags].map((term) => `    <category term="${escapeHtml(term.slug)}" label="${escapeHtml(term.name)}" scheme="${escapeHtml(absolute(config, term.url.replace(/[^/]+\/$/, '')))}"/>`).join('\n')}
    <summary type="text">${escapeHtml(post.excerpt)}</summary>
    <content type="html" xml:base="${escapeHtml(url)}">${escapeHtml(String(post.html))}</content>
  </entry>`.replace(/\n\n/g, '\n');
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(config.language)}">
  <title type="text">${escapeHtml(page.title)}</title>
${config.description ? `  <subtitle type="text">${escapeHtml(config.description)}</subtitle>\n` : ''}  <id>${escapeHtml(absolute(config, page.url))}</id>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(absolute(config, page.url))}"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(alternate)}"/>
  <updated>${updated}</updated>
  <generator>Agora</generator>
${entries.join('\n')}
</feed>
`;
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
      content_html: String(post.html),
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
