import path from 'node:path';
import type { ImageSize } from '../images/image-set.js';
import type { SourceFile } from '../records.js';
import { readImageSizes } from './image-sizes.js';
import { listPublicFiles, type PublicListing } from './public-files.js';
import { readContent, readFolder, type ContentSources } from './read-sources.js';

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
