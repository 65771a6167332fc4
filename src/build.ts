import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeCacheFile, writeAtomically } from './cache/cache-file.js';
import { buildKey } from './cache/keys.js';
import { loadStages, openCaches, type Stages } from './build-stages.js';
import type { CompiledSite } from './compile.js';
import { rfc3339 } from './dates.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { searchShardCount } from './graph/routes.js';
import type { Site } from './graph/site.js';
import { projectFolders, readProject, type ProjectSources } from './load/read-project.js';
import type { SourceFile } from './records.js';
import { hashPublicFiles, type HashedFile } from './load/public-hashes.js';
import { recordBuild, skipIfUpToDate } from './write/build-record.js';
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

/** What the last write left in the output folder (see writeSite): the manifest. */
const MANIFEST_FILE = `${CACHE_DIR}/sortie.json`;

/** What the last successful build was made from (see build-record.ts). */
const RECORD_FILE = `${CACHE_DIR}/construction.json`;

/** A file a build produced: its path, its key in the manifest, and its contents when the build kept them in memory (`write: false`). */
export interface BuiltFile {
  path: string;
  key?: string;
  /** The previous build wrote this very page (same key): linked, not rendered. */
  kept?: boolean;
  contents?: string;
}

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
  const writing = options.write !== false;
  const outDir = path.resolve(options.root, options.outDir ?? 'dist');
  const guard = protectedFolders(options);
  const publish = { now: options.now ?? Date.now(), drafts: !!options.drafts, future: !!options.future };
  // The persistent cache serves builds that write; in-memory builds (tests, agora dev) leave it alone.
  const cacheDir = (options.cache ?? writing) ? path.join(options.root, CACHE_DIR) : null;
  const finish = (result: Omit<BuildResult, 'durationMs' | 'timings'>): BuildResult => ({ ...result, durationMs: performance.now() - started, timings });

  // Refused before any work: a folder Agora may not replace is never touched (issue 11).
  if (writing) await assertOutputFolder(outDir, guard, options.outDir ?? 'dist');
  const sources = await stage('load', () => readProject(options), 'lecture des sources');
  const publicFiles = writing ? await stage('hashes', () => hashPublicFiles(sources.public.files, cacheDir)) : [];
  const recorded = cacheDir && writing ? { recordFile: path.join(options.root, RECORD_FILE), key: inputsKey(options, outDir, sources, publicFiles), outDir, now: publish.now } : null;
  const previous = await skipIfUpToDate(recorded);
  if (previous) return finish({ ok: true, diagnostics: previous.diagnostics, files: [], site: null, nextScheduled: null, written: null, upToDate: { files: previous.files } });
  const stages = await loadStages();
  const caches = await stage('caches', () => openCaches(stages, cacheDir));
  const compiled = await stages.compile(sources, publish, caches.stores, {
    adjust: options.baseUrl ? (config) => ({ ...config, baseUrl: options.baseUrl! }) : undefined, strict: options.strict, progress: options.progress, timings,
  });
  // Saved now, even when the build fails (entries are keyed by their inputs, and the fix will
  // reuse them), and before rendering: the bodies' HTML is then read from the cache when a page
  // needs it instead of held in memory.
  if (cacheDir) await stage('save', caches.save);
  const manifestFile = cacheDir && writing ? path.join(options.root, MANIFEST_FILE) : null;
  // The previous build's output is the manifest: a page whose key it wrote is not rendered again.
  const previousManifest = manifestFile ? await stages.readManifest(manifestFile, outDir) : null;
  const manifestKeys = manifestFile ? { keys: new Map(Object.entries(previousManifest?.files ?? {}).map(([file, entry]) => [file, entry.key ?? ''])) } : undefined;
  // The pages are rendered as they are written (see writeSite), or all at once in memory.
  const rendered = await stage('render', () => stages.renderPages(compiled.pages, compiled.site, sources.templates, { previous: manifestKeys }));
  const { site, nextScheduled } = compiled;
  if (!writing) {
    const inMemory = await stage('memory', () => stages.renderAll(rendered.files), `rendu de ${compiled.pages.length} pages`);
    const all = sortDiagnostics([...compiled.diagnostics, ...rendered.diagnostics, ...inMemory.diagnostics]);
    return finish({ ok: !hasErrors(all), diagnostics: all, files: hasErrors(all) ? [] : inMemory.files, site, nextScheduled, written: null });
  }
  const diagnostics = sortDiagnostics([...compiled.diagnostics, ...rendered.diagnostics]);
  if (hasErrors(diagnostics)) return finish({ ok: false, diagnostics, files: [], site, nextScheduled });
  const images = await stage('images', () => encodeImages(stages, compiled.images, publicFiles, cacheDir), compiled.images.length ? `versions de ${new Set(compiled.images.map((variant) => variant.image)).size} images` : undefined);
  if (images.diagnostics.length) {
    await images.dispose();
    return finish({ ok: false, diagnostics: sortDiagnostics([...diagnostics, ...images.diagnostics]), files: [], site, nextScheduled });
  }
  const cards = await stage('cards', () => drawCards(stages, site, publicFiles, cacheDir));
  let written: WriteReport;
  try {
    written = await stage('write', () => stages.writeSite(outDir, rendered.files, [...publicFiles, ...images.files, ...cards.files], {
      guard, manifestFile, previous: previousManifest,
      searchShards: options.search !== false ? searchShardCount(site.posts.length) : 0,
      // While dist/ changes, no record says it is up to date: a build killed midway is followed by a full one.
      beforeChange: async () => { if (recorded) await removeCacheFile(recorded.recordFile); },
    }), `rendu et écriture de ${rendered.files.length} fichiers${options.search !== false ? ', index de recherche' : ''}`);
  } catch (error) {
    if (!(error instanceof stages.RenderFailures)) throw error;
    // Templates failed on pages as they were rendered, before dist/ was touched: each problem, once.
    return finish({ ok: false, diagnostics: sortDiagnostics([...diagnostics, ...error.diagnostics]), files: [], site, nextScheduled });
  } finally {
    await Promise.all([cards.dispose(), images.dispose()]);
  }
  await writeSchedule(options.root, nextScheduled);
  await recordBuild(recorded, { diagnostics, postDates: compiled.content.posts.map((post) => post.date.time), files: rendered.files.length, paths: written.paths });
  return finish({ ok: true, diagnostics, files: rendered.files.map(({ path: file, key, kept }) => ({ path: file, ...(key !== undefined ? { key } : {}), ...(kept ? { kept } : {}) })), site, nextScheduled, written, cards: { total: cards.files.length, drawn: cards.drawn }, images: { total: images.files.length, encoded: images.encoded } });
}

/** The key of a build's inputs (cache/keys.ts): its sources, public files and every option that changes what it writes. */
function inputsKey(options: BuildOptions, outDir: string, sources: ProjectSources, publicFiles: readonly HashedFile[]): string {
  return buildKey({ files: allSources(sources), publicFiles }, {
    outDir, drafts: !!options.drafts, future: !!options.future, strict: !!options.strict, baseUrl: options.baseUrl ?? null, search: options.search !== false,
    // What load itself found (entries of content/ skipped, links refused in public/) is part of what the build says.
    found: [sources.content.skipped, sources.public.diagnostics],
  });
}

/**
 * The social cards, drawn once per what they show and kept in .cache/agora/cartes/ (a temporary
 * folder without cache, removed by `dispose`), to be copied as public files are.
 */
async function drawCards(stages: Stages, site: Site, publicFiles: readonly HashedFile[], cacheDir: string | null) {
  const folder = cacheDir ? path.join(cacheDir, 'cartes') : await mkdtemp(path.join(tmpdir(), 'agora-cartes-'));
  const cards = await stages.prepareCards(stages.socialCards(site), folder, new Map(publicFiles.map((file) => [file.path.replace(/^public/, ''), file])));
  return { ...cards, dispose: async () => { if (!cacheDir) await rm(folder, { recursive: true, force: true }); } };
}

/**
 * The versions of the photos the pages show, encoded once per photo and setting and kept in
 * .cache/agora/images/ (a temporary folder without cache, removed by `dispose`), to be copied
 * as public files are.
 */
async function encodeImages(stages: Stages, variants: CompiledSite['images'], publicFiles: readonly HashedFile[], cacheDir: string | null) {
  const folder = cacheDir ? path.join(cacheDir, 'images') : await mkdtemp(path.join(tmpdir(), 'agora-images-'));
  const dispose = async () => { if (!cacheDir) await rm(folder, { recursive: true, force: true }); };
  if (!variants.length && !cacheDir) return { files: [], encoded: 0, diagnostics: [], dispose };
  const sources = new Map(publicFiles.map((file) => [file.path.replace(/^public/, ''), file]));
  return { ...await stages.prepareImages(variants, sources, folder, { prune: true }), dispose };
}

/** Every source file a build reads: content, templates. */
function allSources(sources: ProjectSources): SourceFile[] {
  const { config, posts, authors, categories, comments, pages } = sources.content;
  return [...(config ? [config] : []), ...posts, ...authors, ...categories, ...comments, ...pages, ...sources.templates];
}

/** Where `agora build` writes the next scheduled publication, for CI. */
export const SCHEDULE_FILE = `${CACHE_DIR}/prochaine-publication.json`;

/** Writes `{ "next": "2027-01-01T00:00:00Z", "file": "content/posts/x.md" }` (or `next: null`). */
async function writeSchedule(root: string, next: CompiledSite['nextScheduled']): Promise<void> {
  // Plain JSON, not a sealed cache file: CI reads it (see the site's workflow).
  await writeAtomically(path.join(root, SCHEDULE_FILE), Buffer.from(`${JSON.stringify({ next: next ? rfc3339(next.date) : null, file: next?.file ?? null }, null, 2)}\n`));
}

