import { readFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../load/paths.js';
import { UsageError } from '../diagnostics/usage-error.js';

/**
 * The file Agora leaves in every folder it writes, listing the files it wrote there. A folder
 * holding it is Agora's to write into; any other non-empty folder is refused (issue 11: `--out
 * content` once deleted every essay, `--out /tmp` the whole of /tmp). A build removes or
 * replaces only the files that the marker (or the previous build's sortie.json) lists: the
 * marker copied into a folder, or committed in a `gh-pages` checkout, no longer gives Agora
 * what it never wrote (issue 21), and `.git` is never touched, as Jekyll's `keep_files`.
 */
export const OUTPUT_MARKER = '.agora-sortie';

/** Entries of an output folder that are never Agora's, whatever any list says. */
export const KEPT_ENTRIES = ['.git'];

const MARKER_HEAD = `Ce dossier est écrit par Agora (agora build). À chaque construction, Agora remplace ou supprime
les fichiers listés ci-dessous, et eux seuls : le reste (.git, fichiers ajoutés à la main) est laissé tel quel.
`;

/** The marker's text: what the folder is, for whoever finds it, then the files Agora wrote, one a line. */
export function markerText(paths: Iterable<string>): string {
  return `${MARKER_HEAD}\n${[...paths].filter((file) => file !== OUTPUT_MARKER).sort().join('\n')}\n`;
}

/** The files a marker lists, or null for a marker of an Agora from before the lists (or none at all). */
export function readMarker(folder: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(folder, OUTPUT_MARKER), 'utf8');
  } catch {
    return null;
  }
  if (!text.startsWith(MARKER_HEAD)) return null;
  return text.slice(MARKER_HEAD.length).split('\n').filter((line) => line !== '' && !isKept(line));
}

/** True for a path under an entry that is never Agora's (`.git/…`). */
function isKept(file: string): boolean {
  const top = file.split('/')[0]!;
  return KEPT_ENTRIES.includes(top);
}

/** What an output folder must stay clear of. */
export interface ProtectedFolders {
  /** The project folder: the output may lie inside it, never be it or one of its parents. */
  root: string;
  /** Folders the build reads (content/, templates/, public/, .git): never the output, inside it or around it. */
  sources: readonly string[];
  /** How the previous build recognised its output when it predates the marker (`.cache/agora/sortie.json`). */
  manifestFile?: string | null;
}

/**
 * Refuses, with a UsageError naming the folder and why, an output folder that Agora may not
 * replace: the project or a parent of it, a source folder or anything inside or around one, a
 * file, or a non-empty folder that Agora did not write. Touches nothing.
 */
export async function assertOutputFolder(outDir: string, folders: ProtectedFolders, shown = outDir): Promise<void> {
  const target = await realLocation(outDir);
  const root = await realLocation(folders.root);
  const refuse = (why: string) => {
    throw new UsageError(`Dossier de sortie refusé : ${shown} ${why} ; rien n'a été modifié.`);
  };
  if (target === root) refuse('est le dossier du projet');
  if (isInside(target, root)) refuse(`contient le dossier du projet (${folders.root})`);
  for (const source of folders.sources) {
    const real = await realLocation(source);
    const name = path.relative(root, real) || real;
    const what = FOLDER_ROLES[name] ?? `le dossier source ${name}/`;
    if (real === target) refuse(`est ${what}`);
    if (isInside(real, target)) refuse(`se trouve dans ${what}`);
    if (isInside(target, real)) refuse(`contient ${what}`);
  }
  let entries: string[];
  try {
    if (!(await stat(target)).isDirectory()) return refuse("est un fichier, pas un dossier");
    entries = await readdir(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return;
  if (folders.manifestFile && (await namedByManifest(folders.manifestFile, target))) return;
  refuse(`n'est pas vide et n'a pas été écrit par Agora (pas de fichier ${OUTPUT_MARKER}) : choisissez un dossier vide ou absent`);
}

/** How a protected folder that is not a source is named in a refusal. */
const FOLDER_ROLES: Record<string, string> = {
  '.comments': 'le dossier .comments/ (les commentaires en attente de modération, leur seule copie)',
  '.cache': 'le dossier .cache/ (les caches de la construction)',
};

/**
 * The absolute path with symbolic links resolved as far as the path exists: `dist -> /home/x`
 * is judged as /home/x, and a folder still to be created by where it will be.
 */
async function realLocation(location: string): Promise<string> {
  const absolute = path.resolve(location);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** Output written by an Agora from before the marker: its manifest names the folder. */
async function namedByManifest(manifestFile: string, target: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { outDir?: unknown };
    return typeof manifest.outDir === 'string' && (await realLocation(manifest.outDir)) === target;
  } catch {
    return false;
  }
}
