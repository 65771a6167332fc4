import { basePath, DEFAULT_CONFIG } from './config.js';
import { contentError, hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { applyBodyEdits } from './graph/body-edits.js';
import { checkInternalLinks } from './graph/internal-links.js';
import { socialCards } from './graph/cards.js';
import type { ImageVariant } from './images/image-set.js';
import { bodyImageVariants, siteImageVariants } from './images/site-images.js';
import { findCollisions, generatePages, type Page } from './graph/pages.js';
import { outputPath } from './graph/routes.js';
import { buildSite, sameOutline, type PublishOptions, type Site } from './graph/site.js';
import type { PublicFile } from './load/public-files.js';
import type { ProjectSources } from './load/read-project.js';
import { contentFolderOf, READ_CEILING_BYTES, readSource, type ContentFolder } from './load/read-sources.js';
import type { MarkdownOutput } from './markdown/html-text.js';
import { markdownOptions, type MarkdownOptions } from './markdown/options.js';
import type { MarkdownStore } from './markdown/markdown-store.js';
import { markdownJobs, renderContentMarkdown, type MarkdownContent } from './markdown/render-content.js';
import type { ContentDate, Post, SiteConfig } from './records.js';
import type { Validated } from './validate/post.js';
import { validateContent, validateFile, type RecordKinds, type ValidatedContent, type ValidationCache } from './validate/validate-content.js';

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
  /**
   * The previous compilation, from the same stores and without errors, and the files changed
   * since (`agora dev`): when they are essays whose body alone changed, only they are
   * validated and rendered again, and the previous graph takes their new bodies
   * (graph/body-edits.ts) instead of being built anew. Any other change compiles everything.
   */
  previous?: { compiled: CompiledSite; changed: readonly string[] };
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
  const edited = options.previous ? await compileBodyEdits(sources, options.previous, publish, stores, options) : null;
  if (edited) return edited;
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

/**
 * What a build lets go once the Markdown stage is over and the caches are saved: every Markdown
 * text. The records' bodies and the files' texts (10 000 essays: 144 MB, alive until the last
 * page was written) are emptied; nothing after the Markdown stage reads them, and a body whose
 * HTML file is found damaged when a page reads it is read again from its file (rereadBody,
 * given to the Markdown store when it is opened). Only for a build: agora dev keeps both, for
 * the next edit.
 */
export function letTextsGo(content: ValidatedContent, sources: ProjectSources): void {
  for (const record of [...content.posts, ...content.comments, ...content.pages]) record.body = '';
  for (const author of content.authors) author.bio = '';
  for (const category of content.categories) category.description = '';
  const { posts, authors, categories, comments, pages } = sources.content;
  for (const file of [...posts, ...authors, ...categories, ...comments, ...pages]) file.text = '';
}

const KIND_OF_FOLDER: { [F in ContentFolder]: keyof RecordKinds } = { posts: 'post', authors: 'author', categories: 'category', comments: 'comment', pages: 'page' };

/** Settings without size limits but the ceiling of what is read: a body read again was held to the site's limits by the build already. */
const UNLIMITED: SiteConfig = { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, postKiB: READ_CEILING_BYTES / 1024, commentKiB: READ_CEILING_BYTES / 1024 } };

/**
 * A file's Markdown body read again from `root`, as validation and the Markdown stage took it
 * (its text if it changed since: the next build sees the change); '' when it can no longer be
 * read or validated.
 */
export function rereadBody(root: string): (file: string) => string {
  return (file) => {
    const folder = contentFolderOf(file);
    if (!folder) return '';
    try {
      const { record } = validateFile(KIND_OF_FOLDER[folder], readSource(root, file), UNLIMITED);
      if (!record) return '';
      const content: MarkdownContent = { posts: [], authors: [], categories: [], comments: [], pages: [], [folder]: [record] };
      return markdownJobs(content)[0]?.body ?? '';
    } catch {
      return '';
    }
  };
}

/**
 * The common case of `agora dev`, an essay whose body alone changed: validate → Markdown for
 * the changed files only, then the previous graph updated; null (having changed nothing but
 * the stores) whenever a whole compilation is needed: another kind of file, an essay added,
 * gone or moved in a list, any error.
 */
async function compileBodyEdits(sources: ProjectSources, previous: NonNullable<CompileOptions['previous']>, publish: PublishOptions, stores: Stores, options: CompileOptions): Promise<CompiledSite | null> {
  const { compiled, changed } = previous;
  // An essay whose date has come since joins the lists: the whole site changes.
  const due = compiled.nextScheduled && !publish.future && compiled.nextScheduled.date.time <= publish.now;
  if (!changed.length || due || hasErrors(compiled.diagnostics)) return null;
  const timings = options.timings ?? {};
  const { config } = compiled.content;
  const files = new Set(changed);
  const records = timed(timings, 'validate', () => {
    const edits: Validated<Post>[] = [];
    for (const file of files) {
      const source = contentFolderOf(file) === 'posts' ? sources.content.posts.find((candidate) => candidate.path === file) : undefined;
      const before = compiled.content.posts.find((post) => post.file === file);
      if (!source || !before) return null;
      const validated = validateFile('post', source, config, stores.validation);
      if (!validated.record || hasErrors(validated.diagnostics) || !sameOutline(before, validated.record)) return null;
      edits.push(validated);
    }
    return edits;
  });
  if (!records) return null;
  const begin = performance.now();
  const posts = records.map((validated) => validated.record!);
  const markdown = await renderContentMarkdown({ posts, authors: [], categories: [], comments: [] }, siteMarkdownOptions(config, sources), stores.markdown);
  timings.markdown = Math.round(performance.now() - begin);
  if ([...markdown.values()].some((result) => hasErrors(result.diagnostics))) return null;
  applyBodyEdits(compiled.site, compiled.pages, posts.map((record) => ({ record, markdown: markdown.get(record.file)! })));
  const byFile = new Map(posts.map((post) => [post.file, post]));
  const validation = records.flatMap((validated) => validated.diagnostics);
  const images = new Map(compiled.images.map((variant) => [variant.url, variant]));
  for (const result of markdown.values()) for (const variant of bodyImageVariants(result, sources.imageSizes, config.images)) images.set(variant.url, variant);
  const others = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => !files.has(d.file));
  return {
    ...compiled,
    content: { ...compiled.content, posts: compiled.content.posts.map((post) => byFile.get(post.file) ?? post), diagnostics: [...others(compiled.content.diagnostics), ...validation] },
    diagnostics: [
      ...others(compiled.diagnostics), ...validation, ...[...markdown.values()].flatMap((result) => result.diagnostics),
      ...checkInternalLinks(markdown, compiled.pages, sources.public.files, options.strict),
    ],
    images: [...images.values()],
    timings,
  };
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
