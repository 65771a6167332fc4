import { contentError, type Diagnostic } from './diagnostics/diagnostic.js';
import { READ_CEILING_BYTES } from './load/read-sources.js';
import type { CardSettings, ContentLimits, ImageSettings, ModernImageFormat, SiteConfig, SourceFile } from './records.js';
import { FieldReader } from './validate/fields.js';
import { normalizeNewlines, parseYamlMap } from './validate/front-matter.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from './dates.js';

/** Settings used when `content/site.yml` leaves them out. */
export const DEFAULT_CONFIG: SiteConfig = {
  title: 'Agora',
  description: '',
  baseUrl: 'http://localhost/',
  language: 'fr',
  postsPerPage: 10,
  feedEntries: 20,
  wordsPerMinute: 200,
  timezone: DEFAULT_TIME_ZONE,
  comments: { endpoint: null, form: true, moderation: true, publish: 'build', push: false },
  limits: { postKiB: 1024, commentKiB: 16, nesting: 32, markdownSeconds: 20 },
  defaultAuthor: null,
  // The colours of public/style.css (light scheme).
  cards: { enabled: true, background: '#fdfbf7', text: '#1f1d1a', accent: '#8a2f1d', muted: '#5a544c' },
  // The column of public/style.css: 40rem wide with 1.25rem of padding on each side.
  images: { enabled: true, widths: [480, 800, 1200, 1600], formats: ['avif', 'webp'], quality: { avif: 50, webp: 75, jpeg: 75 }, sizes: '(min-width: 40rem) 37.5rem, calc(100vw - 2.5rem)' },
};

/** The highest limits site.yml may set: files above READ_CEILING_BYTES are never read. */
const LIMIT_CEILINGS: Record<keyof ContentLimits, number> = { postKiB: READ_CEILING_BYTES / 1024, commentKiB: 1024, nesting: 100, markdownSeconds: 600 };

const CONFIG_FIELDS = ['title', 'description', 'baseUrl', 'language', 'postsPerPage', 'feedEntries', 'wordsPerMinute', 'timezone', 'comments', 'limits', 'defaultAuthor', 'cards', 'images'];

/** Validates `content/site.yml` (or its absence) into SiteConfig with defaults. */
export function validateConfig(source: SourceFile | null): { config: SiteConfig; diagnostics: Diagnostic[] } {
  if (!source) {
    return {
      config: DEFAULT_CONFIG,
      diagnostics: [contentError('content/site.yml', undefined, 'site/missing', 'Le fichier content/site.yml est introuvable.',
        'Créez-le avec au moins « title » et « baseUrl » (voir docs/contenu.md dans le dépôt d’Agora).')],
    };
  }
  const map = parseYamlMap(source.path, normalizeNewlines(source.text));
  if (!map.ok) return { config: DEFAULT_CONFIG, diagnostics: map.diagnostics };
  const fields = new FieldReader({ file: source.path, data: map.data, body: '', bodyLine: 1, positionOf: map.positionOf },
    'site', CONFIG_FIELDS);
  fields.checkUnknownFields();
  refuseSecrets(fields, fields.frontMatter.data, '');
  const title = fields.string('title', { required: true, example: 'Agora' }) ?? DEFAULT_CONFIG.title;
  const description = fields.string('description') ?? '';
  const baseUrl = normalizeBaseUrl(fields.url('baseUrl') ?? DEFAULT_CONFIG.baseUrl);
  if (!fields.has('baseUrl')) fields.string('baseUrl', { required: true, example: 'https://agora.example/' });
  const language = fields.string('language') ?? 'fr';
  const postsPerPage = positiveInteger(fields, 'postsPerPage', DEFAULT_CONFIG.postsPerPage);
  const feedEntries = positiveInteger(fields, 'feedEntries', DEFAULT_CONFIG.feedEntries);
  const wordsPerMinute = positiveInteger(fields, 'wordsPerMinute', DEFAULT_CONFIG.wordsPerMinute);
  const timezone = readTimeZone(fields);
  const comments = readComments(fields);
  const limits = readLimits(fields);
  const defaultAuthor = fields.string('defaultAuthor');
  const cards = readCards(fields);
  const images = readImages(fields);
  return {
    config: { title, description, baseUrl, language, postsPerPage, feedEntries, wordsPerMinute, timezone, comments, limits, defaultAuthor, cards, images },
    diagnostics: fields.diagnostics,
  };
}

/**
 * Every field that looks like a secret is an error, at the top of site.yml as under
 * `comments:` (issue 21: a top-level `secret:` was only an unknown field): the file is
 * published with the repository, and the moderation secret is never read from it.
 */
function refuseSecrets(fields: FieldReader, data: Record<string, unknown>, prefix: string): void {
  for (const key of Object.keys(data).filter((name) => /secret|password|passe|token|jeton/i.test(name))) {
    fields.error(key, 'secret-in-config', `« ${prefix}${key} » : aucun secret dans content/site.yml, qui est publié avec le dépôt.`,
      'Donnez le secret de modération par la variable AGORA_MODERATION_SECRET ou un fichier hors du dépôt (--secret-file), puis retirez cette ligne.');
  }
}

function normalizeBaseUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function positiveInteger(fields: FieldReader, key: string, fallback: number, max = Number.MAX_SAFE_INTEGER, shown = key): number {
  const value = fields.frontMatter.data[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` entre 1 et ${max}` : ' positif';
    fields.error(key, `bad-${key}`, `« ${shown} » doit être un nombre entier${range} (reçu : ${JSON.stringify(value)}).`,
      `Par exemple : ${shown}: ${fallback}`);
    return fallback;
  }
  return value;
}

function readLimits(fields: FieldReader): ContentLimits {
  const value = fields.object('limits');
  if (!value) return DEFAULT_CONFIG.limits;
  const nested = new FieldReader(
    { ...fields.frontMatter, data: value, positionOf: () => fields.frontMatter.positionOf('limits') },
    'site', Object.keys(DEFAULT_CONFIG.limits));
  nested.checkUnknownFields();
  const read = (key: keyof ContentLimits) => positiveInteger(nested, key, DEFAULT_CONFIG.limits[key], LIMIT_CEILINGS[key], `limits.${key}`);
  const limits = { postKiB: read('postKiB'), commentKiB: read('commentKiB'), nesting: read('nesting'), markdownSeconds: read('markdownSeconds') };
  fields.diagnostics.push(...nested.diagnostics);
  return limits;
}

function readComments(fields: FieldReader): SiteConfig['comments'] {
  const value = fields.object('comments');
  if (!value) return DEFAULT_CONFIG.comments;
  const nested = new FieldReader(
    { ...fields.frontMatter, data: value, positionOf: () => fields.frontMatter.positionOf('comments') },
    'site', ['endpoint', 'form', 'moderation', 'publish', 'push']);
  nested.checkUnknownFields();
  refuseSecrets(nested, value, 'comments.');
  const endpoint = nested.url('endpoint');
  const form = nested.boolean('form', true);
  const moderation = nested.boolean('moderation', true);
  const push = nested.boolean('push', false);
  const publishValue = value.publish ?? 'build';
  let publish: SiteConfig['comments']['publish'] = 'build';
  if (publishValue === 'build' || publishValue === 'git') publish = publishValue;
  else {
    nested.error('publish', 'bad-publish', `« comments.publish » vaut build ou git (reçu : ${JSON.stringify(publishValue)}).`,
      'build : le site est reconstruit ici après chaque approbation ; git : les commentaires approuvés sont commités (et poussés avec push: true) pour que CI publie le site.');
  }
  if (push && publish !== 'git') {
    nested.error('push', 'push-without-git', '« comments.push » ne sert qu\'avec « publish: git ».', 'Ajoutez publish: git, ou retirez push.');
  }
  fields.diagnostics.push(...nested.diagnostics);
  return { endpoint, form, moderation, publish, push };
}

function readTimeZone(fields: FieldReader): string {
  const value = fields.string('timezone');
  if (value === null) return DEFAULT_TIME_ZONE;
  if (isTimeZone(value)) return value;
  fields.error('timezone', 'bad-timezone', `« timezone » doit être un fuseau horaire IANA (reçu : ${JSON.stringify(value)}).`,
    'Par exemple : timezone: Europe/Paris (ou America/Montreal, Africa/Dakar, UTC).');
  return DEFAULT_TIME_ZONE;
}

/** Where comment forms post: the configured server, or the site's own `<base>commentaires`; null when the form is off. */
export function commentsEndpoint(config: SiteConfig): string | null {
  if (!config.comments.form) return null;
  return config.comments.endpoint ?? `${basePath(config)}${COMMENTS_PATH}`;
}

/** The comment endpoint's path under the base path, answered by `agora serve` and `agora dev`. */
export const COMMENTS_PATH = 'commentaires';

/** The path part of the base URL (`/` or `/agora/`), prefixed to every internal link. */
export function basePath(config: SiteConfig): string {
  return new URL(config.baseUrl).pathname;
}

/** `cards: false` turns social cards off; `cards: { background, text, accent, muted }` sets their colours (#rrggbb). */
function readCards(fields: FieldReader): CardSettings {
  const value = fields.frontMatter.data.cards;
  const defaults = DEFAULT_CONFIG.cards;
  if (value === undefined || value === null || value === true) return defaults;
  if (value === false) return { ...defaults, enabled: false };
  if (typeof value !== 'object' || Array.isArray(value)) {
    fields.error('cards', 'bad-cards', '« cards » doit valoir true, false, ou donner les couleurs des cartes (background, text, accent, muted).',
      'Par exemple :\n      cards:\n        background: "#fdfbf7"\n        accent: "#8a2f1d"');
    return defaults;
  }
  const colours = { ...defaults };
  for (const [key, colour] of Object.entries(value as Record<string, unknown>)) {
    if (!['background', 'text', 'accent', 'muted'].includes(key)) {
      fields.error(`cards.${key}`, 'bad-cards', `« cards.${key} » est inconnu : les couleurs sont background, text, accent et muted.`, 'Retirez ce champ.');
    } else if (typeof colour !== 'string' || !/^#[0-9a-f]{6}$/i.test(colour)) {
      fields.error(`cards.${key}`, 'bad-cards', `« cards.${key} » doit être une couleur #rrggbb (reçu : ${String(colour)}).`, 'Par exemple : "#8a2f1d"');
    } else {
      colours[key as 'background'] = colour.toLowerCase();
    }
  }
  return colours;
}

/** Widths a version may have: from a thumbnail to a photo for a large screen at 2×. */
const IMAGE_WIDTHS = { min: 16, max: 8192 };

/** site.yml `images`: false turns responsive images off; an object changes some of the defaults. */
function readImages(fields: FieldReader): ImageSettings {
  const value = fields.frontMatter.data.images;
  const defaults = DEFAULT_CONFIG.images;
  if (value === undefined || value === null || value === true) return defaults;
  if (value === false) return { ...defaults, enabled: false };
  const example = 'Par exemple :\n      images:\n        widths: [480, 800, 1200]\n        formats: [avif, webp]\n        quality: { avif: 50, webp: 75, jpeg: 75 }';
  if (typeof value !== 'object' || Array.isArray(value)) {
    fields.error('images', 'bad-images', '« images » doit valoir true, false, ou donner widths, formats, quality ou sizes.', example);
    return defaults;
  }
  const settings: ImageSettings = { ...defaults, quality: { ...defaults.quality } };
  const bad = (key: string, message: string) => fields.error(`images.${key}`, 'bad-images', `« images.${key} » ${message}`, example);
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'widths') {
      const widths = Array.isArray(entry) ? entry : [];
      if (!widths.length || !widths.every((width) => Number.isInteger(width) && width >= IMAGE_WIDTHS.min && width <= IMAGE_WIDTHS.max)) {
        bad(key, `doit être une liste de largeurs en pixels, des entiers entre ${IMAGE_WIDTHS.min} et ${IMAGE_WIDTHS.max} (reçu : ${JSON.stringify(entry)}).`);
      } else settings.widths = [...new Set(widths as number[])].sort((a, b) => a - b);
    } else if (key === 'formats') {
      const formats = Array.isArray(entry) ? entry : [null];
      if (!formats.every((format) => format === 'avif' || format === 'webp')) {
        bad(key, `doit être une liste prise dans avif et webp, éventuellement vide (reçu : ${JSON.stringify(entry)}).`);
      } else settings.formats = [...new Set(formats as ModernImageFormat[])];
    } else if (key === 'quality') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        bad(key, 'doit donner la qualité de avif, webp ou jpeg, de 1 à 100.');
        continue;
      }
      for (const [format, quality] of Object.entries(entry as Record<string, unknown>)) {
        if (!['avif', 'webp', 'jpeg'].includes(format)) bad(`quality.${format}`, 'est inconnu : les qualités sont celles de avif, webp et jpeg (le PNG reste sans perte).');
        else if (!Number.isInteger(quality) || (quality as number) < 1 || (quality as number) > 100) bad(`quality.${format}`, `doit être un entier de 1 à 100 (reçu : ${JSON.stringify(quality)}).`);
        else settings.quality[format as 'avif'] = quality as number;
      }
    } else if (key === 'sizes') {
      if (typeof entry !== 'string' || !entry.trim() || /[<>"]/.test(entry)) bad(key, 'doit être la valeur d’un attribut sizes, par exemple « (min-width: 40rem) 37.5rem, 100vw ».');
      else settings.sizes = entry.trim();
    } else {
      bad(key, 'est inconnu : les réglages sont widths, formats, quality et sizes.');
    }
  }
  return settings;
}
