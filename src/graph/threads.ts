import { compareText } from '../diagnostics/diagnostic.js';
import { stripBidiControls } from '../markdown/defuse-comment.js';
import type { BodyHtml } from '../markdown/html-text.js';
import type { Comment, ContentDate } from '../records.js';
import { isHttpUrl } from '../validate/fields.js';

/**
 * Deepest level that is still indented; deeper replies are drawn at this level and say which
 * comment they answer (« en réponse à … »), so threads stay readable on a phone.
 */
export const MAX_INDENT_DEPTH = 3;

/** A comment placed in its thread, ready to show. */
export interface ThreadComment {
  id: string;
  /** The fragment of its anchor: `commentaire-<id>`. */
  anchor: string;
  author: string;
  /** An http(s) website, or null: anything else is never shown. */
  website: string | null;
  date: ContentDate;
  html: BodyHtml;
  /** 1 for a comment on the essay, 2 for a reply, and so on. */
  depth: number;
  parent: { id: string; anchor: string; author: string } | null;
  /** True when the reply is too deep to be indented and names its parent instead. */
  showParent: boolean;
  replies: ThreadComment[];
}

/** Orders comments oldest first; ties (same instant) by id, so the order never depends on the disk. */
export function oldestFirst(a: Comment, b: Comment): number {
  return a.date.time - b.date.time || compareText(a.id, b.id);
}

/**
 * Builds the nested thread of one essay's comments. Comments whose parent is missing or which
 * sit in a loop of parents are reported by validation; here they are simply not reached.
 */
export function buildThread(comments: readonly Comment[], htmlOf: (comment: Comment) => BodyHtml, typeset: (text: string) => string = (text) => text): ThreadComment[] {
  const ids = new Set(comments.map((comment) => comment.id));
  const children = new Map<string | null, Comment[]>();
  for (const comment of [...comments].sort(oldestFirst)) {
    const key = comment.parent !== null && ids.has(comment.parent) ? comment.parent : null;
    if (comment.parent !== null && key === null) continue;
    children.set(key, [...(children.get(key) ?? []), comment]);
  }
  const place = (comment: Comment, depth: number, parent: ThreadComment | null): ThreadComment => {
    const node: ThreadComment = {
      id: comment.id,
      anchor: `commentaire-${comment.id}`,
      author: typeset(stripBidiControls(comment.author).trim()) || 'Anonyme',
      website: comment.website !== null && isHttpUrl(comment.website) ? stripBidiControls(comment.website) : null,
      date: comment.date,
      html: htmlOf(comment),
      depth,
      parent: parent ? { id: parent.id, anchor: parent.anchor, author: parent.author } : null,
      showParent: depth > MAX_INDENT_DEPTH,
      replies: [],
    };
    node.replies = (children.get(comment.id) ?? []).map((reply) => place(reply, depth + 1, node));
    return node;
  };
  return (children.get(null) ?? []).map((comment) => place(comment, 1, null));
}

/** Counts the comments of a thread, replies included. */
export function countComments(thread: readonly ThreadComment[]): number {
  return thread.reduce((sum, comment) => sum + 1 + countComments(comment.replies), 0);
}
