import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFolder } from '../../src/serve/static-files.js';

/** A raw GET, the path sent exactly as written (fetch would normalise `..`). */
function get(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: rawPath, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    }).on('error', reject);
  });
}

describe('redirects never lead off the site (issue 21)', () => {
  let dir: string;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'agora-static-'));
    for (const folder of ['essais', 'evil.test.invalid']) {
      await mkdir(path.join(dir, folder), { recursive: true });
      await writeFile(path.join(dir, folder, 'index.html'), '<!doctype html><title>x</title>');
    }
    site = await serveFolder(dir, '/carnets/');
  });
  afterAll(async () => {
    await site.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    '//evil.test.invalid', '//evil.test.invalid/', '/\\evil.test.invalid', '/%2F%2Fevil.test.invalid', '/%5Cevil.test.invalid',
    '/carnets//evil.test.invalid', '/carnets/%2f%2fevil.test.invalid', '/carnets/%2F/evil.test.invalid', '/carnets/%09/evil.test.invalid',
    '/carnets/evil.test.invalid', '/carnets/.%2e/evil.test.invalid', '/carnets/%2e%2e%2fevil.test.invalid', '/carnets', '/carnets/essais',
  ])('%s', async (attempt) => {
    const answer = await get(site.url, attempt);
    const location = answer.headers.location;
    if (location !== undefined) {
      // Only ever a path of this site, never a host: not //x, not /\x, not a scheme.
      expect(location).toMatch(/^\/carnets\/(?![/\\])/);
      expect(new URL(location, 'http://origine.test.invalid').host).toBe('origine.test.invalid');
    }
  });
});

describe('folders with names that are not ASCII (issue 21)', () => {
  let dir: string;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'agora-static-'));
    for (const folder of ['cœur', 'été', 'a b']) {
      await mkdir(path.join(dir, folder), { recursive: true });
      await writeFile(path.join(dir, folder, 'index.html'), `<!doctype html><title>${folder}</title>`);
    }
    site = await serveFolder(dir, '/carnets/');
  });
  afterAll(async () => {
    await site.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['cœur', 'été', 'a b'])('redirects the folder %s to its final slash with a percent-encoded Location, which leads to the page', async (folder) => {
    const encoded = encodeURIComponent(folder);
    const answer = await get(site.url, `/carnets/${encoded}`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`/carnets/${encoded}/`);
    const page = await get(site.url, answer.headers.location!);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<title>${folder}</title>`);
  });
});

describe('the static file server', () => {
  let dir: string;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'agora-static-'));
    const dist = path.join(dir, 'dist');
    await mkdir(path.join(dist, 'essais/un'), { recursive: true });
    await mkdir(path.join(dist, 'pagefind/fragment'), { recursive: true });
    await mkdir(path.join(dir, 'dist-evil'));
    await writeFile(path.join(dir, 'dist-evil/secret.txt'), 'SECRET');
    await writeFile(path.join(dir, 'secret.txt'), 'SECRET');
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Une</title>');
    await writeFile(path.join(dist, '404.html'), '<!doctype html><title>Introuvable</title>');
    await writeFile(path.join(dist, 'essais/un/index.html'), '<!doctype html><title>Un</title>');
    await writeFile(path.join(dist, 'style.css'), 'body{}');
    await writeFile(path.join(dist, 'pagefind/fragment/fr_1a2b3c4.pf_fragment'), 'x');
    await symlink(path.join(dir, 'secret.txt'), path.join(dist, 'lien.txt'));
    site = await serveFolder(dist, '/carnets/');
  });
  afterAll(async () => {
    await site.close();
    await rm(dir, { recursive: true, force: true });
  });

  const TRAVERSALS = [
    '/carnets/..%2Fdist-evil%2Fsecret.txt', '/carnets/../dist-evil/secret.txt', '/carnets/%2e%2e/dist-evil/secret.txt',
    '/carnets/%252e%252e/dist-evil/secret.txt', '/carnets/..%5cdist-evil%5csecret.txt', '/carnets/..\\dist-evil\\secret.txt',
    '/carnets/%2e%2e%2f%2e%2e%2fsecret.txt', '/carnets/....//secret.txt', '/carnets/%00/../secret.txt', '/carnets/%c0%ae%c0%ae/secret.txt',
    '//carnets/../secret.txt', '/../secret.txt', '/carnets/lien.txt', '/carnets/./../secret.txt', '/carnets/%2E%2E/secret.txt',
  ];
  for (const attempt of TRAVERSALS) {
    it(`serves nothing outside the folder for ${attempt}`, async () => {
      const response = await get(site.url, attempt);
      expect(response.body).not.toContain('SECRET');
      expect([301, 404]).toContain(response.status);
    });
  }

  it('serves the site under its base path, with types, folders and its own 404 page', async () => {
    expect((await get(site.url, '/')).headers.location).toBe('/carnets/');
    expect((await get(site.url, '/carnets')).headers.location).toBe('/carnets/');
    const home = await get(site.url, '/carnets/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await get(site.url, '/carnets/essais/un')).headers.location).toBe('/carnets/essais/un/');
    expect((await get(site.url, '/carnets/essais/un/')).body).toContain('<title>Un</title>');
    const css = await get(site.url, '/carnets/style.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('no-cache');
    expect((await get(site.url, '/carnets/style.css', { 'If-None-Match': css.headers.etag! })).status).toBe(304);
    expect((await get(site.url, '/carnets/pagefind/fragment/fr_1a2b3c4.pf_fragment')).headers['cache-control']).toContain('immutable');
    const missing = await get(site.url, '/carnets/nulle-part/');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Introuvable');
    expect((await get(site.url, '/style.css')).status).toBe(404);
  });
});
