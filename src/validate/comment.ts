import { contentError } from '../diagnostics/diagnostic.js';
import type { Comment, SourceFile } from '../records.js';
import { FieldReader } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

/** Comment ids and essay folders: lowercase ASCII letters, digits and hyphens. */
export const COMMENT_ID = /^[a-z0-9-]+$/;

const COMMENT_FIELDS = ['author', 'date', 'parent', 'website'] as const;

/** Longest display name, in characters. */
export const MAX_AUTHOR_LENGTH = 100;

/**
 * Validates `content/comments/<post-slug>/<id>.md`. The date is a date-time with its offset;
 * a plain day is accepted for comments imported from pages that do not give the time.
 */
export function validateComment(source: SourceFile): Validated<Comment> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'comment', COMMENT_FIELDS);
  fields.checkUnknownFields();

  const match = /(?:^|\/)comments\/([^/]+)\/([^/]+)\.md$/.exec(source.path);
  const postSlug = match?.[1] ?? '';
  const id = match?.[2] ?? '';
  if (!COMMENT_ID.test(postSlug) || !COMMENT_ID.test(id)) {
    fields.diagnostics.push(contentError(source.path, undefined, 'comment/bad-path',
      'Un commentaire doit se trouver dans content/comments/<essai>/<id>.md, en minuscules ASCII, chiffres et tirets.',
      'Par exemple content/comments/la-victoire-du-point-de-bascule/reponse-1.md.'));
  }
  const author = fields.string('author', { required: true, example: 'Anonyme' });
  if (author !== null && [...author].length > MAX_AUTHOR_LENGTH) {
    fields.error('author', 'bad-author', `Le nom dépasse ${MAX_AUTHOR_LENGTH} caractères.`, 'Raccourcissez-le.');
  }
  const date = readCommentDate(fields);
  const parent = fields.string('parent');
  if (parent !== null && !COMMENT_ID.test(parent)) {
    fields.error('parent', 'bad-parent', `« parent » doit être l'identifiant d'un commentaire (reçu : ${parent}).`,
      "L'identifiant est le nom du fichier du commentaire, sans « .md ».");
  }
  const website = fields.url('website');
  if (fm.body.trim() === '') {
    fields.diagnostics.push(contentError(source.path, { line: fm.bodyLine, column: 1 }, 'comment/empty-body',
      'Le commentaire est vide.', 'Écrivez le texte du commentaire après l\'en-tête.'));
  }
  const ok = fields.diagnostics.every((d) => d.severity !== 'error');
  if (!ok || author === null || date === null) return { record: null, diagnostics: fields.diagnostics };
  return {
    record: {
      file: source.path, id, postSlug, author, date, parent, website, body: fm.body, bodyLine: fm.bodyLine,
      positions: Object.fromEntries(Object.keys(fm.data).map((key) => [key, fm.positionOf(key)])),
    },
    diagnostics: fields.diagnostics,
  };
}

function readCommentDate(fields: FieldReader) {
  const value = fields.frontMatter.data.date;
  const dayOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return fields.date('date', { required: true, requireTime: !dayOnly });
}
