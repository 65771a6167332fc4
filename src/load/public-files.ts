import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareText, contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isInside } from './paths.js';

/** A static file to copy into the site: where it goes (`public/…`) and the real file to read. */
export interface PublicFile {
  /** Path under the project, `public/images/x.png`; the site path is the part after `public/`. */
  path: string;
  /** Absolute path of the file to copy (a link inside public/ resolved to its target). */
  source: string;
}

/** The files of public/, and the entries refused there. */
export interface PublicListing {
  files: PublicFile[];
  diagnostics: Diagnostic[];
}

/**
 * Lists public/ without ever leaving it: a symbolic link whose target lies inside public/ is
 * copied as the file it points to; a link that leads outside (`passwd.txt -> /etc/passwd`), a
 * broken link, a link to a folder and anything that is not a plain file are refused by name.
 */
export async function listPublicFiles(publicDir: string, label = 'public'): Promise<PublicListing> {
  const listing: PublicListing = { files: [], diagnostics: [] };
  let root: string;
  try {
    root = await realpath(publicDir);
  } catch {
    return listing;
  }
  if (!(await stat(root)).isDirectory()) return listing;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const absolute = path.join(folder, entry.name);
      const shown = `${label}/${path.relative(root, absolute).split(path.sep).join('/')}`;
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) listing.files.push({ path: shown, source: absolute });
      else if (entry.isSymbolicLink()) {
        const refusal = await followLink(root, absolute, shown, listing);
        if (refusal) listing.diagnostics.push(refusal);
      } else {
        listing.diagnostics.push(contentError(shown, undefined, 'public/not-a-file',
          `${shown} n'est ni un fichier ni un dossier (tube, socket ou périphérique) : il n'est pas copié.`,
          'Retirez-le de public/.'));
      }
    }
  };
  await walk(root);
  listing.files.sort((a, b) => compareText(a.path, b.path));
  return listing;
}

async function followLink(root: string, link: string, shown: string, listing: PublicListing): Promise<Diagnostic | null> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    return contentError(shown, undefined, 'public/broken-link', `${shown} est un lien symbolique cassé.`,
      'Supprimez le lien, ou faites-le pointer vers un fichier de public/.');
  }
  if (!isInside(root, target)) {
    return contentError(shown, undefined, 'public/link-outside',
      `${shown} est un lien symbolique vers ${target}, hors de public/ : rien hors du projet n'est publié.`,
      'Copiez le fichier voulu dans public/ au lieu d\'un lien, ou supprimez le lien.');
  }
  if (!(await lstat(target)).isFile()) {
    return contentError(shown, undefined, 'public/link-to-folder', `${shown} est un lien symbolique vers un dossier : il n'est pas suivi.`,
      'Remplacez le lien par le dossier lui-même.');
  }
  listing.files.push({ path: shown, source: target });
  return null;
}
