import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { DevSite } from './dev-site.js';
import { decorateDevPage } from './overlay.js';
import { encodePath, safeRequestPath, stripBasePath } from '../serve/request-path.js';
import { containedFile, sendFile } from '../serve/static-files.js';

/** An open browser tab waiting to hear that its page changed. */
interface Listener {
  url: string;
  hash: string;
  response: http.ServerResponse;
}

/**
 * The dev server's pages: the site's own pages and public files only, plus live reload. The
 * comment server mounts it (`otherwise`), so that the forms post to the same origin.
 */
export function createDevHandler(site: DevSite, publicDir: string): { handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void>; notify(): void } {
  const listeners = new Set<Listener>();
  const publicRoot = realpath(publicDir).catch(() => path.resolve(publicDir));

  const render = (url: string): string | null => {
    const page = site.page(url);
    if (!page) return null;
    return page.type.startsWith('text/html') ? decorateDevPage(page.contents, url, site.diagnostics) : page.contents;
  };
  const hash = (text: string | null) => createHash('sha1').update(text ?? '').digest('hex');

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = safeRequestPath(request.url ?? '/');
    if (url === '/__agora/evenements') {
      const page = new URL(request.url ?? '/', 'http://x').searchParams.get('page') ?? '/';
      response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write(': connecté\n\n');
      const listener = { url: page, hash: hash(render(page)), response };
      listeners.add(listener);
      request.on('close', () => listeners.delete(listener));
      return;
    }
    const base = site.basePath();
    const inner = url === null ? null : stripBasePath(url, base);
    if (inner === null) return notFound(response);
    if (inner === 'base') {
      response.writeHead(302, { Location: base }).end();
      return;
    }
    const pageUrl = inner.endsWith('/index.html') ? inner.slice(0, -'index.html'.length) : inner;
    const html = render(pageUrl);
    if (html !== null) {
      const type = site.page(pageUrl)!.type;
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : html);
      return;
    }
    if (!inner.endsWith('/') && site.hasPage(`${inner}/`)) {
      response.writeHead(301, { Location: encodePath(`${url}/`) }).end();
      return;
    }
    const file = inner.slice(1);
    const listed = file ? site.publicFile(file) : undefined;
    // Checked again now, as agora serve does: the file may have been replaced by a link that
    // leads outside public/, or deleted, since the watcher last listed it (issue 21, issue 22).
    const real = listed ? await containedFile(await publicRoot, listed.source) : null;
    if (real) {
      await sendFile(request, response, real, 'no-store').catch(() => response.destroy());
      return;
    }
    // A version of a photo that a page shows, encoded when first asked for (then kept in the cache).
    const variant = file ? await site.imageVariantFile(file).catch(() => undefined) : undefined;
    if (variant) {
      await sendFile(request, response, variant, 'no-store').catch(() => response.destroy());
      return;
    }
    notFound(response);
  };

  function notFound(response: http.ServerResponse): void {
    const page = render('/404.html');
    response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(page ?? '<!doctype html><html lang="fr"><title>Page introuvable</title><h1>Page introuvable</h1></html>');
  }

  return {
    handle,
    /** After a rebuild: tells each open tab whose page changed to reload. */
    notify() {
      for (const listener of listeners) {
        const next = hash(render(listener.url));
        if (next !== listener.hash) {
          listener.hash = next;
          listener.response.write('event: reload\ndata: {}\n\n');
        }
      }
    },
  };
}
