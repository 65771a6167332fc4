import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { outputPath } from '../graph/routes.js';
import type { Site } from '../graph/site.js';
import type { SourceFile } from '../records.js';
import type { OutputFile } from '../records.js';
import { renderAtom, renderJsonFeed, renderRobots, renderSitemap } from './feeds.js';
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
  /** Agora's own code and libraries: another version may render otherwise. */
  code: string;
}

/**
 * Renders every page with the templates; problems come back as diagnostics, all of them.
 * With a store, every page gets a key (its data's fingerprint, the templates, the settings,
 * Agora's code), and a page whose key the previous build wrote is not rendered: its file is
 * kept, and rendered only if something reads its contents (a search shard indexed again, a
 * file gone from the output folder).
 */
export function renderPages(pages: readonly Page[], site: Site, templates: readonly SourceFile[], store?: PageStore): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const renderer = createPageRenderer(site, templates);
  if (renderer.diagnostics.length) return { files: [], diagnostics: renderer.diagnostics };
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const keyOf = store ? pageKeys(site, templates, store.code) : null;
  for (const page of pages) {
    const key = keyOf?.(page);
    if (key !== undefined) {
      const target = outputPath(page.url);
      if (store!.keys.get(target) === key) {
        files.push(keptFile(target, key, () => {
          const again = renderer.render(page);
          if ('diagnostic' in again) throw new Error(`${again.diagnostic.file} : ${again.diagnostic.message}`);
          return again.contents;
        }));
        continue;
      }
    }
    const result = renderer.render(page);
    if ('contents' in result) {
      files.push(key === undefined ? result : { ...result, key });
    } else {
      // One broken template breaks many pages: report each problem once.
      const key = `${result.diagnostic.file}:${result.diagnostic.line}:${result.diagnostic.code}`;
      if (!reported.has(key)) diagnostics.push(result.diagnostic);
      reported.add(key);
    }
  }
  return { files, diagnostics };
}

/** The key of each page: its fingerprint, with the templates, the settings and Agora's code it is rendered with. */
function pageKeys(site: Site, templates: readonly SourceFile[], code: string): (page: Page) => string {
  const fingerprint = createFingerprinter();
  const shared = createHash('sha1').update(code).update(JSON.stringify(site.config));
  for (const file of templates) shared.update(`\0${file.path}\0${file.text}`);
  const common = shared.digest('base64url');
  return (page) => createHash('sha1').update(common).update(fingerprint(page)).digest('base64url');
}

/** A page kept from the previous build: its contents are rendered on first reading, if ever. */
function keptFile(path: string, key: string, render: () => string): OutputFile {
  let contents: string | undefined;
  return { path, key, kept: true, get contents() { return (contents ??= render()); } };
}
