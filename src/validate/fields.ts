import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ContentDate } from '../records.js';
import type { FrontMatter } from './front-matter.js';

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

/** True for an absolute http(s) URL. */
/**
 * True for what a picture may be: a path of the site (`/images/x.jpg`, never `//host/…`) or an
 * http(s) URL. `javascript:` and every other scheme are refused: a cover's `src` reaches
 * `<img src>`, `og:image`, JSON-LD and feed.json (issue 21).
 */
export function isImageAddress(value: string): boolean {
  if (/[\u0000-\u0020\u007F\\]/.test(value)) return false;
  return (value.startsWith('/') && !value.startsWith('//')) || isHttpUrl(value);
}

/** What an invalid picture address is told, and how to fix it. */
export const imageMessage = (key: string, value: string) => `« ${key} » doit être un chemin du site (/images/photo.jpg) ou une adresse http(s) (reçu : ${value}).`;
export const IMAGE_HINT = 'Placez l\'image dans public/ et écrivez son chemin depuis la racine, par exemple /images/photo.jpg.';

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads typed fields from front matter, collecting diagnostics instead of throwing.
 * `kind` prefixes the diagnostic codes (`post/missing-title`).
 */
export class FieldReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly frontMatter: FrontMatter,
    readonly kind: string,
    readonly knownFields: readonly string[],
  ) {}

  get file(): string {
    return this.frontMatter.file;
  }

  /** True when the key is present with a non-null value. */
  has(key: string): boolean {
    const value = this.frontMatter.data[key];
    return value !== undefined && value !== null;
  }

  error(key: string, code: string, message: string, hint?: string): void {
    this.diagnostics.push(contentError(this.file, this.frontMatter.positionOf(key), `${this.kind}/${code}`, message, hint));
  }

  warn(key: string, code: string, message: string, hint?: string): void {
    this.diagnostics.push(contentWarning(this.file, this.frontMatter.positionOf(key), `${this.kind}/${code}`, message, hint));
  }

  /** Warns about fields this kind of file does not know (usually a typo). */
  checkUnknownFields(): void {
    for (const key of Object.keys(this.frontMatter.data)) {
      if (!this.knownFields.includes(key)) {
        this.warn(key, 'unknown-field', `Champ inconnu « ${key} » : il est ignoré.`,
          `Champs possibles : ${this.knownFields.join(', ')}.`);
      }
    }
  }

  /**
   * Old addresses (`aliases`): site paths, each given a page that redirects to the new one.
   * A full URL is cut to its path (an export gives them so); a query, a fragment, `..` or a
   * path with characters a file name cannot hold is an error.
   */
  aliases(): string[] {
    const paths: string[] = [];
    for (const alias of this.stringList('aliases', { example: '/2011/07/04/mon-billet/' })) {
      let pathname = alias;
      if (/^https?:\/\//i.test(alias)) {
        try {
          const url = new URL(alias);
          pathname = url.search || url.hash ? '' : url.pathname;
        } catch {
          pathname = '';
        }
      }
      let decoded = '';
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        decoded = '';
      }
      const segments = decoded.split('/').filter(Boolean);
      if (!decoded.startsWith('/') || !segments.length || /[?#\\\u0000-\u001f]/.test(decoded) || segments.some((segment) => segment === '.' || segment === '..')) {
        this.error('aliases', 'bad-alias', `« aliases » : « ${alias} » n'est pas un chemin du site (il doit commencer par /, sans ?, # ni ..).`,
          'Par exemple : aliases: [/2011/07/04/mon-billet/]');
        continue;
      }
      // A path without an extension is a folder: its page is written as index.html.
      const last = segments[segments.length - 1]!;
      paths.push(`/${segments.join('/')}${/\.[a-z0-9]+$/i.test(last) ? '' : '/'}`);
    }
    return [...new Set(paths)];
  }

  /** A required or optional string; numbers are accepted and converted. */
  string(key: string, options: { required: true; example?: string }): string | null;
  string(key: string, options?: { required?: false; example?: string }): string | null;
  string(key: string, { required = false, example = '' } = {}): string | null {
    const value = this.frontMatter.data[key];
    if (value === undefined || value === null || value === '') {
      if (required) {
        this.diagnostics.push(contentError(this.file, { line: 1, column: 1 }, `${this.kind}/missing-${key}`,
          `Le champ « ${key} » est obligatoire.`,
          `Ajoutez dans l'en-tête une ligne « ${key}: ${example || '…'} ».`));
      }
      return null;
    }
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') {
      this.error(key, `bad-${key}`, `« ${key} » doit être un texte.`,
        `Écrivez une seule valeur, par exemple « ${key}: ${example || '…'} ».`);
      return null;
    }
    return value.trim();
  }

  /** A list of strings; a single string is accepted as a one-item list. */
  stringList(key: string, { required = false, example = '' } = {}): string[] {
    const value = this.frontMatter.data[key];
    if (value === undefined || value === null) {
      if (required) {
        this.diagnostics.push(contentError(this.file, { line: 1, column: 1 }, `${this.kind}/missing-${key}`,
          `Le champ « ${key} » est obligatoire.`, `Ajoutez dans l'en-tête une ligne « ${key}: ${example || '…'} ».`));
      }
      return [];
    }
    const items = Array.isArray(value) ? value : [value];
    const strings = items.filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
      .map((item) => String(item).trim())
      .filter((item) => item !== '');
    if (strings.length !== items.length) {
      this.error(key, `bad-${key}`, `« ${key} » doit être une liste de textes.`,
        `Par exemple : ${key}: [${example || 'Premier, Second'}]`);
    }
    if (required && strings.length === 0) {
      this.error(key, `missing-${key}`, `« ${key} » ne peut pas être vide.`, `Par exemple : ${key}: ${example || '…'}`);
    }
    return [...new Set(strings)];
  }

  /** A date `AAAA-MM-JJ` (or a date-time with offset when `requireTime`). */
  date(key: string, { required = false, requireTime = false } = {}): ContentDate | null {
    const value = this.frontMatter.data[key];
    const format = requireTime ? 'AAAA-MM-JJTHH:MM:SS+01:00' : 'AAAA-MM-JJ';
    if (value === undefined || value === null || value === '') {
      if (required) {
        this.diagnostics.push(contentError(this.file, { line: 1, column: 1 }, `${this.kind}/missing-${key}`,
          `Le champ « ${key} » est obligatoire.`, `Ajoutez dans l'en-tête une ligne « ${key}: ${format} ».`));
      }
      return null;
    }
    const parsed = typeof value === 'string' ? parseContentDate(value, { requireTime }) : null;
    if (!parsed) {
      this.error(key, `bad-${key}`, `« ${key} » doit être une date réelle au format ${format} (reçu : ${JSON.stringify(value)}).`,
        requireTime ? 'Exemple : 2013-01-25T14:05:00+01:00 (date, heure et décalage horaire).' : 'Exemple : 2008-09-24 pour le 24 septembre 2008.');
    }
    return parsed;
  }

  /** A boolean with a default. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.frontMatter.data[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.error(key, `bad-${key}`, `« ${key} » doit valoir true ou false.`, `Par exemple : ${key}: ${String(!fallback)}`);
      return fallback;
    }
    return value;
  }

  /** An optional http(s) URL. */
  url(key: string): string | null {
    const value = this.string(key);
    if (value === null) return null;
    if (!isHttpUrl(value)) {
      this.error(key, `bad-${key}`, `« ${key} » doit être une adresse http(s) complète (reçu : ${value}).`,
        'Exemple : https://exemple.org/');
      return null;
    }
    return value;
  }

  /** An optional picture: a path of the site (`/images/x.jpg`) or an http(s) URL, nothing else. */
  image(key: string): string | null {
    const value = this.string(key);
    if (value === null) return null;
    if (!isImageAddress(value)) {
      this.error(key, `bad-${key}`, imageMessage(key, value), IMAGE_HINT);
      return null;
    }
    return value;
  }

  /** An optional nested object; reports a diagnostic when the value is not a map. */
  object(key: string): Record<string, unknown> | null {
    const value = this.frontMatter.data[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.error(key, `bad-${key}`, `« ${key} » doit contenir des sous-champs.`,
        `Indentez-les sous « ${key}: », un par ligne.`);
      return null;
    }
    return value as Record<string, unknown>;
  }
}
