import * as v from 'valibot';
import { contentError } from '../diagnostics/diagnostic.js';
import type { Comment, SourceFile } from '../records.js';
import { httpUrl, moment, text } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import { fault, readFields } from './read-fields.js';
import type { Validated } from './post.js';

/** Comment ids and essay folders: lowercase ASCII letters, digits and hyphens. */
export const COMMENT_ID = /^[a-z0-9-]+$/;

/** Longest display name, in characters. */
export const MAX_AUTHOR_LENGTH = 100;

/** The fields of a comment. */
const COMMENT_FIELDS = {
  author: v.pipe(text, v.check((name) => [...name].length <= MAX_AUTHOR_LENGTH, fault(() => ({
    message: `Le nom dépasse ${MAX_AUTHOR_LENGTH} caractères.`, hint: 'Raccourcissez-le.',
  })))),
  date: moment,
  parent: v.optional(v.pipe(text, v.regex(COMMENT_ID, fault(({ input }) => ({
    message: `« parent » doit être l'identifiant d'un commentaire (reçu : ${String(input)}).`,
    hint: "L'identifiant est le nom du fichier du commentaire, sans « .md ».",
  }))))),
  website: v.optional(httpUrl),
};

/**
 * Validates `content/comments/<post-slug>/<id>.md`. The date is a date-time with its offset;
 * a plain day is accepted for comments imported from pages that do not give the time.
 */
export function validateComment(source: SourceFile): Validated<Comment> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const { values: { author, date, parent, website }, diagnostics } = readFields(fm, 'comment', COMMENT_FIELDS,
    { author: 'Anonyme', date: 'AAAA-MM-JJTHH:MM:SS+01:00' });

  const match = /(?:^|\/)comments\/([^/]+)\/([^/]+)\.md$/.exec(source.path);
  const postSlug = match?.[1] ?? '';
  const id = match?.[2] ?? '';
  if (!COMMENT_ID.test(postSlug) || !COMMENT_ID.test(id)) {
    diagnostics.push(contentError(source.path, undefined, 'comment/bad-path',
      'Un commentaire doit se trouver dans content/comments/<essai>/<id>.md, en minuscules ASCII, chiffres et tirets.',
      'Par exemple content/comments/la-victoire-du-point-de-bascule/reponse-1.md.'));
  }
  if (fm.body.trim() === '') {
    diagnostics.push(contentError(source.path, { line: fm.bodyLine, column: 1 }, 'comment/empty-body',
      'Le commentaire est vide.', 'Écrivez le texte du commentaire après l\'en-tête.'));
  }
  const ok = diagnostics.every((d) => d.severity !== 'error');
  if (!ok || author === null || date === null) return { record: null, diagnostics };
  return {
    record: {
      file: source.path, id, postSlug, author, date, parent, website, body: fm.body, bodyLine: fm.bodyLine,
      positions: Object.fromEntries(Object.keys(fm.data).map((key) => [key, fm.positionOf(key)])),
    },
    diagnostics,
  };
}
