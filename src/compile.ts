import { basePath } from './config.js';
import { contentError, type Diagnostic } from './diagnostics/diagnostic.js';
import { checkInternalLinks } from './graph/internal-links.js';
import { findCollisions, generatePages, type Page } from './graph/pages.js';
import { outputPath } from './graph/routes.js';
import { buildSite, type PublishOptions, type Site } from './graph/site.js';
import type { PublicFile } from './load/public-files.js';
import type { ProjectSources } from './load/read-project.js';
import { markdownOptions, type MarkdownOptions, type RenderedMarkdown } from './markdown/processor.js';
import { renderContentMarkdown, type MarkdownCache } from './markdown/render-content.js';
import type { ContentDate, SiteConfig } from './records.js';
import { validateContent, type ValidatedContent, type ValidationCache } from './validate/validate-content.js';

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

/** The Markdown options of a site: language, nesting limit, base path and image sizes. */
export function siteMarkdownOptions(config: SiteConfig, sources: Pick<ProjectSources, 'imageSizes'>): MarkdownOptions {
  return markdownOptions(config.language, config.limits.nesting, { basePath: basePath(config), images: sources.imageSizes });
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

/** A file in public/ that a page would overwrite. */
function findPublicCollisions(publicFiles: readonly PublicFile[], pages: readonly Page[]): Diagnostic[] {
  const pagePaths = new Set(pages.map((page) => outputPath(page.url)));
  return publicFiles.map((file) => file.path)
    .filter((file) => pagePaths.has(file.replace(/^public\//, '')))
    .map((file) => contentError(file, undefined, 'route/collision',
      `Le fichier ${file} a la même adresse qu'une page générée (/${file.replace(/^public\//, '')}).`,
      'Renommez ou déplacez ce fichier de public/.'));
}
