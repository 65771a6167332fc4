import { pageKey, pageKeyPrefix } from '../cache/keys.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { outputPath } from '../graph/routes.js';
import type { Site } from '../graph/site.js';
import type { OutputFile, Rendered, SourceFile } from '../records.js';
import { renderAtom, renderJsonFeed, renderRobots, renderSitemap } from './feeds.js';
import { renderRedirect } from './redirect.js';
import { headView } from './head.js';
import { commentsEndpoint } from '../config.js';
import { createDataKeyer } from './data-key.js';
import { createRenderer } from './renderer.js';


/** Renders pages one at a time with templates compiled once (the dev server renders on request). */
export interface PageRenderer {
  /** Problems found while compiling the templates. */
  diagnostics: Diagnostic[];
  render(page: Page): Rendered;
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
    menu: site.menu,
  };
  return {
    diagnostics,
    render(page) {
      switch (page.format) {
        case 'atom': return { contents: renderAtom(page, site.config) };
        case 'json-feed': return { contents: renderJsonFeed(page, site.config) };
        case 'sitemap': return { contents: renderSitemap(page, site.config) };
        case 'robots': return { contents: renderRobots(site.config) };
        case 'redirect': return { contents: renderRedirect(page, site.config) };
      }
      const result = renderer.render(page, siteView, headView(page, site.config));
      return 'html' in result ? { contents: result.html } : result;
    },
  };
}

/** What a build keeps from the previous one to skip pages: the key of each page it wrote, and what keys depend on besides the page. */
export interface ManifestKeys {
  /** Key of each output path in the previous build. */
  keys: ReadonlyMap<string, string>;
}

/** Pages whose templates failed as they were written (see writeSite): every problem, once each. */
export class RenderFailures extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((diagnostic) => `${diagnostic.file} : ${diagnostic.message}`).join('\n'));
  }
}

/** Collects the problems of pages as they are rendered: one broken template breaks many pages, and each problem is told once. */
export class RenderProblems {
  private readonly seen = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];

  /** The contents, or null after noting the problem. */
  take(result: Rendered): string | null {
    if ('contents' in result) return result.contents;
    const id = `${result.diagnostic.file}:${result.diagnostic.line}:${result.diagnostic.code}`;
    if (!this.seen.has(id)) this.diagnostics.push(result.diagnostic);
    this.seen.add(id);
    return null;
  }

  /** Throws every problem noted, if any. */
  throwIfAny(): void {
    if (this.diagnostics.length) throw new RenderFailures(this.diagnostics);
  }
}

/**
 * The site's output files, each rendered when its `render()` is called (the write stage calls it
 * once per page it writes): memory holds the pages under way, not the site. With the previous manifest's keys, every
 * page gets a key (the key of its data, the templates, the settings, Agora's code), and a
 * page whose key the previous build wrote is marked `kept`: the writer links its file instead of
 * rendering it, unless something needs its contents (a search shard indexed again, a file gone
 * from the output folder). The diagnostics are the templates' own (they did not compile).
 */
export function renderPages(pages: readonly Page[], site: Site, templates: readonly SourceFile[], options: { previous?: ManifestKeys } = {}): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const renderer = createPageRenderer(site, templates);
  if (renderer.diagnostics.length) return { files: [], diagnostics: renderer.diagnostics };
  const { previous } = options;
  const keyOf = previous ? pageKeys(site, templates) : null;
  const files = pages.map((page): OutputFile => {
    const key = keyOf?.(page);
    const path = outputPath(page.url);
    const kept = key !== undefined && previous!.keys.get(path) === key;
    return { path, ...(key !== undefined ? { key } : {}), ...(kept ? { kept } : {}), render: () => renderer.render(page) };
  });
  return { files, diagnostics: [] };
}

/** A file rendered in memory: its path and contents (a build that does not write, agora dev, tests). */
export interface RenderedFile {
  path: string;
  contents: string;
  key?: string;
}

/** Renders every file once, in memory; problems come back as diagnostics, each once. */
export function renderAll(files: readonly OutputFile[]): { files: RenderedFile[]; diagnostics: Diagnostic[] } {
  const problems = new RenderProblems();
  const rendered = files.flatMap((file): RenderedFile[] => {
    const contents = problems.take(file.render());
    return contents === null ? [] : [{ path: file.path, contents, ...(file.key !== undefined ? { key: file.key } : {}) }];
  });
  return { files: rendered, diagnostics: problems.diagnostics };
}

/** The key of each page: the key of its data, with the templates, the settings and Agora's code it is rendered with (cache/keys.ts). */
function pageKeys(site: Site, templates: readonly SourceFile[]): (page: Page) => string {
  const dataKey = createDataKeyer();
  const prefix = pageKeyPrefix({ config: site.config, menu: site.menu }, templates);
  return (page) => pageKey(prefix, dataKey(page));
}
