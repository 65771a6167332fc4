import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Nodes, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { checkSite } from '../src/check/check-site.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from './helpers/sites.js';

/** Comments written to attack the page; each must appear, defused. Names and texts are invented. */
const HOSTILE: Record<string, { author?: string; website?: string; body: string }> = {
  'script': { body: '<script>alert(1)</script> après le script' },
  'img-onerror': { body: '<img src=x onerror=alert(1)> texte' },
  'svg-onload': { body: 'x <svg onload=alert(1)></svg> y' },
  'iframe': { body: '<iframe src="https://mechant.test.invalid/"></iframe>' },
  'style': { body: '<style>body { display: none }</style>' },
  'details-ontoggle': { body: '<details open ontoggle=alert(1)>x</details>' },
  'inline-a': { body: 'voir <a href="javascript:alert(1)">ceci</a>' },
  'md-javascript': { body: '[clic](javascript:alert(1))' },
  'md-mixed-case': { body: '[clic](JaVaScRiPt:alert(1))' },
  'md-entity-colon': { body: '[clic](javascript&#58;alert(1))' },
  'md-tab-in-scheme': { body: '[clic](java&#9;script:alert(1))' },
  'md-autolink': { body: '<javascript:alert(1)>' },
  'md-reference': { body: '[clic][x]\n\n[x]: javascript:alert(1)' },
  'md-image': { body: '![image](javascript:alert(1)) ![photo](https://images.test.invalid/a.png)' },
  'md-data': { body: '[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' },
  'md-vbscript': { body: '[clic](vbscript:msgbox(1))' },
  'md-title-break': { body: '[clic](https://ok.test.invalid/ "x\\" onmouseover=\\"alert(1)")' },
  'entities': { body: '&lt;script&gt;alert(1)&lt;/script&gt; et &#60;script&#62;alert(2)&#60;/script&#62;' },
  'handlebars': { body: "{{constructor.constructor 'alert(1)'}} {{{site.title}}} {{> comment}}" },
  'long-word': { body: 'a'.repeat(3000) },
  'rtl-override': { author: 'gpj.\u202Eexe', body: 'Fichier \u202Egnp.exe à ouvrir' },
  'rtl-in-code': { body: 'Le fichier `\u202Egnp.exe` :\n\n```\nouvrir \u2066gnp.exe\u2069\n```\n\n[lien](https://ok.test.invalid/\u202Efdp.exe "titre \u202Eà l\'envers")' },
  'rtl-website': { author: 'Site retourné', website: 'https://exemple.test.invalid/\u202Efdp.exe', body: 'Mon site.' },
  'note-de-bas-de-page': { body: 'Très juste[^1].\n\n[^1]: Voir le livre.' },
  'autre-note': { body: 'Moi aussi[^1].\n\n[^1]: Un autre livre.' },
  'hostile-name': { author: '<script>alert("nom")</script> {{site.title}}', body: 'Un nom piégé.' },
};

let result: BuildResult;
let checked: Awaited<ReturnType<typeof checkSite>>;
const pages = new Map<string, Root>();

beforeAll(async () => {
  const root = await stageSite(path.join(FIXTURES, 'invalid/_base'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'public'), path.join(root, 'public'), { recursive: true });
  await writeFile(path.join(root, 'content/site.yml'), 'title: Site piégé\nbaseUrl: https://test.invalid/\ncomments:\n  endpoint: https://commentaires.test.invalid/commentaires\n');
  await mkdir(path.join(root, 'content/comments/valide'), { recursive: true });
  for (const [id, { author = 'Visiteur Inventé', website, body }] of Object.entries(HOSTILE)) {
    await writeFile(path.join(root, `content/comments/valide/${id}.md`), `---\nauthor: ${JSON.stringify(author)}\n${website ? `website: ${JSON.stringify(website)}\n` : ''}date: 2020-01-02T10:00:00Z\n---\n${body}\n`);
  }
  // Built once more into a folder, for agora check.
  const written = await build({ root, now: NOW });
  expect(written.ok).toBe(true);
  checked = await checkSite(path.join(root, 'dist'));
  result = await build({ root, now: NOW, write: false });
  for (const file of result.files) if (file.path.endsWith('.html')) pages.set(file.path, fromHtml(file.contents));
  await rm(root, { recursive: true, force: true });
});

afterAll(() => pages.clear());

/**
 * The scripts Agora itself writes: JSON-LD data (parsed here, so it cannot hide code) and, on
 * the search page only, Pagefind's interface.
 */
function isOwnScript(el: Element, file: string): boolean {
  if (el.tagName !== 'script') return false;
  if (el.properties.type === 'application/ld+json') {
    const text = el.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
    JSON.parse(text);
    return !/<\/script/i.test(text);
  }
  return file === 'recherche/index.html';
}

function elements(node: Nodes, found: Element[] = []): Element[] {
  if (node.type === 'element') found.push(node);
  if ('children' in node) for (const child of node.children) elements(child as Nodes, found);
  return found;
}

const DANGEROUS_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'style', 'svg', 'img', 'frame', 'base', 'meta-refresh']);
const DANGEROUS_URL = /^(javascript|data|vbscript):/i;

describe('a site whose comments are hostile', () => {
  it('builds, and every hostile comment is on the page (nothing dropped)', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const essay = result.files.find((file) => file.path === 'essais/valide/index.html')!.contents;
    for (const id of Object.keys(HOSTILE)) expect(essay).toContain(`id="commentaire-${id}"`);
    expect(essay).toContain(`${Object.keys(HOSTILE).length}\u00A0commentaires`);
  });

  it('has no script, frame, plugin, style or image element on any page, but our own data and search scripts', () => {
    for (const [file, tree] of pages) {
      const bad = elements(tree).filter((el) => DANGEROUS_TAGS.has(el.tagName) && !isOwnScript(el, file));
      expect(bad.map((el) => el.tagName), file).toEqual([]);
    }
    const jsonLd = elements(pages.get('essais/valide/index.html')!).filter((el) => el.tagName === 'script');
    expect(jsonLd).toHaveLength(1);
  });

  it('has no event handler attribute and no javascript:, data: or vbscript: URL', () => {
    for (const [file, tree] of pages) {
      for (const el of elements(tree)) {
        for (const [name, value] of Object.entries(el.properties ?? {})) {
          expect(name.toLowerCase().startsWith('on'), `${file}: <${el.tagName} ${name}>`).toBe(false);
          if (['href', 'src', 'action', 'formAction', 'cite', 'poster'].includes(name)) {
            const url = String(value).replace(/[\u0000-\u0020]/g, '');
            expect(DANGEROUS_URL.test(url), `${file}: <${el.tagName} ${name}="${value}">`).toBe(false);
          }
        }
      }
    }
  });

  it('marks every link in a comment as user content', () => {
    const tree = pages.get('essais/valide/index.html')!;
    const bodies = elements(tree).filter((el) => (el.properties?.className as string[] | undefined)?.includes('comment-body'));
    const links = bodies.flatMap((body) => elements(body)).filter((el) => el.tagName === 'a');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.properties?.rel).toEqual(['nofollow', 'ugc', 'noopener']);
  });

  it('shows Handlebars syntax, entities and HTML as the text the commenter typed', () => {
    const essay = result.files.find((file) => file.path === 'essais/valide/index.html')!.contents;
    // As typed, but typeset as the French text it is (’ for ').
    expect(essay).toContain('{{constructor.constructor ’alert(1)’}} {{{site.title}}} {{> comment}}');
    expect(essay).toContain('&#x3C;script>alert(1)&#x3C;/script> après le script');
    expect(essay).toContain('&#x3C;img src=x onerror=alert(1)> texte');
  });

  it('escapes a hostile display name', () => {
    const essay = result.files.find((file) => file.path === 'essais/valide/index.html')!.contents;
    expect(essay).toContain('<bdi>&lt;script&gt;alert(«\u202Fnom\u202F»)&lt;/script&gt; {{site.title}}</bdi>');
  });

  it('keeps a very long word whole, and the theme wraps it', async () => {
    const essay = result.files.find((file) => file.path === 'essais/valide/index.html')!.contents;
    expect(essay).toContain('a'.repeat(3000));
    const css = await readFile(path.join(PROJECT_ROOT, 'public/style.css'), 'utf8');
    expect(css).toMatch(/\.comment-body \{[^}]*overflow-wrap: anywhere/);
  });

  it('keeps footnotes in comments as the text typed: no ids that two comments would share, no stray heading, and agora check passes (issue 21)', () => {
    const essay = result.files.find((file) => file.path === 'essais/valide/index.html')!.contents;
    expect(essay).toContain('Très juste[^1].');
    expect(essay).toContain('[^1]\u00A0: Voir le livre.');
    expect(essay).not.toMatch(/user-content-fn|Footnotes|footnote/i);
    expect(checked.diagnostics).toEqual([]);
  });

  it('removes right-to-left override characters from names, texts, code and links (issue 21)', () => {
    for (const file of result.files) expect(/[\u202A-\u202E\u2066-\u2069]/.test(file.contents), file.path).toBe(false);
  });
});
