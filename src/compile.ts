import { basePath } from './config.js';
import { contentError, type Diagnostic } from './diagnostics/diagnostic.js';
import { checkInternalLinks } from './graph/internal-links.js';
import { socialCards } from './graph/cards.js';
import type { ImageVariant } from './images/image-set.js';
import { siteImageVariants } from './images/site-images.js';
import { findCollisions, generatePages, type Page } from './graph/pages.js';
import { outputPath } from './graph/routes.js';
import { buildSite, type PublishOptions, type Site } from './graph/site.js';
import type { PublicFile } from './load/public-files.js';
import type { ProjectSources } from './load/read-project.js';
import type { MarkdownOutput } from './markdown/html-text.js';
import { markdownOptions, type MarkdownOptions } from './markdown/processor.js';
import type { MarkdownStore } from './markdown/markdown-store.js';
import { renderContentMarkdown } from './markdown/render-content.js';
import type { ContentDate, SiteConfig } from './records.js';
import { validateContent, type ValidatedContent, type ValidationCache } from './validate/validate-content.js';

/** What a compilation reads and fills: validated records by file and text, rendered Markdown by text and options. */
export interface Stores {
  validation?: ValidationCache;
  markdown: MarkdownStore;
}

/** How to compile. */
export interface CompileOptions {
  /** Changes the settings for this use (a preview's forms post to the preview; --base-url). */
  adjust?: (config: SiteConfig) => SiteConfig;
  /** Internal links and images that lead nowhere are errors (--strict). */
  strict?: boolean;
  /** Told as each stage starts, in French. */
  progress?: (stage: string) => void;
  /** Filled with the milliseconds of each stage. */
  timings?: Record<string, number>;
}

/** The site as data and its pages, before rendering. */
export interface CompiledSite {
  /** The validated records (drafts and scheduled essays included). */
  content: ValidatedContent;
  site: Site;
  pages: Page[];
  diagnostics: Diagnostic[];
  /** The next essay waiting for its date (drafts aside), for CI to schedule a rebuild. */
  nextScheduled: { date: ContentDate; file: string } | null;
  /** The versions of photos its pages show (site.yml `images`), to be encoded when writing. */
  images: ImageVariant[];
  /** Milliseconds spent in each stage. */
  timings: Record<string, number>;
}

/** The Markdown options of a site: language, nesting limit, base path, image sizes and versions. */
export function siteMarkdownOptions(config: SiteConfig, sources: Pick<ProjectSources, 'imageSizes'>): MarkdownOptions {
  return markdownOptions(config.language, config.limits.nesting, { basePath: basePath(config), images: sources.imageSizes, pictures: config.images }, config.limits.markdownSeconds * 1000);
}

/**
 * Validate → Markdown → graph → pages: the one path from read sources to pages, for `agora build`
 * and `agora dev` alike. What the stores hold is not done again: a file whose text did not change
 * is not validated, a body whose text and options did not change is not rendered.
 */
export async function compile(sources: ProjectSources, publish: PublishOptions, stores: Stores, options: CompileOptions = {}): Promise<CompiledSite> {
  const timings = options.timings ?? {};
  const { posts, authors, categories, comments, pages, config } = sources.content;
  options.progress?.(`vérification de ${posts.length + authors.length + categories.length + comments.length + pages.length + (config ? 1 : 0)} fichiers`);
  const content = timed(timings, 'validate', () => validateContent(sources.content, stores.validation));
  if (options.adjust) content.config = options.adjust(content.config);
  const begin = performance.now();
  const markdown = await renderContentMarkdown(content, siteMarkdownOptions(content.config, sources), stores.markdown, options.progress);
  timings.markdown = Math.round(performance.now() - begin);
  options.progress?.('assemblage des pages');
  return assembleSite(sources, content, markdown, publish, timings, options.strict);
}

/** Graph → pages, and every diagnostic found so far. */
function assembleSite(
  sources: ProjectSources,
  content: ValidatedContent,
  markdown: Map<string, MarkdownOutput>,
  publish: PublishOptions,
  timings: Record<string, number> = {},
  strict = false,
): CompiledSite {
  const site = timed(timings, 'graph', () => buildSite({ ...content, markdown, images: sources.imageSizes }, publish));
  const pages = timed(timings, 'pages', () => generatePages(site));
  const images = siteImageVariants(site, markdown, sources.imageSizes);
  const waiting = content.posts.filter((post) => !post.draft && post.date.time > publish.now).sort((a, b) => a.date.time - b.date.time)[0];
  const nextScheduled = waiting ? { date: waiting.date, file: waiting.file } : null;
  const diagnostics = [
    ...content.diagnostics,
    ...[...markdown.values()].flatMap((result) => result.diagnostics),
    ...findCollisions(pages),
    ...checkInternalLinks(markdown, pages, sources.public.files, strict),
    ...sources.public.diagnostics,
    ...findPublicCollisions(sources.public.files, pages, [...socialCards(site).map((card) => card.url), ...images.map((image) => image.url)]),
  ];
  return { content, site, pages, diagnostics, nextScheduled, images, timings };
}

function timed<T>(timings: Record<string, number>, name: string, run: () => T): T {
  const begin = performance.now();
  const value = run();
  timings[name] = Math.round(performance.now() - begin);
  return value;
}

/** A file in public/ that a page would overwrite. */
function findPublicCollisions(publicFiles: readonly PublicFile[], pages: readonly Page[], generated: readonly string[]): Diagnostic[] {
  const pagePaths = new Set([...pages.map((page) => outputPath(page.url)), ...generated.map(outputPath)]);
  return publicFiles.map((file) => file.path)
    .filter((file) => pagePaths.has(file.replace(/^public\//, '')))
    .map((file) => contentError(file, undefined, 'route/collision',
      `Le fichier ${file} a la même adresse qu'une page générée (/${file.replace(/^public\//, '')}).`,
      'Renommez ou déplacez ce fichier de public/.'));
}
