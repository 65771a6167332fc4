import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeCacheFile, writeAtomically } from './cache/cache-file.js';
import { buildKey } from './cache/keys.js';
import type { CompiledSite } from './compile.js';
import { rfc3339 } from './dates.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { searchShardCount } from './graph/routes.js';
import type { Site } from './graph/site.js';
import { projectFolders, readProject, type ProjectSources } from './load/read-project.js';
import type { SourceFile, OutputFile } from './records.js';
import { digestPublicFiles, type DigestedFile } from './load/public-digests.js';
import { saveBuildRecord, upToDate } from './write/build-record.js';
import { assertOutputFolder, type ProtectedFolders } from './write/output-folder.js';
import { withProjectLock } from './write/project-lock.js';
import type { WriteReport } from './write/write-site.js';


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
  /** Keep the result in memory instead of writing it (dev server, tests). */
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

/** What the last write left in the output folder (see writeSite): the page store. */
const MANIFEST_FILE = `${CACHE_DIR}/sortie.json`;

/** What a build produced: the files (unless it failed) and every diagnostic. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: OutputFile[];
  site: Site | null;
  nextScheduled: CompiledSite['nextScheduled'];
  durationMs: number;
  /** Milliseconds spent in each stage. */
  timings: Record<string, number>;
  /** Files written anew and kept from the previous build (null when nothing was written). */
  written?: WriteReport | null;
  /** Social cards written, and how many of them had to be drawn (the others came from the cache). */
  cards?: { total: number; drawn: number };
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
 * Builds the site: load → (nothing changed? stop) → compile (validate → Markdown → graph → pages, shared with agora dev) → render → write.
 * A build that writes holds the project's lock: builds and approvals of a project run one at a time.
 */
export function build(options: BuildOptions): Promise<BuildResult> {
  return options.write === false ? buildSite(options) : withProjectLock(options.root, () => buildSite(options));
}

async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const stage = async <T>(name: string, run: () => T | Promise<T>, label?: string): Promise<T> => {
    if (label) options.progress?.(label);
    const begin = performance.now();
    const value = await run();
    timings[name] = Math.round(performance.now() - begin);
    return value;
  };
  const outDir = path.resolve(options.root, options.outDir ?? 'dist');
  const guard = protectedFolders(options);
  // Refused before any work: a folder Agora may not replace is never touched (issue 11).
  if (options.write !== false) await assertOutputFolder(outDir, guard, options.outDir ?? 'dist');
  const sources = await stage('load', () => readProject(options), 'lecture des sources');
  const publish = { now: options.now ?? Date.now(), drafts: !!options.drafts, future: !!options.future };
  // The persistent cache serves builds that write; in-memory builds (tests) leave it alone.
  const useCache = options.cache ?? options.write !== false;
  const cacheDir = useCache ? path.join(options.root, CACHE_DIR) : null;
  const recordFile = path.join(options.root, CACHE_DIR, 'construction.json');
  // A build that writes knows each public file by its contents: what it copies, and what its key holds.
  const publicFiles: DigestedFile[] = options.write !== false ? await stage('digests', () => digestPublicFiles(sources.public.files, cacheDir)) : [];
  const key = useCache && options.write !== false ? buildKey({ files: allSources(sources), publicFiles }, {
    outDir, drafts: publish.drafts, future: publish.future, strict: !!options.strict, baseUrl: options.baseUrl ?? null, search: options.search !== false,
    // What load itself found (entries of content/ skipped, links refused in public/) is part of what the build says.
    found: [sources.content.skipped, sources.public.diagnostics],
  }) : null;
  const previous = key ? await upToDate(recordFile, key, outDir, publish.now) : null;
  if (previous) {
    return { ok: true, diagnostics: previous.diagnostics, files: [], site: null, nextScheduled: null, durationMs: performance.now() - started, timings, written: null, upToDate: { files: previous.files } };
  }
  // The stages are loaded only now: a build with nothing to do never pays for remark, Handlebars or Pagefind.
  const { compile, openValidationStore, MarkdownStore, renderPages, PageRenderFailure, writeSite, readManifest, socialCards, prepareCards } = await loadStages();
  const [validation, store] = await stage('caches', () => Promise.all([
    cacheDir ? openValidationStore(path.join(cacheDir, 'validation')) : null,
    MarkdownStore.open(cacheDir),
  ]));
  const baseUrl = options.baseUrl;
  const { content, site, pages, diagnostics: found, nextScheduled } = await compile(sources, publish, { validation: validation?.cache, markdown: store }, {
    adjust: baseUrl ? (config) => ({ ...config, baseUrl }) : undefined, strict: options.strict, progress: options.progress, timings,
  });
  // Saved now, even when the build fails (entries are keyed by their inputs, and the fix will
  // reuse them), and before rendering: the bodies' HTML is then read from the cache when a page
  // needs it instead of held in memory.
  if (useCache) await stage('save', () => Promise.all([store.save(), validation?.save()]));
  const manifestFile = cacheDir && options.write !== false ? path.join(options.root, MANIFEST_FILE) : null;
  // The previous build's output is the page store: a page whose key it wrote is not rendered again.
  const previousOutput = manifestFile ? await readManifest(manifestFile, outDir) : null;
  const pageStore = manifestFile ? { keys: new Map(Object.entries(previousOutput?.files ?? {}).map(([file, entry]) => [file, entry.key ?? ''])) } : undefined;
  // Writing builds stream their pages: each is rendered as it is written (see writeSite).
  const stream = options.write !== false;
  const rendered = await stage('render', () => renderPages(pages, site, sources.templates, { store: pageStore, stream }), stream ? undefined : `rendu de ${pages.length} pages`);
  const diagnostics = sortDiagnostics([...found, ...rendered.diagnostics]);
  const result = { diagnostics, site, nextScheduled, durationMs: 0, timings };
  let written: WriteReport | null = null;
  let cardCount: BuildResult['cards'];
  if (hasErrors(diagnostics)) return { ...result, ok: false, files: [], durationMs: performance.now() - started };
  if (options.write !== false) {
    // The social cards, drawn once per what they show (kept in .cache/agora/cartes/), are copied as public files are.
    const cardFolder = cacheDir ? path.join(cacheDir, 'cartes') : await mkdtemp(path.join(tmpdir(), 'agora-cartes-'));
    const cards = await stage('cards', () => prepareCards(socialCards(site), cardFolder));
    cardCount = { total: cards.files.length, drawn: cards.drawn };
    let report: WriteReport;
    try {
      report = await stage('write', () => writeSite(outDir, rendered.files, [...publicFiles, ...cards.files], {
        guard,
        manifestFile, previous: previousOutput,
        searchShards: options.search !== false ? searchShardCount(site.posts.length) : 0,
        // While dist/ changes, no record says it is up to date: a build killed midway is followed by a full one.
        beforeChange: async () => {
          if (key) await removeCacheFile(recordFile);
        },
      }), `rendu et écriture de ${rendered.files.length} fichiers${options.search !== false ? ', index de recherche' : ''}`);
    } catch (error) {
      if (!cacheDir) await rm(cardFolder, { recursive: true, force: true });
      if (!(error instanceof PageRenderFailure)) throw error;
      // A template failed on a page as it was written, before dist/ was touched: every problem is found by rendering all the pages.
      const all = renderPages(pages, site, sources.templates);
      return { ...result, diagnostics: sortDiagnostics([...found, ...all.diagnostics]), ok: false, files: [], durationMs: performance.now() - started };
    }
    if (!cacheDir) await rm(cardFolder, { recursive: true, force: true });
    written = report;
    await writeSchedule(options.root, nextScheduled);
    if (key) {
      await saveBuildRecord(recordFile, {
        key, outDir, diagnostics,
        // Drafts too: with --drafts, a draft's « Programmé » mark changes on its date.
        nextScheduled: content.posts.reduce<number | null>((next, post) => (post.date.time > publish.now && (next === null || post.date.time < next) ? post.date.time : next), null), files: rendered.files.length,
        paths: report.paths,
      });
    }
  }
  return { ...result, ok: true, files: rendered.files, written, cards: cardCount, durationMs: performance.now() - started };
}

/** Every source file a build reads: content, templates. */
function allSources(sources: ProjectSources): SourceFile[] {
  const { config, posts, authors, categories, comments, pages } = sources.content;
  return [...(config ? [config] : []), ...posts, ...authors, ...categories, ...comments, ...pages, ...sources.templates];
}

/** The modules of the stages after load, imported when a build has work to do. */
async function loadStages() {
  const [compile, validationStore, store, render, write, cards, cardFiles] = await Promise.all([
    import('./compile.js'), import('./validate/validation-store.js'), import('./markdown/markdown-store.js'), import('./render/render-pages.js'), import('./write/write-site.js'),
    import('./graph/cards.js'), import('./write/card-files.js'),
  ]);
  return {
    compile: compile.compile, openValidationStore: validationStore.openValidationStore, MarkdownStore: store.MarkdownStore,
    renderPages: render.renderPages, PageRenderFailure: render.PageRenderFailure, writeSite: write.writeSite, readManifest: write.readManifest,
    socialCards: cards.socialCards, prepareCards: cardFiles.prepareCards,
  };
}


/** Where `agora build` writes the next scheduled publication, for CI. */
export const SCHEDULE_FILE = `${CACHE_DIR}/prochaine-publication.json`;

/** Writes `{ "next": "2027-01-01T00:00:00Z", "file": "content/posts/x.md" }` (or `next: null`). */
async function writeSchedule(root: string, next: CompiledSite['nextScheduled']): Promise<void> {
  // Plain JSON, not a sealed cache file: CI reads it (see the site's workflow).
  await writeAtomically(path.join(root, SCHEDULE_FILE), Buffer.from(`${JSON.stringify({ next: next ? rfc3339(next.date) : null, file: next?.file ?? null }, null, 2)}\n`));
}

