import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCacheFile, type CacheFile } from '../cache-file.js';
import type { MarkdownOptions, RenderedMarkdown } from './processor.js';
import type { MarkdownJob } from './render-job.js';

const PACKAGE = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

/**
 * What the rendered HTML depends on besides the text: Agora's version, the pipeline's options and
 * the exact versions of the Markdown libraries. Any change gives new keys, so a stale entry can
 * never be served.
 */
export function pipelineFingerprint(options: MarkdownOptions, version = PACKAGE.version): string {
  const libraries = Object.entries(PACKAGE.dependencies).filter(([name]) => /remark|unified|mdast|hast|micromark|vfile|unist/.test(name));
  return JSON.stringify({ agora: version, options, libraries });
}

/** The cache key of one job: a hash of the fingerprint, the kind, the body and where it starts. */
export function jobKey(job: MarkdownJob, fingerprint: string): string {
  return createHash('sha256').update(`${fingerprint}\0${job.kind}\0${job.bodyLine}\0${job.body}`).digest('base64url');
}

/** The layout of the entries: the keys themselves carry the pipeline's fingerprint. */
const STORE_STAMP = 'markdown-1';

/** A rendered body as stored: diagnostics without their file, which is set again on reading. */
type Entry = Omit<RenderedMarkdown, 'diagnostics'> & { diagnostics: Omit<RenderedMarkdown['diagnostics'][number], 'file'>[] };

/**
 * The persistent cache of rendered Markdown (`.cache/agora/markdown/`, in buckets). Reading it is
 * optional (a missing or damaged file is an empty cache) and deleting it is always safe. Only
 * the entries used by a build are saved, so it never grows stale.
 */
export class MarkdownStore {
  private readonly used = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  private constructor(private readonly file: CacheFile<Entry> | null, private readonly entries: Map<string, Entry>, private readonly version: string | undefined) {}

  /**
   * Opens the store in `folder`; null keeps entries in memory only (--no-cache, or a preview
   * without cache). `version` stands for Agora's (tests).
   */
  static async open(folder: string | null, version?: string): Promise<MarkdownStore> {
    const file = folder ? await openCacheFile<Entry>(path.join(folder, 'markdown'), STORE_STAMP) : null;
    return new MarkdownStore(file, file?.entries ?? new Map(), version);
  }

  /** The fingerprint of a pipeline's options, which every key of its jobs holds (see pipelineFingerprint). */
  fingerprint(options: MarkdownOptions): string {
    return pipelineFingerprint(options, this.version);
  }

  /** The cached rendering of a job by a pipeline (its fingerprint), with its diagnostics placed in the job's file. */
  get(job: MarkdownJob, fingerprint: string): RenderedMarkdown | undefined {
    const key = jobKey(job, fingerprint);
    const entry = this.entries.get(key) ?? this.used.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.used.set(key, entry);
    return { ...entry, diagnostics: entry.diagnostics.map((d) => ({ ...d, file: job.file })) };
  }

  set(job: MarkdownJob, fingerprint: string, result: RenderedMarkdown): void {
    this.used.set(jobKey(job, fingerprint), { ...result, diagnostics: result.diagnostics.map(({ file: _file, ...rest }) => rest) });
  }

  /** Writes the entries used by this build (only the buckets of the cache that changed). */
  async save(): Promise<void> {
    await this.file?.save(this.used);
  }
}
