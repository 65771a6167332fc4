import { pageKey, pageKeyPrefix } from '../cache/keys.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { outputPath } from '../graph/routes.js';
import type { Site } from '../graph/site.js';
import type { OutputFile, SourceFile } from '../records.js';
import { renderAtom, renderJsonFeed, renderRobots, renderSitemap } from './feeds.js';
import { renderRedirect } from './redirect.js';
import { headView } from './head.js';
import { commentsEndpoint } from '../config.js';
import { createFingerprinter } from './fingerprint.js';
import { createRenderer } from './renderer.js';


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
    menu: site.menu,
  };
  return {
    diagnostics,
    render(page) {
      const file = (contents: string) => ({ path: outputPath(page.url), contents });
      switch (page.format) {
        case 'atom': return file(renderAtom(page, site.config));
        case 'json-feed': return file(renderJsonFeed(page, site.config));
        case 'sitemap': return file(renderSitemap(page, site.config));
        case 'robots': return file(renderRobots(site.config));
        case 'redirect': return file(renderRedirect(page, site.config));
      }
      const result = renderer.render(page, siteView, headView(page, site.config));
      return 'html' in result ? { path: outputPath(page.url), contents: result.html } : result;
    },
  };
}

/** What a build keeps from the previous one to skip pages: the key of each page it wrote, and what keys depend on besides the page. */
export interface PageStore {
  /** Key of each output path in the previous build. */
  keys: ReadonlyMap<string, string>;
}

/** A page that failed to render when its contents were read (a streamed page): what went wrong. */
export class PageRenderFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.file} : ${diagnostic.message}`);
  }
}

/** How pages are rendered. */
export interface RenderOptions {
  /** The previous build's keys: a page whose key it wrote is not rendered now. */
  store?: PageStore;
  /**
   * Render each page only when its contents are read, and again at each reading (the write
   * stage reads each once, as it writes it): memory holds the pages under way, not the site.
   * A template that fails then throws PageRenderFailure from that reading.
   */
  stream?: boolean;
}

/**
 * Renders every page with the templates; problems come back as diagnostics, all of them.
 * With a store, every page gets a key (its data's fingerprint, the templates, the settings,
 * Agora's code), and a page whose key the previous build wrote is not rendered: its file is
 * kept, and rendered only if something reads its contents (a search shard indexed again, a
 * file gone from the output folder). Streamed, pages are rendered as the write stage reads them.
 */
export function renderPages(pages: readonly Page[], site: Site, templates: readonly SourceFile[], options: RenderOptions = {}): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const renderer = createPageRenderer(site, templates);
  if (renderer.diagnostics.length) return { files: [], diagnostics: renderer.diagnostics };
  const { store } = options;
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const keyOf = store ? pageKeys(site, templates) : null;
  for (const page of pages) {
    const key = keyOf?.(page);
    const target = outputPath(page.url);
    const render = () => {
      const result = renderer.render(page);
      if ('diagnostic' in result) throw new PageRenderFailure(result.diagnostic);
      return result.contents;
    };
    const kept = key !== undefined && store!.keys.get(target) === key;
    if (kept || options.stream) {
      files.push(deferredFile(target, key, kept, render));
      continue;
    }
    const result = renderer.render(page);
    if ('contents' in result) {
      files.push(key === undefined ? result : { ...result, key });
    } else {
      // One broken template breaks many pages: report each problem once.
      const id = `${result.diagnostic.file}:${result.diagnostic.line}:${result.diagnostic.code}`;
      if (!reported.has(id)) diagnostics.push(result.diagnostic);
      reported.add(id);
    }
  }
  return { files, diagnostics };
}

/** The key of each page: its fingerprint, with the templates, the settings and Agora's code it is rendered with (cache/keys.ts). */
function pageKeys(site: Site, templates: readonly SourceFile[]): (page: Page) => string {
  const fingerprint = createFingerprinter();
  const prefix = pageKeyPrefix({ config: site.config, menu: site.menu }, templates);
  return (page) => pageKey(prefix, fingerprint(page));
}

/** A page rendered when its contents are read, each time (kept: the previous build wrote it, with the same key). */
function deferredFile(path: string, key: string | undefined, kept: boolean, render: () => string): OutputFile {
  return { path, ...(key !== undefined ? { key } : {}), ...(kept ? { kept } : {}), get contents() { return render(); } };
}
