import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev } from '../../src/dev/dev.js';
import { createPost } from '../../src/dev/new-post.js';
import { PROJECT_ROOT } from '../helpers/sites.js';

let root: string;
let dev: Awaited<ReturnType<typeof startDev>>;
const logs: string[] = [];

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

/** GET with the path sent exactly as written (fetch would normalize `..`). */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(dev.url);
  return new Promise((resolve, reject) => {
    http.get({ host: hostname, port, path: rawPath }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
const get = (url: string) => rawGet(url).then((r) => r.body);
const post = (slug: string) => path.join(root, 'content/posts', `${slug}.md`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agora-dev-'));
  for (const folder of ['content', 'templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(root, folder), { recursive: true });
  dev = await startDev({ root, port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
});

afterAll(async () => {
  await dev?.close();
  await rm(root, { recursive: true, force: true });
});

describe('agora dev', () => {
  it('serves the site from memory and writes nothing to dist/', async () => {
    expect(await get('/')).toContain('La victoire du point de bascule');
    await expect(stat(path.join(root, 'dist'))).rejects.toThrow();
  });

  it('shows an edit on the page, and logs the rebuild with its duration', async () => {
    const file = post('influence-sur-le-web');
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: Influence sur le web', 'title: Influence sur le web, revu'));
    await until(async () => (await get('/essais/influence-sur-le-web/')).includes('<h1>Influence sur le web, revu</h1>'), 'the edited title');
    await until(async () => logs.some((line) => /^content\/posts\/influence-sur-le-web\.md modifié · \d+ ms$/.test(line)), 'the log line');
  });

  it('shows a body-only edit on the essay and in the excerpt on La Une', async () => {
    const file = post('la-victoire-du-point-de-bascule');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Depuis quelques années, nous assistons', 'Depuis quelques années déjà, nous assistons'));
    await until(async () => (await get('/essais/la-victoire-du-point-de-bascule/')).includes('content="Depuis quelques années déjà'), 'the new description');
    await until(async () => (await get('/')).includes('<p class="excerpt">Depuis quelques années déjà'), 'the new excerpt on La Une');
  });

  it('puts a new essay on La Une, and shows drafts as « Brouillon »', async () => {
    await writeFile(post('essai-tout-neuf'), '---\ntitle: Un essai tout neuf\ndate: 2020-05-05\nauthor: mathieu-janin\ndraft: true\n---\n\nTexte neuf.\n');
    const home = await until(async () => {
      const html = await get('/');
      return html.includes('Un essai tout neuf') ? html : null;
    }, 'the new essay on La Une');
    expect(home).toMatch(/Un essai tout neuf<\/a><\/h2>\s*<p class="meta">.*Brouillon/);
  });

  it('shows the errors over the last good page, then recovers once the file is fixed', async () => {
    const file = post('les-racines-des-reseaux-sociaux');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('title: Les racines des réseaux sociaux', 'title: Les racines : une erreur'));
    const broken = await until(async () => {
      const html = await get('/essais/les-racines-des-reseaux-sociaux/');
      return html.includes('id="agora-erreurs"') ? html : null;
    }, 'the error overlay');
    expect(broken).toContain('content/posts/les-racines-des-reseaux-sociaux.md:2:8');
    expect(broken).toContain('Mettez la valeur entre guillemets');
    expect(broken).toContain('<h1>Les racines des réseaux sociaux</h1>');
    await writeFile(file, good.replace('title: Les racines des réseaux sociaux', 'title: "Les racines : corrigé"'));
    await until(async () => {
      const html = await get('/essais/les-racines-des-reseaux-sociaux/');
      return !html.includes('id="agora-erreurs"') && html.includes('Les racines\u00A0: corrigé');
    }, 'the recovered page');
  });

  it('loses no change that arrives during a rebuild', async () => {
    const slugs = Array.from({ length: 12 }, (_, i) => `rafale-${i}`);
    for (const slug of slugs) {
      await writeFile(post(slug), `---\ntitle: Rafale ${slug}\ndate: 2021-02-0${1 + (slugs.indexOf(slug) % 9)}\nauthor: mathieu-janin\n---\n\nTexte.\n`);
    }
    await until(async () => {
      const pages = await Promise.all(slugs.map((slug) => rawGet(`/essais/${slug}/`)));
      return pages.every((page) => page.status === 200);
    }, 'all twelve essays');
  });

  it('reloads an open page when its HTML changes', async () => {
    const { hostname, port } = new URL(dev.url);
    const events: string[] = [];
    const request = http.get({ host: hostname, port, path: '/__agora/evenements?page=%2Fessais%2Fla-victoire-du-point-de-bascule%2F' }, (response) => {
      response.on('data', (chunk) => events.push(String(chunk)));
    });
    await until(async () => events.length > 0, 'the event stream');
    const file = post('la-victoire-du-point-de-bascule');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Ça fait mal et c’est bien.', 'Ça fait mal, et c’est bien.'));
    await until(async () => events.join('').includes('event: reload'), 'the reload event');
    request.destroy();
  });

  it('answers only for the site: traversal, backslashes and absolute paths get 404', async () => {
    for (const evil of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/essais/..%5c..%5cpackage.json',
      '/essais\\..\\..\\package.json', '//etc/passwd', '/%2fetc%2fpasswd', '/public/style.css', '/content/site.yml', '/src/cli.ts', '/%00', '/%E0%A4%A']) {
      const response = await rawGet(evil);
      expect(response.status, evil).toBe(404);
      expect(response.body, evil).not.toMatch(/"name": "agora"|root:x:|baseUrl/);
    }
    expect((await rawGet('/style.css')).status).toBe(200);
  });

  it('agora new creates a draft with its front matter, refuses to overwrite, and the preview shows it', async () => {
    const created = await createPost(root, "L'essai d'après", { author: 'mathieu-janin', now: new Date(2026, 10, 23, 12) });
    expect(created).toEqual({ ok: true, file: 'content/posts/lessai-dapres.md', url: 'http://127.0.0.1:4000/essais/lessai-dapres/' });
    expect(await readFile(post('lessai-dapres'), 'utf8')).toBe("---\ntitle: L'essai d'après\ndate: 2026-11-23\nauthor: mathieu-janin\ncategories: []\ntags: []\ndraft: true\n---\n\nÉcrivez ici votre essai, en Markdown.\n");
    expect(await createPost(root, "L'essai d'après", { author: 'mathieu-janin' })).toEqual({ ok: false, message: "Le fichier content/posts/lessai-dapres.md existe déjà : rien n'a été écrit." });
    expect((await createPost(root, 'Sans auteur')).ok).toBe(false);
    await until(async () => (await get('/essais/lessai-dapres/')).includes('Brouillon'), 'the new draft in the preview');
  });
});
