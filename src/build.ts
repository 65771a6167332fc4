import path from 'node:path';
import { contentError, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { findCollisions, generatePages } from './graph/pages.js';
import { outputPath } from './graph/routes.js';
import { buildSite, type Site } from './graph/site.js';
import { listFiles, readContent, readFolder } from './load/read-sources.js';
import { renderContentMarkdown } from './markdown/render-content.js';
import { renderPages } from './render/render-pages.js';
import { validateContent } from './validate/validate-content.js';
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
}

/** What a build produced: the files (unless it failed) and every diagnostic. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: OutputFile[];
  site: Site | null;
  durationMs: number;
}

/** Builds the site: load → validate → markdown → graph → render → write. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { root } = options;
  const content = validateContent(await readContent(root));
  const markdown = renderContentMarkdown(content);
  const site = buildSite({ ...content, markdown }, { now: options.now ?? Date.now(), drafts: !!options.drafts, future: !!options.future });
  const pages = generatePages(site);
  const templatesDir = options.templatesDir ?? path.join(root, 'templates');
  const publicDir = options.publicDir ?? path.join(root, 'public');
  const rendered = renderPages(pages, site, await readFolder(templatesDir, '.', '.hbs', 'templates'));
  const publicFiles = await listFiles(publicDir, '.', 'public');

  const diagnostics = sortDiagnostics([
    ...content.diagnostics,
    ...[...markdown.values()].flatMap((result) => result.diagnostics),
    ...findCollisions(pages),
    ...findPublicCollisions(publicFiles, rendered.files),
    ...rendered.diagnostics,
  ]);
  const result = { diagnostics, site, durationMs: 0 };
  if (hasErrors(diagnostics)) return { ...result, ok: false, files: [], durationMs: performance.now() - started };
  if (options.write !== false) {
    await writeSite(path.resolve(root, options.outDir ?? 'dist'), rendered.files, publicDir,
      options.search === false ? undefined : indexSearch);
  }
  return { ...result, ok: true, files: rendered.files, durationMs: performance.now() - started };
}

/** A file in public/ that a page would overwrite. */
function findPublicCollisions(publicFiles: readonly string[], pages: readonly OutputFile[]): Diagnostic[] {
  const pagePaths = new Set(pages.map((file) => file.path));
  return publicFiles
    .filter((file) => pagePaths.has(file.replace(/^public\//, '')))
    .map((file) => contentError(file, undefined, 'route/collision',
      `Le fichier ${file} a la même adresse qu'une page générée (${outputPath('/' + file.replace(/^public\//, ''))}).`,
      'Renommez ou déplacez ce fichier de public/.'));
}
