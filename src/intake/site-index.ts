import { readContent } from '../load/read-sources.js';
import { validateContent } from '../validate/validate-content.js';
import { routes } from '../graph/routes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';

/** What the comment server needs to know of the site: its essays and their comment ids. */
export interface SiteIndex {
  baseUrl: string;
  moderation: boolean;
  posts: Map<string, { url: string; commentsOpen: boolean; title: string }>;
  comments: Map<string, Set<string>>;
}

/** Reads the published essays and the ids of their published comments from content/. */
export async function loadSiteIndex(root: string, now = Date.now()): Promise<SiteIndex> {
  return (await readSiteIndex(root, now)).index;
}

/** The index and the errors of content/: a broken essay is left out, the others keep their comments. */
async function readSiteIndex(root: string, now: number): Promise<{ index: SiteIndex; errors: Diagnostic[] }> {
  const content = validateContent(await readContent(root));
  const base = new URL(content.config.baseUrl);
  const posts = new Map(
    content.posts
      .filter((post) => !post.draft && post.date.time <= now)
      .map((post) => [post.slug, {
        url: new URL(routes.post(post.slug).slice(1), base).href,
        commentsOpen: post.commentsOpen,
        title: post.title,
      }]),
  );
  const comments = new Map<string, Set<string>>();
  for (const comment of content.comments) {
    comments.set(comment.postSlug, (comments.get(comment.postSlug) ?? new Set()).add(comment.id));
  }
  const index = { baseUrl: content.config.baseUrl, moderation: content.config.comments.moderation, posts, comments };
  return { index, errors: content.diagnostics.filter((d) => d.severity === 'error') };
}

/**
 * Keeps the index fresh without reading content/ on every request. The errors of content/ are
 * logged once each (a broken essay is named once, not at every refresh); should reading fail
 * altogether, the last good index goes on serving.
 */
export function cachedSiteIndex(root: string, maxAgeMs = 2000, log: (line: string) => void = () => {}): () => Promise<SiteIndex> {
  let cached: { at: number; index: Promise<SiteIndex> } | null = null;
  let lastGood: SiteIndex | null = null;
  const logged = new Set<string>();
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > maxAgeMs) {
      const index = readSiteIndex(root, now).then(({ index: fresh, errors }) => {
        for (const line of errors.map(formatDiagnostic)) {
          if (!logged.has(line)) log(`Fichier en erreur, ignoré par le serveur : ${line}`);
          logged.add(line);
        }
        lastGood = fresh;
        return fresh;
      }, (error: unknown) => {
        cached = null;
        if (!lastGood) throw error;
        log(`Lecture de content/ impossible (${(error as Error).message}) : le serveur garde la liste précédente.`);
        return lastGood;
      });
      cached = { at: now, index };
    }
    return cached.index;
  };
}
