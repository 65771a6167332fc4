import { contentError, type Diagnostic } from './diagnostics/diagnostic.js';
import { READ_CEILING_BYTES } from './load/read-sources.js';
import type { ContentLimits, SiteConfig, SourceFile } from './records.js';
import { FieldReader } from './validate/fields.js';
import { normalizeNewlines, parseYamlMap } from './validate/front-matter.js';

/** Settings used when `content/site.yml` leaves them out. */
export const DEFAULT_CONFIG: SiteConfig = {
  title: 'Agora',
  description: '',
  baseUrl: 'http://localhost/',
  language: 'fr',
  postsPerPage: 10,
  wordsPerMinute: 200,
  comments: { endpoint: null, moderation: true },
  limits: { postKiB: 1024, commentKiB: 16, nesting: 32 },
  defaultAuthor: null,
};

/** The highest limits site.yml may set: files above READ_CEILING_BYTES are never read. */
const LIMIT_CEILINGS: Record<keyof ContentLimits, number> = { postKiB: READ_CEILING_BYTES / 1024, commentKiB: 1024, nesting: 100 };

const CONFIG_FIELDS = ['title', 'description', 'baseUrl', 'language', 'postsPerPage', 'wordsPerMinute', 'comments', 'limits', 'defaultAuthor'];

/** Validates `content/site.yml` (or its absence) into SiteConfig with defaults. */
export function validateConfig(source: SourceFile | null): { config: SiteConfig; diagnostics: Diagnostic[] } {
  if (!source) {
    return {
      config: DEFAULT_CONFIG,
      diagnostics: [contentError('content/site.yml', undefined, 'site/missing', 'Le fichier content/site.yml est introuvable.',
        'Créez-le avec au moins « title » et « baseUrl » (voir le README).')],
    };
  }
  const map = parseYamlMap(source.path, normalizeNewlines(source.text));
  if (!map.ok) return { config: DEFAULT_CONFIG, diagnostics: map.diagnostics };
  const fields = new FieldReader({ file: source.path, data: map.data, body: '', bodyLine: 1, positionOf: map.positionOf },
    'site', CONFIG_FIELDS);
  fields.checkUnknownFields();
  const title = fields.string('title', { required: true, example: 'Agora' }) ?? DEFAULT_CONFIG.title;
  const description = fields.string('description') ?? '';
  const baseUrl = normalizeBaseUrl(fields.url('baseUrl') ?? DEFAULT_CONFIG.baseUrl);
  if (!fields.has('baseUrl')) fields.string('baseUrl', { required: true, example: 'https://agora.example/' });
  const language = fields.string('language') ?? 'fr';
  const postsPerPage = positiveInteger(fields, 'postsPerPage', DEFAULT_CONFIG.postsPerPage);
  const wordsPerMinute = positiveInteger(fields, 'wordsPerMinute', DEFAULT_CONFIG.wordsPerMinute);
  const comments = readComments(fields);
  const limits = readLimits(fields);
  const defaultAuthor = fields.string('defaultAuthor');
  return {
    config: { title, description, baseUrl, language, postsPerPage, wordsPerMinute, comments, limits, defaultAuthor },
    diagnostics: fields.diagnostics,
  };
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
  const limits = { postKiB: read('postKiB'), commentKiB: read('commentKiB'), nesting: read('nesting') };
  fields.diagnostics.push(...nested.diagnostics);
  return limits;
}

function readComments(fields: FieldReader): SiteConfig['comments'] {
  const value = fields.object('comments');
  if (!value) return DEFAULT_CONFIG.comments;
  const nested = new FieldReader(
    { ...fields.frontMatter, data: value, positionOf: () => fields.frontMatter.positionOf('comments') },
    'site', ['endpoint', 'moderation']);
  nested.checkUnknownFields();
  const endpoint = nested.url('endpoint');
  const moderation = nested.boolean('moderation', true);
  fields.diagnostics.push(...nested.diagnostics);
  return { endpoint, moderation };
}

/** The path part of the base URL (`/` or `/agora/`), prefixed to every internal link. */
export function basePath(config: SiteConfig): string {
  return new URL(config.baseUrl).pathname;
}
