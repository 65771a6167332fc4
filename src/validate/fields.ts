import * as v from 'valibot';
import type { ContentDate } from '../records.js';
import { fault } from './read-fields.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `AAAA-MM-JJ` or an ISO date-time with offset; null when malformed or impossible. */
export function parseContentDate(value: string, { requireTime = false } = {}): ContentDate | null {
  const day = DAY.exec(value);
  if (day && !requireTime) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const time = Date.UTC(y, m - 1, d);
    if (!isRealDay(time, y, m, d)) return null;
    return { iso: value, time, hasTime: false };
  }
  const full = DATE_TIME.exec(value);
  if (!full) return null;
  const [y, m, d, h, min, s] = full.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  if (!isRealDay(Date.UTC(y!, m! - 1, d!), y!, m!, d!) || h! > 23 || min! > 59 || s! > 59) return null;
  const time = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(time)) return null;
  return { iso: value, time, hasTime: true };
}

function isRealDay(time: number, y: number, m: number, d: number): boolean {
  const date = new Date(time);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * True for what a picture may be: a path of the site (`/images/x.jpg`, never `//host/…`) or an
 * http(s) URL. `javascript:` and every other scheme are refused: a cover's `src` reaches
 * `<img src>`, `og:image`, JSON-LD and feed.json (issue 21).
 */
export function isImageAddress(value: string): boolean {
  if (/[\u0000-\u0020\u007F\\]/.test(value)) return false;
  return (value.startsWith('/') && !value.startsWith('//')) || isHttpUrl(value);
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/*
 * The schemas of the values front matter and site.yml hold, each with its French explanation.
 * `readFields` (read-fields.ts) runs them field by field; the kinds of files (post.ts,
 * comment.ts…) put them together. Texts are trimmed, and a number is taken as a text (YAML
 * reads `title: 1984` as a number).
 */

/** A text; a number is taken as one. */
export const text = v.pipe(
  v.union([v.string(), v.number()], fault(({ key, leaf, example }) => ({
    message: `« ${key} » doit être un texte.`, hint: `Écrivez une seule valeur, par exemple « ${leaf}: ${example} ».`,
  }))),
  v.transform((value) => String(value).trim()),
);

/** A text that may not be empty, inside a map (at the top, an empty field is a missing one). */
export const filledText = v.pipe(text, v.minLength(1, fault(({ key, leaf, example }) => ({
  message: `« ${key} » ne peut pas être vide.`, hint: `Par exemple : ${leaf}: ${example}`,
}))));

const LIST_ITEM = fault(({ key, leaf, example }) => ({
  message: `« ${key} » doit être une liste de textes.`, hint: `Par exemple : ${leaf}: [${example === '…' ? 'Premier, Second' : example}]`,
}));

/** A list of texts, without empty ones or repeats; a single text is a list of one. */
export const textList = v.pipe(
  v.unknown(),
  v.transform((value) => (Array.isArray(value) ? value : [value])),
  v.array(v.union([v.string(), v.number()], LIST_ITEM)),
  v.transform((items) => [...new Set(items.map((item) => String(item).trim()).filter((item) => item !== ''))]),
);

/** A list of texts with at least one. */
export const filledTextList = v.pipe(textList, v.minLength(1, fault(({ key, leaf, example }) => ({
  code: `missing-${leaf}`, message: `« ${key} » ne peut pas être vide.`, hint: `Par exemple : ${leaf}: ${example}`,
}))));

const DAY_FORMAT = 'AAAA-MM-JJ';
const DATE_TIME_FORMAT = 'AAAA-MM-JJTHH:MM:SS+01:00';
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const badDate = (key: string, input: unknown, withTime: boolean): { message: string; hint: string } => ({
  message: `« ${key} » doit être une date réelle au format ${withTime ? DATE_TIME_FORMAT : DAY_FORMAT} (reçu : ${JSON.stringify(input)}).`,
  hint: withTime ? 'Exemple : 2013-01-25T14:05:00+01:00 (date, heure et décalage horaire).' : 'Exemple : 2008-09-24 pour le 24 septembre 2008.',
});

const BAD_DAY = fault(({ key, input }) => badDate(key, input, false));

/** A day, `AAAA-MM-JJ`, that exists. */
export const day = v.pipe(
  v.string(BAD_DAY),
  v.check((value) => parseContentDate(value) !== null, BAD_DAY),
  v.transform((value) => parseContentDate(value)!),
);

const BAD_MOMENT = fault(({ key, input }) => badDate(key, input, !(typeof input === 'string' && DAY_ONLY.test(input))));
const parseMoment = (value: string) => parseContentDate(value, { requireTime: !DAY_ONLY.test(value) });

/**
 * A date-time with its offset (a comment's time); a plain day is accepted too, for comments
 * imported from pages that do not give the time.
 */
export const moment = v.pipe(
  v.string(BAD_MOMENT),
  v.check((value) => parseMoment(value) !== null, BAD_MOMENT),
  v.transform((value) => parseMoment(value)!),
);

/** true or false. */
export const flag = v.boolean(fault(({ key, leaf, example }) => ({
  message: `« ${key} » doit valoir true ou false.`, hint: `Par exemple : ${leaf}: ${example}`,
})));

/** An absolute http(s) address. */
export const httpUrl = v.pipe(text, v.check(isHttpUrl, fault(({ key, input }) => ({
  message: `« ${key} » doit être une adresse http(s) complète (reçu : ${String(input)}).`, hint: 'Exemple : https://exemple.org/',
}))));

/** A picture: a path of the site or an http(s) address (isImageAddress). */
export const image = v.pipe(text, v.check(isImageAddress, fault(({ key, input }) => ({
  message: `« ${key} » doit être un chemin du site (/images/photo.jpg) ou une adresse http(s) (reçu : ${String(input)}).`,
  hint: 'Placez l\'image dans public/ et écrivez son chemin depuis la racine, par exemple /images/photo.jpg.',
}))));

/**
 * Old addresses (`aliases`): site paths, each given a page that redirects to the new one. A
 * full URL is cut to its path (an export gives them so); a query, a fragment, `..` or a path
 * with characters a file name cannot hold is refused. A path without an extension is a folder,
 * whose page is `index.html`: it ends with `/`.
 */
export const aliases = v.pipe(
  textList,
  v.checkItems((alias) => aliasPath(alias) !== null, fault(({ input }) => ({
    code: 'bad-alias',
    message: `« aliases » : « ${String(input)} » n'est pas un chemin du site (il doit commencer par /, sans ?, # ni ..).`,
    hint: 'Par exemple : aliases: [/2011/07/04/mon-billet/]',
  }))),
  v.transform((items) => [...new Set(items.map((alias) => aliasPath(alias)!))]),
);

function aliasPath(alias: string): string | null {
  let pathname = alias;
  if (/^https?:\/\//i.test(alias)) {
    try {
      const url = new URL(alias);
      pathname = url.search || url.hash ? '' : url.pathname;
    } catch {
      return null;
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter(Boolean);
  if (!decoded.startsWith('/') || !segments.length || /[?#\\\u0000-\u001f]/.test(decoded) || segments.some((segment) => segment === '.' || segment === '..')) return null;
  const last = segments[segments.length - 1]!;
  return `/${segments.join('/')}${/\.[a-z0-9]+$/i.test(last) ? '' : '/'}`;
}
