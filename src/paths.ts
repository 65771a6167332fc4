import path from 'node:path';

/**
 * True when `inner` lies strictly inside `outer` (both absolute). The one containment test of
 * Agora: a `startsWith` test lets `/site-evil` pass for `/site` (issue 11).
 */
export function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
