import { contentError, type Diagnostic } from './diagnostics/diagnostic.js';
import { READ_CEILING_BYTES } from './load/read-sources.js';
import type { ContentLimits, SiteConfig, SourceFile } from './records.js';
import * as v from 'valibot';
import { flag, httpUrl, text } from './validate/fields.js';
import { fault, fieldError, readFields } from './validate/read-fields.js';
import { normalizeNewlines, parseYamlMap, type FrontMatter } from './validate/front-matter.js';
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

/** A whole number from 1 to `max`, `fallback` when absent. */
function count(fallback: number, max = Number.MAX_SAFE_INTEGER) {
  const refused = fault(({ key, leaf, input }) => ({
    message: `« ${key} » doit être un nombre entier${max < Number.MAX_SAFE_INTEGER ? ` entre 1 et ${max}` : ' positif'} (reçu : ${JSON.stringify(input)}).`,
    hint: `Par exemple : ${leaf}: ${fallback}`,
  }));
  return v.optional(v.pipe(v.number(refused), v.integer(refused), v.minValue(1, refused), v.maxValue(max, refused)), fallback);
}

const limits = DEFAULT_CONFIG.limits;
const comments = DEFAULT_CONFIG.comments;
const cards = DEFAULT_CONFIG.cards;
const images = DEFAULT_CONFIG.images;

const CARDS_EXAMPLE = 'Par exemple :\n      cards:\n        background: "#fdfbf7"\n        accent: "#8a2f1d"';
const CARDS_FAULT = fault(({ key }) => (key === 'cards'
  ? { message: '« cards » doit valoir true, false, ou donner les couleurs des cartes (background, text, accent, muted).', hint: CARDS_EXAMPLE }
  : { message: `« ${key} » est inconnu : les couleurs sont background, text, accent et muted.`, hint: 'Retirez ce champ.' }));
const COLOUR_FAULT = fault(({ key, input }) => ({ message: `« ${key} » doit être une couleur #rrggbb (reçu : ${String(input)}).`, hint: 'Par exemple : "#8a2f1d"' }));
const colour = v.optional(v.pipe(v.string(COLOUR_FAULT), v.regex(/^#[0-9a-f]{6}$/i, COLOUR_FAULT), v.toLowerCase()));

const IMAGES_EXAMPLE = 'Par exemple :\n      images:\n        widths: [480, 800, 1200]\n        formats: [avif, webp]\n        quality: { avif: 50, webp: 75, jpeg: 75 }';
const imageFault = (says: (key: string, input: unknown) => string) => fault(({ key, input }) => ({ code: 'bad-images', message: `« ${key} » ${says(key, input)}`, hint: IMAGES_EXAMPLE }));
/** Widths a version may have: from a thumbnail to a photo for a large screen at 2×. */
const IMAGE_WIDTHS = { min: 16, max: 8192 };
const WIDTH_FAULT = imageFault((_key, input) => `doit être une liste de largeurs en pixels, des entiers entre ${IMAGE_WIDTHS.min} et ${IMAGE_WIDTHS.max} (reçu : ${JSON.stringify(input)}).`);
const QUALITY_FAULT = imageFault((_key, input) => `doit être un entier de 1 à 100 (reçu : ${JSON.stringify(input)}).`);
const IMAGES_FAULT = imageFault((key) => (key === 'images'
  ? 'doit valoir true, false, ou donner widths, formats, quality ou sizes.'
  : 'est inconnu : les réglages sont widths, formats, quality et sizes.'));
const FORMATS_FAULT = imageFault((_key, input) => `doit être une liste prise dans avif et webp, éventuellement vide (reçu : ${JSON.stringify(input)}).`);
const SIZES_FAULT = imageFault(() => 'doit être la valeur d’un attribut sizes, par exemple « (min-width: 40rem) 37.5rem, 100vw ».');
const quality = v.optional(v.pipe(v.number(QUALITY_FAULT), v.integer(QUALITY_FAULT), v.minValue(1, QUALITY_FAULT), v.maxValue(100, QUALITY_FAULT)));

/** The settings of content/site.yml, each with its default. */
const CONFIG_FIELDS = {
  title: text,
  description: v.optional(text, ''),
  baseUrl: v.pipe(httpUrl, v.transform((url) => (url.endsWith('/') ? url : `${url}/`))),
  language: v.optional(text, 'fr'),
  postsPerPage: count(DEFAULT_CONFIG.postsPerPage),
  feedEntries: count(DEFAULT_CONFIG.feedEntries),
  wordsPerMinute: count(DEFAULT_CONFIG.wordsPerMinute),
  timezone: v.optional(v.pipe(text, v.check(isTimeZone, fault(({ input }) => ({
    message: `« timezone » doit être un fuseau horaire IANA (reçu : ${JSON.stringify(input)}).`,
    hint: 'Par exemple : timezone: Europe/Paris (ou America/Montreal, Africa/Dakar, UTC).',
  })))), DEFAULT_TIME_ZONE),
  comments: v.optional(v.pipe(
    v.object({
      endpoint: v.optional(httpUrl),
      form: v.optional(flag, comments.form),
      moderation: v.optional(flag, comments.moderation),
      publish: v.optional(v.picklist(['build', 'git'], fault(({ input }) => ({
        code: 'bad-publish',
        message: `« comments.publish » vaut build ou git (reçu : ${JSON.stringify(input)}).`,
        hint: 'build : le site est reconstruit ici après chaque approbation ; git : les commentaires approuvés sont commités (et poussés avec push: true) pour que CI publie le site.',
      }))), comments.publish),
      push: v.optional(flag, comments.push),
    }, mapFault()),
    v.forward(v.partialCheck([['push'], ['publish']], ({ push, publish }) => !push || publish === 'git', fault(() => ({
      code: 'push-without-git', message: '« comments.push » ne sert qu\'avec « publish: git ».', hint: 'Ajoutez publish: git, ou retirez push.',
    }))), ['push']),
    v.transform((settings): SiteConfig['comments'] => ({ ...settings, endpoint: settings.endpoint ?? null })),
  ), {}),
  /** The highest limits site.yml may set: files above READ_CEILING_BYTES are never read. */
  limits: v.optional(v.object({
    postKiB: count(limits.postKiB, READ_CEILING_BYTES / 1024),
    commentKiB: count(limits.commentKiB, 1024),
    nesting: count(limits.nesting, 100),
    markdownSeconds: count(limits.markdownSeconds, 600),
  } satisfies Record<keyof ContentLimits, v.GenericSchema>, mapFault()), {}),
  defaultAuthor: v.optional(text),
  /** `cards: false` turns social cards off; `cards: { background, text, accent, muted }` sets their colours (#rrggbb). */
  cards: v.optional(v.pipe(
    v.union([v.boolean(), v.strictObject({ background: colour, text: colour, accent: colour, muted: colour }, CARDS_FAULT)], CARDS_FAULT),
    v.transform((value) => (value === true ? cards : value === false ? { ...cards, enabled: false } : { ...cards, ...definedOf(value) })),
  ), true),
  /** `images: false` turns responsive images off; an object changes some of the defaults. */
  images: v.optional(v.pipe(
    v.union([v.boolean(), v.strictObject({
      widths: v.optional(v.pipe(v.array(v.pipe(v.number(WIDTH_FAULT), v.integer(WIDTH_FAULT), v.minValue(IMAGE_WIDTHS.min, WIDTH_FAULT), v.maxValue(IMAGE_WIDTHS.max, WIDTH_FAULT)), WIDTH_FAULT),
        v.minLength(1, WIDTH_FAULT), v.transform((widths) => [...new Set(widths)].sort((a, b) => a - b)))),
      formats: v.optional(v.pipe(v.array(v.picklist(['avif', 'webp'], FORMATS_FAULT), FORMATS_FAULT),
        v.transform((formats) => [...new Set(formats)]))),
      quality: v.optional(v.strictObject({ avif: quality, webp: quality, jpeg: quality }, imageFault((key) => (key.endsWith('.quality')
        ? 'doit donner la qualité de avif, webp ou jpeg, de 1 à 100.'
        : 'est inconnu : les qualités sont celles de avif, webp et jpeg (le PNG reste sans perte).')))),
      sizes: v.optional(v.pipe(v.string(SIZES_FAULT), v.trim(), v.check((sizes) => sizes !== '' && !/[<>"]/.test(sizes), SIZES_FAULT))),
    }, IMAGES_FAULT)], IMAGES_FAULT),
    v.transform((value) => (value === true ? images : value === false ? { ...images, enabled: false }
      : { ...images, ...definedOf(value), quality: { ...images.quality, ...definedOf(value.quality ?? {}) } })),
  ), true),
};

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
  const file: FrontMatter = { file: source.path, data: map.data, body: '', bodyLine: 1, positionOf: map.positionOf };
  const { values, diagnostics } = readFields(file, 'site', CONFIG_FIELDS,
    { title: 'Agora', baseUrl: 'https://agora.example/', 'comments.form': 'false', 'comments.moderation': 'false', 'comments.push': 'true' });
  diagnostics.push(...refuseSecrets(file, map.data, ''), ...refuseSecrets(file, map.data.comments, 'comments.'));
  return {
    config: { ...values, title: values.title ?? DEFAULT_CONFIG.title, baseUrl: values.baseUrl ?? DEFAULT_CONFIG.baseUrl },
    diagnostics,
  };
}

/** What a map that is not one is told. */
function mapFault(): string {
  return fault(({ key, leaf }) => ({ message: `« ${key} » doit contenir des sous-champs.`, hint: `Indentez-les sous « ${leaf}: », un par ligne.` }));
}

/** The fields of a map that were given: a map's defaults stay where it leaves a field out. */
function definedOf<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Every field that looks like a secret is an error, at the top of site.yml as under
 * `comments:` (issue 21: a top-level `secret:` was only an unknown field): the file is
 * published with the repository, and the moderation secret is never read from it.
 */
function refuseSecrets(file: FrontMatter, data: unknown, prefix: string): Diagnostic[] {
  if (typeof data !== 'object' || data === null) return [];
  return Object.keys(data).filter((name) => /secret|password|passe|token|jeton/i.test(name)).map((key) => fieldError(file, 'site', `${prefix}${key}`,
    'secret-in-config', `« ${prefix}${key} » : aucun secret dans content/site.yml, qui est publié avec le dépôt.`,
    'Donnez le secret de modération par la variable AGORA_MODERATION_SECRET ou un fichier hors du dépôt (--secret-file), puis retirez cette ligne.'));
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
