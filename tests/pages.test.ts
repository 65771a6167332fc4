import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { agora, stageThemedSite } from './helpers/cli.js';
import { FIXTURES, NOW } from './helpers/sites.js';
import { cp } from 'node:fs/promises';

/** The basic fixture with three pages (one nested, two in the menu) and an essay with an old address. */
async function stagePagesSite(): Promise<string> {
  const root = await stageThemedSite();
  await cp(path.join(FIXTURES, 'sites/pages'), root, { recursive: true, force: true });
  return root;
}

let root: string;
beforeEach(async () => { root = await stagePagesSite(); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });
const read = (file: string) => readFile(path.join(root, 'dist', file), 'utf8');

describe('standalone pages (content/pages/)', () => {
  it('are served at their path with the site’s layout, listed in the menu and the sitemap, never in the feeds or the search', async () => {
    const result = await build({ root, now: NOW });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const about = await read('a-propos/index.html');
    expect(about).toContain('<h1>À propos de ce site d’essai</h1>');
    expect(about).toContain('Une page inventée pour les tests');
    expect(about).toContain('<link rel="canonical" href="https://test.invalid/sous-dossier/a-propos/">');
    expect(about).not.toContain('data-pagefind-body');
    // The menu: « À propos » (menu: true) before « Mentions légales » (menu: 2), after the site's own entries.
    const nav = /<nav aria-label="Navigation principale">[\s\S]*?<\/nav>/.exec(about)![0];
    expect(nav).toMatch(/Recherche<\/a><\/li>\s*<li><a href="\/sous-dossier\/a-propos\/" aria-current="page">À propos de ce site d’essai<\/a><\/li>\s*<li><a href="\/sous-dossier\/mentions\/">Mentions légales<\/a><\/li>/);
    expect(await read('index.html')).toContain('<li><a href="/sous-dossier/mentions/">Mentions légales</a></li>');
    // A child page sits under its parent's path, and says where it sits.
    const contact = await read('mentions/contact/index.html');
    expect(contact).toContain('<a href="/sous-dossier/mentions/">Mentions légales</a>');
    expect(contact).toContain('<meta name="description" content="Comment écrire à l’équipe inventée.">');
    expect(await read('mentions/index.html')).toContain('Mis à jour le <time datetime="2021-03-04">');
    const sitemap = await read('sitemap.xml');
    for (const page of ['a-propos/', 'mentions/', 'mentions/contact/']) expect(sitemap).toContain(`<loc>https://test.invalid/sous-dossier/${page}</loc>`);
    expect(await read('atom.xml')).not.toContain('a-propos');
  });

  it('are refused at an address of the site, or with a name that cannot be one, naming the file', async () => {
    await writeFile(path.join(root, 'content/pages/essais.md'), '---\ntitle: Essais\n---\nTexte.\n');
    await writeFile(path.join(root, 'content/pages/Été 2020.md'), '---\ntitle: Été\n---\nTexte.\n');
    await writeFile(path.join(root, 'content/pages/sans-titre.md'), '---\nmenu: oui\n---\nTexte.\n');
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("content/pages/essais.md  erreur  L'adresse /essais/ est celle d'une partie du site (/essais/) : une page ne peut pas la prendre.");
    expect(result.stderr).toContain('content/pages/Été 2020.md  erreur  « Été 2020 » ne peut pas faire partie d\'une adresse');
    expect(result.stderr).toContain('content/pages/sans-titre.md:2:7  erreur  « menu » doit valoir true, false ou un nombre entier');
    expect(result.stderr).toContain('[page/missing-title]');
  });

  it('pass agora check, redirects included', async () => {
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    const check = await agora(['--root', root, 'check']);
    expect(check.stderr + check.stdout).toContain('Site vérifié');
    expect(check.code).toBe(0);
  });
});

describe('old addresses (aliases)', () => {
  it('each lead to the page by a redirect that search engines do not index, absent from the sitemap and the feeds', async () => {
    const result = await build({ root, now: NOW });
    expect(result.ok).toBe(true);
    const redirect = await read('2011/07/04/premier-billet/index.html');
    expect(redirect).toContain('<meta http-equiv="refresh" content="0; url=/sous-dossier/essais/premier-essai/">');
    expect(redirect).toContain('<link rel="canonical" href="https://test.invalid/sous-dossier/essais/premier-essai/">');
    expect(redirect).toContain('<meta name="robots" content="noindex">');
    expect(redirect).toMatch(/<a href="\/sous-dossier\/essais\/premier-essai\/">Premier essai[\u00A0\u202F]: la confiance<\/a>/);
    // A full URL of the old blog is cut to its path; a page has old addresses too.
    expect(await read('a-propos-2/index.html')).toContain('url=/sous-dossier/a-propos/');
    expect(await read('about/index.html')).toContain('url=/sous-dossier/a-propos/');
    for (const file of ['sitemap.xml', 'atom.xml', 'feed.json']) expect(await read(file)).not.toContain('premier-billet');
  });

  it('are refused with a query, or on the address of another page', async () => {
    const essay = path.join(root, 'content/posts/premier-essai.md');
    await writeFile(essay, (await readFile(essay, 'utf8')).replace('  - /2011/07/04/premier-billet/', '  - /?p=12\n  - /a-propos/'));
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('content/posts/premier-essai.md:8:3  erreur  « aliases » : « /?p=12 » n\'est pas un chemin du site');
    expect(result.stderr).toMatch(/erreur {2}Deux pages auraient la même adresse \/a-propos\/ : content\/pages\/a-propos\.md et content\/posts\/premier-essai\.md\./);
  });
});
