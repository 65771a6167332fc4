import type { Author, CategoryInfo, Comment, Post, StandalonePage } from '../records.js';
import type { MarkdownOutput } from './html-text.js';
import type { MarkdownStore } from './markdown-store.js';
import type { MarkdownOptions } from './options.js';
import type { MarkdownJob } from './render-job.js';
import { renderInParallel, threadsFor } from './worker-pool.js';

/** Validated records whose Markdown the site shows. */
export interface MarkdownContent {
  posts: readonly Post[];
  authors: readonly Author[];
  categories: readonly CategoryInfo[];
  comments: readonly Comment[];
  pages?: readonly StandalonePage[];
}

/** Lists the Markdown bodies of the content. */
export function markdownJobs(content: MarkdownContent): MarkdownJob[] {
  return [
    ...content.posts.map((post) => ({ kind: 'essay' as const, file: post.file, body: post.body, bodyLine: post.bodyLine, ...(post.cover ? { belowCover: true } : {}) })),
    ...content.authors.map((author) => ({ kind: 'essay' as const, file: author.file, body: author.bio, bodyLine: author.bodyLine })),
    ...content.categories.map((info) => ({ kind: 'essay' as const, file: info.file, body: info.description, bodyLine: info.bodyLine })),
    ...content.comments.map((comment) => ({ kind: 'comment' as const, file: comment.file, body: comment.body, bodyLine: comment.bodyLine })),
    ...(content.pages ?? []).map((page) => ({ kind: 'essay' as const, file: page.file, body: page.body, bodyLine: page.bodyLine })),
  ];
}

/**
 * The Markdown stage: renders every essay, author bio, category description, comment and page, keyed
 * by file. Bodies found in the store (by their text and the pipeline's options) are not rendered
 * again; the others are rendered over all cores, then stored.
 */
export async function renderContentMarkdown(content: MarkdownContent, options: MarkdownOptions, store: MarkdownStore, progress?: (stage: string) => void): Promise<Map<string, MarkdownOutput>> {
  const rendered = new Map<string, MarkdownOutput>();
  const misses: MarkdownJob[] = [];
  const optionsKey = store.optionsKey(options);
  for (const job of markdownJobs(content)) {
    const cached = store.get(job, optionsKey, options);
    if (cached) rendered.set(job.file, cached);
    else misses.push(job);
  }
  const threads = threadsFor(misses.length);
  const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
  progress?.(`conversion Markdown de ${plural(misses.length, 'texte')} (${rendered.size} repris du cache, ${plural(threads, 'fil')})`);
  // Each body goes to the store as it arrives: its HTML to a file, so no more than a batch is held.
  const outputs = await renderInParallel(misses, options, { keep: (result, index) => store.set(misses[index]!, optionsKey, options, result) });
  misses.forEach((job, index) => rendered.set(job.file, outputs[index]!));
  return rendered;
}
