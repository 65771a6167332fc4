import * as v from 'valibot';
import { contentError } from '../diagnostics/diagnostic.js';
import type { Author, SourceFile } from '../records.js';
import { fileStem, isSlug } from '../graph/slug.js';
import { filledText, httpUrl, image, text } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import { fault, readFields } from './read-fields.js';
import type { Validated } from './post.js';

const BAD_LINKS = fault(() => ({
  message: '« links » doit être une liste de liens avec « label » et une « url » http(s).',
  hint: 'Par exemple :\n      links:\n        - label: Twitter\n          url: https://twitter.com/exemple',
}));

/** The fields of an author's profile. */
const AUTHOR_FIELDS = {
  name: text,
  avatar: v.optional(image),
  website: v.optional(httpUrl),
  links: v.optional(v.array(v.object({ label: filledText, url: httpUrl }, BAD_LINKS), fault(() => ({
    message: '« links » doit être une liste.', hint: 'Commencez chaque lien par « - ».',
  }))), []),
};

/** Validates `content/authors/<id>.md` into an Author; the id is the file name. */
export function validateAuthor(source: SourceFile): Validated<Author> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const { values: { name, avatar, website, links }, diagnostics } = readFields(fm, 'author', AUTHOR_FIELDS, { name: 'Mathieu Janin', 'links.label': 'Twitter' });
  const id = fileStem(source.path);
  if (!isSlug(id)) {
    diagnostics.push(contentError(source.path, undefined, 'author/bad-id',
      `L'identifiant d'auteur « ${id} » (le nom du fichier) doit être en minuscules ASCII séparées par des tirets.`,
      'Renommez le fichier, par exemple mathieu-janin.md.'));
  }
  if (name === null || !isSlug(id)) return { record: null, diagnostics };
  return {
    record: { file: source.path, id, name, avatar, website, links, bio: fm.body.trim(), bodyLine: fm.bodyLine },
    diagnostics,
  };
}
