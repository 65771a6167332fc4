import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CACHE_DIR, type BuildOptions } from '../build.js';
import { compile, type CompiledSite } from '../compile.js';
import { readProject, updateSources, type ProjectSources } from '../load/read-project.js';
import { MarkdownStore } from '../markdown/markdown-store.js';
import type { ValidationCache } from '../validate/validate-content.js';
import { openValidationStore } from '../validate/validation-store.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { outputPath } from '../graph/routes.js';
import { contentTypeOf } from '../serve/static-files.js';
import type { PublicFile } from '../load/public-files.js';
import { hashPublicFiles, type HashedFile } from '../load/public-hashes.js';
import { prepareImages } from '../images/encode-images.js';
import type { ImageVariant } from '../images/image-set.js';
import { createPageRenderer, type PageRenderer } from '../render/render-pages.js';
import type { SiteConfig } from '../records.js';
import type { Change } from './change-queue.js';
import { basePath } from '../config.js';
import { siteIndexOf, type SiteIndex } from '../intake/site-index.js';

/** A state of the site that built without errors: what the dev server serves. */
interface GoodState {
  pages: Map<string, Page>;
  renderer: PageRenderer;
}

/** A page as served in dev: its HTML (or other contents) and its content type. */
export interface DevResponse {
  contents: string;
  type: string;
}

/** The type of a page as `agora serve` sends its file (serve/static-files.ts). */
const typeOf = contentTypeOf;

/**
 * The site held in memory by `agora dev`. A change re-reads only the files it names; files
 * whose text did not change are neither validated nor rendered to HTML again; pages are
 * rendered when asked for and kept until the next change.
 */
export class DevSite {
  private sources!: ProjectSources;
  /** The stores of the build, kept in memory: a file whose text did not change is neither validated nor rendered to HTML again. */
  private validation: ValidationCache = new Map();
  private markdown!: MarkdownStore;
  private good: GoodState | null = null;
  private compiled: CompiledSite | null = null;
  private rendered = new Map<string, DevResponse>();
  /** Templates are compiled again only when they or the settings change. */
  private renderer: { key: unknown[]; renderer: PageRenderer } | null = null;
  /** The versions of photos the pages show, by address: encoded when first asked for (images/encode-images.ts). */
  private variants = new Map<string, ImageVariant>();
  private imageFolder?: Promise<string>;
  /** The hash of each photo asked for since public/ last changed: a page's dozen versions read and hash their photo once. */
  private photoHashes = new Map<string, Promise<HashedFile>>();
  /** The problems of the latest rebuild (empty when it was clean). */
  diagnostics: Diagnostic[] = [];

  /**
   * `sameOriginComments`: the preview's forms post to the preview itself (agora dev takes
   * comments), whatever comments.endpoint says.
   */
  constructor(readonly options: Omit<BuildOptions, 'now'> & { now?: () => number; sameOriginComments?: boolean }) {}

  /**
   * Reads the whole project and compiles it once, through the build's own stages and from the
   * build's stores (`.cache/agora/`): after an `agora build`, the preview starts without
   * validating or converting anything again; what it had to do is stored for the next build.
   */
  async start(): Promise<void> {
    this.sources = await readProject(this.options);
    const cacheDir = this.options.cache === false ? null : path.join(this.options.root, CACHE_DIR);
    const validation = cacheDir ? await openValidationStore(path.join(cacheDir, 'validation')) : null;
    if (validation) this.validation = validation.cache;
    this.markdown = await MarkdownStore.open(cacheDir);
    await this.compile();
    await Promise.all([this.markdown.save(), validation?.save()]).catch(() => {});
  }

  /**
   * Applies a batch of file changes: the sources read again as far as they name (load), then
   * compiled as the build compiles, from the previous compilation (an essay whose body alone
   * changed updates it, compile.ts).
   */
  async apply(changes: readonly Change[]): Promise<void> {
    this.sources = await updateSources(this.sources, changes, this.options);
    if (changes.some((change) => change.kind === 'public')) this.photoHashes = new Map();
    await this.compile(changes.map((change) => change.path));
  }

  /** The page at a URL (rendered now if needed), or null when the site has no such page. */
  page(url: string): DevResponse | null {
    const cached = this.rendered.get(url);
    if (cached) return cached;
    const page = this.good?.pages.get(url);
    if (!page || !this.good) return null;
    const result = this.good.renderer.render(page);
    if ('diagnostic' in result) {
      this.diagnostics = sortDiagnostics([...this.diagnostics, result.diagnostic]);
      return { contents: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur de gabarit</title></head><body><main><h1>Erreur de gabarit</h1></main></body></html>`, type: typeOf('erreur.html') };
    }
    const response = { contents: result.contents, type: typeOf(outputPath(page.url)) };
    this.rendered.set(url, response);
    return response;
  }

  /**
   * What the comment endpoint of the preview needs to know of the site, from the site as last
   * compiled (drafts and future essays take comments too): no second reading or watcher of content/.
   */
  siteIndex(): SiteIndex {
    if (!this.compiled) throw new Error('le site n\'est pas encore construit');
    const { content } = this.compiled;
    return siteIndexOf(content.config, content.posts, content.comments, this.options.now?.() ?? Date.now(), { drafts: this.options.drafts ?? true, future: this.options.future ?? true }, content.pages);
  }

  /** The site's base path (`/` or `/carnets/`), under which the dev server serves it. */
  basePath(): string {
    return this.compiled ? basePath(this.compiled.site.config) : '/';
  }

  /** True when a URL is a page of the site (the server uses it to redirect `/x` to `/x/`). */
  hasPage(url: string): boolean {
    return this.good?.pages.has(url) ?? false;
  }

  /** The file of public/ served at `/<file>`, if the site has one (only listed files are ever served). */
  publicFile(file: string): PublicFile | undefined {
    return this.sources.public.files.find((entry) => entry.path === `public/${file}`);
  }

  /**
   * The file of a version of a photo served at `/<file>` (`images/vue-800w.avif`), encoded now
   * into the build's cache (`.cache/agora/images/`) unless it is there already; undefined when
   * no page shows such a version.
   */
  async imageVariantFile(file: string): Promise<string | undefined> {
    const variant = this.variants.get(`/${file}`);
    const image = variant && this.publicFile(variant.image.slice(1));
    if (!variant || !image) return undefined;
    if (!this.photoHashes.has(image.path)) this.photoHashes.set(image.path, hashPublicFiles([image], null).then(([hashed]) => hashed!));
    const source = await this.photoHashes.get(image.path)!.catch(() => undefined);
    if (!source) {
      this.photoHashes.delete(image.path);
      return undefined;
    }
    // Without the cache (--no-cache), a temporary folder of this preview's own.
    this.imageFolder ??= this.options.cache === false ? mkdtemp(path.join(tmpdir(), 'agora-dev-images-')) : Promise.resolve(path.join(this.options.root, CACHE_DIR, 'images'));
    const made = await prepareImages([variant], new Map([[variant.image, source]]), await this.imageFolder);
    return made.files[0]?.source;
  }

  /**
   * Compiles the site as the build does, from the previous compilation when `changed` says
   * which files changed since; what is served changes only once it is done.
   */
  private async compile(changed?: readonly string[]): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    const sameOrigin = this.options.sameOriginComments ? (config: SiteConfig) => ({ ...config, comments: { ...config.comments, endpoint: null } }) : undefined;
    const previous = changed && this.compiled ? { compiled: this.compiled, changed } : undefined;
    const compiled = await compile(this.sources, { now, drafts: this.options.drafts ?? true, future: this.options.future ?? true }, { validation: this.validation, markdown: this.markdown }, { adjust: sameOrigin, previous });
    this.compiled = compiled;
    this.variants = new Map(compiled.images.map((variant) => [variant.url, variant]));
    // What the renderer holds of the site: its templates, its settings and the pages of its menu.
    const key = [this.sources.templates, this.sources.content.config?.text, JSON.stringify(compiled.site.menu)];
    if (!this.renderer || this.renderer.key.some((part, i) => part !== key[i])) {
      this.renderer = { key, renderer: createPageRenderer(compiled.site, this.sources.templates) };
    }
    const renderer = this.renderer.renderer;
    this.diagnostics = sortDiagnostics([...compiled.diagnostics, ...renderer.diagnostics]);
    this.rendered = new Map();
    if (!hasErrors(this.diagnostics)) {
      this.good = { pages: new Map(compiled.pages.map((page) => [page.url, page])), renderer };
    }
  }
}
