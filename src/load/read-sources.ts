import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareText } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../records.js';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';

/** Every content file of a project, grouped by kind, each group sorted by path. */
export interface ContentSources {
  config: SourceFile | null;
  posts: SourceFile[];
  authors: SourceFile[];
  categories: SourceFile[];
  comments: SourceFile[];
}

/** Reads `content/` under `root`: site.yml, posts, authors, categories and comments (Markdown files only). */
export async function readContent(root: string, contentDir = 'content'): Promise<ContentSources> {
  const [config, posts, authors, categories, comments] = await Promise.all([
    readOptional(root, `${contentDir}/site.yml`),
    readFolder(root, `${contentDir}/posts`, '.md'),
    readFolder(root, `${contentDir}/authors`, '.md'),
    readFolder(root, `${contentDir}/categories`, '.md'),
    readFolder(root, `${contentDir}/comments`, '.md'),
  ]);
  return { config, posts, authors, categories, comments };
}

/**
 * Reads the files of one folder (recursively) whose names end with `extension`, sorted by path.
 * Paths are relative to `root`, or start with `label` when given (`templates/post.hbs`).
 */
export async function readFolder(root: string, folder: string, extension: string, label?: string): Promise<SourceFile[]> {
  const files = await listFiles(root, folder);
  const wanted = files.filter((file) => file.endsWith(extension) && !path.basename(file).startsWith('.'));
  return mapLimit(wanted, FILE_CONCURRENCY, async (file) => ({
    path: label ? `${label}/${file}` : file,
    text: await readFile(path.join(root, file), 'utf8'),
  }));
}

/**
 * Lists files below `folder` (relative to `root`), as sorted forward-slash paths; none when it
 * is missing. With `label`, paths start with it instead of being relative to `root`.
 */
export async function listFiles(root: string, folder: string, label?: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, folder), { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .map((file) => (label ? `${label}/${file}` : file))
    .sort(compareText);
}

async function readOptional(root: string, file: string): Promise<SourceFile | null> {
  try {
    return { path: file, text: await readFile(path.join(root, file), 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
