import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contentError, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { findCollisions, generatePages, type Page } from './graph/pages.js';
import { outputPath, searchShardCount } from './graph/routes.js';
import { buildSite, type PublishOptions, type Site } from './graph/site.js';
import { listPublicFiles, type PublicFile, type PublicListing } from './load/public-files.js';
import { readContent, readFolder, type ContentSources } from './load/read-sources.js';
import { MarkdownStore } from './markdown/markdown-store.js';
import { markdownOptions, type MarkdownOptions, type RenderedMarkdown } from './markdown/processor.js';
import type { ImageSize } from './markdown/site-links.js';
import { readImageSizes } from './load/image-sizes.js';
import { checkInternalLinks } from './graph/internal-links.js';
import { basePath } from './config.js';
import { renderContentMarkdown, renderContentMarkdownStored, type MarkdownCache } from './markdown/render-content.js';
import type { ContentDate, OutputFile, SiteConfig, SourceFile } from './records.js';
import { rfc3339 } from './dates.js';
import { renderPages } from './render/render-pages.js';
import { validateContent, type ValidatedContent, type ValidationCache } from './validate/validate-content.js';
import { assertOutputFolder, type ProtectedFolders } from './write/output-folder.js';
import { writeSite, type WriteReport } from './write/write-site.js';

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
}

/** Everything a build reads from disk. */
export interface ProjectSources {
  content: ContentSources;
  templates: SourceFile[];
  /** The files of public/ (paths prefixed `public/`) and the entries refused there. */
  public: PublicListing;
  /** Width and height of public/'s images, by site path. */
  imageSizes: Record<string, ImageSize>;
}

/** Per-file caches kept between builds by the dev server. */
export interface BuildCaches {
  validation: ValidationCache;
  markdown: MarkdownCache;
}

/** The site as data and its pages, before rendering. */
export interface CompiledSite {
  site: Site;
  pages: Page[];
  diagnostics: Diagnostic[];
  /** The next essay waiting for its date (drafts aside), for CI to schedule a rebuild. */
  nextScheduled: { date: ContentDate; file: string } | null;
  /** Milliseconds spent in each stage. */
  timings: Record<string, number>;
}

/** Resolves the folders of a project. */
export function projectFolders(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>) {
  return {
    templatesDir: options.templatesDir ?? path.join(options.root, 'templates'),
    publicDir: options.publicDir ?? path.join(options.root, 'public'),
  };
}

/** The folders an output folder must stay clear of: the project, its sources and its git folder. */
export function protectedFolders(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>): ProtectedFolders {
  const { templatesDir, publicDir } = projectFolders(options);
  return {
    root: options.root,
    sources: [path.join(options.root, 'content'), templatesDir, publicDir, path.join(options.root, '.git')],
    manifestFile: path.join(options.root, CACHE_DIR, 'sortie.json'),
  };
}

/** The Markdown options of a site: language, nesting limit, base path and image sizes. */
export function siteMarkdownOptions(config: SiteConfig, sources: Pick<ProjectSources, 'imageSizes'>): MarkdownOptions {
  return markdownOptions(config.language, config.limits.nesting, { basePath: basePath(config), images: sources.imageSizes });
}

/** Load: reads content/, templates/ and the list of public/ files. */
export async function readProject(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>): Promise<ProjectSources> {
  const { templatesDir, publicDir } = projectFolders(options);
  const [content, templates, publicListing] = await Promise.all([
    readContent(options.root),
    readFolder(templatesDir, '.', '.hbs', 'templates'),
    listPublicFiles(publicDir),
  ]);
  return { content, templates, public: publicListing, imageSizes: await readImageSizes(publicListing.files) };
}

/**
 * Validate → markdown → graph, in memory (dev server): pure once the sources are read. `adjust`
 * changes the settings for this use (the preview's forms post to the preview itself).
 */
export function compileSite(sources: ProjectSources, publish: PublishOptions, caches?: BuildCaches, adjust?: (config: SiteConfig) => SiteConfig): CompiledSite {
  const timings: Record<string, number> = {};
  const content = timed(timings, 'validate', () => validateContent(sources.content, caches?.validation));
  if (adjust) content.config = adjust(content.config);
  const markdown = timed(timings, 'markdown', () => renderContentMarkdown(content, siteMarkdownOptions(content.config, sources), caches?.markdown));
  return assembleSite(sources, content, markdown, publish, timings);
}

/** Graph → pages, and every diagnostic found so far. */
export function assembleSite(
  sources: ProjectSources,
  content: ValidatedContent,
  markdown: Map<string, RenderedMarkdown>,
  publish: PublishOptions,
  timings: Record<string, number> = {},
  strict = false,
): CompiledSite {
  const site = timed(timings, 'graph', () => buildSite({ ...content, markdown }, publish));
  const pages = timed(timings, 'pages', () => generatePages(site));
  const waiting = content.posts.filter((post) => !post.draft && post.date.time > publish.now).sort((a, b) => a.date.time - b.date.time)[0];
  const nextScheduled = waiting ? { date: waiting.date, file: waiting.file } : null;
  const diagnostics = [
    ...content.diagnostics,
    ...[...markdown.values()].flatMap((result) => result.diagnostics),
    ...findCollisions(pages),
    ...checkInternalLinks(markdown, pages, sources.public.files, strict),
    ...sources.public.diagnostics,
    ...findPublicCollisions(sources.public.files, pages),
  ];
  return { site, pages, diagnostics, nextScheduled, timings };
}

function timed<T>(timings: Record<string, number>, name: string, run: () => T): T {
  const begin = performance.now();
  const value = run();
  timings[name] = Math.round(performance.now() - begin);
  return value;
}

/** Builds the site: load → validate → markdown → graph → render → write. */
export async function build(options: BuildOptions): Promise<BuildResult> {
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
  const content = await stage('validate', () => validateContent(sources.content), `vérification de ${countFiles(sources)} fichiers`);
  if (options.baseUrl) content.config = { ...content.config, baseUrl: options.baseUrl };
  const mdOptions = siteMarkdownOptions(content.config, sources);
  // The persistent cache serves builds that write; in-memory builds (tests) leave it alone.
  const useCache = options.cache ?? options.write !== false;
  const store = await MarkdownStore.open(useCache ? path.join(options.root, CACHE_DIR) : null, mdOptions);
  const markdown = await stage('markdown', () => renderContentMarkdownStored(content, mdOptions, store, options.progress));
  options.progress?.('assemblage des pages');
  const { site, pages, diagnostics: found, nextScheduled } = assembleSite(sources, content, markdown, publish, timings, options.strict);
  const rendered = await stage('render', () => renderPages(pages, site, sources.templates), `rendu de ${pages.length} pages`);
  const diagnostics = sortDiagnostics([...found, ...rendered.diagnostics]);
  const result = { diagnostics, site, nextScheduled, durationMs: 0, timings };
  let written: WriteReport | null = null;
  // Saved even when the build fails: entries are keyed by their inputs, and the fix will reuse them.
  if (useCache) await store.save();
  if (hasErrors(diagnostics)) return { ...result, ok: false, files: [], durationMs: performance.now() - started };
  if (options.write !== false) {
    const report = await stage('write', () => writeSite(outDir, rendered.files, sources.public.files, {
      guard,
      manifestFile: useCache ? path.join(options.root, CACHE_DIR, 'sortie.json') : null,
      searchShards: options.search !== false ? searchShardCount(site.posts.length) : 0,
    }), `écriture de ${rendered.files.length} fichiers${options.search !== false ? ' et index de recherche' : ''}`);
    written = report;
    await writeSchedule(options.root, nextScheduled);
  }
  return { ...result, ok: true, files: rendered.files, written, durationMs: performance.now() - started };
}

function countFiles(sources: ProjectSources): number {
  const { posts, authors, categories, comments, config } = sources.content;
  return posts.length + authors.length + categories.length + comments.length + (config ? 1 : 0);
}

/** Where `agora build` writes the next scheduled publication, for CI. */
export const SCHEDULE_FILE = `${CACHE_DIR}/prochaine-publication.json`;

/** Writes `{ "next": "2027-01-01T00:00:00Z", "file": "content/posts/x.md" }` (or `next: null`). */
async function writeSchedule(root: string, next: CompiledSite['nextScheduled']): Promise<void> {
  const file = path.join(root, SCHEDULE_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ next: next ? rfc3339(next.date) : null, file: next?.file ?? null }, null, 2)}\n`);
}

/** A file in public/ that a page would overwrite. */
function findPublicCollisions(publicFiles: readonly PublicFile[], pages: readonly Page[]): Diagnostic[] {
  const pagePaths = new Set(pages.map((page) => outputPath(page.url)));
  return publicFiles.map((file) => file.path)
    .filter((file) => pagePaths.has(file.replace(/^public\//, '')))
    .map((file) => contentError(file, undefined, 'route/collision',
      `Le fichier ${file} a la même adresse qu'une page générée (/${file.replace(/^public\//, '')}).`,
      'Renommez ou déplacez ce fichier de public/.'));
}
