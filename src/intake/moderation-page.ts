import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { formatDiagnostic } from '../diagnostics/format.js';
import { markdownOptions } from '../markdown/options.js';
import { renderAside } from '../markdown/worker-pool.js';
import { rfc3339 } from '../dates.js';
import { atomFeed } from '../render/atom.js';
import { escapeHtml } from '../render/escape.js';
import { formatFrenchDateTime } from '../dates.js';
import type { PublishReport } from './publish.js';
import { clientAddress } from './client-address.js';
import { createRateLimiter } from './rate-limit.js';
import { mediaType, readBody, redirectAfterPost, Refusal, sameSite, sendHtml, SECURITY_HEADERS } from './responses.js';
import type { SiteIndex } from './site-index.js';
import { listPending, type PendingComment } from './moderation.js';

/** How the moderation pages are served. */
export interface ModerationPageOptions {
  /** Where they are mounted, with its final slash: `/moderation/`, or `/carnets/moderation/` under `agora serve`. */
  path: string;
  /** The moderator's secret (AGORA_MODERATION_SECRET or a file outside the repository). */
  secret: string;
  queueDir: string;
  index: () => Promise<SiteIndex>;
  /** Approves (and publishes) comments by id. */
  approve: (ids: string[]) => Promise<PublishReport>;
  /** Rejects comments by id; the lines say what was done. */
  reject: (ids: string[]) => Promise<{ done: string[]; problems: string[] }>;
  /** Wrong secrets allowed per address in 15 minutes, by the sign-in form and the feed together (default 5). */
  loginLimit?: number;
  /** Key the limits on the address a reverse proxy gives in X-Forwarded-For (`--trust-proxy`). */
  trustProxy?: boolean;
  /** How long a session lasts (default 8 hours). */
  sessionMs?: number;
  now?: () => number;
}

/** A signed-in moderator: the CSRF token of their forms and the message to show once. */
interface Session {
  csrf: string;
  expires: number;
  flash: string | null;
}

/** Where the moderation pages are, under the server's root or the site's base path. */
export const MODERATION_PATH = 'moderation/';

const COOKIE = 'agora-moderation';
const FEED = 'en-attente.atom';
/** The one answer to every refused action: which part was wrong is never said. */
const DENIED = 'Accès refusé.';
const MAX_SESSIONS = 100;
/** Comments shown on a page of the queue, and in the feed (its newest). */
export const PAGE_SIZE = 20;
export const FEED_SIZE = 50;
/** Rendered comments kept in memory. */
const MAX_RENDERED = 500;

/** Compares two texts in a time that does not depend on where they differ (both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(hash(given), hash(expected));
}

/**
 * The moderation pages: sign in with the secret, list the pending comments rendered as the site
 * renders them, approve or reject each with a button that needs no JavaScript, and a private
 * Atom feed of the queue (HTTP Basic, the secret as password, for feed readers). Sessions are
 * random tokens kept in memory, in an `HttpOnly`, `SameSite=Strict` cookie (`Secure` behind
 * HTTPS); every action checks the origin, the session and its CSRF token, and a refusal never
 * says which of them failed. Sign-in attempts are rate-limited per address.
 */
export function createModerationPage(options: ModerationPageOptions) {
  const now = options.now ?? Date.now;
  const sessionMs = options.sessionMs ?? 8 * 3600_000;
  const sessions = new Map<string, Session>();
  const failures = createRateLimiter(options.loginLimit ?? 5, 15 * 60_000);
  /**
   * The one check of a presented secret (sign-in form, feed's HTTP Basic): the limit first, so
   * that past it even the right secret is refused (issue 21: the feed compared first, and 3 000
   * guesses found the secret), then the comparison, and a wrong secret counts. Synchronous from
   * the limit to the count: parallel guesses cannot all pass the limit before one is counted.
   */
  const checkSecret = (request: http.IncomingMessage, given: string): boolean => {
    const address = clientAddress(request, options.trustProxy);
    const wait = failures.wait(address, now());
    if (wait) throw new Refusal(429, `Trop de tentatives : réessayez dans ${Math.ceil(wait / 60)} minute(s).`, { 'Retry-After': String(wait) });
    if (sameSecret(given, options.secret)) return true;
    failures.hit(address, now());
    return false;
  };
  /** Comments' HTML by their file's text: a page shown again renders nothing again. */
  const rendered = new Map<string, string>();
  const base = options.path;

  const sessionOf = (request: http.IncomingMessage): { token: string; session: Session } | null => {
    const token = cookie(request, COOKIE);
    const session = token ? sessions.get(token) : undefined;
    if (!token || !session) return null;
    if (session.expires <= now()) {
      sessions.delete(token);
      return null;
    }
    return { token, session };
  };
  const cookieAttributes = (request: http.IncomingMessage) =>
    `Path=${base}; HttpOnly; SameSite=Strict${isHttps(request) ? '; Secure' : ''}`;

  async function handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string): Promise<void> {
    const action = pathname.slice(base.length);
    const site = await options.index();
    if (request.method === 'GET' && action === '') {
      const signedIn = sessionOf(request);
      if (!signedIn) return sendHtml(response, 200, 'Modération', loginForm(base, null));
      const flash = signedIn.session.flash;
      signedIn.session.flash = null;
      const page = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('page') ?? '1');
      return sendHtml(response, 200, 'Modération', await pendingList(signedIn.session.csrf, flash, site, Number.isInteger(page) && page > 0 ? page : 1));
    }
    if (request.method === 'GET' && action === FEED) return feed(request, response, site);
    if (!['connexion', 'approuver', 'rejeter', 'deconnexion'].includes(action)) throw new Refusal(404, "Cette adresse n'existe pas sur le serveur de commentaires.");
    if (request.method !== 'POST') throw new Refusal(405, 'Utilisez les boutons de la page de modération.', { Allow: 'POST' });

    if (action === 'connexion') {
      const fields = await readForm(request);
      if (!checkSecret(request, fields.get('secret') ?? '') || sameSite(request, site.baseUrl) !== true) {
        return sendHtml(response, 403, 'Modération', loginForm(base, DENIED));
      }
      const token = randomBytes(32).toString('base64url');
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      sessions.set(token, { csrf: randomBytes(32).toString('base64url'), expires: now() + sessionMs, flash: null });
      return redirectAfterPost(response, base, { 'Set-Cookie': `${COOKIE}=${token}; ${cookieAttributes(request)}; Max-Age=${Math.floor(sessionMs / 1000)}` });
    }

    const fields = await readForm(request);
    const signedIn = sessionOf(request);
    if (sameSite(request, site.baseUrl) !== true || !signedIn || !sameSecret(fields.get('jeton') ?? '', signedIn.session.csrf)) {
      return sendHtml(response, 403, 'Modération', loginForm(base, DENIED));
    }
    if (action === 'deconnexion') {
      sessions.delete(signedIn.token);
      return redirectAfterPost(response, base, { 'Set-Cookie': `${COOKIE}=; ${cookieAttributes(request)}; Max-Age=0` });
    }
    const id = fields.get('id') ?? '';
    if (action === 'approuver') {
      const report = await options.approve([id]);
      const problems = [...report.result.diagnostics, ...report.problems].map(formatDiagnostic);
      signedIn.session.flash = [...report.result.done.map((done) => `Approuvé : ${done}.`), ...report.lines, ...problems].join('\n');
    } else {
      const outcome = await options.reject([id]);
      signedIn.session.flash = [...outcome.done.map((done) => `Rejeté : ${done} (gardé dans rejetes/).`), ...outcome.problems].join('\n');
    }
    return redirectAfterPost(response, base);
  }

  /**
   * Some of the queue as the page and the feed show it: each comment with its essay and its text
   * rendered as on the site, in a worker thread (never on the request path), each text once.
   */
  async function pending(site: SiteIndex, choose: (all: PendingComment[]) => PendingComment[]) {
    const all = await listPending(options.queueDir);
    const chosen = choose(all);
    const keyed = chosen.map((entry) => ({ entry, key: createHash('sha1').update(`${entry.file}\0${entry.record?.body ?? ''}`).digest('base64url') }));
    const missing = keyed.filter(({ entry, key }) => entry.record && !rendered.has(key));
    const results = await renderAside(missing.map(({ entry }) => ({ kind: 'comment' as const, file: entry.record!.file, body: entry.record!.body, bodyLine: entry.record!.bodyLine })), markdownOptions('fr'));
    missing.forEach(({ key }, i) => {
      if (rendered.size >= MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
      rendered.set(key, results[i]!.diagnostics.some((d) => d.severity === 'error') ? '<p>(texte impossible à afficher : lisez le fichier lui-même)</p>' : results[i]!.html);
    });
    const items = keyed.map(({ entry, key }) => ({ entry, record: entry.record, html: (entry.record && rendered.get(key)) || '<p>(fichier illisible)</p>', post: site.posts.get(entry.postSlug) }));
    return { total: all.length, items };
  }

  async function pendingList(csrf: string, flash: string | null, site: SiteIndex, page: number): Promise<string> {
    const { total, items } = await pending(site, (all) => all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const hidden = `<input type="hidden" name="jeton" value="${escapeHtml(csrf)}">`;
    const list = items.map(({ entry, record, html, post }) => {
      const author = record ? (record.website ? `<a href="${escapeHtml(record.website)}" rel="nofollow ugc noopener">${escapeHtml(record.author)}</a>` : escapeHtml(record.author)) : '(inconnu)';
      const essay = post ? `<a href="${escapeHtml(post.url)}">${escapeHtml(post.title)}</a>` : escapeHtml(entry.postSlug);
      const date = record ? `<time datetime="${escapeHtml(record.date.iso)}">${escapeHtml(formatFrenchDateTime(record.date, site.timezone))}</time>` : '';
      const id = `<input type="hidden" name="id" value="${escapeHtml(entry.id)}">`;
      return `<li class="pending" id="c-${escapeHtml(entry.id)}"><article aria-labelledby="t-${escapeHtml(entry.id)}">
<h2 id="t-${escapeHtml(entry.id)}"><bdi>${author}</bdi> sur «\u202F${essay}\u202F»</h2>
<p>${date}${record?.parent ? ` · en réponse au commentaire ${escapeHtml(record.parent)}` : ''}</p>
<div class="comment-text">${html}</div>
<div class="actions"><form method="post" action="${base}approuver">${hidden}${id}<button type="submit">Approuver<span class="visually-hidden"> le commentaire de ${escapeHtml(record?.author ?? entry.id)}</span></button></form>
<form method="post" action="${base}rejeter">${hidden}${id}<button type="submit">Rejeter<span class="visually-hidden"> le commentaire de ${escapeHtml(record?.author ?? entry.id)}</span></button></form></div>
</article></li>`;
    });
    const message = flash ? `<div class="message" role="status">${flash.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>` : '';
    const count = total === 0 ? 'Aucun commentaire en attente.' : `${total}\u00A0commentaire${total > 1 ? 's' : ''} en attente, du plus ancien au plus récent${pages > 1 ? ` (page ${page} sur ${pages})` : ''}.`;
    const link = (to: number, label: string, rel: string) => `<a href="${base}${to > 1 ? `?page=${to}` : ''}" rel="${rel}">${label}</a>`;
    const nav = pages > 1 ? `<nav aria-label="Pages de la file"><p>${page > 1 ? link(page - 1, '← Plus anciens', 'prev') : ''}${page > 1 && page < pages ? ' · ' : ''}${page < pages ? link(page + 1, 'Plus récents →', 'next') : ''}</p></nav>` : '';
    return `${message}<p>${count} <a href="${base}${FEED}">Flux Atom de la file</a></p>
${list.length ? `<ol class="queue" start="${(page - 1) * PAGE_SIZE + 1}">${list.join('\n')}</ol>` : ''}
${nav}
<form method="post" action="${base}deconnexion">${hidden}<button type="submit">Se déconnecter</button></form>`;
  }

  /** The private feed: HTTP Basic (any user name, the secret as password) or a signed-in session. */
  async function feed(request: http.IncomingMessage, response: http.ServerResponse, site: SiteIndex): Promise<void> {
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const password = basic ? Buffer.from(basic, 'base64').toString('utf8').replace(/^[^:]*:/, '') : null;
    const allowed = password !== null ? checkSecret(request, password) : sessionOf(request) !== null;
    if (!allowed) {
      throw new Refusal(401, DENIED, { 'WWW-Authenticate': 'Basic realm="Agora moderation", charset="UTF-8"' });
    }
    // The newest FEED_SIZE, as feed readers show them.
    const { items } = await pending(site, (all) => all.slice(-FEED_SIZE));
    const self = new URL(`${base}${FEED}`, site.baseUrl).href;
    const page = new URL(base, site.baseUrl).href;
    const updated = items.length ? items[items.length - 1]!.record?.date : null;
    const xml = atomFeed({
      language: 'fr', title: 'Commentaires en attente', id: self, self, alternate: page,
      updated: updated ? rfc3339(updated) : '1970-01-01T00:00:00Z',
      entries: items.map(({ entry, record, html, post }) => ({
        title: `${record?.author ?? '?'} sur «\u202F${post?.title ?? entry.postSlug}\u202F»`,
        id: `urn:agora:commentaire:${entry.id}`,
        alternate: `${page}#c-${entry.id}`,
        updated: record ? rfc3339(record.date) : '1970-01-01T00:00:00Z',
        authors: [{ name: record?.author ?? '?' }],
        content: { html },
      })),
    });
    response.writeHead(200, { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml), ...SECURITY_HEADERS });
    response.end(xml);
  }

  return {
    /** True for the paths these pages answer (the mount path and below). */
    handles: (pathname: string) => pathname === base || pathname.startsWith(base) || pathname === base.slice(0, -1),
    async handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string): Promise<void> {
      if (pathname === base.slice(0, -1)) return redirectAfterPost(response, base);
      try {
        await handle(request, response, pathname);
      } catch (error) {
        // Refusals are answered here, in the moderation's own words (the comment form's say « votre texte y est encore »).
        if (!(error instanceof Refusal) || response.headersSent) throw error;
        sendHtml(response, error.status, 'Modération', `<p>${escapeHtml(error.message)}</p><p><a href="${base}">Revenir à la modération</a></p>`, error.headers);
      }
    },
  };
}

/** The sign-in form, with the refusal shown above it when there is one. */
function loginForm(base: string, refusal: string | null): string {
  return `${refusal ? `<p class="message" role="alert">${escapeHtml(refusal)}</p>` : ''}
<form method="post" action="${base}connexion">
<p><label for="secret">Secret de modération</label>
<input id="secret" name="secret" type="password" required autocomplete="current-password"></p>
<p><button type="submit">Se connecter</button></p>
</form>`;
}

/** The form fields of a small `application/x-www-form-urlencoded` body (4 KiB at most). */
async function readForm(request: http.IncomingMessage): Promise<Map<string, string>> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') throw new Refusal(415, 'Envoyez le formulaire de la page de modération.');
  return new Map(new URLSearchParams(await readBody(request, 4096, new Refusal(413, 'Formulaire trop long.', { Connection: 'close' }))));
}

function cookie(request: http.IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

/** Behind HTTPS: the connection itself, or a reverse proxy that says so. */
function isHttps(request: http.IncomingMessage): boolean {
  return Boolean((request.socket as { encrypted?: boolean }).encrypted) || request.headers['x-forwarded-proto'] === 'https';
}
