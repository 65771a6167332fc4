import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDev } from '../../src/dev/dev.js';
import { createPost } from '../../src/dev/new-post.js';
import { listQueue } from '../../src/intake/store.js';
import { stageThemedSite } from '../helpers/cli.js';

/** The fixture site's base path: the dev server serves under it. */
const BASE = '/sous-dossier/';
let root: string;
let dev: Awaited<ReturnType<typeof startDev>>;
let logs: string[];

/** Waits by polling until `check` returns a truthy value (never a fixed sleep). */
async function until<T>(check: () => Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** GET with the path sent exactly as written (fetch would normalize `..`), and the headers given. */
function rawGet(rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(dev.url);
  return new Promise((resolve, reject) => {
    http.get({ host: hostname, port, path: rawPath, headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
/** A page of the site by its site-relative URL. */
const get = (url: string) => rawGet(BASE + url.slice(1)).then((r) => r.body);
const post = (slug: string) => path.join(root, 'content/posts', `${slug}.md`);

// Each test has its own copy of the fixture site and its own server: none depends on another's edits.
beforeEach(async () => {
  root = await stageThemedSite();
  logs = [];
  dev = await startDev({ root, port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
});

afterEach(async () => {
  await dev?.close();
  await rm(root, { recursive: true, force: true });
});

describe('agora dev', () => {
  it('shows an edit made while it was starting (the watcher starts before the site is read)', async () => {
    await dev.close();
    const starting = startDev({ root, port: 0, host: '127.0.0.1', log: () => {} });
    const text = await readFile(post('deuxieme-essai'), 'utf8');
    await writeFile(post('deuxieme-essai'), text.replace('title: Deuxième essai', 'title: Deuxième essai, modifié au démarrage'));
    dev = await starting;
    await until(async () => (await get('/essais/deuxieme-essai/')).includes('modifié au démarrage'), 'the edit made during start-up');
  });

  it('serves the site from memory and writes nothing to dist/', async () => {
    expect(await get('/')).toContain('Site d’essai');
    expect(await get('/essais/deuxieme-essai/')).toContain('<h1>Deuxième essai</h1>');
    await expect(stat(path.join(root, 'dist'))).rejects.toThrow();
  });

  it('shows an edit on the page, and logs the rebuild with its duration', async () => {
    const file = post('deuxieme-essai');
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: Deuxième essai', 'title: Deuxième essai, revu'));
    await until(async () => (await get('/essais/deuxieme-essai/')).includes('<h1>Deuxième essai, revu</h1>'), 'the edited title');
    await until(async () => logs.some((line) => /^content\/posts\/deuxieme-essai\.md modifié · \d+ ms$/.test(line)), 'the log line');
  });

  it('shows a body-only edit on the essay and in the excerpt on La Une', async () => {
    const file = post('premier-essai');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Ceci est le premier essai de test.', 'Ceci est le premier essai de test, revu.'));
    await until(async () => (await get('/essais/premier-essai/')).includes('content="Ceci est le premier essai de test, revu.'), 'the new description');
    // Drafts and scheduled essays come first in dev: the essay is on one of La Une's later pages.
    await until(async () => (await Promise.all(['/', '/page/2/', '/page/3/'].map(get))).some((html) => html.includes('<p class="excerpt">Ceci est le premier essai de test, revu.')), 'the new excerpt on La Une');
  });

  it('puts a new essay on La Une, and shows drafts as « Brouillon »', async () => {
    await writeFile(post('essai-tout-neuf'), '---\ntitle: Un essai tout neuf\ndate: 2020-05-05\nauthor: ada-testeuse\ndraft: true\n---\n\nTexte neuf.\n');
    const home = await until(async () => {
      const html = await get('/');
      return html.includes('Un essai tout neuf') ? html : null;
    }, 'the new essay on La Une');
    expect(home).toMatch(/Un essai tout neuf<\/a><\/h2>\s*<p class="meta">.*Brouillon/);
  });

  it('shows the errors over the last good page, then recovers once the file is fixed', async () => {
    const file = post('troisieme-essai');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('title: Troisième essai', 'title: Troisième : une erreur'));
    const broken = await until(async () => {
      const html = await get('/essais/troisieme-essai/');
      return html.includes('id="agora-erreurs"') ? html : null;
    }, 'the error overlay');
    expect(broken).toContain('content/posts/troisieme-essai.md:2:8');
    expect(broken).toContain('Mettez la valeur entre guillemets');
    expect(broken).toContain('<h1>Troisième essai</h1>');
    await until(async () => logs.some((line) => line.startsWith('content/posts/troisieme-essai.md:2:8  erreur')), 'the error in the terminal');
    await writeFile(file, good.replace('title: Troisième essai', 'title: "Troisième : corrigé"'));
    await until(async () => {
      const html = await get('/essais/troisieme-essai/');
      return !html.includes('id="agora-erreurs"') && html.includes('Troisième\u00A0: corrigé');
    }, 'the recovered page');
  });

  it('shows warnings in the terminal and in a panel of the page', async () => {
    await writeFile(post('avec-html'), '---\ntitle: Avec du HTML\ndate: 2020-05-06\nauthor: ada-testeuse\n---\n\n<span>brut</span>\n');
    const html = await until(async () => {
      const page = await get('/essais/avec-html/');
      return page.includes('id="agora-avertissements"') ? page : null;
    }, 'the warnings panel');
    expect(html).toContain('Le HTML brut est retiré');
    await until(async () => logs.some((line) => line.includes('content/posts/avec-html.md:7:1  avertissement')), 'the warning in the terminal');
  });

  it('loses no change that arrives during a rebuild', async () => {
    const slugs = Array.from({ length: 12 }, (_, i) => `rafale-${i}`);
    for (const slug of slugs) {
      await writeFile(post(slug), `---\ntitle: Rafale ${slug}\ndate: 2021-02-0${1 + (slugs.indexOf(slug) % 9)}\nauthor: ada-testeuse\n---\n\nTexte.\n`);
    }
    await until(async () => {
      const pages = await Promise.all(slugs.map((slug) => rawGet(`${BASE}essais/${slug}/`)));
      return pages.every((page) => page.status === 200);
    }, 'all twelve essays');
  });

  it('reloads an open page when its HTML changes', async () => {
    const { hostname, port } = new URL(dev.url);
    const events: string[] = [];
    const request = http.get({ host: hostname, port, path: '/__agora/evenements?page=%2Fessais%2Fpremier-essai%2F' }, (response) => {
      response.on('data', (chunk) => events.push(String(chunk)));
    });
    await until(async () => events.length > 0, 'the event stream');
    const file = post('premier-essai');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Est-il lisible ?', 'Est-il bien lisible ?'));
    await until(async () => events.join('').includes('event: reload'), 'the reload event');
    request.destroy();
  });

  it('takes comments on its own origin into the pending queue, drafts included, with the production baseUrl', async () => {
    const origin = new URL(dev.url).origin;
    const send = (slug: string) => fetch(`${origin}${BASE}commentaires`, {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: new URLSearchParams({ post: slug, author: 'Autrice Inventée', website: '', body: 'Un essai du formulaire.' }),
    });
    const posted = await send('premier-essai');
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${BASE}commentaires/merci?essai=premier-essai`);
    const thanks = await (await fetch(`${origin}${posted.headers.get('location')}`)).text();
    expect(thanks).toContain(`href="${BASE}essais/premier-essai/#commentaires"`);
    expect((await send('brouillon')).status).toBe(303);
    expect((await listQueue(path.join(root, '.comments/en-attente'))).map((entry) => entry.postSlug).sort()).toEqual(['brouillon', 'premier-essai']);
    expect(await get('/essais/premier-essai/')).toContain(`action="${BASE}commentaires"`);
  });

  it('answers only for the site: traversal, backslashes and absolute paths get 404', async () => {
    for (const evil of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/essais/..%5c..%5cpackage.json',
      '/essais\\..\\..\\package.json', '/%2fetc%2fpasswd', '/public/style.css', '/content/site.yml', '/templates/base.hbs', '/%00', '/%E0%A4%A']) {
      for (const attempt of [evil, BASE + evil.slice(1)]) {
        const response = await rawGet(attempt);
        expect(response.status, attempt).toBe(404);
        expect(response.body, attempt).not.toMatch(/"name": "agora"|root:x:|baseUrl/);
      }
    }
    expect((await rawGet('//etc/passwd')).status).toBe(404);
    expect((await rawGet(`${BASE}style.css`)).status).toBe(200);
  });

  it('answers only the hosts it is: a DNS-rebinding page\'s own name gets 403, not the drafts (issue 21)', async () => {
    const { port } = new URL(dev.url);
    for (const host of ['mechant.test.invalid', `mechant.test.invalid:${port}`, `127.0.0.1.mechant.test.invalid:${port}`, 'localhost.mechant.test.invalid']) {
      for (const url of [BASE, `${BASE}essais/brouillon/`, `${BASE}style.css`, '/__agora/evenements']) {
        const response = await rawGet(url, { Host: host });
        expect(response.status, `${host} ${url}`).toBe(403);
        expect(response.body).not.toContain('Brouillon');
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'apercu.localhost', `192.0.2.10:${port}`]) {
      expect((await rawGet(`${BASE}essais/brouillon/`, { Host: host })).status, host).toBe(200);
    }
  });

  it('checks a public file when it serves it: replaced by a link to outside, or deleted, it is a 404 at once (issues 21 and 22)', async () => {
    expect((await rawGet(`${BASE}style.css`)).status).toBe(200);
    const style = path.join(root, 'public/style.css');
    await rm(style);
    await symlink(path.join(root, 'content/site.yml'), style);
    const linked = await rawGet(`${BASE}style.css`);
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain('baseUrl');
    await rm(style);
    expect((await rawGet(`${BASE}style.css`)).status).toBe(404);
  });

  it('agora new creates a draft with its front matter, refuses to overwrite, and the preview shows it', async () => {
    const created = await createPost(root, "L'essai d'après", { author: 'ada-testeuse', now: new Date(2026, 10, 23, 12) });
    expect(created).toEqual({ ok: true, file: 'content/posts/lessai-dapres.md', url: 'http://127.0.0.1:4000/sous-dossier/essais/lessai-dapres/' });
    expect(await readFile(post('lessai-dapres'), 'utf8')).toBe("---\ntitle: L'essai d'après\ndate: 2026-11-23\nauthor: ada-testeuse\ncategories: []\ntags: []\ndraft: true\n---\n\nÉcrivez ici votre essai, en Markdown.\n");
    expect(await createPost(root, "L'essai d'après", { author: 'ada-testeuse' })).toEqual({ ok: false, message: "Le fichier content/posts/lessai-dapres.md existe déjà : rien n'a été écrit." });
    expect((await createPost(root, 'Sans auteur')).ok).toBe(false);
    await until(async () => (await get('/essais/lessai-dapres/')).includes('Brouillon'), 'the new draft in the preview');
  });

  it('previews a standalone page as it is written, edited and deleted, with its place in the menu', async () => {
    const page = path.join(root, 'content/pages/a-propos.md');
    await mkdir(path.dirname(page), { recursive: true });
    await writeFile(page, '---\ntitle: À propos, première version\nmenu: true\n---\nUne page inventée.\n');
    await until(async () => (await get('/a-propos/')).includes('première version'), 'the new page');
    expect(await get('/')).toContain(`<a href="${BASE}a-propos/">À propos, première version</a>`);
    await writeFile(page, '---\ntitle: À propos, seconde version\n---\nUne page inventée.\n');
    await until(async () => (await get('/a-propos/')).includes('seconde version'), 'the edited page');
    expect(await get('/')).not.toContain(`${BASE}a-propos/`);
    await rm(page);
    await until(async () => (await rawGet(`${BASE}a-propos/`)).status === 404, 'the page gone');
  });
});
