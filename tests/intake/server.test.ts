import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { approveComments, listPending, rejectComments } from '../../src/intake/moderation.js';
import { createIntakeServer, type IntakeOptions } from '../../src/intake/server.js';
import { listQueue } from '../../src/intake/store.js';
import { FORM_FIELDS } from '../../src/intake/submission.js';
import { validateComment } from '../../src/validate/comment.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from '../helpers/sites.js';

let root: string;
let queue: string;
let base: string;
let logs: string[];
let stop: () => Promise<void>;

async function start(extra: Partial<IntakeOptions> = {}) {
  logs = [];
  const intake = createIntakeServer({ root, queueDir: queue, rateLimit: 10_000, log: (line) => logs.push(line), ...extra });
  await new Promise<void>((resolve) => intake.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(intake.server.address() as AddressInfo).port}`;
  stop = intake.shutdown;
}

beforeEach(async () => {
  root = await stageSite(path.join(FIXTURES, 'sites/basic'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  queue = path.join(root, '.comments/en-attente');
  await start();
});

afterEach(async () => {
  await stop();
  await rm(root, { recursive: true, force: true });
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}/commentaires`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
const valid = { post: 'premier-essai', author: 'Lectrice Inventée', website: '', body: 'Un commentaire de test ; rien de plus.' };

async function queued() {
  return Promise.all((await listQueue(queue)).map(async (entry) => ({ ...entry, text: await readFile(entry.file, 'utf8') })));
}

describe('the comment form and the server', () => {
  it('agree on the field names', async () => {
    const page = await readFile(path.join(FIXTURES, 'sites/basic/expected/essais/premier-essai/index.html'), 'utf8');
    const form = page.slice(page.indexOf('<div class="comment-new">'), page.indexOf('</form>', page.indexOf('<div class="comment-new">')));
    const names = [...form.matchAll(/name="([^"]+)"/g)].map((match) => match[1]);
    expect(names.sort()).toEqual(Object.values(FORM_FIELDS).filter((name) => name !== 'parent').sort());
    const reply = page.slice(page.indexOf('<details class="comment-reply">'), page.indexOf('</details>'));
    expect([...reply.matchAll(/name="([^"]+)"/g)].map((match) => match[1]).sort()).toEqual(Object.values(FORM_FIELDS).sort());
  });
});

describe('the comment server', () => {
  it('queues a valid comment, answers 303 to a French thank-you page, and approve publishes it on the next build', async () => {
    const response = await form({ ...valid, parent: 'a', website: 'https://lectrice.test.invalid/' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/commentaires/merci?essai=premier-essai');
    const files = await queued();
    expect(files).toHaveLength(1);
    expect(files[0]!.id).toMatch(/^\d{14}-[0-9a-f]{16}$/);
    const { record, diagnostics } = validateComment({ path: `content/comments/premier-essai/${files[0]!.id}.md`, text: files[0]!.text });
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({ author: 'Lectrice Inventée', parent: 'a', website: 'https://lectrice.test.invalid/' });
    expect(files[0]!.text).not.toMatch(/email|@/);

    const thanks = await fetch(`${base}${response.headers.get('location')}`);
    const page = await thanks.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Il sera publié après modération.');
    expect(page).toContain('href="https://test.invalid/sous-dossier/essais/premier-essai/#commentaires"');

    expect((await listPending(queue)).map((c) => c.author)).toEqual(['Lectrice Inventée']);
    const approved = await approveComments(root, queue, [files[0]!.id]);
    expect(approved).toMatchObject({ done: [files[0]!.id], diagnostics: [] });
    expect(await queued()).toEqual([]);
    const site = await build({ root, now: NOW, write: false });
    expect(site.ok).toBe(true);
    const essay = site.files.find((file) => file.path === 'essais/premier-essai/index.html')!.contents;
    expect(essay).toContain(`id="commentaire-${files[0]!.id}"`);
    expect(essay).toContain('Un commentaire de test\u202F; rien de plus.');
  });

  it('takes comments on a page that opens them, in its own thread, and refuses them on a page that does not', async () => {
    await mkdir(path.join(root, 'content/pages'), { recursive: true });
    await writeFile(path.join(root, 'content/pages/a-propos.md'), '---\ntitle: À propos\ncomments: true\n---\nUne page inventée.\n');
    await writeFile(path.join(root, 'content/pages/mentions.md'), '---\ntitle: Mentions\n---\nFermée aux commentaires.\n');
    await stop();
    await start();
    const response = await form({ ...valid, post: 'page--a-propos' });
    expect(response.status).toBe(303);
    const [file] = await queued();
    expect(file!.postSlug).toBe('page--a-propos');
    expect((await form({ ...valid, post: 'page--mentions' })).status).toBe(403);
    expect((await approveComments(root, queue, [file!.id])).diagnostics).toEqual([]);
    const site = await build({ root, now: NOW, write: false });
    expect(site.ok).toBe(true);
    const page = site.files.find((f) => f.path === 'a-propos/index.html')!.contents;
    expect(page).toContain(`id="commentaire-${file!.id}"`);
    expect(page).toContain('<input type="hidden" name="post" value="page--a-propos">');
    // Closed, a page shows no form, and no empty thread either.
    expect(site.files.find((f) => f.path === 'mentions/index.html')!.contents).not.toContain('class="comments"');
  });

  it('answers JSON to a JSON client', async () => {
    const response = await fetch(`${base}/commentaires`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(valid) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ statut: 'en attente de modération', essai: 'https://test.invalid/sous-dossier/essais/premier-essai/' });
    const refused = await fetch(`${base}/commentaires`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...valid, author: '' }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ erreur: 'Indiquez votre nom (un pseudonyme suffit).', champ: 'author' });
  });

  it.each([
    ['a missing name', { ...valid, author: '  ' }, 400, 'Indiquez votre nom'],
    ['an empty comment', { ...valid, body: '' }, 400, 'Le commentaire est vide'],
    ['a name too long', { ...valid, author: 'x'.repeat(101) }, 400, 'ne doit pas dépasser 100'],
    ['a comment too long', { ...valid, body: 'x'.repeat(5001) }, 400, 'ne doit pas dépasser 5000'],
    ['a javascript: website', { ...valid, website: 'javascript:alert(1)' }, 400, 'http:// ou https://'],
    ['an unknown field', { ...valid, note: 'x' }, 400, 'Champ inconnu « note »'],
    ['too many links', { ...valid, body: 'https://a.test https://b.test https://c.test https://d.test' }, 400, 'Pas plus de 3 liens'],
    // Issue 21: every link the rendered comment shows counts, however it is written.
    ['links through reference definitions', { ...valid, body: `${'[l] '.repeat(20)}\n\n[l]: //spam.test.invalid/` }, 400, 'Pas plus de 3 liens'],
    ['bare e-mail addresses', { ...valid, body: 'a@spam.test b@spam.test c@spam.test d@spam.test' }, 400, 'Pas plus de 3 liens'],
    ['mailto autolinks', { ...valid, body: '<mailto:a@s.test> <mailto:b@s.test> <mailto:c@s.test> <mailto:d@s.test>' }, 400, 'Pas plus de 3 liens'],
    ['images turned into links', { ...valid, body: '![a](https://s.test/a.png) ![b](https://s.test/b.png) ![c](https://s.test/c.png) ![d](https://s.test/d.png)' }, 400, 'Pas plus de 3 liens'],
    ['an unknown parent', { ...valid, parent: 'inexistant' }, 400, "n'existe pas (ou plus) sous cet essai"],
    ['an unknown essay', { ...valid, post: 'essai-fantome' }, 404, "Cet essai n'existe pas"],
    ['a draft essay', { ...valid, post: 'brouillon' }, 404, "Cet essai n'existe pas"],
    ['an essay with closed comments', { ...valid, post: 'troisieme-essai' }, 403, 'Les commentaires de cet essai sont fermés.'],
  ])('refuses %s', async (_, fields, status, message) => {
    const response = await form(fields as Record<string, string>);
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain(message.replace(/'/g, '&#39;'));
    expect(html).toContain('<html lang="fr">');
    expect(await queued()).toEqual([]);
  });

  it('accepts up to three links however they are written, and counts each once (issue 21)', async () => {
    for (const body of [
      '[un](https://a.test/) et [deux](https://b.test/) : deux liens, pas quatre.',
      'Voir [ceci][r], <https://b.test/> et c@c.test.\n\n[r]: https://a.test/',
      'Des crochets [sans lien] et [pas plus], un @pseudo et une flèche <- ici.',
    ]) expect((await form({ ...valid, body })).status).toBe(303);
    expect(await queued()).toHaveLength(3);
  });

  it('refuses a post from a foreign Origin (403), a wrong content type (415) and a body too large (413)', async () => {
    expect((await form(valid, { Origin: 'https://mechant.test.invalid' })).status).toBe(403);
    expect((await form(valid, { Origin: 'https://test.invalid' })).status).toBe(303);
    const plain = await fetch(`${base}/commentaires`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'bonjour' });
    expect(plain.status).toBe(415);
    const huge = await form({ ...valid, body: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(await queued()).toHaveLength(1);
  });

  it('limits the rate per address, with Retry-After', async () => {
    await stop();
    await start({ rateLimit: 2 });
    expect((await form(valid)).status).toBe(303);
    expect((await form(valid)).status).toBe(303);
    const limited = await form(valid);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('réessayez dans');
  });

  it('answers a honeypot hit like a success and stores nothing', async () => {
    const response = await form({ ...valid, email: 'robot@spam.test.invalid' });
    expect(response.status).toBe(303);
    expect(await queued()).toEqual([]);
  });

  it('logs one line per request with status, essay and duration, never the comment text', async () => {
    await form({ ...valid, body: 'Texte secret du lecteur' });
    await form({ ...valid, post: 'essai-fantome' });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^303 POST \/commentaires essai=premier-essai \d+ms$/);
    expect(logs[1]).toMatch(/^404 POST \/commentaires essai=- \d+ms$/);
    expect(logs.join('\n')).not.toContain('secret');
  });

  it('lands 200 concurrent valid posts as 200 distinct, complete files', async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => form({ ...valid, body: `Commentaire concurrent n° ${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(303));
    const files = await queued();
    expect(new Set(files.map((file) => file.id)).size).toBe(200);
    const bodies = new Set<string>();
    for (const file of files) {
      const { record } = validateComment({ path: `content/comments/premier-essai/${file.id}.md`, text: file.text });
      expect(record).not.toBeNull();
      bodies.add(record!.body.trim());
    }
    expect(bodies.size).toBe(200);
  });

  it('refuses an opaque Origin: null and a foreign Referer sent without Origin, and accepts the site\'s own Referer', async () => {
    expect((await form(valid, { Origin: 'null' })).status).toBe(403);
    expect((await form(valid, { Referer: 'https://mechant.test.invalid/page' })).status).toBe(403);
    expect((await form(valid, { Referer: 'https://test.invalid/sous-dossier/essais/premier-essai/' })).status).toBe(303);
    expect(await queued()).toHaveLength(1);
  });

  it('keeps serving every valid essay while one essay is broken, and names the broken file once', async () => {
    await writeFile(path.join(root, 'content/posts/casse.md'), `---\ntitle: Cassé\ndate: 2020-01-01\nauthor: ada-testeuse\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: [${Array(10).fill('*b').join(', ')}]\n---\n`);
    await stop();
    await start();
    expect((await form(valid)).status).toBe(303);
    expect((await form({ ...valid, body: 'Encore un.' })).status).toBe(303);
    expect((await form({ ...valid, post: 'casse' })).status).toBe(404);
    const named = logs.filter((line) => line.includes('content/posts/casse.md'));
    expect(named).toHaveLength(1);
    expect(named[0]).toContain('[front-matter/yaml-aliases]');
  });

  it('answers 503 on a full disk and leaves no file where the build would read it', async () => {
    await stop();
    const { open, rename, unlink } = await import('node:fs/promises');
    const fullDisk = async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      handle.writeFile = async () => { throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }); };
      return handle;
    };
    await start({ io: { open: fullDisk as typeof open, rename, unlink } });
    const response = await form(valid);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('n&#39;a pas pu enregistrer votre commentaire');
    expect(await readdir(path.join(queue, 'premier-essai'))).toEqual([]);
  });

  it('publishes straight to content/comments/ when moderation is off', async () => {
    await writeFile(path.join(root, 'content/site.yml'), (await readFile(path.join(root, 'content/site.yml'), 'utf8')) + '  moderation: false\n');
    await stop();
    await start();
    expect((await form(valid)).status).toBe(303);
    expect(await queued()).toEqual([]);
    expect((await readdir(path.join(root, 'content/comments/premier-essai'))).length).toBe(7);
    expect((await build({ root, now: NOW, write: false })).ok).toBe(true);
  });

  it('cuts off a client that sends its headers too slowly', async () => {
    await stop();
    await start({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    socket.write('POST /commentaires HTTP/1.1\r\nHost: x\r\n');
    const closed = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => { data += chunk; });
      socket.on('close', () => resolve(data));
    });
    expect(closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('moves a rejected comment aside instead of erasing it', async () => {
    await form(valid);
    const [entry] = await queued();
    expect(await rejectComments(queue, [entry!.id])).toEqual({ done: [entry!.id], diagnostics: [] });
    expect(await queued()).toEqual([]);
    expect(await readFile(path.join(root, '.comments/rejetes/premier-essai', `${entry!.id}.md`), 'utf8')).toBe(entry!.text);
    expect((await approveComments(root, queue, ['inconnu'])).diagnostics[0]?.code).toBe('moderation/unknown-id');
  });
});
