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
