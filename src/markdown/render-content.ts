import type { Author, CategoryInfo, Comment, Post } from '../records.js';
import { createCommentProcessor, createEssayProcessor, renderMarkdown, type RenderedMarkdown } from './processor.js';

/** Rendered Markdown kept by file with the body it came from (dev server). */
export type MarkdownCache = Map<string, { body: string; bodyLine: number; result: RenderedMarkdown }>;

let processors: { essays: ReturnType<typeof createEssayProcessor>; comments: ReturnType<typeof createCommentProcessor> } | null = null;

/**
 * Renders the Markdown of every essay, author bio and category description with the essay
 * processor, and every comment with the stricter comment processor; keyed by file. With a
 * cache, a body that has not changed is not parsed again.
 */
export function renderContentMarkdown(
  content: { posts: readonly Post[]; authors: readonly Author[]; categories: readonly CategoryInfo[]; comments: readonly Comment[] },
  cache?: MarkdownCache,
): Map<string, RenderedMarkdown> {
  // The processors are frozen and stateless: built once per process.
  const { essays, comments } = (processors ??= { essays: createEssayProcessor(), comments: createCommentProcessor() });
  const rendered = new Map<string, RenderedMarkdown>();
  const render = (processor: typeof essays, item: { file: string; body: string; bodyLine: number }) => {
    const cached = cache?.get(item.file);
    const result = cached && cached.body === item.body && cached.bodyLine === item.bodyLine ? cached.result : renderMarkdown(processor, item);
    cache?.set(item.file, { body: item.body, bodyLine: item.bodyLine, result });
    rendered.set(item.file, result);
  };
  for (const item of [...content.posts, ...content.authors.map(asBody), ...content.categories.map(asBody)]) render(essays, item);
  for (const comment of content.comments) render(comments, comment);
  return rendered;
}

function asBody(record: Author | CategoryInfo): { file: string; body: string; bodyLine: number } {
  return { file: record.file, body: 'bio' in record ? record.bio : record.description, bodyLine: record.bodyLine };
}
