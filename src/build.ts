import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contentError, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { findCollisions, generatePages, type Page } from './graph/pages.js';
import { outputPath } from './graph/routes.js';
import { buildSite, type PublishOptions, type Site } from './graph/site.js';
import { listFiles, readContent, readFolder, type ContentSources } from './load/read-sources.js';
import { renderContentMarkdown, type MarkdownCache } from './markdown/render-content.js';
import type { ContentDate, SourceFile } from './records.js';
import { rfc3339 } from './render/feeds.js';
import { renderPages } from './render/render-pages.js';
import { validateContent, type ValidationCache } from './validate/validate-content.js';
import { indexSearch } from './write/search-index.js';
import { writeSite, type OutputFile } from './write/write-site.js';

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
}

/** What a build produced: the files (unless it failed) and every diagnostic. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: OutputFile[];
  site: Site | null;
  nextScheduled: CompiledSite['nextScheduled'];
  durationMs: number;
}

/** Everything a build reads from disk. */
export interface ProjectSources {
  content: ContentSources;
  templates: SourceFile[];
  /** Paths under public/, prefixed `public/`. */
  publicFiles: string[];
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
}

/** Resolves the folders of a project. */
export function projectFolders(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>) {
  return {
    templatesDir: options.templatesDir ?? path.join(options.root, 'templates'),
    publicDir: options.publicDir ?? path.join(options.root, 'public'),
  };
}

/** Load: reads content/, templates/ and the list of public/ files. */
export async function readProject(options: Pick<BuildOptions, 'root' | 'templatesDir' | 'publicDir'>): Promise<ProjectSources> {
  const { templatesDir, publicDir } = projectFolders(options);
  const [content, templates, publicFiles] = await Promise.all([
    readContent(options.root),
    readFolder(templatesDir, '.', '.hbs', 'templates'),
    listFiles(publicDir, '.', 'public'),
  ]);
  return { content, templates, publicFiles };
}

/** Validate → markdown → graph: pure once the sources are read. */
export function compileSite(sources: ProjectSources, publish: PublishOptions, caches?: BuildCaches, baseUrl?: string): CompiledSite {
  const content = validateContent(sources.content, caches?.validation);
  if (baseUrl) content.config = { ...content.config, baseUrl };
  const markdown = renderContentMarkdown(content, caches?.markdown);
  const site = buildSite({ ...content, markdown }, publish);
  const pages = generatePages(site);
  const waiting = content.posts.filter((post) => !post.draft && post.date.time > publish.now).sort((a, b) => a.date.time - b.date.time)[0];
  const nextScheduled = waiting ? { date: waiting.date, file: waiting.file } : null;
  const diagnostics = [
    ...content.diagnostics,
    ...[...markdown.values()].flatMap((result) => result.diagnostics),
    ...findCollisions(pages),
    ...findPublicCollisions(sources.publicFiles, pages),
  ];
  return { site, pages, diagnostics, nextScheduled };
}

/** Builds the site: load → validate → markdown → graph → render → write. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const sources = await readProject(options);
  const publish = { now: options.now ?? Date.now(), drafts: !!options.drafts, future: !!options.future };
  const { site, pages, diagnostics: found, nextScheduled } = compileSite(sources, publish, undefined, options.baseUrl);
  const rendered = renderPages(pages, site, sources.templates);
  const diagnostics = sortDiagnostics([...found, ...rendered.diagnostics]);
  const result = { diagnostics, site, nextScheduled, durationMs: 0 };
  if (hasErrors(diagnostics)) return { ...result, ok: false, files: [], durationMs: performance.now() - started };
  if (options.write !== false) {
    await writeSite(path.resolve(options.root, options.outDir ?? 'dist'), rendered.files, projectFolders(options).publicDir,
      options.search === false ? undefined : indexSearch);
    await writeSchedule(options.root, nextScheduled);
  }
  return { ...result, ok: true, files: rendered.files, durationMs: performance.now() - started };
}

/** Where `agora build` writes the next scheduled publication, for CI. */
export const SCHEDULE_FILE = '.cache/agora/prochaine-publication.json';

/** Writes `{ "next": "2027-01-01T00:00:00Z", "file": "content/posts/x.md" }` (or `next: null`). */
async function writeSchedule(root: string, next: CompiledSite['nextScheduled']): Promise<void> {
  const file = path.join(root, SCHEDULE_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ next: next ? rfc3339(next.date) : null, file: next?.file ?? null }, null, 2)}\n`);
}

/** A file in public/ that a page would overwrite. */
function findPublicCollisions(publicFiles: readonly string[], pages: readonly Page[]): Diagnostic[] {
  const pagePaths = new Set(pages.map((page) => outputPath(page.url)));
  return publicFiles
    .filter((file) => pagePaths.has(file.replace(/^public\//, '')))
    .map((file) => contentError(file, undefined, 'route/collision',
      `Le fichier ${file} a la même adresse qu'une page générée (/${file.replace(/^public\//, '')}).`,
      'Renommez ou déplacez ce fichier de public/.'));
}
