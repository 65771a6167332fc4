import path from 'node:path';
import { validateConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { watchProject } from '../dev/watch.js';
import { routes } from '../graph/routes.js';
import { contentFolderOf, readContent, readOptional } from '../load/read-sources.js';
import type { Comment, Post, SiteConfig, StandalonePage } from '../records.js';
import { pageThreadKey } from '../validate/page.js';
import type { Validated } from '../validate/post.js';
import { validateContent, validateFile } from '../validate/validate-content.js';

/** What the comment server needs to know of the site: its essays and their comment ids. */
export interface SiteIndex {
  baseUrl: string;
  /** The site's time zone: comment files are dated in it. */
  timezone: string;
  moderation: boolean;
  posts: Map<string, { url: string; commentsOpen: boolean; title: string }>;
  comments: Map<string, Set<string>>;
}

/** Which essays take comments: the published ones, and in `agora dev` drafts and future essays too. */
export interface IndexScope {
  drafts?: boolean;
  future?: boolean;
}

/** The index of validated records as of `now` (`agora dev` makes it from its own compiled site). */
export function siteIndexOf(config: SiteConfig, records: Iterable<Post>, published: Iterable<Comment>, now: number, scope: IndexScope, pages: Iterable<StandalonePage> = []): SiteIndex {
  const base = new URL(config.baseUrl);
  const posts: SiteIndex['posts'] = new Map();
  for (const post of [...records].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if ((post.draft && !scope.drafts) || (post.date.time > now && !scope.future) || posts.has(post.slug)) continue;
    posts.set(post.slug, { url: new URL(routes.post(post.slug).slice(1), base).href, commentsOpen: post.commentsOpen, title: post.title });
  }
  // A page's thread goes by its folder in content/comments/ (page--<path>), as an essay's by its slug.
  for (const page of pages) {
    posts.set(pageThreadKey(page.path), { url: new URL(routes.page(page.path).slice(1), base).href, commentsOpen: page.commentsOpen, title: page.title });
  }
  const comments: SiteIndex['comments'] = new Map();
  for (const comment of published) {
    comments.set(comment.postSlug, (comments.get(comment.postSlug) ?? new Set()).add(comment.id));
  }
  return { baseUrl: config.baseUrl, timezone: config.timezone, moderation: config.comments.moderation, posts, comments };
}

/** Reads the published essays and the ids of their published comments from content/, once. */
export async function loadSiteIndex(root: string, now = Date.now()): Promise<SiteIndex> {
  const records = new IndexRecords();
  await records.readAll(root);
  return records.index(now, {});
}

/**
 * The validated records the index is made from, by file: replaced one file at a time as the
 * watcher reports changes, so that an edit costs one file, not a re-read of content/.
 */
class IndexRecords {
  config: SiteConfig = validateConfig(null).config;
  posts = new Map<string, Post>();
  pages = new Map<string, StandalonePage>();
  comments = new Map<string, Comment>();
  /** The errors of content/, by file. */
  errors = new Map<string, Diagnostic[]>();

  async readAll(root: string): Promise<void> {
    const content = validateContent(await readContent(root));
    this.config = content.config;
    this.posts = new Map(content.posts.map((post) => [post.file, post]));
    this.pages = new Map(content.pages.map((page) => [page.file, page]));
    this.comments = new Map(content.comments.map((comment) => [comment.file, comment]));
    this.errors = new Map();
    for (const diagnostic of content.diagnostics.filter((d) => d.severity === 'error')) {
      this.errors.set(diagnostic.file, [...(this.errors.get(diagnostic.file) ?? []), diagnostic]);
    }
  }

  /** Reads and validates one file of content/ again (or forgets it when it is gone). */
  async update(root: string, file: string): Promise<void> {
    const source = await readOptional(root, file);
    this.posts.delete(file);
    this.pages.delete(file);
    this.comments.delete(file);
    this.errors.delete(file);
    if (!source) return;
    let diagnostics: Diagnostic[];
    const folder = contentFolderOf(file);
    if (file === 'content/site.yml') {
      ({ config: this.config, diagnostics } = validateConfig(source));
    } else if (folder === 'posts') {
      // The build's own validation of one file, size limit included (validate-content.ts).
      diagnostics = keep(this.posts, file, validateFile('post', source, this.config));
    } else if (folder === 'pages') {
      diagnostics = keep(this.pages, file, validateFile('page', source, this.config));
    } else if (folder === 'comments') {
      diagnostics = keep(this.comments, file, validateFile('comment', source, this.config));
    } else {
      return;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) this.errors.set(file, errors);
  }

  /** The index as of `now`: essays dated later are left out until their time comes. */
  index(now: number, scope: IndexScope): SiteIndex {
    return siteIndexOf(this.config, this.posts.values(), this.comments.values(), now, scope, this.pages.values());
  }

  /** When the index changes by itself: the next scheduled essay's time (Infinity when none). */
  nextChange(now: number, scope: IndexScope): number {
    if (scope.future) return Infinity;
    let next = Infinity;
    for (const post of this.posts.values()) if (post.date.time > now && post.date.time < next) next = post.date.time;
    return next;
  }
}

/** Keeps a file's record when it validated; gives its diagnostics. */
function keep<T>(records: Map<string, T>, file: string, result: Validated<T>): Diagnostic[] {
  if (result.record) records.set(file, result.record);
  return result.diagnostics;
}

/** The comment server's view of the site, kept current by a watcher on content/. */
export interface LiveSiteIndex {
  /** Starts following content/ (done by the first `get` otherwise): a server calls it once it listens. */
  start(): Promise<void>;
  /** The index as of now. */
  get(): Promise<SiteIndex>;
  /** Files read since the start, whole reads of content/ aside (tests check that an edit costs one file). */
  readonly filesRead: number;
  close(): Promise<void>;
}

/**
 * Reads content/ once (when started), then follows it with chokidar: an essay added, edited, closed or removed
 * changes the index within moments, at the cost of that one file. The errors of content/ are
 * logged once each; a broken essay is left out, the others keep taking comments.
 */
export function watchSiteIndex(root: string, options: IndexScope & { log?: (line: string) => void; now?: () => number } = {}): LiveSiteIndex {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const records = new IndexRecords();
  const logged = new Set<string>();
  let cached: { index: SiteIndex; until: number } | null = null;
  let filesRead = 0;
  let loaded = false;
  let updates = Promise.resolve();
  const logErrors = () => {
    for (const line of [...records.errors.values()].flat().map(formatDiagnostic)) {
      if (!logged.has(line)) log(`Fichier en erreur, ignoré par le serveur : ${line}`);
      logged.add(line);
    }
  };
  let watcher: ReturnType<typeof watchProject> | null = null;
  let ready: Promise<void> | null = null;
  /** Starts watching, then reads content/ once; a file written meanwhile is read again after it, never missed. */
  const start = (): Promise<void> => {
    ready ??= (async () => {
      const events = watchProject(root, [path.join(root, 'content')], (change) => {
        updates = updates.then(() => records.update(root, change.path)).then(() => {
          filesRead += 1;
          cached = null;
          logErrors();
        }, (error: unknown) => log(`Lecture de ${change.path} impossible (${(error as Error).message}) : le serveur garde la version précédente.`));
      });
      watcher = events;
      await new Promise<void>((resolve) => events.once('ready', () => resolve()));
      updates = updates.then(() => records.readAll(root)).then(() => {
        loaded = true;
        logErrors();
      }, (error: unknown) => log(`Lecture de content/ impossible : ${(error as Error).message}`));
      await updates;
    })();
    return ready;
  };
  return {
    start,
    async get() {
      await start();
      await updates;
      if (!loaded) throw new Error('content/ n\'a pas pu être lu au démarrage du serveur');
      const at = now();
      if (!cached || at >= cached.until) cached = { index: records.index(at, options), until: records.nextChange(at, options) };
      return cached.index;
    },
    get filesRead() {
      return filesRead;
    },
    async close() {
      await ready?.catch(() => {});
      await watcher?.close();
    },
  };
}
