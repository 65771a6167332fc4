import type http from 'node:http';
import { escapeHtml } from '../render/escape.js';

/** A request the comment server answers with an error status and a French sentence. */
export class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Headers of every page the comment server writes itself: nothing to sniff, frame, cache or leak. */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  // Not no-referrer: browsers then send `Origin: null` with forms, and the origin check could not tell.
  'Referrer-Policy': 'same-origin',
};


/** A small French page of the server's own (thanks, errors, moderation); `body` is HTML. */
export function sendHtml(response: http.ServerResponse, status: number, title: string, body: string, headers: Record<string, string> = {}): void {
  const html = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:Georgia,serif;max-width:40rem;margin:3rem auto;padding:0 1.25rem;line-height:1.6}
.pending{border-top:1px solid #999;padding:.5rem 0}button{font:inherit;margin-right:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.actions form{display:inline}
.comment-text{background:#f4f4f4;padding:.25rem .75rem}.message{border-left:4px solid #333;padding-left:.75rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...SECURITY_HEADERS, ...headers });
  response.end(html);
}

/** A JSON answer. */
export function sendJson(response: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(data);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...SECURITY_HEADERS, ...headers });
  response.end(json);
}

/** A redirect after a form's post (303: the browser follows with GET). */
export function redirectAfterPost(response: http.ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(303, { Location: location, 'Content-Length': '0', ...SECURITY_HEADERS, ...headers });
  response.end();
}

/** The media type of a request body, lower case, without parameters. */
export function mediaType(request: http.IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads a request body up to `maxBody` bytes; over that, the refusal given. */
export async function readBody(request: http.IncomingMessage, maxBody: number, tooLarge: Refusal): Promise<string> {
  if (Number(request.headers['content-length'] ?? 0) > maxBody) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw tooLarge;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * True when a browser says the request comes from the site itself: its `Origin` (or, without
 * one, its `Referer`) is the origin of `baseUrl`, or the origin the request was sent to (the
 * `Host` it names: `agora serve` previewing a production site on 127.0.0.1). `Origin: null`
 * (sandboxed frames, local files) is foreign. A request with neither header is `undefined`.
 */
export function sameSite(request: http.IncomingMessage, baseUrl: string): boolean | undefined {
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return undefined;
  if (claimed === 'null') return false;
  try {
    const origin = new URL(claimed);
    if (origin.origin === new URL(baseUrl).origin) return true;
    const host = request.headers.host;
    return host !== undefined && (origin.protocol === 'http:' || origin.protocol === 'https:') && origin.host === host;
  } catch {
    return false;
  }
}
