import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isFrenchLanguage } from './french-typography.js';
import type { InternalLink, SiteLinkOptions } from './site-links.js';

/*
 * What the rest of Agora needs to know of the Markdown stage, without remark: the pipeline's
 * options and the shape of a result. Importing processor.ts loads remark, micromark and their
 * ~250 modules (about 150 ms here); a build renders its bodies in worker threads, so its own
 * thread never needs them.
 */

/** Markdown turned into safe HTML, with what the lists need. */
export interface RenderedMarkdown {
  html: string;
  /**
   * The first paragraph as plain text, typeset, cut after EXCERPT_LENGTH + 1 characters: what
   * excerpts need ('' for comments, which have none).
   */
  firstParagraph: string;
  /** Words of the body (0 for comments: nothing shows their length). */
  words: number;
  /** Root-relative links and images, as written, for the build to check. */
  links: InternalLink[];
  diagnostics: Diagnostic[];
}

/** The options of the Markdown pipeline: anything that changes its output belongs here (cache keys use it). */
export interface MarkdownOptions {
  /** French typography (a site whose language is French). */
  frenchTypography: boolean;
  /** Deepest nesting of lists and quotes accepted (site.yml `limits.nesting`). */
  maxNesting: number;
  /** The base path and the sizes of public/'s images, which links and images depend on. */
  links: SiteLinkOptions;
  /** Time allowed to one long body, in ms (site.yml `limits.markdownSeconds`); past it the body is refused. */
  timeoutMs: number;
}

/** Time allowed to one long body when site.yml says nothing (the default of `limits.markdownSeconds`, like Hugo's `timeout`). */
export const DEFAULT_TIMEOUT_MS = 20_000;

/** Deepest nesting when site.yml says nothing (the default of `limits.nesting`). */
export const DEFAULT_MAX_NESTING = 32;

/** The options of a site's Markdown: its language, limits, base path and images. */
export function markdownOptions(language: string, maxNesting = DEFAULT_MAX_NESTING, links: SiteLinkOptions = { basePath: '/', images: {} }, timeoutMs = DEFAULT_TIMEOUT_MS): MarkdownOptions {
  return { frenchTypography: isFrenchLanguage(language), maxNesting, links, timeoutMs };
}

/** A body that could not be rendered: nothing to show, and why. */
export function failed(diagnostic: Diagnostic): RenderedMarkdown {
  return { html: '', firstParagraph: '', words: 0, links: [], diagnostics: [diagnostic] };
}
