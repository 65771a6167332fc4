import { readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element, Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { stageThemedSite } from './helpers/cli.js';
import { FIXTURES, NOW, PROJECT_ROOT } from './helpers/sites.js';

/** Elements whose text is not French prose: code, scripts, styles. */
const VERBATIM = new Set(['code', 'pre', 'script', 'style', 'kbd', 'samp']);

/**
 * Every French text node of an HTML page that breaks French typography: a straight quote or
 * apostrophe, an ordinary space before ; : ! ? or inside « ». Code and passages in another
 * language (`lang` not French) are left out.
 */
export function typographyFaults(html: string): string[] {
  const faults: string[] = [];
  const walk = (node: Nodes, french: boolean) => {
    if (node.type === 'text') {
      if (!french) return;
      const text = node.value;
      if (/['"]/.test(text) || / [;:!?](?=\s|$)/.test(text) || /« | »/.test(text)) faults.push(text.trim().slice(0, 120));
      return;
    }
    if (node.type === 'element') {
      const el = node as Element;
      if (VERBATIM.has(el.tagName)) return;
      const lang = el.properties.lang;
      if (typeof lang === 'string') french = lang.startsWith('fr');
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes, french);
  };
  walk(fromHtml(html), true);
  return faults;
}

async function builtPages(root: string, options: Parameters<typeof build>[0] = { root }) {
  const result = await build({ ...options, now: NOW, write: false });
  expect(result.ok).toBe(true);
  return new Map(result.files.filter((file) => file.path.endsWith('.html')).map((file) => [file.path, file.contents]));
}

describe('French typography', () => {
  it('typesets every rule in the fixture essay, and leaves code, URLs and English alone', async () => {
    const root = await stageThemedSite();
    await writeFile(path.join(root, 'content/posts/typographie.md'), await readFile(path.join(FIXTURES, 'typography/typographie.md'), 'utf8'));
    const pages = await builtPages(root);
    const page = pages.get('essais/typographie/index.html')!;
    expect(page).toContain('<h1>L’essai «\u202Ftypographique\u202F»… du 1<sup>er</sup> au XIX<sup>e</sup> siècle</h1>');
    // Where markup is not allowed, the plain-text equivalent.
    expect(page).toContain('<title>L’essai «\u202Ftypographique\u202F»… du 1er au XIXe siècle · Site d’essai</title>');
    expect(pages.get('index.html')).toContain('du 1<sup>er</sup> au XIX<sup>e</sup> siècle</a></h2>');
    expect(page).toContain('l’apostrophe d’abord, puis «\u202Fdes guillemets droits\u202F» et «\u202Fune citation qui en\ncontient “une autre” à l’intérieur\u202F»…');
    expect(page).toContain('Le 1<sup>er</sup> juillet, la 2<sup>e</sup> fois, les 3<sup>es</sup> rangs, au XIX<sup>e</sup> siècle,\nsous François I<sup>er</sup>\u202F; Ce matin, De plus, Le soir');
    expect(page).toContain('<code>l\'a "b"...</code>');
    expect(page).toContain('href="https://exemple.invalid/l&#x27;a?q=%22b%22"');
    expect(page).toContain('l\'apostrophe "droite"... dans un bloc de code');
    expect(page).toContain('It’s “an English quotation”, with ‘single’ quotes… and no space before: punctuation!');
    expect(page).toContain('<span lang="en">an English “aside”</span>');
    expect(page).toContain('<time datetime="2020-07-01">1<sup>er</sup> juillet 2020</time>');
    expect(pages.get('categories/lart-decrire/index.html')).toContain('L’art d’écrire');
    expect(pages.get('index.html')).toContain('Un résumé inventé qui dit «\u202Fbonjour\u202F»… et l’apostrophe.');
    // Excerpts are plain text: the fixture's third essay opens with inline code (`code ; ici`),
    // which an excerpt quotes as written — code, not prose.
    const prose = (faults: string[]) => faults.filter((fault) => !fault.includes('du code ; ici'));
    for (const [file, html] of pages) expect(prose(typographyFaults(html)), file).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('leaves no straight quote, apostrophe or ordinary space before high punctuation on any page of the shipped site', async () => {
    const pages = await builtPages(PROJECT_ROOT);
    expect(pages.size).toBeGreaterThan(5);
    for (const [file, html] of pages) expect(typographyFaults(html), file).toEqual([]);
  });

  it('the scan does see each fault it looks for (control)', () => {
    expect(typographyFaults('<p>l\'a</p><p>un "mot"</p><p>quoi ?</p><p>« mot »</p><p lang="en">It\'s "fine"</p><pre>l\'a</pre>')).toHaveLength(4);
  });
});
