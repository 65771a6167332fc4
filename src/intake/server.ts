import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { COMMENTS_PATH } from '../config.js';
import { escapeHtml } from '../render/escape.js';
import { commentDate, newCommentId } from './comment-file.js';
import { createModerationPage } from './moderation-page.js';
import { clientAddress } from './client-address.js';
import { createRateLimiter } from './rate-limit.js';
import { mediaType, readBody, Refusal, sameSite, sendHtml, sendJson } from './responses.js';
import { watchSiteIndex, type IndexScope, type SiteIndex } from './site-index.js';
import { temporaryFolder, writeFileDurably, type StoreIo } from './store.js';
import { isAllowedHost } from '../serve/allowed-host.js';
import { checkLinks, checkSubmission } from './submission.js';

/** How the comment server runs. */
export interface IntakeOptions {
  /** Project folder (content/ inside). */
  root: string;
  /** Folder of comments awaiting moderation: `<queue>/<post-slug>/<id>.md`. */
  queueDir: string;
  /** Requests allowed per address in `rateWindowMs` (default 10 a minute). */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Time allowed to send the headers, and the whole request (defaults 10 s and 20 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Largest request body in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Key the rate limits on the client address that a reverse proxy gives in X-Forwarded-For (`--trust-proxy`). */
  trustProxy?: boolean;
  /**
   * On shutdown, how long an idle keep-alive connection is left to its client before it is
   * closed (default 0). Closing one at once races with a request the client may be sending on
   * it, which then meets a reset; the CLIs wait out the keep-alive time they announced.
   */
  idleLingerMs?: number;
  /** Answer only requests whose `Host` names this server (`agora dev`, see isAllowedHost): the address it listens on. */
  allowedHostsFor?: string;
  /** Where request log lines go (default: standard output). */
  log?: (line: string) => void;
  now?: () => Date;
  io?: StoreIo;
  /** The site as the server knows it (default: content/ read once, then followed by a watcher). */
  index?: () => Promise<SiteIndex>;
  /** Which essays take comments when the index is the default one (`agora dev`: drafts and future essays too). */
  scope?: IndexScope;
  /** The moderation pages, when a secret is configured: where they are mounted and what they do. */
  moderation?: Omit<Parameters<typeof createModerationPage>[0], 'index' | 'queueDir'>;
  /** Where the endpoint is mounted: `/commentaires` (default), or under the site's base path (`agora serve`). */
  mountPath?: string;
  /** Answers the requests outside the endpoint (`agora serve`: the built site); without it they get 404. */
  otherwise?: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;
}

/** The running server and a way to wait for the comments being written. */
export interface IntakeServer {
  server: http.Server;
  /** Stops accepting connections and resolves once every request under way has been answered. */
  shutdown(): Promise<void>;
  /** Closes every connection at once, long-lived ones too (`agora dev` and its live-reload streams). */
  close(): Promise<void>;
}

/** The path forms post to, and the page that thanks the reader. */
export const INTAKE_PATH = `/${COMMENTS_PATH}`;
const THANKS_PATH = `${INTAKE_PATH}/merci`;

/** Creates the comment server: parse form → validate → store safely → redirect. */
export function createIntakeServer(options: IntakeOptions): IntakeServer {
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'));
  const live = options.index ? null : watchSiteIndex(options.root, { ...options.scope, log });
  const index = options.index ?? live!.get;
  const moderationPage = options.moderation ? createModerationPage({ trustProxy: options.trustProxy, ...options.moderation, index, queueDir: options.queueDir }) : null;
  const limiter = createRateLimiter(options.rateLimit ?? 10, options.rateWindowMs ?? 60_000);
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const now = options.now ?? (() => new Date());
  const inFlight = new Set<Promise<void>>();
  const intakePath = options.mountPath ?? INTAKE_PATH;
  const thanksPath = `${intakePath}${THANKS_PATH.slice(INTAKE_PATH.length)}`;
  let draining = false;
  let lastConnection = 0;

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 20_000, headersTimeout);
  // Slow clients are cut off: Node checks the timeouts every connectionsCheckingInterval.
  const server = http.createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) }, (request, response) => {
    const started = performance.now();
    // While stopping, every answer closes its connection: the client opens a new one, which is
    // refused at the door once the server stops listening, instead of reusing one that is closed under it.
    if (draining) response.shouldKeepAlive = false;
    let own = true;
    const job = handle(request, response, () => { own = false; })
      .catch((error: unknown) => {
        const refusal = error instanceof Refusal ? error : new Refusal(500, "Erreur interne du serveur de commentaires : réessayez plus tard.");
        if (!(error instanceof Refusal)) process.stderr.write(`Erreur interne : ${(error as Error).message}\n`);
        if (!response.headersSent) answerError(request, response, refusal, null);
      })
      .finally(() => {
        inFlight.delete(job);
        // The site's own pages (agora serve, agora dev) are not logged: the comments and moderation requests are.
        if (!own) return;
        const essay = (response as { agoraEssay?: string }).agoraEssay ?? '-';
        log(`${response.statusCode} ${request.method} ${new URL(request.url ?? '/', 'http://x').pathname} essai=${essay} ${Math.round(performance.now() - started)}ms`);
      });
    inFlight.add(job);
  });
  server.keepAliveTimeout = 5_000;
  // Content is read and watched once the server listens: a server that could not start leaves nothing running.
  server.once('listening', () => void live?.start());
  // Connections that have not yet sent a request: Node counts them as idle, and
  // closeIdleConnections() would reset them before their request is read.
  const waiting = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    lastConnection = performance.now();
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
  });
  server.on('request', (request) => waiting.delete(request.socket));

  async function handle(request: http.IncomingMessage, response: http.ServerResponse, passedOn: () => void): Promise<void> {
    if (draining) {
      // Read the request to its end first: closing a socket with unread data makes the kernel
      // reset it, and the client would never see the 503 (seen under load: 35 of 150 resets).
      let size = 0;
      for await (const chunk of request) if ((size += (chunk as Buffer).length) > maxBody) break;
      throw new Refusal(503, "Le serveur de commentaires redémarre : renvoyez le formulaire dans quelques secondes.", { 'Retry-After': '5', Connection: 'close' });
    }
    if (options.allowedHostsFor !== undefined && !isAllowedHost(request.headers.host, options.allowedHostsFor)) {
      throw new Refusal(403, "Cet aperçu ne répond qu'à localhost, 127.0.0.1, [::1] et au nom donné à --host.");
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (moderationPage?.handles(url.pathname)) return moderationPage.handle(request, response, url.pathname);
    if (options.otherwise && url.pathname !== intakePath && url.pathname !== thanksPath) {
      passedOn();
      return options.otherwise(request, response);
    }
    if (request.method === 'GET' && url.pathname === thanksPath) {
      return thanks(response, await index(), url.searchParams.get('essai') ?? '', Boolean(options.otherwise));
    }
    if (url.pathname !== intakePath) throw new Refusal(404, "Cette adresse n'existe pas sur le serveur de commentaires.");
    if (request.method !== 'POST') throw new Refusal(405, 'Envoyez les commentaires avec le formulaire (méthode POST).', { Allow: 'POST' });

    const wait = limiter.hit(clientAddress(request, options.trustProxy), Date.now());
    if (wait) throw new Refusal(429, `Trop de commentaires envoyés d'ici en peu de temps : réessayez dans ${wait} secondes.`, { 'Retry-After': String(wait) });
    const site = await index();
    checkOrigin(request, site);
    const fields = await readFields(request, maxBody);

    const date = now();
    const id = newCommentId(date);
    const checked = checkSubmission(fields, site, id, commentDate(date, site.timezone));
    const verdict = checked.kind === 'accepted' ? await checkLinks(checked) : checked;
    if (verdict.kind === 'refused') {
      (response as { agoraEssay?: string }).agoraEssay = verdict.postSlug ?? undefined;
      return answerError(request, response, new Refusal(verdict.status, verdict.message), verdict.field);
    }
    const slug = verdict.kind === 'accepted' ? verdict.submission.postSlug : verdict.postSlug;
    (response as { agoraEssay?: string }).agoraEssay = slug || undefined;
    if (verdict.kind === 'accepted') {
      const folder = site.moderation
        ? path.join(options.queueDir, verdict.submission.postSlug)
        : path.join(options.root, 'content/comments', verdict.submission.postSlug);
      try {
        await writeFileDurably(folder, `${id}.md`, verdict.text, temporaryFolder(options.queueDir), options.io);
      } catch (error) {
        process.stderr.write(`Écriture impossible (${(error as NodeJS.ErrnoException).code ?? 'erreur'}) dans ${folder}\n`);
        throw new Refusal(503, "Le serveur n'a pas pu enregistrer votre commentaire : réessayez dans quelques minutes.", { 'Retry-After': '60' });
      }
    }
    if (isJson(request)) {
      const pending = site.moderation;
      return sendJson(response, pending ? 202 : 201, {
        statut: pending ? 'en attente de modération' : 'publié à la prochaine construction',
        essai: site.posts.get(slug)?.url ?? site.baseUrl,
      });
    }
    response.writeHead(303, { Location: `${thanksPath}?essai=${encodeURIComponent(slug)}`, 'Content-Length': '0' });
    response.end();
  }

  return {
    server,
    async shutdown() {
      // Still listening for a moment: whoever is already connecting gets 503 and Retry-After
      // instead of a reset (issue 11), while the comments under way are written.
      draining = true;
      const started = performance.now();
      for (;;) {
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 25))]);
        // setImmediate runs after the poll phase, where libuv accepts the connections waiting in
        // the kernel's queue: on a starved event loop they are counted before the quiet is judged.
        await new Promise((resolve) => setImmediate(resolve));
        const quiet = performance.now() - lastConnection >= DRAIN_QUIET_MS || performance.now() - started >= DRAIN_MAX_MS;
        if (!inFlight.size && quiet) break;
      }
      // net.Server's close stops listening and waits for the connections to end; http.Server's
      // would also close the idle keep-alive ones at once (see idleLingerMs).
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      // Every connection accepted gets its answer: wait (a little) for the requests still on their way.
      const deadline = performance.now() + headersTimeout;
      while (waiting.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      if (options.idleLingerMs) await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, options.idleLingerMs).unref())]);
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      await closed;
      clearInterval(sweep);
      await live?.close();
    },
    async close() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await live?.close();
    },
  };
}

/** On shutdown, the server keeps answering 503 until no connection has arrived for this long, at most DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 200;
const DRAIN_MAX_MS = 5_000;

function isJson(request: http.IncomingMessage): boolean {
  return mediaType(request) === 'application/json';
}

/**
 * Refuses a post that a browser says comes from another site (`sameSite`): a foreign `Origin`,
 * an opaque `Origin: null`, or, without `Origin`, a foreign `Referer`. A client that sends
 * neither (curl, a privacy proxy) is let through to the other checks.
 */
function checkOrigin(request: http.IncomingMessage, site: SiteIndex): void {
  if (sameSite(request, site.baseUrl) === false) {
    throw new Refusal(403, "Ce formulaire n'a pas été envoyé depuis le site : le commentaire est refusé. (Pour essayer les formulaires sur votre machine : agora serve ou agora dev.)");
  }
}

/** Reads and decodes the body, within the size limit. */
async function readFields(request: http.IncomingMessage, maxBody: number): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') {
    throw new Refusal(415, 'Le commentaire doit être envoyé par le formulaire (application/x-www-form-urlencoded) ou en JSON.');
  }
  const tooLarge = new Refusal(413, `Le commentaire est trop long : au plus ${Math.floor(maxBody / 1024)} Kio en tout.`, { Connection: 'close' });
  const text = await readBody(request, maxBody, tooLarge);
  if (type === 'application/json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Refusal(400, "Le JSON envoyé n'est pas valide.");
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Refusal(400, 'Le JSON doit être un objet de champs.');
    return data as Record<string, unknown>;
  }
  const params = new URLSearchParams(text);
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in fields) throw new Refusal(400, `Le champ « ${name} » est envoyé deux fois.`);
    fields[name] = value;
  }
  return fields;
}

function answerError(request: http.IncomingMessage, response: http.ServerResponse, refusal: Refusal, field: string | null): void {
  if (isJson(request)) {
    sendJson(response, refusal.status, { erreur: refusal.message, ...(field ? { champ: field } : {}) }, refusal.headers);
    return;
  }
  sendHtml(response, refusal.status, 'Commentaire non enregistré', `<p>${escapeHtml(refusal.message)}</p>
<p>Revenez à la page précédente de votre navigateur pour corriger le formulaire : votre texte y est encore.</p>`, refusal.headers);
}

/** The thank-you page; when the server is the site itself (`agora serve`, `agora dev`), its link stays on this origin. */
function thanks(response: http.ServerResponse, site: SiteIndex, slug: string, sameOrigin: boolean): void {
  const post = site.posts.get(slug);
  const absolute = post ? `${post.url}#commentaires` : site.baseUrl;
  const back = sameOrigin ? absolute.slice(new URL(absolute).origin.length) : absolute;
  const what = site.moderation
    ? 'Votre commentaire a bien été reçu. Il sera publié après modération.'
    : 'Votre commentaire a bien été reçu. Il sera publié à la prochaine mise à jour du site.';
  sendHtml(response, 200, 'Merci pour votre commentaire', `<p>${what}</p>
<p><a href="${escapeHtml(back)}">${post ? `Revenir à l'essai « ${escapeHtml(post.title)} »` : 'Revenir au site'}</a></p>`);
}

