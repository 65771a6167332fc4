import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import type { Element, Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { imageSizeFromFile } from 'image-size/fromFile';
import { HtmlValidate, StaticConfigLoader, type ConfigData, type ResolvedConfig } from 'html-validate';
import { XMLValidator } from 'fast-xml-parser';
import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { listFiles } from '../load/read-sources.js';

/** Rules of html-validate's recommended set that do not fit a site of essays, and why. */
const RULES = {
  // Titles are the authors' own (one essay of the seeds has a 130-character title): never cut.
  'long-title': 'off',
  // A code block keeps its spaces: trailing ones in <pre> are the text (a poem's alignment, an ASCII drawing).
  'no-trailing-whitespace': 'off',
} as const;

/**
 * html-validate's static loader resolves its configuration again for every page (the element
 * metadata merged anew: two thirds of the time of checking 300 pages); the configuration is the
 * same for all of them, so it is resolved once.
 */
class OnceConfigLoader extends StaticConfigLoader {
  private resolved: ResolvedConfig | Promise<ResolvedConfig> | null = null;

  override getConfigFor(handle: string, configOverride?: ConfigData): ResolvedConfig | Promise<ResolvedConfig> {
    if (configOverride) return super.getConfigFor(handle, configOverride);
    this.resolved ??= super.getConfigFor(handle);
    return this.resolved;
  }
}

const LINK_ATTRIBUTES: [string, string][] = [['a', 'href'], ['link', 'href'], ['img', 'src'], ['script', 'src'], ['source', 'src'], ['area', 'href']];

/**
 * Checks a built site: every HTML page passes html-validate, every internal link, image and
 * `#fragment` resolves to a file of the site, every feed parses. Returns one diagnostic per
 * problem, naming the page (paths are relative to the output folder's parent).
 */
export async function checkSite(outDir: string, basePath = '/'): Promise<{ diagnostics: Diagnostic[]; pages: number }> {
  const label = path.basename(outDir);
  const all = await listFiles(outDir, '.');
  const fileSet = new Set(all);
  // Pagefind's own files are link targets, not pages of ours to validate.
  const files = all.filter((file) => !file.startsWith('pagefind/'));
  const html = files.filter((file) => file.endsWith('.html'));
  const diagnostics: Diagnostic[] = [];
  const validator = new HtmlValidate(new OnceConfigLoader({ extends: ['html-validate:recommended'], rules: RULES }));
  const ids = new Map<string, Set<string>>();
  const trees = new Map<string, Element[]>();

  for (const file of html) {
    const text = await readFile(path.join(outDir, file), 'utf8');
    const report = await validator.validateString(text, `${label}/${file}`);
    for (const result of report.results) {
      for (const message of result.messages) {
        const make = message.severity === 2 ? contentError : contentWarning;
        diagnostics.push(make(`${label}/${file}`, { line: message.line, column: message.column }, `html/${message.ruleId}`, message.message));
      }
    }
    const tree = elements(fromHtml(text));
    trees.set(file, tree);
    ids.set(file, new Set(tree.map((el) => el.properties.id).filter((id): id is string => typeof id === 'string')));
  }

  const resolve = (href: string, from: string): { file: string | null; fragment: string | null } | null => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return null;
    const [rawPath, fragment = null] = href.split('#') as [string, string?];
    if (rawPath === '') return { file: from, fragment: fragment || null };
    let target = rawPath.startsWith('/') ? rawPath : path.posix.join(basePath, path.posix.dirname(from), rawPath);
    target = decodeURIComponent(target.split('?')[0]!);
    if (!target.startsWith(basePath)) return { file: null, fragment };
    let file = target.slice(basePath.length);
    if (file === '' || file.endsWith('/')) file += 'index.html';
    if (!fileSet.has(file) && fileSet.has(`${file}/index.html`)) file = `${file}/index.html`;
    return { file: fileSet.has(file) ? file : null, fragment: fragment || null };
  };

  const widths = new Map<string, Promise<number | null>>();
  const widthOf = (target: string) => {
    if (!widths.has(target)) widths.set(target, imageSizeFromFile(path.join(outDir, target)).then((size) => size.width ?? null, () => null));
    return widths.get(target)!;
  };
  for (const [file, tree] of trees) {
    diagnostics.push(...(await checkSharedImage(file, tree, resolve, outDir, label)));
    diagnostics.push(...(await checkSrcsets(file, tree, resolve, widthOf, label)));
    for (const el of tree) {
      for (const [tag, attribute] of LINK_ATTRIBUTES) {
        if (el.tagName !== tag) continue;
        const value = el.properties[attribute === 'href' ? 'href' : 'src'];
        if (typeof value !== 'string' || value === '') continue;
        const target = resolve(value, file);
        if (!target) continue;
        if (!target.file) {
          diagnostics.push(contentError(`${label}/${file}`, lineOf(el), 'link/missing', `Lien cassé : ${value} ne correspond à aucun fichier du site.`));
        } else if (target.fragment && target.file.endsWith('.html') && !ids.get(target.file)?.has(decodeURIComponent(target.fragment))) {
          diagnostics.push(contentError(`${label}/${file}`, lineOf(el), 'link/fragment', `Ancre introuvable : ${value} (aucun id « ${target.fragment} » dans ${target.file}).`));
        }
      }
    }
  }

  for (const file of files.filter((f) => f.endsWith('.xml') || f.endsWith('feed.json'))) {
    const text = await readFile(path.join(outDir, file), 'utf8');
    try {
      if (file.endsWith('.json')) {
        const feed = JSON.parse(text);
        if (feed.version !== 'https://jsonfeed.org/version/1.1' || !Array.isArray(feed.items)) throw new Error("ce n'est pas un JSON Feed 1.1");
      } else {
        // The feed parser forgives malformed XML; feed readers may not.
        const wellFormed = XMLValidator.validate(text);
        if (wellFormed !== true) throw new Error(`XML mal formé ligne ${wellFormed.err.line} : ${wellFormed.err.msg}`);
        if (file.endsWith('atom.xml')) {
          const feed = parseFeed(text);
          if (!feed.title || !feed.self) throw new Error('titre ou lien « self » manquant');
        }
      }
    } catch (error) {
      diagnostics.push(contentError(`${label}/${file}`, undefined, 'feed/invalid', `Flux illisible : ${(error as Error).message}`));
    }
  }
  return { diagnostics, pages: html.length };
}

/**
 * Every candidate of a `srcset` (`<img>` and `<source>` of a `<picture>`): a file of the site,
 * as wide as its `480w` says, since a browser that trusts a wrong width shows a blurred photo.
 */
async function checkSrcsets(file: string, all: readonly Element[], resolve: (href: string, from: string) => { file: string | null } | null, widthOf: (target: string) => Promise<number | null>, label: string): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const el of all) {
    if (el.tagName !== 'img' && el.tagName !== 'source') continue;
    const srcset = el.properties.srcSet;
    const candidates = Array.isArray(srcset) ? srcset.map(String) : typeof srcset === 'string' ? srcset.split(',') : [];
    for (const candidate of candidates) {
      const [url, descriptor = ''] = candidate.trim().split(/\s+/);
      const target = url ? resolve(url, file) : null;
      if (!url || !target) continue;
      if (!target.file) {
        diagnostics.push(contentError(`${label}/${file}`, lineOf(el), 'link/missing', `Image introuvable dans srcset : ${url} ne correspond à aucun fichier du site.`));
        continue;
      }
      const declared = /^(\d+)w$/.exec(descriptor)?.[1];
      const width = declared ? await widthOf(target.file) : null;
      if (declared && width !== null && width !== Number(declared)) {
        diagnostics.push(contentError(`${label}/${file}`, lineOf(el), 'image/srcset-width', `${url} est annoncée large de ${declared} px dans srcset, mais elle en fait ${width}.`));
      }
    }
  }
  return diagnostics;
}

/**
 * The picture a page is shared with (`og:image`): a file of the site, when under its address,
 * whose width and height are the ones the page declares (`og:image:width`, `og:image:height`).
 */
async function checkSharedImage(file: string, all: readonly Element[], resolve: (href: string, from: string) => { file: string | null } | null, outDir: string, label: string): Promise<Diagnostic[]> {
  const meta = (property: string) => {
    const el = all.find((candidate) => candidate.tagName === 'meta' && candidate.properties.property === property);
    return el ? { el, value: String(el.properties.content ?? '') } : null;
  };
  const image = meta('og:image');
  if (!image) return [];
  const shown = `${label}/${file}`;
  let href = image.value;
  try {
    const url = new URL(image.value);
    // An image on another host is that host's to check.
    if (!/^https?:$/.test(url.protocol)) return [contentError(shown, lineOf(image.el), 'image/og-image', `og:image n'est pas une adresse http(s) : ${image.value}.`)];
    href = url.pathname;
    const pageUrl = meta('og:url')?.value;
    if (pageUrl && new URL(pageUrl).host !== url.host) return [];
  } catch {
    // A site-relative address: resolved below.
  }
  const target = resolve(href, file);
  if (!target?.file) return [contentError(shown, lineOf(image.el), 'image/og-image', `L'image de partage ${image.value} ne correspond à aucun fichier du site.`)];
  const [width, height] = [meta('og:image:width'), meta('og:image:height')];
  if (!width && !height) return [];
  try {
    const size = await imageSizeFromFile(path.join(outDir, target.file));
    if (String(size.width) !== width?.value || String(size.height) !== height?.value) {
      return [contentError(shown, lineOf((width ?? height)!.el), 'image/og-image-size',
        `L'image de partage ${target.file} mesure ${size.width} × ${size.height} pixels, la page annonce ${width?.value ?? '?'} × ${height?.value ?? '?'}.`)];
    }
  } catch (error) {
    return [contentError(shown, lineOf(image.el), 'image/og-image', `L'image de partage ${target.file} est illisible (${(error as Error).message}).`)];
  }
  return [];
}

function elements(node: Nodes, found: Element[] = []): Element[] {
  if (node.type === 'element') found.push(node);
  if ('children' in node) for (const child of node.children) elements(child as Nodes, found);
  return found;
}

function lineOf(el: Element): { line: number; column: number } | undefined {
  return el.position ? { line: el.position.start.line, column: el.position.start.column } : undefined;
}
