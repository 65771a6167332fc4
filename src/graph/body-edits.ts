import type { MarkdownOutput } from '../markdown/html-text.js';
import type { Post } from '../records.js';
import { isPostPage, type Page } from './pages.js';
import { bodyFields, type Site } from './site.js';

/** An essay whose body alone changed (site.ts's sameOutline): its new record and its rendered body. */
export interface BodyEdit {
  record: Post;
  markdown: MarkdownOutput;
}

/**
 * The graph after edits that changed essays' bodies alone: each essay's entry takes its new
 * body fields (site.ts's bodyFields, the same rule as a whole build), and its page the new
 * description; every list, feed and neighbour that shows the essay reads that same entry or
 * none of its body, so no other page changes. Updated in place: `site` and `pages` are those
 * of a compilation that the caller replaces by this one (compile.ts, `previous`).
 */
export function applyBodyEdits(site: Site, pages: readonly Page[], edits: readonly BodyEdit[]): void {
  for (const { record, markdown } of edits) {
    const entry = site.posts.find((post) => post.file === record.file);
    if (!entry) continue;
    Object.assign(entry, bodyFields(record, markdown, site.config));
    const page = pages.find((candidate) => isPostPage(candidate) && candidate.data.post === entry);
    if (page) page.description = entry.excerpt;
  }
}
