import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Stages } from '../build-stages.js';
import { removeCacheFile, writeAtomically } from '../cache/cache-file.js';
import type { CompiledSite } from '../compile.js';
import { rfc3339 } from '../dates.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { searchShardCount } from '../graph/routes.js';
import type { Site } from '../graph/site.js';
import { hashPublicFiles, type HashedFile } from '../load/public-hashes.js';
import type { ProjectSources } from '../load/read-project.js';
import type { OutputFile } from '../records.js';
import type { ManifestKeys, RenderedFile } from '../render/render-pages.js';
import { recordBuild, skipIfUpToDate, type BuildRecord, type RecordedBuild } from './build-record.js';
import type { Manifest } from './manifest.js';
import { assertOutputFolder, type ProtectedFolders } from './output-folder.js';
import { withProjectLock } from './project-lock.js';
import type { WriteReport } from './write-site.js';

/** Runs one stage of a build, timed under its name, told to the progress line with its label. */
export type StageRunner = <T>(name: string, run: () => T | Promise<T>, label?: string) => Promise<T>;

/** A file a build produced: its path, its key in the manifest, and its contents when the build kept them in memory. */
export interface BuiltFile {
  path: string;
  key?: string;
  /** The previous build wrote this very page (same key): linked, not rendered. */
  kept?: boolean;
  contents?: string;
}

/** What putting the site in its output gives the build's result. */
export interface PutResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: BuiltFile[];
  written: WriteReport | null;
  cards?: { total: number; drawn: number };
  images?: { total: number; encoded: number };
}

/**
 * Where a build puts the site, chosen once (Lume's Writer): an output folder on disk
 * (folderOutput) or memory (memoryOutput, `write: false`: tests, audits of a build in memory).
 * The build asks it the same questions in the same order, whichever it is.
 */
export interface SiteOutput {
  /** Runs the whole build under what the output needs (a folder: the project's lock). */
  hold<T>(run: () => Promise<T>): Promise<T>;
  /** Refuses, before any work, a folder Agora may not replace (issue 11). */
  check(): Promise<void>;
  /** The public files the site will hold, with the hashes of their contents. */
  publicFiles(sources: ProjectSources): Promise<HashedFile[]>;
  /** The previous build's record when nothing changed since (then nothing is built), else null. */
  upToDate(sources: ProjectSources, publicFiles: readonly HashedFile[]): Promise<BuildRecord | null>;
  /** Starts, while the build compiles, what putting the site will need: a folder's search index, Pagefind's service. */
  prepare(stages: Stages): void;
  /** The keys of the pages the output already holds: a page whose key did not change is not rendered again. */
  previousKeys(stages: Stages): Promise<ManifestKeys | undefined>;
  /** Puts the rendered site there; problems found on the way come back as diagnostics, and a folder is then left as it was. */
  put(stages: Stages, compiled: CompiledSite, rendered: { files: OutputFile[]; diagnostics: Diagnostic[] }, publicFiles: readonly HashedFile[]): Promise<PutResult>;
}

/** The site kept in memory: every page rendered once, nothing written, no public file copied, no record kept. */
export function memoryOutput(stage: StageRunner): SiteOutput {
  return {
    hold: (run) => run(),
    check: async () => {},
    publicFiles: async () => [],
    upToDate: async () => null,
    prepare: () => {},
    previousKeys: async () => undefined,
    async put(stages, compiled, rendered) {
      const inMemory = await stage('memory', () => stages.renderAll(rendered.files), `rendu de ${compiled.pages.length} pages`);
      const diagnostics = sortDiagnostics([...compiled.diagnostics, ...rendered.diagnostics, ...inMemory.diagnostics]);
      const files: RenderedFile[] = hasErrors(diagnostics) ? [] : inMemory.files;
      return { ok: !hasErrors(diagnostics), diagnostics, files, written: null };
    },
  };
}

/** What the folder output needs to know of the build. */
export interface FolderOutputOptions {
  root: string;
  outDir: string;
  /** As the user wrote it, for messages (`dist`). */
  shownOutDir: string;
  /** `.cache/agora/`, or null without cache (--no-cache): no record, no manifest, everything written. */
  cacheDir: string | null;
  guard: ProtectedFolders;
  recordFile: string;
  manifestFile: string;
  scheduleFile: string;
  /** Index the essays for /recherche/. */
  search: boolean;
  /** The present of the build, in ms. */
  now: number;
  /** The key of the build's inputs (cache/keys.ts buildKey), from its sources and public files. */
  inputsKey: (sources: ProjectSources, publicFiles: readonly HashedFile[]) => string;
}

/**
 * The site written into an output folder, under the project's lock: public files known by
 * their hashes, the build record that lets an unchanged build stop at once, the manifest that
 * lets a page whose key did not change be linked instead of rendered, the versions of photos and
 * the social cards, then writeSite (in place or swapped), the next scheduled date for CI.
 */
export function folderOutput(options: FolderOutputOptions, stage: StageRunner): SiteOutput {
  let recorded: RecordedBuild | null = null;
  let previousManifest: Manifest | null = null;
  const manifestFile = options.cacheDir ? options.manifestFile : null;
  return {
    hold: (run) => withProjectLock(options.root, run),
    check: () => assertOutputFolder(options.outDir, options.guard, options.shownOutDir),
    publicFiles: (sources) => stage('hashes', () => hashPublicFiles(sources.public.files, options.cacheDir)),
    upToDate(sources, publicFiles) {
      recorded = options.cacheDir ? { recordFile: options.recordFile, key: options.inputsKey(sources, publicFiles), outDir: options.outDir, now: options.now } : null;
      return skipIfUpToDate(recorded);
    },
    prepare(stages) {
      if (options.search) stages.startSearchService();
    },
    async previousKeys(stages) {
      if (!manifestFile) return undefined;
      previousManifest = await stages.readManifest(manifestFile, options.outDir);
      return { keys: new Map(Object.entries(previousManifest?.files ?? {}).map(([file, entry]) => [file, entry.key ?? ''])) };
    },
    async put(stages, compiled, rendered, publicFiles) {
      const { site } = compiled;
      const diagnostics = sortDiagnostics([...compiled.diagnostics, ...rendered.diagnostics]);
      const failed = (more: readonly Diagnostic[]): PutResult => ({ ok: false, diagnostics: sortDiagnostics([...diagnostics, ...more]), files: [], written: null });
      if (hasErrors(diagnostics)) return failed([]);
      // The public files by site path (`/images/vue.jpg`): the photos to encode, the covers of the cards.
      const photos = new Map(publicFiles.map((file) => [file.path.replace(/^public/, ''), file]));
      // Versions of photos and cards are made while the pages are written, and copied after them:
      // their processes fill the core that Pagefind, one essay at a time in its own process, leaves
      // idle (docs/vitesse.md).
      const images = stage('images', () => encodeImages(stages, compiled.images, photos, options.cacheDir),
        compiled.images.length ? `versions de ${new Set(compiled.images.map((variant) => variant.image)).size} images` : undefined);
      const cards = stage('cards', () => drawCards(stages, site, photos, options.cacheDir));
      const made = Promise.all([images, cards]).then(([versions, drawn]) => {
        if (versions.diagnostics.length) throw new UnmadeFiles(versions.diagnostics);
        return [...versions.files, ...drawn.files];
      });
      made.catch(() => undefined);
      let written: WriteReport;
      try {
        written = await stage('write', () => stages.writeSite(options.outDir, rendered.files, publicFiles, {
          guard: options.guard, manifestFile, previous: previousManifest, made,
          searchShards: options.search ? searchShardCount(site.posts.length) : 0,
          // While the folder changes, no record says it is up to date: a build killed midway is followed by a full one.
          beforeChange: async () => { if (recorded) await removeCacheFile(recorded.recordFile); },
        }), `rendu et écriture de ${rendered.files.length} fichiers${options.search ? ', index de recherche' : ''}`);
      } catch (error) {
        if (!(error instanceof stages.RenderFailures || error instanceof UnmadeFiles)) throw error;
        // Templates failed on pages as they were rendered, or a photo could not be read, before the folder was touched: each problem, once.
        const unreadable = await images.then((versions) => versions.diagnostics, () => []);
        return failed([...(error instanceof stages.RenderFailures ? error.diagnostics : []), ...unreadable]);
      } finally {
        // A temporary folder is removed only once nothing is written into it any more.
        for (const result of await Promise.allSettled([images, cards])) if (result.status === 'fulfilled') await result.value.dispose();
      }
      const [{ encoded, files: versions }, { drawn, files: cardFiles }] = await Promise.all([images, cards]);
      await writeSchedule(options.scheduleFile, compiled.nextScheduled);
      await recordBuild(recorded, { diagnostics, postDates: compiled.content.posts.map((post) => post.date.time), files: rendered.files.length, paths: written.paths });
      return {
        ok: true, diagnostics, written,
        files: rendered.files.map(({ path: file, key, kept }) => ({ path: file, ...(key !== undefined ? { key } : {}), ...(kept ? { kept } : {}) })),
        cards: { total: cardFiles.length, drawn }, images: { total: versions.length, encoded },
      };
    },
  };
}

/** Photos that could not be read for their versions: the build fails, the folder left as it was. */
class UnmadeFiles extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
  }
}

/**
 * The social cards, drawn once per what they show and kept in .cache/agora/cartes/ (a temporary
 * folder without cache, removed by `dispose`), to be copied as public files are.
 */
async function drawCards(stages: Stages, site: Site, photos: ReadonlyMap<string, HashedFile>, cacheDir: string | null) {
  const folder = cacheDir ? path.join(cacheDir, 'cartes') : await mkdtemp(path.join(tmpdir(), 'agora-cartes-'));
  const cards = await stages.prepareCards(stages.socialCards(site), folder, photos);
  return { ...cards, dispose: async () => { if (!cacheDir) await rm(folder, { recursive: true, force: true }); } };
}

/**
 * The versions of the photos the pages show, encoded once per photo and setting and kept in
 * .cache/agora/images/ (a temporary folder without cache, removed by `dispose`), to be copied
 * as public files are.
 */
async function encodeImages(stages: Stages, variants: CompiledSite['images'], photos: ReadonlyMap<string, HashedFile>, cacheDir: string | null) {
  const folder = cacheDir ? path.join(cacheDir, 'images') : await mkdtemp(path.join(tmpdir(), 'agora-images-'));
  const dispose = async () => { if (!cacheDir) await rm(folder, { recursive: true, force: true }); };
  if (!variants.length && !cacheDir) return { files: [], encoded: 0, diagnostics: [], dispose };
  return { ...await stages.prepareImages(variants, photos, folder, { prune: true }), dispose };
}

/** Writes `{ "next": "2027-01-01T00:00:00Z", "file": "content/posts/x.md" }` (or `next: null`) where CI reads it. */
async function writeSchedule(file: string, next: CompiledSite['nextScheduled']): Promise<void> {
  // Plain JSON, not a sealed cache file: CI reads it (see the site's workflow).
  await writeAtomically(file, Buffer.from(`${JSON.stringify({ next: next ? rfc3339(next.date) : null, file: next?.file ?? null }, null, 2)}\n`));
}
