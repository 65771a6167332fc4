import type { Diagnostic } from './diagnostics/diagnostic.js';
/** Plain records that cross the stages of the build. */

/** A file read from disk: its path relative to the project root and its text. */
export interface SourceFile {
  path: string;
  text: string;
  /** Set instead of `text` for a file too large to be read at all: its size in bytes. */
  unreadBytes?: number;
}

/** A date from front matter, kept as written and as a UTC instant. */
export interface ContentDate {
  /** As written, e.g. `2008-09-24` or `2013-01-25T14:05:00+01:00`. */
  iso: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** False when only the day is known. */
  hasTime: boolean;
}

/** Credit for an essay republished from elsewhere. */
export interface PostSource {
  title: string;
  url: string | null;
  /** The original is the canonical copy: search engines are pointed to `url`. */
  canonical: boolean;
}

/** An illustration shown at the top of an essay. */
export interface Cover {
  src: string;
  alt: string;
  caption: string | null;
}

/** An essay, validated from `content/posts/<slug>.md`. */
export interface Post {
  file: string;
  slug: string;
  title: string;
  date: ContentDate;
  updated: ContentDate | null;
  authorIds: string[];
  categories: string[];
  tags: string[];
  summary: string | null;
  draft: boolean;
  commentsOpen: boolean;
  source: PostSource | null;
  cover: Cover | null;
  /** Old addresses of the essay (site paths, `/2011/07/04/mon-billet/`): each gets a page that redirects to it. */
  aliases: string[];
  body: string;
  /** Line of the file on which the Markdown body starts. */
  bodyLine: number;
  /** Where each front-matter field stands in the file, for later messages. */
  positions: Record<string, { line: number; column: number }>;
}

/** A standalone page (« À propos », « Mentions légales »), validated from `content/pages/<path>.md`. */
export interface StandalonePage {
  file: string;
  /** Its path under the site, from the file's: `a-propos`, `mentions/contact` (a child of `mentions`). */
  path: string;
  title: string;
  summary: string | null;
  updated: ContentDate | null;
  /** Listed in the header's navigation, in the order of `menu` values (true counts as 0), then of titles. */
  menu: number | null;
  /** Readers may comment (`comments: true`; closed by default: a page is not a conversation). */
  commentsOpen: boolean;
  aliases: string[];
  body: string;
  bodyLine: number;
}

/** A link shown on an author's profile. */
export interface AuthorLink {
  label: string;
  url: string;
}

/** An author, validated from `content/authors/<id>.md`. */
export interface Author {
  file: string;
  id: string;
  name: string;
  avatar: string | null;
  website: string | null;
  links: AuthorLink[];
  bio: string;
  bodyLine: number;
}

/** The optional description of a category, from `content/categories/<slug>.md`. */
export interface CategoryInfo {
  file: string;
  slug: string;
  name: string | null;
  /** The slug of the category it sits in (`parent`), shown on its page. */
  parent: string | null;
  description: string;
  bodyLine: number;
}

/** Settings of the whole site, from `content/site.yml`. */
export interface SiteConfig {
  title: string;
  description: string;
  baseUrl: string;
  language: string;
  postsPerPage: number;
  /** The most recent essays each feed holds (as jekyll-feed's posts_limit). */
  feedEntries: number;
  /** Average reading speed used for reading times. */
  wordsPerMinute: number;
  /** IANA time zone in which dates with a time are shown (`Europe/Paris` by default). */
  timezone: string;
  comments: CommentSettings;
  /** Bounds on what a content file may hold, so that no file can take the build down. */
  limits: ContentLimits;
  /** The author `agora new` uses when none is given (an id of content/authors/). */
  defaultAuthor: string | null;
  /** The picture each page shows when it is shared (site.yml `cards`). */
  cards: CardSettings;
  /** How the photos of public/ are served (site.yml `images`): in several widths and formats. */
  images: ImageSettings;
}

/** The formats a photo is served in besides its own (site.yml `images.formats`). */
export type ModernImageFormat = 'avif' | 'webp';

/**
 * Responsive images (site.yml `images`): every photo an essay, a page, a cover or an avatar
 * shows is served in `<picture>`, in these widths (never wider than the photo) and formats,
 * with its own format as the fallback.
 */
export interface ImageSettings {
  enabled: boolean;
  /** Widths in pixels of the versions made for the text column (`srcset`). */
  widths: number[];
  /** Formats offered before the photo's own, best first. */
  formats: ModernImageFormat[];
  /** Quality of each lossy encoding, 1–100 (PNG stays lossless). */
  quality: { avif: number; webp: number; jpeg: number };
  /** How wide the text column is shown (`sizes`), from the theme's style sheet. */
  sizes: string;
}

/** Social cards (site.yml `cards`): on by default, in the theme's colours. */
export interface CardSettings {
  enabled: boolean;
  background: string;
  text: string;
  accent: string;
  muted: string;
}

/** How readers' comments reach the site (site.yml `comments`). */
export interface CommentSettings {
  /** Where forms post: another server's URL, or null for the site's own origin (`<base>commentaires`, as `agora serve` and `agora dev` answer). */
  endpoint: string | null;
  /** Show the comment form at all (false on a host that serves static files only and no comment server). */
  form: boolean;
  /** Comments wait in a queue for a moderator. */
  moderation: boolean;
  /** What approving does: rebuild the site here (`build`) or commit the comment files (`git`). */
  publish: 'build' | 'git';
  /** With `publish: git`, push the commits so that CI publishes them. */
  push: boolean;
}

/** Largest files and deepest nesting accepted (site.yml `limits`). */
export interface ContentLimits {
  /** Largest essay, author or category file, in KiB. */
  postKiB: number;
  /** Largest comment file, in KiB. */
  commentKiB: number;
  /** Deepest nesting of lists and quotes in Markdown. */
  nesting: number;
  /** Time allowed to convert one long body to HTML, in seconds (Hugo's `timeout`). */
  markdownSeconds: number;
}

/** A reader's comment, validated from `content/comments/<post-slug>/<id>.md`. */
export interface Comment {
  file: string;
  /** The file name: `[a-z0-9-]+`. */
  id: string;
  /** The folder name: the slug of the essay it belongs to. */
  postSlug: string;
  author: string;
  date: ContentDate;
  parent: string | null;
  website: string | null;
  body: string;
  bodyLine: number;
  positions: Record<string, { line: number; column: number }>;
}

/** A file of the built site: its path inside the output folder and its contents. */
export interface OutputFile {
  path: string;
  /** The file's contents, rendered by this call (a page's template runs each time), or what its template got wrong. */
  render(): Rendered;
  /** The key of the page's inputs, when the build keeps a manifest: equal keys, equal contents. */
  key?: string;
  /** The previous build wrote this very page (same key): it is linked from there, and rendered only if something needs its contents. */
  kept?: boolean;
}

/** What rendering a file gives: its contents, or the problem of its template. */
export type Rendered = { contents: string } | { diagnostic: Diagnostic };
