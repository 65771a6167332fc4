import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { BUCKETS, bucketFile, bucketOf, seal, unseal, writeAtomically } from '../cache/cache-file.js';
import { cacheFileKey, markdownOptionsKey, markdownKey } from '../cache/keys.js';
import { HtmlText, type BodyHtml, type MarkdownOutput } from './html-text.js';
import type { MarkdownOptions, RenderedMarkdown } from './processor.js';
import { renderJob, type MarkdownJob } from './render-job.js';

/** The layout of the bucket files, with Agora's code; the keys themselves carry the pipeline's optionsKey. */
const STORE_KEY = cacheFileKey('markdown-3');

/** Where an entry's HTML lies in the HTML part of its bucket file (bytes), with its SHA-1 to check it on reading. */
interface HtmlPlace {
  offset: number;
  length: number;
  hash: string;
}

/** A rendered body as stored: diagnostics without their file (set again on reading), and the place of its HTML. */
interface Entry extends Omit<RenderedMarkdown, 'html' | 'diagnostics'> {
  diagnostics: Omit<RenderedMarkdown['diagnostics'][number], 'file'>[];
  html: HtmlPlace;
}

/** What a bucket file holds after its length: the key, the entries, and the length of the HTML part after them. */
interface BucketHead {
  fileKey: string;
  entries: Map<string, Entry>;
  htmlBytes: number;
}

/** An entry used by this build: as read from its bucket file, or rendered now (its HTML still in memory). */
type Used = Stored | { rendered: Omit<Entry, 'html'>; html: Buffer; text: HtmlText | null; render: () => string };

/** An entry in a bucket file: the file, where its HTML part starts, the entry. */
interface Stored {
  entry: Entry;
  bucketFile: string;
  htmlStart: number;
}

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('base64url');

/**
 * The persistent cache of rendered Markdown (`.cache/agora/markdown/`): 16 bucket files, each
 * a 4-byte length, a sealed head in V8's serialization (cache/cache-file.ts) (the file key, entries with the place of their HTML),
 * then the HTML of its entries. Opening the store reads the heads only: a body's HTML is read
 * when a page is rendered, checked against its SHA-1, and rendered again from its Markdown if
 * the file changed or broke meanwhile; a file whose size does not match its head reads as
 * empty. Deleting the cache is always safe. Only the entries used by a build are saved, so it
 * never grows stale; a bucket whose entries did not change is not written.
 */
export class MarkdownStore {
  private readonly used = new Map<string, Used>();
  hits = 0;
  misses = 0;

  /** `sizes`: how many entries each bucket file read holds (a bucket missing or damaged is absent). */
  private constructor(private readonly folder: string | null, private readonly entries: Map<string, Stored>, private readonly sizes: Map<number, number>, private readonly code: string | undefined) {}

  /**
   * Opens the store in `folder`; null keeps entries in memory only (--no-cache, or a preview
   * without cache). `code` stands for Agora's code key (tests).
   */
  static async open(folder: string | null, code?: string): Promise<MarkdownStore> {
    const entries = new Map<string, Stored>();
    const sizes = new Map<number, number>();
    const storeFolder = folder ? path.join(folder, 'markdown') : null;
    if (storeFolder) {
      for (let i = 0; i < BUCKETS; i++) {
        const file = bucketFile(storeFolder, i);
        const head = readHead(file);
        if (!head) continue;
        sizes.set(i, head.entries.size);
        for (const [key, entry] of head.entries) entries.set(key, { entry, bucketFile: file, htmlStart: head.htmlStart });
      }
    }
    return new MarkdownStore(storeFolder, entries, sizes, code);
  }

  /** The optionsKey of a pipeline's options and Agora's code, which every key of its jobs holds (cache/keys.ts). */
  optionsKey(options: MarkdownOptions): string {
    return markdownOptionsKey(options, this.code);
  }

  /**
   * The cached rendering of a job by a pipeline (its optionsKey, `options`), with its
   * diagnostics placed in the job's file; its HTML is read when needed, and rendered again
   * from the job should the file no longer hold it.
   */
  get(job: MarkdownJob, optionsKey: string, options: MarkdownOptions): MarkdownOutput | undefined {
    const key = markdownKey(job, optionsKey);
    const used = this.used.get(key) ?? this.entries.get(key);
    if (!used) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.used.set(key, used);
    const stored = 'entry' in used ? used.entry : used.rendered;
    let html: BodyHtml = '';
    if (!('entry' in used)) html = used.text ?? '';
    else if (used.entry.html.length) html = new HtmlText(key, () => readHtml(used.bucketFile, used.htmlStart, used.entry.html) ?? renderJob(job, options).html);
    return { ...stored, html, diagnostics: stored.diagnostics.map((d) => ({ ...d, file: job.file })) };
  }

  /** Keeps a job's rendering by a pipeline (its optionsKey, `options`), and gives it as the site uses it. */
  set(job: MarkdownJob, optionsKey: string, options: MarkdownOptions, result: RenderedMarkdown): MarkdownOutput {
    const key = markdownKey(job, optionsKey);
    const { html, diagnostics, ...rest } = result;
    // Kept as UTF-8 until saved: half the memory of a JavaScript string of French text.
    const bytes = Buffer.from(html, 'utf8');
    const text = html ? new HtmlText(key, bytes) : null;
    this.used.set(key, { rendered: { ...rest, diagnostics: diagnostics.map(({ file: _file, ...d }) => d) }, html: bytes, text, render: () => renderJob(job, options).html });
    return { ...result, html: text ?? '' };
  }

  /**
   * Writes the entries used by this build (only the bucket files that changed). The HTML
   * rendered by this build is then read from its file when needed, instead of kept in memory.
   */
  async save(): Promise<void> {
    if (!this.folder) return;
    const folder = this.folder;
    const grouped = Array.from({ length: BUCKETS }, () => new Map<string, Used>());
    for (const [key, used] of this.used) grouped[bucketOf(key)]!.set(key, used);
    await Promise.all(grouped.map(async (bucket, i) => {
      const file = bucketFile(folder, i);
      // Unchanged: the same number of entries as read, all of them from this very file.
      if (this.sizes.get(i) === bucket.size && [...bucket.values()].every((used) => 'entry' in used && used.bucketFile === file)) return;
      // Nothing to keep: a file left by other code or damaged goes (it would never be read).
      if (!bucket.size && !this.sizes.has(i)) return rm(file, { force: true, recursive: true });
      const { bytes, htmlStart, entries } = packBucket(bucket);
      await writeAtomically(file, bytes);
      // What this build rendered is now read from the file when needed: memory lets go of it.
      for (const [key, entry] of entries) {
        const used = bucket.get(key)!;
        if ('entry' in used) continue;
        used.text?.readFrom(() => readHtml(file, htmlStart, entry.html) ?? used.render());
        this.used.set(key, { entry, bucketFile: file, htmlStart });
      }
    }));
  }
}

/** The head of a bucket file and where its HTML part starts; null when missing, damaged, of another layout or cut short. */
function readHead(file: string): { entries: Map<string, Entry>; htmlStart: number } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Buffer.alloc(4);
    if (readSync(fd, length, 0, 4, 0) !== 4) return null;
    const headBytes = length.readUInt32LE(0);
    if (4 + headBytes > size) return null;
    const sealed = Buffer.alloc(headBytes);
    if (readSync(fd, sealed, 0, headBytes, 4) !== headBytes) return null;
    const head = unseal(sealed);
    if (!head) return null;
    const data = deserialize(head) as Partial<BucketHead>;
    if (!data || data.fileKey !== STORE_KEY || !(data.entries instanceof Map) || 4 + headBytes + (data.htmlBytes ?? -1) !== size) return null;
    return { entries: data.entries, htmlStart: 4 + headBytes };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** An entry's HTML from its bucket file, or null when the file no longer holds it (changed, cut short, gone). */
function readHtml(file: string, htmlStart: number, place: HtmlPlace): string | null {
  try {
    const fd = openSync(file, 'r');
    try {
      const bytes = Buffer.alloc(place.length);
      if (readSync(fd, bytes, 0, place.length, htmlStart + place.offset) !== place.length || sha1(bytes) !== place.hash) return null;
      return bytes.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** A bucket file's bytes, and where each entry's HTML went in it. Entries whose HTML can no longer be read are left out. */
function packBucket(bucket: ReadonlyMap<string, Used>): { bytes: Buffer; htmlStart: number; entries: Map<string, Entry> } {
  const entries = new Map<string, Entry>();
  const parts: Buffer[] = [];
  let offset = 0;
  const oldFiles = new Map<string, Buffer | null>();
  for (const [key, used] of [...bucket].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let html: Buffer | null;
    if ('entry' in used) {
      if (!oldFiles.has(used.bucketFile)) oldFiles.set(used.bucketFile, readWhole(used.bucketFile));
      const whole = oldFiles.get(used.bucketFile);
      const start = used.htmlStart + used.entry.html.offset;
      html = whole && whole.length >= start + used.entry.html.length ? whole.subarray(start, start + used.entry.html.length) : null;
      if (html && sha1(html) !== used.entry.html.hash) html = null;
    } else {
      html = used.html;
    }
    if (!html) continue;
    const rendered = 'entry' in used ? used.entry : used.rendered;
    entries.set(key, { ...rendered, html: { offset, length: html.length, hash: 'entry' in used ? used.entry.html.hash : sha1(html) } });
    parts.push(html);
    offset += html.length;
  }
  const head = seal(serialize({ fileKey: STORE_KEY, entries, htmlBytes: offset } satisfies BucketHead));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length, 0);
  return { bytes: Buffer.concat([length, head, ...parts]), htmlStart: 4 + head.length, entries };
}

function readWhole(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}
