import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PublicFile } from '../load/public-files.js';
import type { MarkdownOutput } from '../markdown/html-text.js';
import { sitePath } from './routes.js';
import type { Page } from './pages.js';

/**
 * Root-relative links and images of the Markdown that lead to no page and no file of public/,
 * with the file and line where they are written: warnings, or errors with `--strict`.
 */
export function checkInternalLinks(markdown: ReadonlyMap<string, MarkdownOutput>, pages: readonly Page[], publicFiles: readonly PublicFile[], strict = false): Diagnostic[] {
  const targets = new Set<string>(pages.map((page) => page.url));
  for (const file of publicFiles) targets.add(file.path.replace(/^public/, ''));
  const exists = (path: string) => targets.has(path) || targets.has(`${path}/`) || path.startsWith('/pagefind/') || (path.endsWith('/index.html') && targets.has(path.slice(0, -'index.html'.length)));
  const make = strict ? contentError : contentWarning;
  const diagnostics: Diagnostic[] = [];
  for (const [file, rendered] of markdown) {
    for (const link of rendered.links) {
      const path = sitePath(link.url);
      if (exists(path)) continue;
      diagnostics.push(link.image
        ? make(file, link, 'link/missing-image', `Image introuvable : ${link.url} (aucun fichier public${path}).`,
          `Placez l'image dans public${path.replace(/[^/]+$/, '')}, ou corrigez son adresse.`)
        : make(file, link, 'link/missing-page', `Lien vers une page qui n'existe pas : ${link.url}.`,
          "Corrigez l'adresse (les essais sont à /essais/<slug>/) ; un brouillon ou un essai programmé n'est pas encore publié."));
    }
  }
  return diagnostics;
}
