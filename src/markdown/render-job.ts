import type { MarkdownOptions, RenderedMarkdown } from './options.js';
import { createCommentProcessor, createEssayProcessor, renderMarkdown } from './processor.js';

/** One Markdown body to render: essays, bios and descriptions use the essay pipeline, comments theirs. */
export interface MarkdownJob {
  kind: 'essay' | 'comment';
  file: string;
  body: string;
  bodyLine: number;
  /** Every image lazy, the first too: the page shows a cover above this body (an essay with `cover`). */
  belowCover?: boolean;
}

const processors = new Map<string, { essay: ReturnType<typeof createEssayProcessor>; comment: ReturnType<typeof createCommentProcessor> }>();

/** Renders one job; the frozen processors are built once per process and per options. */
export function renderJob(job: MarkdownJob, options: MarkdownOptions): RenderedMarkdown {
  const key = JSON.stringify([options.frenchTypography, options.links]);
  let pair = processors.get(key);
  if (!pair) processors.set(key, (pair = { essay: createEssayProcessor(options), comment: createCommentProcessor(options) }));
  return renderMarkdown(pair[job.kind], job, options.maxNesting);
}
