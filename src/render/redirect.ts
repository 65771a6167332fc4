import { basePath } from '../config.js';
import { escapeHtml } from './escape.js';
import type { RedirectPage } from '../graph/pages.js';
import type { SiteConfig } from '../records.js';
import { absolute } from './feeds.js';

/**
 * The page at an old address: a refresh at once to the new one, its canonical address, a
 * visible link for whoever gets no refresh, and `noindex` (as Hugo's alias pages). No template:
 * it looks like nothing, and an owner's templates need nothing for it.
 */
export function renderRedirect(page: RedirectPage, config: SiteConfig): string {
  const target = escapeHtml(`${basePath(config)}${page.data.target.replace(/^\//, '')}`);
  const title = escapeHtml(page.title);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(config.language)}">
<head>
<meta charset="utf-8">
<title>${title}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${target}">
<link rel="canonical" href="${escapeHtml(absolute(config, page.data.target))}">
</head>
<body>
<p>Cette page a changé d’adresse : <a href="${target}">${title}</a>.</p>
</body>
</html>
`;
}
