import { createHash, hash } from 'node:crypto';
import { HtmlText } from '../markdown/html-text.js';

/**
 * Keys of plain, acyclic data (objects, arrays, strings, numbers, booleans, null,
 * undefined, and bodies' HTML, by their key), memoized by object: an essay shown by fifty pages
 * is serialized and hashed once. Two values with the same key hold the same data, so a page's key stands for
 * everything its template can read. The values must not change while the keyer is in
 * use (one per build). A cycle, a Map, a class instance or a function is a programming error:
 * it throws rather than give a key that would miss part of the data.
 *
 * Each object is written by hand, not by JSON.stringify with a replacer: a build keys some
 * 28 000 objects (1000 essays), and the replacer's call per value made keying take ~200 ms of
 * a one-change build. Strings and keys are quoted (JSON.stringify), everything else is written
 * unquoted with a letter of its own, so no string can pass for another value.
 */
export function createDataKeyer(): (value: unknown) => string {
  const memo = new Map<object, string>();
  const open = new Set<object>();
  const ofObject = (object: object): string => {
    const known = memo.get(object);
    if (known !== undefined) return known;
    if (open.has(object)) throw new Error('Empreinte impossible : les données d\'une page forment un cycle.');
    open.add(object);
    let text = '{';
    for (const [name, value] of Object.entries(object)) text += `${JSON.stringify(name)}:${write(value)},`;
    open.delete(object);
    const key = sha1(text);
    memo.set(object, key);
    return key;
  };
  const write = (value: unknown): string => {
    switch (typeof value) {
      case 'string': return JSON.stringify(value);
      case 'number': return `n${value}`;
      case 'boolean': return value ? 't' : 'f';
      case 'undefined': return 'u';
      case 'object': break;
      default: throw new Error(`Empreinte impossible : une valeur de type ${typeof value} dans les données d'une page.`);
    }
    if (value === null) return 'z';
    // A body's HTML stands by its key, which says what the text is without reading it (see HtmlText).
    if (value instanceof HtmlText) return `h${JSON.stringify(value.key)}`;
    if (Array.isArray(value)) {
      if (open.has(value)) throw new Error('Empreinte impossible : les données d\'une page forment un cycle.');
      open.add(value);
      const text = `[${value.map(write).join(',')}]`;
      open.delete(value);
      return text;
    }
    // What JSON would write of it (a Date, its ISO text), as JSON.stringify did before.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON());
    if (!isPlainObject(value)) {
      throw new Error(`Empreinte impossible : un objet ${(value as object).constructor?.name ?? ''} dans les données d'une page.`);
    }
    return `o${ofObject(value)}`;
  };
  // Anything but a plain object is keyed inside a wrapper of its own.
  return (value) => (isPlainObject(value) ? ofObject(value) : ofObject({ value }));
}

/** SHA-1 in base64url; crypto.hash (Node ≥ 20.12) spares a Hash object per call. */
const sha1: (text: string) => string = typeof hash === 'function'
  ? (text) => hash('sha1', text, 'base64url')
  : (text) => createHash('sha1').update(text).digest('base64url');

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
