import { isPostPage, type Page } from '../graph/pages.js';
import type { SitePost } from '../graph/site.js';
import type { SiteConfig } from '../records.js';
import { absolute } from './feeds.js';
import { rfc3339 } from '../dates.js';
import { CARD_SIZE } from '../graph/cards.js';

/** What the layout puts in `<head>`: canonical URL, Open Graph, feeds and JSON-LD. */
export interface HeadView {
  canonical: string | null;
  noindex: boolean;
  ogType: 'website' | 'article';
  ogImage: string | null;
  /** Set for a social card: its size and what it shows. */
  ogImageSize: { width: number; height: number } | null;
  ogImageAlt: string | null;
  /** `summary_large_image` with a card, `summary` otherwise. */
  twitterCard: 'summary' | 'summary_large_image';
  published: string | null;
  modified: string | null;
  authors: string[];
  feeds: { title: string; url: string; type: string }[];
  /** Serialized JSON-LD, safe inside `<script>`; null when the page has none. */
  jsonLd: string | null;
}

/** Builds the head of a page from its data. */
export function headView(page: Page, config: SiteConfig): HeadView {
  const post = isPostPage(page) ? page.data.post : null;
  const card = page.head.card;
  return {
    canonical: page.head.canonical ? absolute(config, page.head.canonical) : null,
    noindex: page.head.noindex,
    ogType: page.head.type,
    ogImage: card ? absolute(config, card.url) : page.head.image ? absolute(config, page.head.image) : null,
    ogImageSize: card ? CARD_SIZE : null,
    ogImageAlt: card?.alt ?? null,
    twitterCard: card ? 'summary_large_image' : 'summary',
    published: page.head.published ? rfc3339(page.head.published) : null,
    modified: page.head.modified ? rfc3339(page.head.modified) : null,
    authors: page.head.authors,
    feeds: page.head.feeds,
    jsonLd: post ? serializeJsonLd(blogPosting(post, config, page.head.canonical ?? post.url, card?.url)) : null,
  };
}

/** schema.org BlogPosting of an essay, with its authors as Person. */
export function blogPosting(post: SitePost, config: SiteConfig, canonical: string, card?: string): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    description: post.excerpt,
    url: absolute(config, post.url),
    mainEntityOfPage: absolute(config, canonical),
    inLanguage: config.language,
    datePublished: post.date.iso,
    dateModified: (post.updated ?? post.date).iso,
    author: post.authors.map((author) => ({ '@type': 'Person', name: author.name, url: absolute(config, author.url) })),
    publisher: { '@type': 'Organization', name: config.title, url: config.baseUrl },
    commentCount: post.commentCount,
    wordCount: post.words,
    ...(post.categories.length ? { articleSection: post.categories.map((ref) => ref.name) } : {}),
    ...(post.tags.length ? { keywords: post.tags.map((ref) => ref.name).join(', ') } : {}),
    ...(card ? { image: absolute(config, card) } : post.cover ? { image: absolute(config, post.cover.src) } : {}),
  };
}

/** JSON that cannot close its `<script>` element: `<`, `>` and `&` are escaped. */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
