import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { outputPath } from '../graph/routes.js';
import type { Site } from '../graph/site.js';
import type { SourceFile } from '../records.js';
import type { OutputFile } from '../records.js';
import { renderAtom, renderJsonFeed, renderRobots, renderSitemap } from './feeds.js';
import { headView } from './head.js';
import { commentsEndpoint } from '../config.js';
import { createRenderer } from './renderer.js';

const SERIALIZERS = { atom: renderAtom, 'json-feed': renderJsonFeed, sitemap: renderSitemap, robots: renderRobots } as const;

/** Renders pages one at a time with templates compiled once (the dev server renders on request). */
export interface PageRenderer {
  /** Problems found while compiling the templates. */
  diagnostics: Diagnostic[];
  render(page: Page): OutputFile | { diagnostic: Diagnostic };
}

/** Compiles the templates for a site and returns a renderer for its pages. */
export function createPageRenderer(site: Site, templates: readonly SourceFile[]): PageRenderer {
  const { renderer, diagnostics } = createRenderer(templates, site.config);
  const siteView = {
    title: site.config.title,
    description: site.config.description,
    baseUrl: site.config.baseUrl,
    language: site.config.language,
    commentsEndpoint: commentsEndpoint(site.config),
    commentsModeration: site.config.comments.moderation,
  };
  return {
    diagnostics,
    render(page) {
      if (page.format !== 'html') return { path: outputPath(page.url), contents: SERIALIZERS[page.format](page, site.config) };
      const result = renderer.render(page, siteView, headView(page, site.config));
      return 'html' in result ? { path: outputPath(page.url), contents: result.html } : result;
    },
  };
}

/** Renders every page with the templates; problems come back as diagnostics, all of them. */
export function renderPages(pages: readonly Page[], site: Site, templates: readonly SourceFile[]): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const renderer = createPageRenderer(site, templates);
  if (renderer.diagnostics.length) return { files: [], diagnostics: renderer.diagnostics };
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const page of pages) {
    const result = renderer.render(page);
    if ('contents' in result) {
      files.push(result);
    } else {
      // One broken template breaks many pages: report each problem once.
      const key = `${result.diagnostic.file}:${result.diagnostic.line}:${result.diagnostic.code}`;
      if (!reported.has(key)) diagnostics.push(result.diagnostic);
      reported.add(key);
    }
  }
  return { files, diagnostics };
}
