import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';

const NARROW_NBSP = '\u202F';
const NBSP = '\u00A0';
const SPACES = '[ \\u00A0\\u202F]';

/** What may follow `; ! ? :` for it to be punctuation rather than part of a token (`a?b`, `10:42`). */
const AFTER_PUNCTUATION = '(?=$|[\\s»”"\'’)\\]….,<])';
const HIGH_PUNCTUATION = new RegExp(`${SPACES}*([;!?]+)${AFTER_PUNCTUATION}`, 'g');
const COLON = new RegExp(`${SPACES}*(:)${AFTER_PUNCTUATION}`, 'g');
const OPENING_GUILLEMET = new RegExp(`«${SPACES}*`, 'g');
const CLOSING_GUILLEMET = new RegExp(`${SPACES}*»`, 'g');

/** Phrasing content keeps the previous character across nodes; any other parent starts afresh. */
const PHRASING = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'textDirective']);
const VERBATIM = new Set(['code', 'inlineCode', 'html', 'yaml', 'math', 'inlineMath']);

/**
 * Applies French typography to one run of text: U+202F before `; ! ?` and inside « »,
 * U+00A0 before `:`, single spaces. `previous` is the character just before `text`.
 */
export function typesetFrench(text: string, previous = ''): string {
  const attach = (space: string) => (match: string, punctuation: string, offset: number, whole: string) => {
    const before = offset > 0 ? whole[offset - 1]! : previous;
    if (before === '' || /[\s«“(\[;!?:]/.test(before)) return match;
    return space + punctuation;
  };
  return text
    .replace(/ {2,}/g, ' ')
    .replace(OPENING_GUILLEMET, `«${NARROW_NBSP}`)
    .replace(CLOSING_GUILLEMET, `${NARROW_NBSP}»`)
    .replace(HIGH_PUNCTUATION, attach(NARROW_NBSP))
    .replace(COLON, attach(NBSP));
}

/**
 * A remark plugin that typesets French text. Code, raw HTML, link URLs, autolinks and
 * passages marked in another language (`:::en`) are left exactly as written.
 */
export const remarkFrenchTypography: Plugin<[], Root> = function () {
  return (tree) => {
    walk(tree, { previous: '' }, false);
  };
};

function walk(node: Nodes, context: { previous: string }, foreign: boolean): void {
  if (VERBATIM.has(node.type)) {
    if ('value' in node && node.value) context.previous = node.value.slice(-1);
    return;
  }
  const lang = (node.data as { hProperties?: { lang?: unknown } } | undefined)?.hProperties?.lang;
  const isForeign = foreign || (typeof lang === 'string' && lang !== 'fr');
  const isAutolink = node.type === 'link' && toString(node) === node.url.replace(/^mailto:/, '');
  if (node.type === 'text') {
    if (!isForeign) node.value = typesetFrench(node.value, context.previous);
    if (node.value) context.previous = node.value.slice(-1);
    return;
  }
  if (!('children' in node)) return;
  if (!PHRASING.has(node.type)) context.previous = '';
  for (const child of node.children as Nodes[]) walk(child, context, isForeign || isAutolink);
}
