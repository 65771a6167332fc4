import type { RenderedMarkdown } from './options.js';

/**
 * The HTML of a rendered body, read when a page needs it (markdown-store.ts keeps it in a file
 * of its cache), so that a build keeps no more bodies in memory than the pages it is rendering.
 * `String(html)` (and a Handlebars `{{{…}}}`) gives the text; `key` stands for it in page keys:
 * the cache key of the body's rendering, made of its Markdown, its kind and the pipeline's
 * options, so that equal keys always mean equal HTML, and a page's key never needs the text.
 */
export class HtmlText {
  constructor(readonly key: string, private readonly read: () => string) {}

  toString(): string {
    return this.read();
  }
}

/**
 * The longest excerpt of an essay or page drawn from its first paragraph (graph/site.ts's
 * truncate). The Markdown stage keeps one character more of it, enough to tell that it was cut:
 * at 10 000 essays, whole first paragraphs held until the last page was written.
 */
export const EXCERPT_LENGTH = 280;

/** A body's HTML as the site graph holds it: '' when the body renders to nothing, so that templates' `{{#if}}` still tell. */
export type BodyHtml = HtmlText | '';

/** A rendered body as the site uses it: its HTML read when a page needs it. */
export interface MarkdownOutput extends Omit<RenderedMarkdown, 'html'> {
  html: BodyHtml;
}
