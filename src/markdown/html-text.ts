import type { RenderedMarkdown } from './processor.js';

/**
 * The HTML of a rendered body, held in memory or read on demand from the Markdown cache, so that
 * a build keeps no more bodies in memory than the pages it is rendering. `String(html)` (and a
 * Handlebars `{{{…}}}`) gives the text; `key` stands for it in page keys: the cache key of the
 * body's rendering, made of its Markdown, its kind and the pipeline's options, so that equal
 * keys always mean equal HTML, and a page's key never needs the text itself.
 */
export class HtmlText {
  private source: string | (() => string);

  constructor(readonly key: string, source: string | (() => string)) {
    this.source = source;
  }

  /** The HTML; read again each time when it lives on disk (nothing is kept). */
  toString(): string {
    return typeof this.source === 'string' ? this.source : this.source();
  }

  /** Lets go of the text in memory once it is saved where `read` finds it (markdown-store.ts). */
  readFrom(read: () => string): void {
    this.source = read;
  }
}

/** A body's HTML as the site graph holds it: '' when the body renders to nothing, so that templates' `{{#if}}` still tell. */
export type BodyHtml = HtmlText | '';

/** A rendered body as the site uses it: its HTML in memory or on disk, read when a page needs it. */
export interface MarkdownOutput extends Omit<RenderedMarkdown, 'html'> {
  html: BodyHtml;
}
