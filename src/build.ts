import path from 'node:path';
import { buildKey } from './cache/keys.js';
import { collectLargeHeap } from './write/heap-ceiling.js';
import { loadStages, openCaches } from './build-stages.js';
import type { CompiledSite } from './compile.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { Site } from './graph/site.js';
import { projectFolders, readProject, type ProjectSources } from './load/read-project.js';
import type { SourceFile } from './records.js';
import type { HashedFile } from './load/public-hashes.js';
import type { ProtectedFolders } from './write/output-folder.js';
import { folderOutput, memoryOutput, type BuiltFile, type FolderOutputOptions, type SiteOutput, type StageRunner } from './write/site-output.js';
import type { WriteReport } from './write/write-site.js';

export type { BuiltFile };


/** What to build and how. */
export interface BuildOptions {
  /** Project folder holding content/, templates/ and public/. */
  root: string;
  /** Output folder, relative to root unless absolute. */
  outDir?: string;
  /** Publish drafts. */
  drafts?: boolean;
  /** Publish essays dated in the future. */
  future?: boolean;
  /** The present, in ms (fixed in tests). */
  now?: number;
  /** Folder of the templates (default: root/templates). */
  templatesDir?: string;
  /** Folder of the static files (default: root/public). */
  publicDir?: string;
  /** Index the essays for /recherche/ with Pagefind when writing (default true). */
  search?: boolean;
  /** Keep the result in memory instead of writing it (tests; agora dev renders through compile() instead). */
  write?: boolean;
  /** Replaces site.yml's baseUrl (audits of a local copy). */
  baseUrl?: string;
  /** Use and update the persistent cache in .cache/agora/ (default: when writing; --no-cache). */
  cache?: boolean;
  /** Internal links and images that lead nowhere are errors, not warnings (--strict). */
  strict?: boolean;
  /** Told as each stage starts, in French (« conversion Markdown de 12 textes »), for progress lines. */
  progress?: (stage: string) => void;
}

/** The build's persistent cache folder: deleting it is always safe. */
export const CACHE_DIR = '.cache/agora';

/** What the last write left in the output folder (see writeSite): the manifest. */
const MANIFEST_FILE = `${CACHE_DIR}/sortie.json`;

/** What the last successful build was made from (see build-record.ts). */
const RECORD_FILE = `${CACHE_DIR}/construction.json`;


/** What a build produced: the files (unless it failed) and every diagnostic. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: BuiltFile[];
  site: Site | null;
  nextScheduled: CompiledSite['nextScheduled'];
  durationMs: number;
  /** Milliseconds spent in each stage. */
  timings: Record<string, number>;
  /** Files written anew and kept from the previous build (null when nothing was written). */
  written?: WriteReport | null;
  /** Social cards written, and how many of them had to be drawn (the others came from the cache). */
  cards?: { total: number; drawn: number };
  /** Versions of photos written, and how many of them had to be encoded (the others came from the cache). */
  images?: { total: number; encoded: number };
  /** Nothing changed since the previous build: the output folder was left as it was (`files` is then empty). */
  upToDate?: { files: number };
}

/**
 * The folders an output folder must stay clear of: the project, its sources, its git folder,
 * the comments waiting for moderation (`.comments/`, their only copy) and the caches.
 */
export function protectedFolders(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>): ProtectedFolders {
  const { templatesDir, publicDir } = projectFolders(options);
  return {
    root: options.root,
    sources: [path.join(options.root, 'content'), templatesDir, publicDir, path.join(options.root, '.git'), path.join(options.root, '.comments'), path.join(options.root, '.cache')],
    manifestFile: path.join(options.root, MANIFEST_FILE),
  };
}

/**
 * Builds the site: load → (nothing changed? stop) → compile (validate → Markdown → graph → pages, shared with agora dev) → render → put.
 * Where the site goes is chosen once: an output folder (under the project's lock: builds and
 * approvals of a project run one at a time), or memory with `write: false` (write/site-output.ts).
 */
export function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const stage: StageRunner = async (name, run, label) => {
    if (label) options.progress?.(label);
    const begin = performance.now();
    const value = await run();
    timings[name] = Math.round(performance.now() - begin);
    return value;
  };
  const finish = (result: Omit<BuildResult, 'durationMs' | 'timings'>): BuildResult => ({ ...result, durationMs: performance.now() - started, timings });
  const now = options.now ?? Date.now();
  const writing = options.write !== false;
  // The persistent cache serves builds that write; in-memory builds (tests) leave it alone unless asked.
  const cacheDir = (options.cache ?? writing) ? path.join(options.root, CACHE_DIR) : null;
  const output = writing ? folderOutput(folderOptions(options, cacheDir, now), stage) : memoryOutput(stage);
  return output.hold(() => buildSite(options, { output, cacheDir, stage, timings, now }).then(finish));
}

/** What a build runs with: where its site goes, its caches, its stage timer and its present. */
interface BuildRun {
  output: SiteOutput;
  cacheDir: string | null;
  stage: StageRunner;
  timings: Record<string, number>;
  now: number;
}

async function buildSite(options: BuildOptions, { output, cacheDir, stage, timings, now }: BuildRun): Promise<Omit<BuildResult, 'durationMs' | 'timings'>> {
  const publish = { now, drafts: !!options.drafts, future: !!options.future };
  await output.check();
  const sources = await stage('load', () => readProject(options), 'lecture des sources');
  const publicFiles = await output.publicFiles(sources);
  const previous = await stage('uptodate', () => output.upToDate(sources, publicFiles));
  if (previous) return { ok: true, diagnostics: previous.diagnostics, files: [], site: null, nextScheduled: null, written: null, upToDate: { files: previous.files } };
  const stages = await stage('modules', loadStages);
  // Loads remark in a thread of its own while this one opens the caches and validates (worker-pool.ts).
  stages.startMarkdownWorker();
  // And what the output will need (Pagefind's service, for a folder's search index).
  output.prepare(stages);
  const caches = await stage('caches', () => openCaches(stages, cacheDir, options.root, sources.templates));
  const compiled = await stages.compile(sources, publish, caches.stores, {
    adjust: options.baseUrl ? (config) => ({ ...config, baseUrl: options.baseUrl! }) : undefined, strict: options.strict, progress: options.progress, timings,
  });
  // Saved now, even when the build fails (entries are keyed by their inputs, and the fix will
  // reuse them), and before rendering: the bodies' HTML is then read from the cache when a page
  // needs it instead of held in memory.
  if (cacheDir) await stage('save', caches.save);
  // Not before: the validation cache holds some of the records whose bodies it empties.
  stages.letTextsGo(compiled.content, sources);
  collectLargeHeap();
  const previousKeys = await stage('manifest', () => output.previousKeys(stages));
  const rendered = await stage('render', () => stages.renderPages(compiled.pages, compiled.site, sources.templates, { previous: previousKeys }));
  const put = await output.put(stages, compiled, rendered, publicFiles);
  return { ...put, site: compiled.site, nextScheduled: compiled.nextScheduled };
}

/** Where and how a build writes its output folder (write/site-output.ts). */
function folderOptions(options: BuildOptions, cacheDir: string | null, now: number): FolderOutputOptions {
  const outDir = path.resolve(options.root, options.outDir ?? 'dist');
  return {
    root: options.root, outDir, shownOutDir: options.outDir ?? 'dist', cacheDir, guard: protectedFolders(options),
    recordFile: path.join(options.root, RECORD_FILE), manifestFile: path.join(options.root, MANIFEST_FILE), scheduleFile: path.join(options.root, SCHEDULE_FILE),
    search: options.search !== false, now,
    inputsKey: (sources, publicFiles) => inputsKey(options, outDir, sources, publicFiles),
  };
}

/** The key of a build's inputs (cache/keys.ts): its sources, public files and every option that changes what it writes. */
function inputsKey(options: BuildOptions, outDir: string, sources: ProjectSources, publicFiles: readonly HashedFile[]): string {
  return buildKey({ files: allSources(sources), publicFiles }, {
    outDir, drafts: !!options.drafts, future: !!options.future, strict: !!options.strict, baseUrl: options.baseUrl ?? null, search: options.search !== false,
    // What load itself found (entries of content/ skipped, links refused in public/) is part of what the build says.
    found: [sources.content.skipped, sources.public.diagnostics],
  });
}

/** Every source file a build reads: content, templates. */
function allSources(sources: ProjectSources): SourceFile[] {
  const { config, posts, authors, categories, comments, pages } = sources.content;
  return [...(config ? [config] : []), ...posts, ...authors, ...categories, ...comments, ...pages, ...sources.templates];
}

/** Where `agora build` writes the next scheduled publication, for CI. */
export const SCHEDULE_FILE = `${CACHE_DIR}/prochaine-publication.json`;


