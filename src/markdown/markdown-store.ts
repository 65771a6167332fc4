import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureFolder, openCacheFile, writeAtomicallySync, type CacheFile } from '../cache/cache-file.js';
import { hashBytes } from '../cache/file-hashes.js';
import { cacheFileKey, markdownOptionsKey, markdownKey } from '../cache/keys.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { HtmlText, type BodyHtml, type MarkdownOutput } from './html-text.js';
import type { MarkdownOptions, RenderedMarkdown } from './options.js';
import type { MarkdownJob } from './render-job.js';
import { prepareRenderNow, renderNow } from './render-now.js';

/** The layout of the entries' files, with Agora's code; each entry's key also holds the pipeline's optionsKey. */
const STORE_KEY = cacheFileKey('markdown-5');

/**
 * HTML shorter than this (in UTF-8 bytes) is kept in its entry: most comments, bios and
 * descriptions. Creating a file costs about 0.2 ms of the system's time here, as much as
 * rendering a short comment: 3 845 files at 1 000 essays made a cold build 1 s slower.
 */
const INLINE_BYTES = 4096;

/**
 * A rendered body as stored: its diagnostics without their file (set again when it is used),
 * and its HTML: short, in the entry; longer, the hash that names its file; null when the body
 * renders to nothing.
 */
interface Entry extends Omit<RenderedMarkdown, 'html' | 'diagnostics'> {
  diagnostics: Omit<Diagnostic, 'file'>[];
  html: { inline: string } | { hash: string } | null;
}

/**
 * The persistent cache of rendered Markdown (`.cache/agora/markdown/`), in two parts:
 * - the entries, by key (cache/keys.ts's `markdownKey`: the body, its kind and the pipeline's
 *   options with Agora's code), in the sealed bucket files of cache/cache-file.ts;
 * - the HTML: short, in its entry; longer, one file per distinct HTML, named by the SHA-1 of its
 *   bytes (`html/<hash>.html`), written as soon as a body is rendered, read when a page needs it.
 * A file is checked against its name when read: changed, cut short or gone, the body is
 * rendered again from its Markdown and the file written anew, never served. Only what a build
 * used is kept, so the cache never grows stale; deleting it is always safe. Without a folder
 * (--no-cache), the HTML is held in memory, as UTF-8.
 */
export class MarkdownStore {
  /** The entries this build used, read or rendered: what save() keeps. */
  private readonly used = new Map<string, Entry>();
  /** The HTML by hash when the store has no folder. */
  private readonly memory = new Map<string, Buffer>();
  hits = 0;
  misses = 0;
  private reread: ((file: string) => string) | null = null;

  private constructor(private readonly htmlFolder: string | null, private readonly file: CacheFile<Entry> | null, private readonly code: string | undefined) {}

  /**
   * Opens the store in `folder` (`.cache/agora/`); null keeps everything in memory (--no-cache,
   * or a preview without cache). `code` stands for Agora's code key (tests).
   */
  static async open(folder: string | null, code?: string): Promise<MarkdownStore> {
    await prepareRenderNow();
    if (!folder) return new MarkdownStore(null, null, code);
    const storeFolder = path.join(folder, 'markdown');
    const file = await openCacheFile<Entry>(storeFolder, STORE_KEY);
    const htmlFolder = path.join(storeFolder, 'html');
    await ensureFolder(htmlFolder);
    return new MarkdownStore(htmlFolder, file, code);
  }

  /** The optionsKey of a pipeline's options and Agora's code, which every key of its jobs holds (cache/keys.ts). */
  optionsKey(options: MarkdownOptions): string {
    return markdownOptionsKey(options, this.code);
  }

  /** The cached rendering of a job by a pipeline (its optionsKey, `options`), or undefined. */
  get(job: MarkdownJob, optionsKey: string, options: MarkdownOptions): MarkdownOutput | undefined {
    const key = markdownKey(job, optionsKey);
    const entry = this.used.get(key) ?? this.file?.entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.used.set(key, entry);
    return this.output(key, entry, job, options);
  }

  /** Keeps a job's rendering by a pipeline (its optionsKey, `options`): its HTML goes to its file now. */
  set(job: MarkdownJob, optionsKey: string, options: MarkdownOptions, result: RenderedMarkdown): MarkdownOutput {
    const key = markdownKey(job, optionsKey);
    const { html, diagnostics, ...rest } = result;
    const stored = { ...rest, diagnostics: diagnostics.map(({ file: _file, ...d }) => d) };
    const kept = !html ? null : Buffer.byteLength(html) < INLINE_BYTES ? { inline: html } : { hash: this.keepHtml(html) };
    const entry: Entry = { ...stored, html: kept };
    this.used.set(key, entry);
    return this.output(key, entry, job, options);
  }

  /** Writes the entries this build used (only the bucket files that changed), and removes the HTML files none of them names. */
  async save(): Promise<void> {
    if (!this.file || !this.htmlFolder) return;
    await this.file.save(this.used);
    const named = new Set<string>();
    for (const { html } of this.used.values()) if (html && 'hash' in html) named.add(`${html.hash}.html`);
    const present = await readdir(this.htmlFolder).catch(() => []);
    await Promise.all(present.filter((name) => !named.has(name)).map((name) => rm(path.join(this.htmlFolder!, name), { recursive: true, force: true })));
  }

  /** A body as the site uses it: diagnostics in the job's file, and HTML read when a page asks for it. */
  private output(key: string, entry: Entry, job: MarkdownJob, options: MarkdownOptions): MarkdownOutput {
    const { html: stored, diagnostics, ...rest } = entry;
    let html: BodyHtml = '';
    if (stored && 'inline' in stored) html = new HtmlText(key, () => stored.inline);
    else if (stored) html = this.fileHtml(key, stored.hash, this.reread ? lightJob(job, this.reread) : () => job, options);
    return { ...rest, diagnostics: diagnostics.map((d) => ({ ...d, file: job.file })), html };
  }

  /**
   * HTML kept in a file, read when a page asks for it, rendered again from `again()` if the file
   * was damaged since. A function of its own: a closure keeps its whole scope alive, and the
   * scope of output() holds the job and its body.
   */
  private fileHtml(key: string, hash: string, again: () => MarkdownJob, options: MarkdownOptions): HtmlText {
    return new HtmlText(key, () => this.readHtml(hash) ?? this.renderAgain(again(), options));
  }

  /** Keeps HTML under its hash (in its file, or in memory), and gives the hash. */
  private keepHtml(html: string): string {
    const bytes = Buffer.from(html, 'utf8');
    const hash = hashBytes(bytes);
    // Written at once, so that the file is there as soon as a page may ask for it; a failure
    // to write only means the body is rendered again when read.
    if (this.htmlFolder) writeAtomicallySync(path.join(this.htmlFolder, `${hash}.html`), bytes);
    else this.memory.set(hash, bytes);
    return hash;
  }

  /**
   * From now on, the HTML read from a file does not keep its body in memory in case the file is
   * found damaged: `reread` gives a body again from its source file (a build, which lets the
   * Markdown texts go once the Markdown stage is over: `letTextsGo` in compile.ts).
   */
  rereadBodiesWith(reread: (file: string) => string): void {
    this.reread = reread;
  }

  /** The HTML of a hash, or null when its file no longer holds it (changed, cut short, gone, a folder). */
  private readHtml(hash: string): string | null {
    const kept = this.memory.get(hash);
    if (kept) return kept.toString('utf8');
    if (!this.htmlFolder) return null;
    try {
      const bytes = readFileSync(path.join(this.htmlFolder, `${hash}.html`));
      return hashBytes(bytes) === hash ? bytes.toString('utf8') : null;
    } catch {
      return null;
    }
  }

  /** A body whose HTML file was damaged since: rendered again, and its file written anew. */
  private renderAgain(job: MarkdownJob, options: MarkdownOptions): string {
    const html = renderNow(job, options);
    this.keepHtml(html);
    return html;
  }
}

/** A job without its body, which `reread` gives again when asked. */
function lightJob(job: MarkdownJob, reread: (file: string) => string): () => MarkdownJob {
  const { body: _body, ...light } = job;
  return () => ({ ...light, body: reread(light.file) });
}
