import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentType } from 'mime-types';
import { isInside } from '../load/paths.js';
import { encodePath, safeRequestPath, stripBasePath } from './request-path.js';

/** What a static folder is served with. */
export interface StaticOptions {
  /** The built site. */
  root: string;
  /** The site's base path (`/` or `/carnets/`): pages are served under it, `/` redirects to it. */
  basePath?: string;
}

/** What happened to a request: answered, or not a file of the site (the caller may answer it). */
export type StaticOutcome = 'served' | 'missing';

/**
 * The one static file server of Agora (`agora check`, the audit, the dev server's public files,
 * tests). A request path is decoded and checked once (`safeRequestPath`), then the file's real
 * path, links resolved, must lie inside the root (`isInside`, never `startsWith`: issue 11 found
 * `/..%2Fdist-evil/secret.txt` served from a sibling folder). Folders are served by their
 * `index.html`, a folder without its final `/` is redirected, types come from `mime-types`,
 * names with a content hash are cached for a year and the rest revalidated by ETag.
 */
export function createStaticHandler(options: StaticOptions) {
  const base = options.basePath ?? '/';
  const rootPromise = realpath(options.root).catch(() => path.resolve(options.root));

  return async function serveStatic(request: http.IncomingMessage, response: http.ServerResponse): Promise<StaticOutcome> {
    const root = await rootPromise;
    const url = safeRequestPath(request.url ?? '/');
    const inner = url === null ? null : stripBasePath(url, base);
    if (inner === null) return 'missing';
    if (inner === 'base') return redirect(response, base);
    const found = await findFile(root, inner.slice(1));
    if (found === null) return 'missing';
    if (found === 'folder') return redirect(response, encodePath(`${url}/`));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return 'served';
    }
    await sendFile(request, response, found, cacheControl(found));
    return 'served';
  };
}

/** The content type of a file name (with its charset for text), `application/octet-stream` when unknown. */
export function contentTypeOf(file: string): string {
  return contentType(path.extname(file)) || 'application/octet-stream';
}

/** Sends one file with its type, length and a weak ETag; answers 304 when the client has it. */
export async function sendFile(request: http.IncomingMessage, response: http.ServerResponse, file: string, cache = 'no-cache'): Promise<void> {
  const info = await stat(file);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = { 'Content-Type': contentTypeOf(file), 'Cache-Control': cache, ETag: etag, 'X-Content-Type-Options': 'nosniff' };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers).end();
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Length': info.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  // pipeline settles however the copy ends, a client gone halfway included: awaiting only the
  // file's `end` hung forever on an aborted download, and with it `agora serve`'s shutdown (issue 21).
  await pipeline(createReadStream(file), response).catch(() => response.destroy());
}

/** Answers 404 with the site's own 404.html when it has one. */
export async function sendNotFound(root: string, response: http.ServerResponse): Promise<void> {
  const page = await readFile(path.join(root, '404.html')).catch(() => Buffer.from('<!doctype html><html lang="fr"><title>Page introuvable</title><h1>Page introuvable</h1></html>'));
  response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': page.length });
  response.end(page);
}

/**
 * The real file for a path relative to the root: a file, `'folder'` for a folder reached
 * without its final slash, or null for anything missing or outside the root.
 */
async function findFile(root: string, relative: string): Promise<string | 'folder' | null> {
  let candidate = path.join(root, relative);
  if (candidate !== root && !isInside(root, candidate)) return null;
  try {
    if ((await stat(candidate)).isDirectory()) {
      if (relative !== '' && !relative.endsWith('/')) return 'folder';
      candidate = path.join(candidate, 'index.html');
    }
    return await containedFile(root, candidate);
  } catch {
    return null;
  }
}

/** The real path of a file, links resolved, when it is a plain file inside `root` (a real path); null otherwise. */
export async function containedFile(root: string, file: string): Promise<string | null> {
  try {
    const real = await realpath(file);
    return isInside(root, real) && (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Pagefind's fragments and indexes, and any name holding a long hex hash, never change: cache them for a year. */
function cacheControl(file: string): string {
  const hashed = /[._-][0-9a-f]{8,}\.[a-z0-9_]+$/i.test(path.basename(file)) || /[\\/]pagefind[\\/](fragment|index|filter)[\\/]/.test(file);
  return hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function redirect(response: http.ServerResponse, location: string): StaticOutcome {
  response.writeHead(301, { Location: location, 'Content-Length': '0' }).end();
  return 'served';
}

/** Serves a built folder on 127.0.0.1 (port 0) as a static host would, with 404.html for misses (check, audit, tests). */
export async function serveFolder(folder: string, basePath = '/'): Promise<{ url: string; close: () => Promise<void> }> {
  const serveStatic = createStaticHandler({ root: folder, basePath });
  const server = http.createServer((request, response) => {
    void serveStatic(request, response).then(async (outcome) => {
      if (outcome === 'missing') await sendNotFound(folder, response);
    }).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
