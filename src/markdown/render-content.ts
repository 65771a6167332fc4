import type { Author, CategoryInfo, Post } from '../records.js';
import { createEssayProcessor, renderMarkdown, type RenderedMarkdown } from './processor.js';

/** Renders the Markdown of every essay, author bio and category description, keyed by file. */
export function renderContentMarkdown(content: {
  posts: readonly Post[];
  authors: readonly Author[];
  categories: readonly CategoryInfo[];
}): Map<string, RenderedMarkdown> {
  const processor = createEssayProcessor();
  const rendered = new Map<string, RenderedMarkdown>();
  for (const item of [...content.posts, ...content.authors.map(asBody), ...content.categories.map(asBody)]) {
    rendered.set(item.file, renderMarkdown(processor, item));
  }
  return rendered;
}

function asBody(record: Author | CategoryInfo): { file: string; body: string; bodyLine: number } {
  return { file: record.file, body: 'bio' in record ? record.bio : record.description, bodyLine: record.bodyLine };
}
