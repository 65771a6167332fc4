import { readContent } from '../load/read-sources.js';
import { validateContent } from '../validate/validate-content.js';
import { routes } from '../graph/routes.js';

/** What the comment server needs to know of the site: its essays and their comment ids. */
export interface SiteIndex {
  baseUrl: string;
  moderation: boolean;
  posts: Map<string, { url: string; commentsOpen: boolean; title: string }>;
  comments: Map<string, Set<string>>;
}

/** Reads the published essays and the ids of their published comments from content/. */
export async function loadSiteIndex(root: string, now = Date.now()): Promise<SiteIndex> {
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
  return { baseUrl: content.config.baseUrl, moderation: content.config.comments.moderation, posts, comments };
}

/** Keeps the index fresh without reading content/ on every request. */
export function cachedSiteIndex(root: string, maxAgeMs = 2000): () => Promise<SiteIndex> {
  let cached: { at: number; index: Promise<SiteIndex> } | null = null;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > maxAgeMs) {
      const index = loadSiteIndex(root, now);
      cached = { at: now, index };
      index.catch(() => { cached = null; });
    }
    return cached.index;
  };
}
