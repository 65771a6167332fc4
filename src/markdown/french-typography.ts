import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';

/** True for a French site (`fr`, `fr-CA`…): its text gets French typography. */
export function isFrenchLanguage(language: string): boolean {
  return language === 'fr' || language.startsWith('fr-');
}

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

/** Open quotations across the text runs of one block: « » first, then “ ” inside them. */
export interface QuoteState {
  depth: number;
}

/**
 * Turns straight quotes into French ones, as the Imprimerie nationale's *Lexique* has them:
 * `"…"` → « … », and “ ” for a quotation inside another; `'` → ’. A `"` after a space, an
 * opening bracket or the start of the run opens a quotation, any other closes one.
 */
function curlQuotes(text: string, previous: string, quotes: QuoteState): string {
  if (!/["«»]/.test(text)) return text.replace(/'/g, '’');
  let result = '';
  for (let i = 0; i < text.length; i++) {
    let c = text[i]!;
    if (c === '«') quotes.depth += 1;
    else if (c === '»') quotes.depth = Math.max(0, quotes.depth - 1);
    else if (c === "'") c = '’';
    else if (c === '"') {
      const before = i > 0 ? text[i - 1]! : previous;
      if (before === '' || /[\s(\[{«“—–/-]/.test(before)) {
        c = quotes.depth === 0 ? '«' : '“';
        quotes.depth += 1;
      } else {
        quotes.depth = Math.max(0, quotes.depth - 1);
        c = quotes.depth === 0 ? '»' : '”';
      }
    }
    result += c;
  }
  return result;
}

/** English typography for a passage in English (`:::en`): curly “ ” and ‘ ’, ’ for apostrophes, …, no added spaces. */
export function typesetEnglish(text: string, previous = '', quotes: QuoteState = { depth: 0 }): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    let c = text[i]!;
    const before = i > 0 ? text[i - 1]! : previous;
    const opening = before === '' || /[\s(\[{“‘—–/-]/.test(before);
    if (c === '"') {
      c = opening ? (quotes.depth % 2 === 0 ? '“' : '‘') : (quotes.depth % 2 === 1 ? '”' : '’');
      quotes.depth = opening ? quotes.depth + 1 : Math.max(0, quotes.depth - 1);
    } else if (c === "'") c = opening ? '‘' : '’';
    result += c;
  }
  return result.replace(/\.\.\./g, '…');
}

/**
 * Applies French typography to one run of text: French quotes and apostrophes, `...` → …,
 * U+202F before `; ! ?` and inside « », U+00A0 before `:`, single spaces. `previous` is the
 * character just before `text`, `quotes` the quotations left open by the runs before it.
 */
export function typesetFrench(text: string, previous = '', quotes: QuoteState = { depth: 0 }): string {
  const attach = (space: string) => (match: string, punctuation: string, offset: number, whole: string) => {
    const before = offset > 0 ? whole[offset - 1]! : previous;
    if (before === '' || /[\s«“(\[;!?:]/.test(before)) return match;
    return space + punctuation;
  };
  return curlQuotes(text, previous, quotes)
    .replace(/\.\.\./g, '…')
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
    walk(tree, { previous: '', quotes: { depth: 0 } }, false);
  };
};

/** Ordinals and centuries: 1er, 1re, 2e, 3es, XIXe, Ier — the letters go up (`<sup>`). */
const ORDINAL = /\b(\d+|[IVXLCDM]{2,}|I)(ers?|res?|es?)(?![\p{L}\p{N}])/gu;

/** Splits a French text node so that the letters of its ordinals become superscripts. */
const HAS_ORDINAL = new RegExp(ORDINAL.source, 'u');

/** The ordinals of a text: where each starts, its number and its letters. */
function findOrdinals(text: string): { index: number; number: string; letters: string }[] {
  const found = [];
  for (const match of text.matchAll(ORDINAL)) {
    const [, number, letters] = match as unknown as [string, string, string];
    // « Ier » and roman numerals only as ordinals: I alone takes « er » (François Ier).
    if (number === 'I' && letters !== 'er') continue;
    if (match.index! > 0 && /[\p{L}\p{N}]/u.test(text[match.index! - 1]!)) continue;
    found.push({ index: match.index!, number, letters });
  }
  return found;
}

/** Raises the ordinals of an HTML-escaped text: « XIXe siècle » → « XIX<sup>e</sup> siècle » (titles and names in templates). */
export function raiseOrdinals(html: string): string {
  let result = '';
  let last = 0;
  for (const { index, number, letters } of findOrdinals(html)) {
    result += `${html.slice(last, index + number.length)}<sup>${letters}</sup>`;
    last = index + number.length + letters.length;
  }
  return result + html.slice(last);
}

/** Splits a French text node so that the letters of its ordinals become superscripts. */
function superscriptOrdinals(node: Extract<Nodes, { type: 'text' }>): Nodes[] {
  const found = findOrdinals(node.value);
  if (!found.length) return [node];
  const parts: Nodes[] = [];
  let last = 0;
  for (const { index, number, letters } of found) {
    parts.push({ type: 'text', value: node.value.slice(last, index + number.length) });
    parts.push({ type: 'text', value: letters, data: { hName: 'sup' } } as Nodes);
    last = index + number.length + letters.length;
  }
  parts.push({ type: 'text', value: node.value.slice(last) });
  return parts.filter((part) => part.type !== 'text' || part.value !== '' || part.data);
}

function walk(node: Nodes, context: { previous: string; quotes: QuoteState }, foreign: string | false): void {
  if (VERBATIM.has(node.type)) {
    if ('value' in node && node.value) context.previous = node.value.slice(-1);
    return;
  }
  const lang = (node.data as { hProperties?: { lang?: unknown } } | undefined)?.hProperties?.lang;
  const isForeign: string | false = foreign || (typeof lang === 'string' && lang !== 'fr' ? lang : false);
  const isAutolink = node.type === 'link' && toString(node) === node.url.replace(/^mailto:/, '');
  if (node.type === 'text') {
    if (!isForeign) node.value = typesetFrench(node.value, context.previous, context.quotes);
    else if (isForeign.startsWith('en')) node.value = typesetEnglish(node.value, context.previous, context.quotes);
    if (node.value) context.previous = node.value.slice(-1);
    return;
  }
  if (!('children' in node)) return;
  if (!PHRASING.has(node.type)) {
    context.previous = '';
    context.quotes = { depth: 0 };
  }
  // An autolink's text is its address: left exactly as written.
  for (const child of node.children as Nodes[]) walk(child, context, isAutolink ? 'url' : isForeign);
  if (isForeign || isAutolink) return;
  // Ordinals once the text is typeset: each French text child may split into text and <sup>.
  const children = node.children as Nodes[];
  if (children.some((child) => child.type === 'text' && HAS_ORDINAL.test(child.value))) {
    (node as { children: Nodes[] }).children = children.flatMap((child) => (child.type === 'text' ? superscriptOrdinals(child) : [child]));
  }
}
