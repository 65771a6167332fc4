import http from 'node:http';
import path from 'node:path';
import { commentDate, newCommentId } from './comment-file.js';
import { createRateLimiter } from './rate-limit.js';
import { cachedSiteIndex, type SiteIndex } from './site-index.js';
import { temporaryFolder, writeFileDurably, type StoreIo } from './store.js';
import { checkSubmission } from './submission.js';

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
  /** Where request log lines go (default: standard output). */
  log?: (line: string) => void;
  now?: () => Date;
  io?: StoreIo;
  index?: () => Promise<SiteIndex>;
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
}

/** The path forms post to, and the page that thanks the reader. */
export const INTAKE_PATH = '/commentaires';
const THANKS_PATH = '/commentaires/merci';

class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Creates the comment server: parse form → validate → store safely → redirect. */
export function createIntakeServer(options: IntakeOptions): IntakeServer {
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'));
  const index = options.index ?? cachedSiteIndex(options.root, undefined, log);
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
    const job = handle(request, response)
      .catch((error: unknown) => {
        const refusal = error instanceof Refusal ? error : new Refusal(500, "Erreur interne du serveur de commentaires : réessayez plus tard.");
        if (!(error instanceof Refusal)) process.stderr.write(`Erreur interne : ${(error as Error).message}\n`);
        if (!response.headersSent) answerError(request, response, refusal, null);
      })
      .finally(() => {
        const essay = (response as { agoraEssay?: string }).agoraEssay ?? '-';
        log(`${response.statusCode} ${request.method} ${new URL(request.url ?? '/', 'http://x').pathname} essai=${essay} ${Math.round(performance.now() - started)}ms`);
        inFlight.delete(job);
      });
    inFlight.add(job);
  });
  server.keepAliveTimeout = 5_000;
  // Connections that have not yet sent a request: Node counts them as idle, and
  // closeIdleConnections() would reset them before their request is read.
  const waiting = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    lastConnection = performance.now();
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
  });
  server.on('request', (request) => waiting.delete(request.socket));

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (draining) {
      // Read the request to its end first: closing a socket with unread data makes the kernel
      // reset it, and the client would never see the 503 (seen under load: 35 of 150 resets).
      let size = 0;
      for await (const chunk of request) if ((size += (chunk as Buffer).length) > maxBody) break;
      throw new Refusal(503, "Le serveur de commentaires redémarre : renvoyez le formulaire dans quelques secondes.", { 'Retry-After': '5', Connection: 'close' });
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (options.otherwise && url.pathname !== intakePath && url.pathname !== thanksPath) return options.otherwise(request, response);
    if (request.method === 'GET' && url.pathname === thanksPath) {
      return thanks(response, await index(), url.searchParams.get('essai') ?? '');
    }
    if (url.pathname !== intakePath) throw new Refusal(404, "Cette adresse n'existe pas sur le serveur de commentaires.");
    if (request.method !== 'POST') throw new Refusal(405, 'Envoyez les commentaires avec le formulaire (méthode POST).', { Allow: 'POST' });

    const wait = limiter.hit(request.socket.remoteAddress ?? '?', Date.now());
    if (wait) throw new Refusal(429, `Trop de commentaires envoyés d'ici en peu de temps : réessayez dans ${wait} secondes.`, { 'Retry-After': String(wait) });
    const site = await index();
    checkOrigin(request, site);
    const fields = await readFields(request, maxBody);

    const date = now();
    const id = newCommentId(date);
    const verdict = checkSubmission(fields, site, id, commentDate(date));
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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Every connection accepted gets its answer: wait (a little) for the requests still on their way.
      const deadline = performance.now() + headersTimeout;
      while (waiting.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      await closed;
      clearInterval(sweep);
    },
  };
}

/** On shutdown, the server keeps answering 503 until no connection has arrived for this long, at most DRAIN_MAX_MS. */
const DRAIN_QUIET_MS = 200;
const DRAIN_MAX_MS = 5_000;

function isJson(request: http.IncomingMessage): boolean {
  return mediaType(request) === 'application/json';
}

function mediaType(request: http.IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Refuses a post that a browser says comes from another site: a foreign `Origin`, an opaque
 * `Origin: null` (sandboxed frames, local files), or, without `Origin`, a foreign `Referer`.
 * A client that sends neither (curl, a privacy proxy) is let through to the other checks.
 */
function checkOrigin(request: http.IncomingMessage, site: SiteIndex): void {
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return;
  let allowed = false;
  try {
    allowed = claimed !== 'null' && new URL(claimed).origin === new URL(site.baseUrl).origin;
  } catch {
    allowed = false;
  }
  if (!allowed) throw new Refusal(403, "Ce formulaire n'a pas été envoyé depuis le site : le commentaire est refusé.");
}

/** Reads and decodes the body, within the size limit. */
async function readFields(request: http.IncomingMessage, maxBody: number): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') {
    throw new Refusal(415, 'Le commentaire doit être envoyé par le formulaire (application/x-www-form-urlencoded) ou en JSON.');
  }
  const tooLarge = new Refusal(413, `Le commentaire est trop long : au plus ${Math.floor(maxBody / 1024)} Kio en tout.`, { Connection: 'close' });
  if (Number(request.headers['content-length'] ?? 0) > maxBody) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw tooLarge;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
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

function thanks(response: http.ServerResponse, site: SiteIndex, slug: string): void {
  const post = site.posts.get(slug);
  const back = post ? `${post.url}#commentaires` : site.baseUrl;
  const what = site.moderation
    ? 'Votre commentaire a bien été reçu. Il sera publié après modération.'
    : 'Votre commentaire a bien été reçu. Il sera publié à la prochaine mise à jour du site.';
  sendHtml(response, 200, 'Merci pour votre commentaire', `<p>${what}</p>
<p><a href="${escapeHtml(back)}">${post ? `Revenir à l'essai « ${escapeHtml(post.title)} »` : 'Revenir au site'}</a></p>`);
}

function sendHtml(response: http.ServerResponse, status: number, title: string, body: string, headers: Record<string, string> = {}): void {
  const html = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:Georgia,serif;max-width:36rem;margin:3rem auto;padding:0 1.25rem;line-height:1.6}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...securityHeaders, ...headers });
  response.end(html);
}

function sendJson(response: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(data);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...securityHeaders, ...headers });
  response.end(json);
}

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

