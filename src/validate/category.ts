import { contentError } from '../diagnostics/diagnostic.js';
import type { CategoryInfo, SourceFile } from '../records.js';
import { fileStem, isSlug } from '../slug.js';
import { FieldReader } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

/** Validates `content/categories/<slug>.md`: an optional display name and a description (the body). */
export function validateCategoryInfo(source: SourceFile): Validated<CategoryInfo> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'category', ['name']);
  fields.checkUnknownFields();
  const slug = fileStem(source.path);
  if (!isSlug(slug)) {
    fields.diagnostics.push(contentError(source.path, undefined, 'category/bad-slug',
      `Le nom du fichier « ${slug} » doit être l'adresse de la catégorie, en minuscules ASCII séparées par des tirets.`,
      'Par exemple reseaux-sociaux.md pour la catégorie « Réseaux sociaux ».'));
    return { record: null, diagnostics: fields.diagnostics };
  }
  const name = fields.string('name');
  return {
    record: { file: source.path, slug, name, description: fm.body.trim(), bodyLine: fm.bodyLine },
    diagnostics: fields.diagnostics,
  };
}
