/**
 * Decodes and checks the path of a request. Returns null (→ 404) for anything that could reach
 * outside the site: `..` segments (even encoded), backslashes, NUL bytes, bad encodings.
 */
export function safeRequestPath(rawUrl: string): string | null {
  const raw = rawUrl.split(/[?#]/)[0] ?? '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded) || /%2e|%2f|%5c/i.test(decoded)) return null;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  return decoded.replace(/\/{2,}/g, '/');
}

/**
 * The site-relative path of a request under the base path (`/carnets/essais/x/` → `/essais/x/`),
 * `'base'` for the root or the base path without its slash (to be redirected to the base), or
 * null for a path outside the site.
 */
export function stripBasePath(url: string, base: string): string | 'base' | null {
  if (base === '/') return url;
  if (url === '/' || `${url}/` === base) return 'base';
  return url.startsWith(base) ? url.slice(base.length - 1) : null;
}

/**
 * A decoded site path made fit for a `Location` header: each segment percent-encoded, so that
 * `/carnets/cœur` is `/carnets/c%C5%93ur` (issue 21: sent raw, Node refused the header with a
 * 500, or sent Latin-1 bytes that Chromium turned into a 404).
 */
export function encodePath(decoded: string): string {
  return decoded.split('/').map(encodeURIComponent).join('/');
}
