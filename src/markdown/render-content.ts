import type { Author, CategoryInfo, Comment, Post } from '../records.js';
import { createCommentProcessor, createEssayProcessor, renderMarkdown, type RenderedMarkdown } from './processor.js';

/**
 * Renders the Markdown of every essay, author bio and category description with the essay
 * processor, and every comment with the stricter comment processor; keyed by file.
 */
export function renderContentMarkdown(content: {
  posts: readonly Post[];
  authors: readonly Author[];
  categories: readonly CategoryInfo[];
  comments: readonly Comment[];
}): Map<string, RenderedMarkdown> {
  const essays = createEssayProcessor();
  const comments = createCommentProcessor();
  const rendered = new Map<string, RenderedMarkdown>();
  for (const item of [...content.posts, ...content.authors.map(asBody), ...content.categories.map(asBody)]) {
    rendered.set(item.file, renderMarkdown(essays, item));
  }
  for (const comment of content.comments) rendered.set(comment.file, renderMarkdown(comments, comment));
  return rendered;
}

function asBody(record: Author | CategoryInfo): { file: string; body: string; bodyLine: number } {
  return { file: record.file, body: 'bio' in record ? record.bio : record.description, bodyLine: record.bodyLine };
}
