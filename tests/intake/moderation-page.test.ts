import { readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moderationActions } from '../../src/intake/publish.js';
import { createIntakeServer, type IntakeServer } from '../../src/intake/server.js';
import { listQueue } from '../../src/intake/store.js';
import { sameSecret } from '../../src/intake/moderation-page.js';
import { stageThemedSite } from '../helpers/cli.js';

const SECRET = 'un-secret-invente-pour-les-tests';
/** The fixture's baseUrl: the moderation forms are posted from there. */
const SITE = 'https://test.invalid';
let root: string;
let queue: string;
let server: IntakeServer;
let base: string;

async function start(secret: string | null, loginLimit = 50, trustProxy = false) {
  server = createIntakeServer({
    root, queueDir: queue, rateLimit: 10_000, log: () => {}, trustProxy,
    moderation: secret ? { path: '/moderation/', secret, loginLimit, ...moderationActions({ root, queueDir: queue, outDir: 'dist' }) } : undefined,
  });
  await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  root = await stageThemedSite();
  queue = path.join(root, '.comments/en-attente');
  await start(SECRET);
});

afterEach(async () => {
  await server.shutdown();
  await rm(root, { recursive: true, force: true });
});

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}${url}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: SITE, ...headers } });

/** A reader's comment, queued through the form endpoint. */
async function queueComment(author: string, body: string): Promise<string> {
  expect((await post('/commentaires', { post: 'premier-essai', author, website: '', body })).status).toBe(303);
  const entries = await listQueue(queue);
  return entries[entries.length - 1]!.id;
}

/** Signs in; returns the session cookie and the page's CSRF token. */
async function signIn(): Promise<{ cookie: string; token: string; page: string }> {
  const response = await post('/moderation/connexion', { secret: SECRET });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(`${base}/moderation/`, { headers: { Cookie: cookie } })).text();
  const token = /name="jeton" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, token, page };
}

describe('the moderation page', () => {
  it('does not exist without a configured secret', async () => {
    await server.shutdown();
    await start(null);
    expect((await fetch(`${base}/moderation/`)).status).toBe(404);
  });

  it('signs in with the secret into an HttpOnly, SameSite=Strict session cookie, Secure behind HTTPS', async () => {
    const login = await fetch(`${base}/moderation/`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<label for="secret">Secret de modération</label>');
    const plain = await post('/moderation/connexion', { secret: SECRET });
    expect(plain.headers.get('location')).toBe('/moderation/');
    const attributes = plain.headers.get('set-cookie')!;
    expect(attributes).toMatch(/^agora-moderation=[\w-]{40,}; Path=\/moderation\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const proxied = await post('/moderation/connexion', { secret: SECRET }, { 'X-Forwarded-Proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toContain('; Secure');
    expect(plain.headers.get('location')).not.toContain(SECRET);
  });

  it('lists pending comments with their essay, author and date, rendered with the site\'s comment sanitizer', async () => {
    await queueComment('Lectrice <b>Inventée</b>', 'Du **gras** et <script>alert(1)</script> [un lien](javascript:alert(1)).');
    const { page } = await signIn();
    expect(page).toContain('Lectrice &lt;b&gt;Inventée&lt;/b&gt;');
    expect(page).toContain('<strong>gras</strong>');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('javascript:');
    expect(page).toContain('href="https://test.invalid/sous-dossier/essais/premier-essai/">Premier essai : la confiance</a>');
    expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)">\d+/);
    expect(page).toContain('1\u00A0commentaire en attente');
  });

  it('refuses a wrong secret, a missing or wrong CSRF token, a missing session and a foreign origin, all with the same answer', async () => {
    const id = await queueComment('Lecteur Inventé', 'À approuver, peut-être.');
    const { cookie, token } = await signIn();
    const answers = await Promise.all([
      post('/moderation/connexion', { secret: 'pas-le-bon-secret-du-tout' }),
      post('/moderation/connexion', {}),
      post('/moderation/connexion', { secret: SECRET }, { Origin: 'https://mechant.test.invalid' }),
      post('/moderation/approuver', { id }, { Cookie: cookie }),
      post('/moderation/approuver', { id, jeton: 'faux' }, { Cookie: cookie }),
      post('/moderation/approuver', { id, jeton: token }),
      post('/moderation/approuver', { id, jeton: token }, { Cookie: cookie, Origin: 'https://mechant.test.invalid' }),
      post('/moderation/approuver', { id, jeton: token }, { Cookie: cookie, Origin: 'null' }),
      post('/moderation/rejeter', { id, jeton: token }, { Cookie: 'agora-moderation=invente' }),
    ]);
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(answers.map((answer) => answer.status)).toEqual(Array(answers.length).fill(403));
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('Accès refusé.');
    expect(answers.every((answer) => answer.headers.get('set-cookie') === null)).toBe(true);
    expect((await listQueue(queue)).map((entry) => entry.id)).toEqual([id]);
  });

  it('approves with the session and its token: the comment is published and the site rebuilt', async () => {
    const id = await queueComment('Lecteur Inventé', 'Un commentaire à publier.');
    const { cookie, token } = await signIn();
    const approved = await post('/moderation/approuver', { id, jeton: token }, { Cookie: cookie });
    expect(approved.status).toBe(303);
    expect(await listQueue(queue)).toEqual([]);
    expect(await readdir(path.join(root, 'content/comments/premier-essai'))).toContain(`${id}.md`);
    expect(await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8')).toContain('Un commentaire à publier.');
    const page = await (await fetch(`${base}/moderation/`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain(`Approuvé : ${id}.`);
    expect(page).toMatch(/Site reconstruit dans dist\/ en \d+ ms\./);
    expect(page).toContain('Aucun commentaire en attente.');
  });

  it('rejects into rejetes/, and signing out ends the session', async () => {
    const id = await queueComment('Lecteur Inventé', 'Un commentaire à écarter.');
    const { cookie, token } = await signIn();
    expect((await post('/moderation/rejeter', { id, jeton: token }, { Cookie: cookie })).status).toBe(303);
    expect(await readdir(path.join(root, '.comments/rejetes/premier-essai'))).toEqual([`${id}.md`]);
    const out = await post('/moderation/deconnexion', { jeton: token }, { Cookie: cookie });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await (await fetch(`${base}/moderation/`, { headers: { Cookie: cookie } })).text();
    expect(after).toContain('Se connecter');
  });

  it('rate-limits sign-in attempts per address', async () => {
    await server.shutdown();
    await start(SECRET, 3);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await post('/moderation/connexion', { secret: 'mauvais' })).status).toBe(403);
    const blocked = await post('/moderation/connexion', { secret: SECRET });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves a private Atom feed of the queue behind the secret (HTTP Basic, for feed readers)', async () => {
    await queueComment('Lectrice Inventée', 'Un commentaire pour le flux.');
    const refused = await fetch(`${base}/moderation/en-attente.atom`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Revenir à la modération');
    expect(refused.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await fetch(`${base}/moderation/en-attente.atom`, { headers: { Authorization: `Basic ${Buffer.from('moi:faux').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const feed = await fetch(`${base}/moderation/en-attente.atom`, { headers: { Authorization: `Basic ${Buffer.from(`moi:${SECRET}`).toString('base64')}` } });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await feed.text();
    expect(xml).toContain('<title type="text">Lectrice Inventée sur «\u202FPremier essai : la confiance\u202F»</title>');
    expect(xml).toContain('Un commentaire pour le flux.');
    const { parseFeed } = await import('@rowanmanning/feed-parser');
    expect(parseFeed(xml).items).toHaveLength(1);
  });
});

describe('guessing the secret (issue 21)', () => {
  const basic = (password: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/moderation/en-attente.atom`, { headers: { Authorization: `Basic ${Buffer.from(`moi:${password}`).toString('base64')}`, ...headers } });

  it('refuses even the right secret on the feed once the guesses from an address passed the limit', async () => {
    await server.shutdown();
    await start(SECRET, 5);
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => basic(`mauvais-${i}`)));
    expect(guesses.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(35);
    expect(guesses.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    const right = await basic(SECRET);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('shares one limit between the sign-in form and the feed, and a feed reader that knows the secret is never counted', async () => {
    await server.shutdown();
    await start(SECRET, 3);
    for (let poll = 0; poll < 10; poll += 1) expect((await basic(SECRET)).status).toBe(200);
    expect((await basic('faux-1')).status).toBe(401);
    expect((await post('/moderation/connexion', { secret: 'faux-2' })).status).toBe(403);
    expect((await basic('faux-3')).status).toBe(401);
    expect((await post('/moderation/connexion', { secret: SECRET })).status).toBe(429);
    expect((await basic(SECRET)).status).toBe(429);
  });

  it('keys the limits on the socket\'s address, whatever X-Forwarded-For says, unless told to trust the proxy', async () => {
    await server.shutdown();
    await start(SECRET, 2);
    // Without --trust-proxy a client cannot escape the limit by writing the header itself.
    for (let i = 0; i < 2; i += 1) expect((await basic('faux', { 'X-Forwarded-For': `198.51.100.${i}` })).status).toBe(401);
    expect((await basic(SECRET, { 'X-Forwarded-For': '198.51.100.99' })).status).toBe(429);
    await server.shutdown();
    // Behind nginx every request comes from 127.0.0.1: with --trust-proxy, one client's mistakes lock out that client only.
    await start(SECRET, 2, true);
    const intruder = { 'X-Forwarded-For': '203.0.113.7' };
    for (let i = 0; i < 2; i += 1) expect((await post('/moderation/connexion', { secret: 'faux' }, intruder)).status).toBe(403);
    expect((await post('/moderation/connexion', { secret: SECRET }, intruder)).status).toBe(429);
    // The proxy appends the real address last; what a client wrote before it is ignored.
    expect((await post('/moderation/connexion', { secret: SECRET }, { 'X-Forwarded-For': '203.0.113.7, 192.0.2.10' })).status).toBe(303);
    expect((await basic(SECRET, { 'X-Forwarded-For': '192.0.2.10' })).status).toBe(200);
  });
});

describe('sameSecret', () => {
  it('tells equal and different secrets apart, whatever their lengths', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    expect(sameSecret(`${SECRET}x`, SECRET)).toBe(false);
    expect(sameSecret('', SECRET)).toBe(false);
  });
});
