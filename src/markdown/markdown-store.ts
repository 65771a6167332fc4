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

  private constructor(private readonly file: CacheFile<Entry> | null, private readonly entries: Map<string, Entry>, readonly fingerprint: string) {}

  /** Opens the store in `folder` (null: a store that keeps nothing, for --no-cache). */
  static async open(folder: string | null, options: MarkdownOptions, version?: string): Promise<MarkdownStore> {
    const fingerprint = pipelineFingerprint(options, version);
    const file = folder ? await openCacheFile<Entry>(path.join(folder, 'markdown'), STORE_STAMP) : null;
    return new MarkdownStore(file, file?.entries ?? new Map(), fingerprint);
  }

  /** The cached rendering of a job, with its diagnostics placed in the job's file. */
  get(job: MarkdownJob): RenderedMarkdown | undefined {
    const key = jobKey(job, this.fingerprint);
    const entry = this.entries.get(key) ?? this.used.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.used.set(key, entry);
    return { ...entry, diagnostics: entry.diagnostics.map((d) => ({ ...d, file: job.file })) };
  }

  set(job: MarkdownJob, result: RenderedMarkdown): void {
    this.used.set(jobKey(job, this.fingerprint), { ...result, diagnostics: result.diagnostics.map(({ file: _file, ...rest }) => rest) });
  }

  /** Writes the entries used by this build (only the buckets of the cache that changed). */
  async save(): Promise<void> {
    await this.file?.save(this.used);
  }
}
