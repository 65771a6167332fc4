import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentType } from 'mime-types';
import { CACHE_DIR, type BuildOptions } from '../build.js';
import { compileSite, siteMarkdownOptions, type BuildCaches, type CompiledSite } from '../compile.js';
import { projectFolders, readProject, type ProjectSources } from '../load/read-project.js';
import { bodyFields, sameOutline } from '../graph/site.js';
import { markdownJobs, renderContentMarkdown, renderContentMarkdownStored } from '../markdown/render-content.js';
import { MarkdownStore } from '../markdown/markdown-store.js';
import { textDigest, validateContent } from '../validate/validate-content.js';
import { openValidationStore } from '../validate/validation-store.js';
import type { Post } from '../records.js';
import { validatePost } from '../validate/post.js';
import { compareText, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Page } from '../graph/pages.js';
import { readFolder } from '../load/read-sources.js';
import { listPublicFiles, type PublicFile } from '../load/public-files.js';
import { readImageSizes } from '../load/image-sizes.js';
import { createPageRenderer, type PageRenderer } from '../render/render-pages.js';
import type { SiteConfig, SourceFile } from '../records.js';
import type { Change } from './change-queue.js';
import { basePath } from '../config.js';

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

/** The type of a page as `agora serve` and static hosts send its file: by its extension, from mime-types. */
const typeOf = (file: string) => contentType(path.extname(file)) || 'application/octet-stream';

/**
 * The site held in memory by `agora dev`. A change re-reads only the files it names; files
 * whose text did not change are neither validated nor rendered to HTML again; pages are
 * rendered when asked for and kept until the next change.
 */
export class DevSite {
  private sources!: ProjectSources;
  private caches: BuildCaches = { validation: new Map(), markdown: new Map() };
  private good: GoodState | null = null;
  private compiled: CompiledSite | null = null;
  private rendered = new Map<string, DevResponse>();
  /** Templates are compiled again only when they or the settings change. */
  private renderer: { key: unknown[]; renderer: PageRenderer } | null = null;
  /** The problems of the latest rebuild (empty when it was clean). */
  diagnostics: Diagnostic[] = [];

  /**
   * `sameOriginComments`: the preview's forms post to the preview itself (agora dev takes
   * comments), whatever comments.endpoint says.
   */
  constructor(readonly options: Omit<BuildOptions, 'now'> & { now?: () => number; sameOriginComments?: boolean }) {}

  /**
   * Reads the whole project and builds it once. The Markdown comes from the build's persistent
   * store (`.cache/agora/`) where it can, the rest is rendered over all cores and stored: after
   * an `agora build`, the preview starts without converting anything.
   */
  async start(): Promise<void> {
    this.sources = await readProject(this.options);
    const cacheDir = this.options.cache === false ? null : path.join(this.options.root, CACHE_DIR);
    // The build's stores: validated records and rendered Markdown of unchanged files are taken as they are.
    const validation = cacheDir ? await openValidationStore(path.join(cacheDir, 'validation')) : null;
    if (validation) this.caches.validation = validation.cache;
    const content = validateContent(this.sources.content, this.caches.validation);
    const options = siteMarkdownOptions(content.config, this.sources);
    const store = await MarkdownStore.open(cacheDir, options);
    const rendered = await renderContentMarkdownStored(content, options, store);
    for (const job of markdownJobs(content)) this.caches.markdown.set(job.file, { body: job.body, bodyLine: job.bodyLine, result: rendered.get(job.file)! });
    await Promise.all([store.save(), validation?.save()]).catch(() => {});
    this.compile();
  }

  /** Applies a batch of file changes, each by its kind, and rebuilds the site graph. */
  async apply(changes: readonly Change[]): Promise<void> {
    if (await this.applyBodyEdits(changes)) return;
    const { templatesDir, publicDir } = projectFolders(this.options);
    for (const change of changes) {
      if (change.kind === 'content' || change.kind === 'config') await this.updateContent(change);
    }
    if (changes.some((change) => change.kind === 'template')) this.sources.templates = await readFolder(templatesDir, '.', '.hbs', 'templates');
    if (changes.some((change) => change.kind === 'public')) {
      this.sources.public = await listPublicFiles(publicDir);
      this.sources.imageSizes = await readImageSizes(this.sources.public.files);
      // Image sizes are part of the rendered Markdown.
      this.caches.markdown.clear();
    }
    this.compile();
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
      return { contents: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur de gabarit</title></head><body><main><h1>Erreur de gabarit</h1></main></body></html>`, type: typeOf('.html') };
    }
    const response = { contents: result.contents, type: typeOf(result.path) };
    this.rendered.set(url, response);
    return response;
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
   * The common case, an essay whose body alone changed: its Markdown is rendered again and its
   * entry patched in place, so its page and the lists showing it render anew, while the rest
   * of the site graph (lists, related essays, pages) stays as it is. Returns false, having
   * changed nothing, whenever a full rebuild is needed (any other change, or any error).
   */
  private async applyBodyEdits(changes: readonly Change[]): Promise<boolean> {
    if (!this.compiled || hasErrors(this.diagnostics)) return false;
    if (!changes.every((c) => c.kind === 'content' && c.event === 'change' && c.path.startsWith('content/posts/'))) return false;
    const edits = [];
    for (const change of changes) {
      const text = await readFile(path.join(this.options.root, change.path), 'utf8').catch(() => null);
      const previous = this.caches.validation.get(change.path)?.result.record as Post | null | undefined;
      if (text === null || !previous) return false;
      const validated = validatePost({ path: change.path, text });
      if (!validated.record || hasErrors(validated.diagnostics) || !sameOutline(previous, validated.record)) return false;
      const markdown = renderContentMarkdown({ posts: [validated.record], authors: [], categories: [], comments: [] }, siteMarkdownOptions(this.compiled.site.config, this.sources), this.caches.markdown).get(change.path)!;
      if (hasErrors(markdown.diagnostics)) return false;
      edits.push({ change, text, validated, markdown });
    }
    for (const { change, text, validated, markdown } of edits) {
      this.caches.validation.set(change.path, { digest: textDigest(text), result: validated });
      const list = this.sources.content.posts;
      list[list.findIndex((file) => file.path === change.path)] = { path: change.path, text };
      const entry = this.compiled.site.posts.find((post) => post.file === change.path);
      if (entry) {
        Object.assign(entry, bodyFields(validated.record!, markdown, this.compiled.site.config));
        const page = this.compiled.pages.find((candidate) => candidate.template === 'post' && candidate.sources[0] === change.path);
        if (page) page.description = entry.excerpt;
      }
      this.diagnostics = sortDiagnostics([
        ...this.diagnostics.filter((d) => d.file !== change.path),
        ...validated.diagnostics,
        ...markdown.diagnostics,
      ]);
    }
    this.rendered = new Map();
    return true;
  }

  private async updateContent(change: Change): Promise<void> {
    const text = change.event === 'unlink' ? null : await readFile(path.join(this.options.root, change.path), 'utf8').catch(() => null);
    const file: SourceFile | null = text === null ? null : { path: change.path, text };
    if (change.kind === 'config') {
      this.sources.content.config = file;
      // Every page depends on the settings: nothing cached can be trusted.
      this.caches.validation.clear();
      this.caches.markdown.clear();
      return;
    }
    const folder = /^content\/(posts|authors|categories|comments)\//.exec(change.path)?.[1] as keyof Omit<ProjectSources['content'], 'config' | 'skipped'> | undefined;
    if (!folder) return;
    const list = this.sources.content[folder].filter((existing) => existing.path !== change.path);
    if (file) list.push(file);
    this.sources.content[folder] = list.sort((a, b) => compareText(a.path, b.path));
    if (!file) {
      this.caches.validation.delete(change.path);
      this.caches.markdown.delete(change.path);
    }
  }

  private compile(): void {
    const now = this.options.now?.() ?? Date.now();
    const sameOrigin = this.options.sameOriginComments ? (config: SiteConfig) => ({ ...config, comments: { ...config.comments, endpoint: null } }) : undefined;
    const compiled = compileSite(this.sources, { now, drafts: this.options.drafts ?? true, future: this.options.future ?? true }, this.caches, sameOrigin);
    this.compiled = compiled;
    const key = [this.sources.templates, this.sources.content.config?.text];
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
