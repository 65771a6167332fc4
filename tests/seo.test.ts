import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Nodes } from 'hast';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from './helpers/sites.js';

// The invented fixture site, under https://test.invalid/sous-dossier/.
const BASIC = path.join(FIXTURES, 'sites/basic');
const fixture = await build({ root: BASIC, templatesDir: path.join(PROJECT_ROOT, 'templates'), publicDir: path.join(BASIC, 'public'), now: NOW, write: false });
const files = new Map(fixture.files.map((file) => [file.path, file.contents]));
const ORIGIN = 'https://test.invalid';

function elements(node: Nodes, found: Element[] = []): Element[] {
  if (node.type === 'element') found.push(node);
  if ('children' in node) for (const child of node.children) elements(child as Nodes, found);
  return found;
}
const meta = (tree: Nodes, property: string) =>
  elements(tree).filter((el) => el.tagName === 'meta' && el.properties.property === property).map((el) => el.properties.content);

describe('every published essay', () => {
  const essays = fixture.site!.posts;
  it.each(essays.map((post) => [post.slug, post] as const))('%s has JSON-LD BlogPosting, Open Graph and a description', (slug, post) => {
    const tree = fromHtml(files.get(`essais/${slug}/index.html`)!);
    const scripts = elements(tree).filter((el) => el.tagName === 'script' && el.properties.type === 'application/ld+json');
    expect(scripts).toHaveLength(1);
    const data = JSON.parse((scripts[0]!.children[0] as { value: string }).value);
    expect(data['@type']).toBe('BlogPosting');
    expect(data.headline).toBe(post.title);
    expect(data.inLanguage).toBe('fr');
    expect(data.datePublished).toBe(post.date.iso);
    expect(data.dateModified).toBe((post.updated ?? post.date).iso);
    expect(data.author).toEqual(post.authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${ORIGIN}/sous-dossier${a.url}` })));
    expect(data.commentCount).toBe(post.commentCount);
    expect(data.url).toBe(`${ORIGIN}/sous-dossier/essais/${slug}/`);
    expect(meta(tree, 'og:type')).toEqual(['article']);
    expect(meta(tree, 'og:locale')).toEqual(['fr_FR']);
    expect(meta(tree, 'article:published_time')).toEqual([`${post.date.iso}T00:00:00Z`]);
    expect(meta(tree, 'article:author')).toEqual(post.authors.map((a) => a.name));
    const description = elements(tree).find((el) => el.tagName === 'meta' && el.properties.name === 'description');
    expect(String(description?.properties.content).length).toBeGreaterThan(40);
  });

  it('counts the comments in its JSON-LD', () => {
    expect(files.get('essais/premier-essai/index.html')).toContain('"commentCount":6');
  });
});

describe('sitemap and robots.txt', () => {
  it('lists every public HTML page with its last change, and nothing else', () => {
    const sitemap = files.get('sitemap.xml')!;
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace(`${ORIGIN}/sous-dossier`, ''));
    const html = [...files.keys()].filter((f) => f.endsWith('index.html')).map((f) => '/' + f.replace(/index\.html$/, ''));
    expect(locs.sort()).toEqual(html.sort());
    expect(sitemap).toContain(`<loc>${ORIGIN}/sous-dossier/essais/premier-essai/</loc>\n    <lastmod>2020-01-01T00:00:00Z</lastmod>`);
    expect(locs).not.toContain('/404.html');
  });
  it('points robots.txt to the sitemap', () => {
    expect(files.get('robots.txt')).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${ORIGIN}/sous-dossier/sitemap.xml\n`);
  });
});

describe('an essay republished with source.canonical: true', () => {
  it('points its canonical URL to the original and stays out of the sitemap', async () => {
    const root = await stageSite(path.join(FIXTURES, 'invalid/_base'));
    await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
    await writeFile(path.join(root, 'content/posts/repris.md'), '---\ntitle: Repris\ndate: 2020-01-05\nauthor: ada\nsource:\n  title: Le Journal inventé\n  url: https://journal.test.invalid/original\n  canonical: true\n---\nTexte.\n');
    const result = await build({ root, now: NOW, write: false });
    const page = result.files.find((f) => f.path === 'essais/repris/index.html')!.contents;
    expect(page).toContain('<link rel="canonical" href="https://journal.test.invalid/original">');
    expect(page).toContain('"mainEntityOfPage":"https://journal.test.invalid/original"');
    expect(result.files.find((f) => f.path === 'sitemap.xml')!.contents).not.toContain('/essais/repris/');
    await rm(root, { recursive: true, force: true });
  });
});
