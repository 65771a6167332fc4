import { createHash } from 'node:crypto';
import { HtmlText } from '../markdown/html-text.js';

/** Marks, inside the JSON text, an object replaced by its key, `undefined`, and a string that happens to start with the mark. */
const MARK = '\u0000';

/**
 * Keys of plain, acyclic data (objects, arrays, strings, numbers, booleans, null,
 * undefined, and bodies' HTML, by their key), memoized by object: an essay shown by fifty pages
 * is serialized and hashed once. Two values with the same key hold the same data, so a page's key stands for
 * everything its template can read. The values must not change while the keyer is in
 * use (one per build). A cycle, a Map, a class instance or a function is a programming error:
 * it throws rather than give a key that would miss part of the data.
 */
export function createDataKeyer(): (value: unknown) => string {
  const memo = new WeakMap<object, string>();
  const open = new Set<object>();
  const ofObject = (object: object): string => {
    const known = memo.get(object);
    if (known !== undefined) return known;
    if (open.has(object)) throw new Error('Empreinte impossible : les données d\'une page forment un cycle.');
    open.add(object);
    const text = JSON.stringify(object, function replacer(this: unknown, key: string, value: unknown) {
      if (key === '' && value === object) return value;
      return encode(value);
    });
    open.delete(object);
    const hash = createHash('sha1').update(text).digest('base64url');
    memo.set(object, hash);
    return hash;
  };
  const encode = (value: unknown): unknown => {
    if (value === undefined) return `${MARK}u`;
    if (typeof value === 'string') return value.startsWith(MARK) ? `${MARK}s${value}` : value;
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw new Error(`Empreinte impossible : une valeur de type ${typeof value} dans les données d'une page.`);
    }
    if (value === null || typeof value !== 'object') return value;
    // A body's HTML stands by its key, which says what the text is without reading it (see HtmlText).
    if (value instanceof HtmlText) return `${MARK}h${value.key}`;
    // Arrays are written in place (their objects are keyed one by one); JSON.stringify refuses a cyclic array itself.
    if (Array.isArray(value)) return value;
    if (!isPlainObject(value)) {
      throw new Error(`Empreinte impossible : un objet ${(value as object).constructor?.name ?? ''} dans les données d'une page.`);
    }
    return `${MARK}o${ofObject(value)}`;
  };
  // Anything but a plain object is keyed inside a wrapper of its own.
  return (value) => (isPlainObject(value) ? ofObject(value) : ofObject({ value }));
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
