import * as v from 'valibot';
import { contentError } from '../diagnostics/diagnostic.js';
import type { SourceFile, StandalonePage } from '../records.js';
import { isSlug, toSlug } from '../graph/slug.js';
import { aliases, day, flag, text } from './fields.js';
import { fault, readFields } from './read-fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

const BAD_MENU = fault(() => ({
  message: '« menu » doit valoir true, false ou un nombre entier (sa place dans la navigation).', hint: 'Par exemple : menu: true',
}));

/** The fields of a standalone page. `menu: true` puts it first in the header, a number gives its place there; absent or false, it is not in it. */
const PAGE_FIELDS = {
  title: text,
  summary: v.optional(text),
  updated: v.optional(day),
  menu: v.optional(v.pipe(
    v.union([v.boolean(), v.pipe(v.number(), v.integer(BAD_MENU))], BAD_MENU),
    v.transform((menu) => (menu === false ? null : menu === true ? 0 : menu)),
  )),
  comments: v.optional(flag, false),
  aliases: v.optional(aliases, []),
};

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
  const { values, diagnostics } = readFields(fm, 'page', PAGE_FIELDS, { title: 'À propos', comments: 'true' });
  const { title, summary, updated, menu, comments: commentsOpen } = values;
  const segments = source.path.slice(PAGES_FOLDER.length).replace(/\.md$/, '').split('/');
  const bad = segments.find((segment) => !isSlug(segment));
  if (bad !== undefined) {
    diagnostics.push(contentError(source.path, undefined, 'page/bad-path',
      `« ${bad} » ne peut pas faire partie d'une adresse : les noms des pages et de leurs dossiers sont en minuscules ASCII séparées par des tirets.`,
      `Renommez-le, par exemple ${toSlug(bad) || 'a-propos'}.`));
  } else if (RESERVED_SEGMENTS.has(segments[0]!)) {
    diagnostics.push(contentError(source.path, undefined, 'page/reserved-path',
      `L'adresse /${segments.join('/')}/ est celle d'une partie du site (/${segments[0]}/) : une page ne peut pas la prendre.`,
      `Renommez le fichier ou son dossier ; sont réservés : ${[...RESERVED_SEGMENTS].join(', ')}.`));
  }
  if (title === null || bad !== undefined || RESERVED_SEGMENTS.has(segments[0]!)) return { record: null, diagnostics };
  return {
    record: { file: source.path, path: segments.join('/'), title, summary, updated, menu, commentsOpen, aliases: values.aliases, body: fm.body, bodyLine: fm.bodyLine },
    diagnostics,
  };
}
