import type { RenderedMarkdown } from './processor.js';

/**
 * The HTML of a rendered body, held in memory or read on demand from the Markdown cache, so that
 * a build keeps no more bodies in memory than the pages it is rendering. `String(html)` (and a
 * Handlebars `{{{…}}}`) gives the text; `key` stands for it in page keys: the cache key of the
 * body's rendering, made of its Markdown, its kind and the pipeline's options, so that equal
 * keys always mean equal HTML, and a page's key never needs the text itself.
 */
export class HtmlText {
  private source: string | Uint8Array | (() => string);

  /** `source`: the text, its UTF-8 bytes, or how to read it. */
  constructor(readonly key: string, source: string | Uint8Array | (() => string)) {
    this.source = source;
  }

  /** The HTML; decoded or read again each time when it is held as bytes or lives on disk (nothing is kept). */
  toString(): string {
    if (typeof this.source === 'string') return this.source;
    if (typeof this.source === 'function') return this.source();
    return Buffer.from(this.source.buffer, this.source.byteOffset, this.source.byteLength).toString('utf8');
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
