import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agora } from '../helpers/cli.js';
import { allText, EXPORTS, newCollection, privateAddresses } from '../helpers/import.js';
import { plainPng } from '../helpers/png.js';
import { treeDigests } from '../helpers/sites.js';

const FRENCH = path.join(EXPORTS, 'francais.xml');

describe('agora import wordpress, a French export', () => {
  let work: string;
  let root: string;
  let uploads: string;
  let report: { code: number; stdout: string; stderr: string };
  const page = (file: string) => readFile(path.join(root, 'dist', file), 'utf8');

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'agora-import-'));
    root = await newCollection(work);
    uploads = path.join(work, 'uploads');
    await mkdir(path.join(uploads, '2011/07'), { recursive: true });
    await writeFile(path.join(uploads, '2011/07/galets.png'), plainPng(30, 20, [120, 120, 110]));
    report = await agora(['--root', root, 'import', 'wordpress', FRENCH, '--media', uploads]);
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
  });
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  it('imports essays, pages, comments, authors and uploads, and says what it left out', async () => {
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('3 essais (1 brouillon, 0 programmé), 2 pages, 2 commentaires publiés, 1 commentaire en attente de modération');
    expect(report.stdout).toContain('1 billet privé ou protégé, 1 rétrolien (pingback, trackback), 1 commentaire indésirable ou à la corbeille');
    expect(report.stdout).toContain('« L’été des réseaux » (WordPress n° 10) : code court inconnu [citation] gardé tel quel.');
    const check = await agora(['--root', root, 'check']);
    expect(check.stdout + check.stderr).toContain('Site vérifié');
    expect(check.code).toBe(0);
    // agora init's placeholders give way to the blog's name, language and author.
    const settings = await readFile(path.join(root, 'content/site.yml'), 'utf8');
    expect(settings).toContain('title: "Carnets inventés"');
    expect(settings).toContain('defaultAuthor: lucie');
    expect(await readFile(path.join(root, 'public/wp-content/uploads/2011/07/galets.png'))).toEqual(plainPng(30, 20, [120, 120, 110]));
  });

  it('gives French text once: entities, captions, headings, code and links between posts', async () => {
    const essay = await page('essais/lete-des-reseaux/index.html');
    expect(essay).toContain('le «\u202Fmédia social\u202F» n’est pas un «\u202Fmédia\u202F» comme les autres');
    expect(essay).not.toMatch(/«[\s\u00A0\u202F]*«/);
    expect(essay).toContain('<img src="/wp-content/uploads/2011/07/galets.png" alt="Des galets inventés" width="30" height="20"');
    expect(essay).toContain('<em>Des galets, au bord d’une rivière inventée</em>');
    expect(essay.match(/<h1[ >]/g)).toHaveLength(1);
    expect(essay).toContain('<h2>Une partie</h2>');
    expect(essay).toContain('<h3>Un détail</h3>');
    expect(essay).toContain('<a href="/essais/la-confiance/">le billet sur la confiance</a> et <a href="/essais/la-confiance/">par son numéro</a>');
    expect(essay).toContain('<pre><code>  du   code\n\tgardé tel quel\n</code></pre>');
    expect(essay).toContain('<a href="http://www.youtube.com/watch?v=inventee">');
    expect(essay).not.toContain('<iframe');
    // The teaser before <!--more--> is the summary in the lists; WordPress's own excerpt wins when there is one.
    expect(await page('index.html')).toContain('Premier paragraphe\u00A0: le «\u202Fmédia social\u202F»');
    expect(await page('index.html')).toContain('Un résumé écrit dans WordPress.');
    expect(await page('categories/confiance/index.html')).toContain('dans <a href="/categories/reseaux-sociaux/">Réseaux sociaux</a>');
  });

  it('keeps the old addresses, of essays and pages', async () => {
    expect(await page('2011/07/04/lete-des-reseaux/index.html')).toContain('url=/essais/lete-des-reseaux/');
    expect(await page('2011/08/01/la-confiance/index.html')).toContain('url=/essais/la-confiance/');
    expect(await page('a-propos/ecrire/index.html')).toContain('url=/a-propos/ecrire-a-lucie/');
    const about = await page('a-propos/index.html');
    expect(about).toContain('<li><a href="/a-propos/" aria-current="page">À propos</a></li>');
    expect(await page('a-propos/ecrire-a-lucie/index.html')).toContain('<a href="/a-propos/">À propos</a>');
  });

  it('shows the approved thread, queues the pending comment, and writes no spam, no e-mail and no IP anywhere', async () => {
    const essay = await page('essais/lete-des-reseaux/index.html');
    expect(essay).toContain('id="commentaire-wp-101"');
    // The reply sits in its parent's list of replies.
    expect(essay).toMatch(/id="commentaire-wp-101"[\s\S]*?<ol[^>]*>\s*<li>\s*<article class="comment" id="commentaire-wp-102"/);
    expect(essay).not.toContain('Anne Enattente');
    const list = await agora(['--root', root, 'comments', 'list']);
    expect(list.stdout).toContain('wp-104  lete-des-reseaux  Anne Enattente');
    const files = await allText(root);
    const addresses = await privateAddresses(FRENCH);
    expect(addresses.length).toBeGreaterThan(4);
    for (const [file, text] of files) {
      for (const address of addresses) expect(text.includes(address), `${address} in ${file}`).toBe(false);
      expect(text.includes('pilules'), file).toBe(false);
    }
  });

  it('changes nothing when run again, and never replaces a file the owner edited', async () => {
    const before = await treeDigests(path.join(root, 'content'));
    const again = await agora(['--root', root, 'import', 'wordpress', FRENCH, '--media', uploads]);
    expect(again.code).toBe(0);
    // site.yml no longer holds agora init's placeholders: it is left alone.
    expect(again.stdout).toContain('0 écrit, 11 inchangés');
    expect(again.stdout).toContain('content/site.yml est resté tel quel');
    expect(await treeDigests(path.join(root, 'content'))).toEqual(before);

    const essay = path.join(root, 'content/posts/la-confiance.md');
    await writeFile(essay, `${await readFile(essay, 'utf8')}\nUne ligne ajoutée par la propriétaire.\n`);
    // The pending comment is approved meanwhile: the next import does not queue it again.
    expect((await agora(['--root', root, 'comments', 'approve', 'wp-104'])).code).toBe(0);
    const third = await agora(['--root', root, 'import', 'wordpress', FRENCH, '--media', uploads]);
    expect(third.code).toBe(1);
    expect(third.stdout).toMatch(/1 fichier gardé tel quel[^\n]*\n {2}content\/posts\/la-confiance\.md/);
    expect(await readFile(essay, 'utf8')).toContain('Une ligne ajoutée par la propriétaire.');
    expect((await agora(['--root', root, 'comments', 'list'])).stdout).not.toContain('wp-104');
  });
});

describe('agora import wordpress, what is not an export', () => {
  let work: string;
  let root: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'agora-import-bad-'));
    root = await newCollection(work);
  });
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  it('is one French line naming the file (and its line), exit 1, nothing written', async () => {
    const before = await treeDigests(root);
    const cases: [string, string, RegExp][] = [
      ['casse.xml', '<?xml version="1.0"?>\n<rss>\n  <channel>\n    <title>Ouvert</title>\n  </chanel>\n</rss>\n', /^casse\.xml:5:\d+ : ce n'est pas un XML valide \(.+\)\. Rien n'a été écrit\.\n$/],
      ['page.xml', '<?xml version="1.0"?>\n<html><body>Une page</body></html>\n', /^page\.xml:2:\d+ : ce n'est pas un export WordPress \(l'élément racine est <html>, pas <rss>\)\. Rien n'a été écrit\.\n$/],
      ['flux.xml', '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Un flux RSS</title></channel></rss>\n', /^flux\.xml : ce n'est pas un export WordPress \(aucun wp:wxr_version\)/],
      ['absent.xml', '', /^absent\.xml : fichier introuvable\. Rien n'a été écrit\.\n$/],
    ];
    for (const [name, text, expected] of cases) {
      if (text) await writeFile(path.join(work, name), text);
      const result = await agora(['--root', root, 'import', 'wordpress', name], {}, work);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(expected);
    }
    expect(await treeDigests(root)).toEqual(before);
  });
});

