import { escapeHtml } from './escape.js';

/** One entry of an Atom feed: what the site's feeds and the private moderation feed both say. */
export interface AtomEntry {
  title: string;
  id: string;
  /** The page the entry stands for. */
  alternate: string;
  /** RFC 3339 dates. */
  published?: string;
  updated: string;
  authors: { name: string; uri?: string }[];
  categories?: { term: string; label: string; scheme: string }[];
  summary?: string;
  /** HTML, escaped here; `base` resolves its relative links. */
  content: { html: string; base?: string };
}

/** An Atom 1.0 feed: its head and entries. */
export interface AtomFeed {
  language: string;
  title: string;
  subtitle?: string;
  id: string;
  self: string;
  alternate: string;
  updated: string;
  entries: AtomEntry[];
}

/** The one Atom writer: every text is escaped here, so `<`, `&` and quotes survive, and titles are plain text. */
export function atomFeed(feed: AtomFeed): string {
  const entries = feed.entries.map((entry) => [
    '  <entry>',
    `    <title type="text">${escapeHtml(entry.title)}</title>`,
    `    <id>${escapeHtml(entry.id)}</id>`,
    `    <link rel="alternate" type="text/html" href="${escapeHtml(entry.alternate)}"/>`,
    ...(entry.published ? [`    <published>${entry.published}</published>`] : []),
    `    <updated>${entry.updated}</updated>`,
    ...entry.authors.map((author) => `    <author><name>${escapeHtml(author.name)}</name>${author.uri ? `<uri>${escapeHtml(author.uri)}</uri>` : ''}</author>`),
    ...(entry.categories ?? []).map((term) => `    <category term="${escapeHtml(term.term)}" label="${escapeHtml(term.label)}" scheme="${escapeHtml(term.scheme)}"/>`),
    ...(entry.summary !== undefined ? [`    <summary type="text">${escapeHtml(entry.summary)}</summary>`] : []),
    `    <content type="html"${entry.content.base ? ` xml:base="${escapeHtml(entry.content.base)}"` : ''}>${escapeHtml(entry.content.html)}</content>`,
    '  </entry>',
  ].join('\n'));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(feed.language)}">
  <title type="text">${escapeHtml(feed.title)}</title>
${feed.subtitle ? `  <subtitle type="text">${escapeHtml(feed.subtitle)}</subtitle>\n` : ''}  <id>${escapeHtml(feed.id)}</id>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(feed.self)}"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(feed.alternate)}"/>
  <updated>${feed.updated}</updated>
  <generator>Agora</generator>
${entries.join('\n')}
</feed>
`;
}
