import { contentError } from '../diagnostics/diagnostic.js';
import type { SourceFile, StandalonePage } from '../records.js';
import { isSlug, toSlug } from '../graph/slug.js';
import { FieldReader } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

const PAGE_FIELDS = ['title', 'summary', 'updated', 'menu', 'comments', 'aliases'] as const;

/**
 * The folder of a page's comments under content/comments/ (and in the moderation queue):
 * `page--a-propos`, `page--mentions--contact`. A double hyphen is never in an essay's slug, so
 * no essay's thread can take it.
 */
export function pageThreadKey(path: string): string {
  return `page--${path.split('/').join('--')}`;
}

/** The folder of standalone pages. */
export const PAGES_FOLDER = 'content/pages/';

/**
 * The first segments a page may not take: the site's own addresses (routes.ts), the search
 * bundle, the comment endpoint and the front page's pagination.
 */
export const RESERVED_SEGMENTS = new Set(['essais', 'categories', 'etiquettes', 'auteurs', 'archives', 'recherche', 'pagefind', 'page', 'commentaires', 'moderation']);

/**
 * Validates `content/pages/<path>.md` into a standalone page. Its address is its path under
 * content/pages/: `a-propos.md` is `/a-propos/`, `mentions/contact.md` is `/mentions/contact/`
 * (a child of `mentions.md`, when there is one).
 */
export function validatePage(source: SourceFile): Validated<StandalonePage> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'page', PAGE_FIELDS);
  fields.checkUnknownFields();
  const title = fields.string('title', { required: true, example: 'À propos' });
  const summary = fields.string('summary');
  const updated = fields.date('updated');
  const menu = readMenu(fields);
  const aliases = fields.aliases();
  const commentsOpen = fields.boolean('comments', false);
  const segments = source.path.slice(PAGES_FOLDER.length).replace(/\.md$/, '').split('/');
  const bad = segments.find((segment) => !isSlug(segment));
  if (bad !== undefined) {
    fields.diagnostics.push(contentError(source.path, undefined, 'page/bad-path',
      `« ${bad} » ne peut pas faire partie d'une adresse : les noms des pages et de leurs dossiers sont en minuscules ASCII séparées par des tirets.`,
      `Renommez-le, par exemple ${toSlug(bad) || 'a-propos'}.`));
  } else if (RESERVED_SEGMENTS.has(segments[0]!)) {
    fields.diagnostics.push(contentError(source.path, undefined, 'page/reserved-path',
      `L'adresse /${segments.join('/')}/ est celle d'une partie du site (/${segments[0]}/) : une page ne peut pas la prendre.`,
      `Renommez le fichier ou son dossier ; sont réservés : ${[...RESERVED_SEGMENTS].join(', ')}.`));
  }
  if (title === null || bad !== undefined || RESERVED_SEGMENTS.has(segments[0]!)) return { record: null, diagnostics: fields.diagnostics };
  return {
    record: { file: source.path, path: segments.join('/'), title, summary, updated, menu, commentsOpen, aliases, body: fm.body, bodyLine: fm.bodyLine },
    diagnostics: fields.diagnostics,
  };
}

/** `menu: true` (first), or a number giving the order in the header; absent or false: not in it. */
function readMenu(fields: FieldReader): number | null {
  const value = fields.frontMatter.data.menu;
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  fields.error('menu', 'bad-menu', '« menu » doit valoir true, false ou un nombre entier (sa place dans la navigation).', 'Par exemple : menu: true');
  return null;
}
