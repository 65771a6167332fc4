import path from 'node:path';
import type { ImageSize } from '../images/image-set.js';
import type { SourceFile } from '../records.js';
import { readImageSizes } from './image-sizes.js';
import { listPublicFiles, type PublicListing } from './public-files.js';
import { compareText } from '../diagnostics/diagnostic.js';
import { contentFolderOf, readContent, readFolder, readOptional, type ContentSources } from './read-sources.js';

/** Where a project keeps its sources: `root` holds content/; templates/ and public/ may be elsewhere. */
export interface ProjectLocation {
  root: string;
  templatesDir?: string;
  publicDir?: string;
}

/** Everything a build reads from disk. */
export interface ProjectSources {
  content: ContentSources;
  templates: SourceFile[];
  /** The files of public/ (paths prefixed `public/`) and the entries refused there. */
  public: PublicListing;
  /** Width and height of public/'s images, by site path. */
  imageSizes: Record<string, ImageSize>;
}

/** Resolves the folders of a project. */
export function projectFolders(options: ProjectLocation) {
  return {
    templatesDir: options.templatesDir ?? path.join(options.root, 'templates'),
    publicDir: options.publicDir ?? path.join(options.root, 'public'),
  };
}

/** Load: reads content/, templates/ and the list of public/ files. */
export async function readProject(options: ProjectLocation): Promise<ProjectSources> {
  const { templatesDir, publicDir } = projectFolders(options);
  const [content, templates, publicListing] = await Promise.all([
    readContent(options.root),
    readFolder(templatesDir, '.', '.hbs', 'templates'),
    listPublicFiles(publicDir),
  ]);
  return { content, templates, public: publicListing, imageSizes: await readImageSizes(publicListing.files) };
}

/** A file of the project that changed, as `agora dev`'s watcher reports it (path relative to the root). */
export interface SourceChange {
  kind: 'content' | 'config' | 'template' | 'public';
  path: string;
}

/**
 * Load again after changes, reading no more than they name: a file of content/ (read anew, or
 * gone), the settings, and for templates or public/ their whole folder (and public/'s image
 * sizes). Files that did not change stay the same objects, so the stores know them at once.
 */
export async function updateSources(sources: ProjectSources, changes: readonly SourceChange[], options: ProjectLocation): Promise<ProjectSources> {
  const { templatesDir, publicDir } = projectFolders(options);
  const content = { ...sources.content };
  for (const change of changes) {
    // A file that cannot be read now (replaced by a folder, its rights taken away) is as gone.
    const read = () => readOptional(options.root, change.path).catch(() => null);
    if (change.kind === 'config') content.config = await read();
    const folder = change.kind === 'content' ? contentFolderOf(change.path) : null;
    if (!folder) continue;
    const file = await read();
    const list = content[folder].filter((existing) => existing.path !== change.path);
    if (file) list.push(file);
    content[folder] = list.sort((a, b) => compareText(a.path, b.path));
  }
  const next = { ...sources, content };
  if (changes.some((change) => change.kind === 'template')) next.templates = await readFolder(templatesDir, '.', '.hbs', 'templates');
  if (changes.some((change) => change.kind === 'public')) {
    next.public = await listPublicFiles(publicDir);
    // Image sizes are part of the Markdown's options, hence of its keys.
    next.imageSizes = await readImageSizes(next.public.files);
  }
  return next;
}
