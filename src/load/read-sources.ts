import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareText, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { listTree } from './paths.js';
import type { SourceFile } from '../records.js';
import { FILE_CONCURRENCY, mapLimit } from '../concurrency.js';

/** Every content file of a project, grouped by kind, each group sorted by path. */
export interface ContentSources {
  config: SourceFile | null;
  posts: SourceFile[];
  authors: SourceFile[];
  categories: SourceFile[];
  comments: SourceFile[];
  /** Standalone pages (`content/pages/`, nested folders included). */
  pages: SourceFile[];
  /** Entries of content/ that were not read (links, hidden Markdown, other files), as warnings. */
  skipped: Diagnostic[];
}

/** The folders of content/ that hold Markdown records, by the name of their list in ContentSources. */
export type ContentFolder = Exclude<keyof ContentSources, 'config' | 'skipped'>;

/** The folder of content/ a file's records belong to (`content/posts/x.md` → posts), or null. */
export function contentFolderOf(file: string): ContentFolder | null {
  return (/^content\/(posts|authors|categories|comments|pages)\//.exec(file)?.[1] as ContentFolder | undefined) ?? null;
}

/**
 * Files larger than this are not read at all (their size alone is reported): a 50 MB essay
 * once took 4.5 GB and the whole build down. The limits of site.yml can only be lower.
 */
export const READ_CEILING_BYTES = 64 * 1024 * 1024;

/** Reads `content/` under `root`: site.yml, posts, authors, categories, comments and pages (Markdown files only). */
export async function readContent(root: string, contentDir = 'content'): Promise<ContentSources> {
  const skipped: Diagnostic[] = [];
  const [config, posts, authors, categories, comments, pages] = await Promise.all([
    readOptional(root, `${contentDir}/site.yml`),
    readFolder(root, `${contentDir}/posts`, '.md', undefined, skipped),
    readFolder(root, `${contentDir}/authors`, '.md', undefined, skipped),
    readFolder(root, `${contentDir}/categories`, '.md', undefined, skipped),
    readFolder(root, `${contentDir}/comments`, '.md', undefined, skipped),
    readFolder(root, `${contentDir}/pages`, '.md', undefined, skipped),
  ]);
  return { config, posts, authors, categories, comments, pages, skipped: skipped.sort((a, b) => compareText(a.file, b.file)) };
}

/** Editor leftovers and system files, never content and never worth a word (`.#x.md`, `x.md~`, `.swp`, `.DS_Store`, Vim's `4913` probe). */
export function isEditorLeftover(name: string): boolean {
  return name.endsWith('~') || /\.(swp|swx|swo|tmp|bak)$/i.test(name) || name.startsWith('.#') || name === '.DS_Store' || name === 'Thumbs.db' || name === '4913';
}

/**
 * Reads the files of one folder (recursively) whose names end with `extension`, sorted by path.
 * Paths are relative to `root`, or start with `label` when given (`templates/post.hbs`). With
 * `skipped`, the entries left out are reported there: symbolic links (never followed), hidden
 * Markdown files such as `..md`, and files of another kind.
 */
export async function readFolder(root: string, folder: string, extension: string, label?: string, skipped?: Diagnostic[]): Promise<SourceFile[]> {
  const { files, others } = listEntries(root, folder);
  const wanted: string[] = [];
  for (const file of files) {
    const name = path.basename(file);
    if (name.endsWith(extension) && !name.startsWith('.')) wanted.push(file);
    else if (skipped && !isEditorLeftover(name) && (!name.startsWith('.') || name.endsWith(extension))) {
      skipped.push(contentWarning(file, undefined, 'content/skipped',
        name.startsWith('.') ? `${file} est ignoré : son nom commence par un point (fichier caché).` : `${file} est ignoré : seuls les fichiers ${extension} sont lus ici.`,
        name.startsWith('.') ? 'Donnez-lui un nom qui ne commence pas par un point.' : 'Déplacez-le hors de content/ (les images vont dans public/).'));
    }
  }
  if (skipped) {
    for (const other of others) {
      skipped.push(contentWarning(other, undefined, 'content/skipped',
        `${other} est ignoré : c'est un lien symbolique ou un fichier spécial, qu'Agora ne suit jamais.`,
        'Remplacez le lien par le fichier lui-même.'));
    }
  }
  return mapLimit(wanted, FILE_CONCURRENCY, async (file) => readSource(root, file, label ? `${label}/${file}` : file));
}

/**
 * Lists files below `folder` (relative to `root`), as sorted forward-slash paths; none when it
 * is missing. With `label`, paths start with it instead of being relative to `root`.
 */
export async function listFiles(root: string, folder: string, label?: string): Promise<string[]> {
  const { files } = listEntries(root, folder);
  return files.map((file) => (label ? `${label}/${file}` : file));
}

/** Plain files below a folder, and the other entries (links, sockets…), both sorted, relative to root. */
function listEntries(root: string, folder: string): { files: string[]; others: string[] } {
  const { files, others } = listTree(path.join(root, folder));
  const relative = (file: string) => path.join(folder, file).split(path.sep).join('/');
  return { files: files.map(relative).sort(compareText), others: others.map(relative).sort(compareText) };
}

/**
 * Reads one file, unless it is over the ceiling: then only its size is kept, for the validator
 * to report. Read synchronously: for thousands of small files, the asynchronous calls cost four
 * times as much (3 846 files: 585 ms instead of 156 ms), each a round trip to libuv's threads.
 */
export function readSource(root: string, file: string, shown = file): SourceFile {
  const fd = openSync(path.join(root, file), 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > READ_CEILING_BYTES) return { path: shown, text: '', unreadBytes: size };
    return { path: shown, text: readFileSync(fd, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Reads one file of the project (path relative to `root`, over-the-ceiling files by size only); null when it does not exist. */
export async function readOptional(root: string, file: string): Promise<SourceFile | null> {
  try {
    return readSource(root, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
