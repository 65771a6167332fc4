import { contentError } from '../diagnostics/diagnostic.js';
import type { Author, AuthorLink, SourceFile } from '../records.js';
import { fileStem, isSlug } from '../graph/slug.js';
import { FieldReader, isHttpUrl } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

const AUTHOR_FIELDS = ['name', 'avatar', 'website', 'links'] as const;

/** Validates `content/authors/<id>.md` into an Author; the id is the file name. */
export function validateAuthor(source: SourceFile): Validated<Author> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'author', AUTHOR_FIELDS);
  fields.checkUnknownFields();
  const id = fileStem(source.path);
  if (!isSlug(id)) {
    fields.diagnostics.push(contentError(source.path, undefined, 'author/bad-id',
      `L'identifiant d'auteur « ${id} » (le nom du fichier) doit être en minuscules ASCII séparées par des tirets.`,
      'Renommez le fichier, par exemple mathieu-janin.md.'));
  }
  const name = fields.string('name', { required: true, example: 'Mathieu Janin' });
  const avatar = fields.image('avatar');
  const website = fields.url('website');
  const links = readLinks(fields);
  if (name === null || !isSlug(id)) return { record: null, diagnostics: fields.diagnostics };
  return {
    record: { file: source.path, id, name, avatar, website, links, bio: fm.body.trim(), bodyLine: fm.bodyLine },
    diagnostics: fields.diagnostics,
  };
}

function readLinks(fields: FieldReader): AuthorLink[] {
  const value = fields.frontMatter.data.links;
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [];
  const links: AuthorLink[] = [];
  for (const item of items) {
    const label = typeof item?.label === 'string' ? item.label.trim() : '';
    const url = typeof item?.url === 'string' ? item.url.trim() : '';
    if (!label || !isHttpUrl(url)) {
      fields.error('links', 'bad-links', '« links » doit être une liste de liens avec « label » et une « url » http(s).',
        'Par exemple :\n      links:\n        - label: Twitter\n          url: https://twitter.com/exemple');
      return [];
    }
    links.push({ label, url });
  }
  if (!Array.isArray(value)) {
    fields.error('links', 'bad-links', '« links » doit être une liste.', 'Commencez chaque lien par « - ».');
  }
  return links;
}
