import type { Element, Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { outputPath } from '../src/graph/routes.js';
import { NOW, PROJECT_ROOT } from './helpers/sites.js';

const result = await build({ root: PROJECT_ROOT, now: NOW, write: false });
const files = new Map(result.files.map((file) => [file.path, file.contents]));

/** Follows every internal link from `/`, as a reader clicking would; returns the URLs reached. */
function crawl(): Set<string> {
  const seen = new Set<string>();
  const queue = ['/'];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const html = files.get(outputPath(url));
    if (!html) continue;
    for (const [, href] of html.matchAll(/href="(\/[^"#]*)"/g)) {
      if (href!.endsWith('/')) queue.push(href!);
    }
  }
  return seen;
}

describe('the shipped site', () => {
  it('builds without any diagnostic', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reaches the five essays, their authors and categories from La Une', () => {
    const reached = crawl();
    const essays = [
      'partage-de-linformation-et-capital-social',
      'les-racines-des-reseaux-sociaux',
      'lacte-social-numerique-est-indispensable-a-la-vie-du-reseau',
      'influence-sur-le-web',
      'la-victoire-du-point-de-bascule',
    ];
    for (const slug of essays) expect(reached, slug).toContain(`/essais/${slug}/`);
    for (const id of ['auteur-non-renseigne', 'buzzbizweb', 'mathieu-janin']) expect(reached).toContain(`/auteurs/${id}/`);
    for (const slug of ['reseaux-sociaux', 'pensee-socialnomique', 'technologie']) expect(reached).toContain(`/categories/${slug}/`);
    const unreachable = [...files.keys()].filter((file) => file.endsWith('index.html') && !reached.has('/' + file.replace(/index\.html$/, '')));
    expect(unreachable).toEqual([]);
  });

  it('shows dates in French, from the seeds', () => {
    const racines = files.get('essais/les-racines-des-reseaux-sociaux/index.html')!;
    expect(racines).toContain('<time datetime="2008-09-24">24 septembre 2008</time>');
    expect(files.get('essais/lacte-social-numerique-est-indispensable-a-la-vie-du-reseau/index.html')).toContain('1er juillet 2011');
    expect(files.get('essais/la-victoire-du-point-de-bascule/index.html')).toContain('25 janvier 2013');
  });

  it('marks the English passages with lang="en"', () => {
    const partage = files.get('essais/partage-de-linformation-et-capital-social/index.html')!;
    expect(partage).toMatch(/<div lang="en"><blockquote>\s*<p>There’s a reason/);
    expect(partage).toMatch(/<div lang="en"><blockquote>\s*<p>“a dynamic flow of power/);
    expect(files.get('essais/influence-sur-le-web/index.html')).toMatch(/<div lang="en"><blockquote>\s*<p>By David Armano/);
  });

  it('keeps menus, sidebars and share counters of the scraped pages out', () => {
    const all = [...files.values()].join('\n');
    for (const junk of ['Retour à La Une', 'Inscription à la newsletter', 'background preloader', '50 partages', 'Menu Catégories', 't.co/']) {
      expect(all).not.toContain(junk);
    }
  });

  it('is in French, with French typography in titles', () => {
    for (const [file, html] of files) if (file.endsWith('.html')) expect(html, file).toContain('<html lang="fr">');
    expect(files.get('essais/la-victoire-du-point-de-bascule/index.html')).toContain('<h1>La victoire du point de bascule\u202F?</h1>');
  });

  it("shows seed 004's four comments in two threads, as on the source page", () => {
    const html = files.get('essais/la-victoire-du-point-de-bascule/index.html')!;
    expect(html).toContain('<h2 id="commentaires-titre">4\u00A0commentaires</h2>');
    const thread = fromHtml(html);
    const top = select(thread, (el) => el.tagName === 'ol' && hasClass(el, 'comment-thread'))[0]!;
    const items = top.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'li');
    expect(items.map((li) => articleId(li))).toEqual(['commentaire-1', 'commentaire-2']);
    for (const [li, reply] of [[items[0]!, 'commentaire-1-reponse'], [items[1]!, 'commentaire-2-reponse']] as const) {
      const replies = select(li, (el) => el.tagName === 'ol' && hasClass(el, 'comment-replies'))[0]!;
      expect(select(replies, (el) => el.tagName === 'article').map((a) => a.properties.id)).toEqual([reply]);
    }
    expect(html).toContain('<bdi>JF Genoud</bdi>');
    expect(html).toContain('Hey, merci JF Genoud pour ce commentaire');
    expect(html).toContain('rel="nofollow ugc noopener">http://blog.tcrouzet.com/la-quatrieme-theorie/</a>');
  });

  it('shows comment counts on La Une, and no form while no endpoint is configured', () => {
    expect(files.get('index.html')).toContain('4\u00A0commentaires</a>');
    expect(files.get('index.html')).toContain('Aucun commentaire</a>');
    for (const [file, html] of files) expect(html, file).not.toContain('<form');
  });
});

function select(node: Nodes, test: (el: Element) => boolean, found: Element[] = []): Element[] {
  if (node.type === 'element' && test(node)) found.push(node);
  if ('children' in node) for (const child of node.children) select(child as Nodes, test, found);
  return found;
}
function hasClass(el: Element, name: string): boolean {
  return ((el.properties.className as string[] | undefined) ?? []).includes(name);
}
function articleId(li: Element): unknown {
  return select(li, (el) => el.tagName === 'article')[0]?.properties.id;
}
