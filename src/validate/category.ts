import { contentError } from '../diagnostics/diagnostic.js';
import type { CategoryInfo, SourceFile } from '../records.js';
import { fileStem, isSlug, toSlug } from '../graph/slug.js';
import { FieldReader } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

/** Validates `content/categories/<slug>.md`: an optional display name, the category it sits in, and a description (the body). */
export function validateCategoryInfo(source: SourceFile): Validated<CategoryInfo> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'category', ['name', 'parent']);
  fields.checkUnknownFields();
  const slug = fileStem(source.path);
  if (!isSlug(slug)) {
    fields.diagnostics.push(contentError(source.path, undefined, 'category/bad-slug',
      `Le nom du fichier « ${slug} » doit être l'adresse de la catégorie, en minuscules ASCII séparées par des tirets.`,
      'Par exemple reseaux-sociaux.md pour la catégorie « Réseaux sociaux ».'));
    return { record: null, diagnostics: fields.diagnostics };
  }
  const name = fields.string('name');
  // The category it sits in, by its name or its slug: « parent: Réseaux sociaux ».
  const parentName = fields.string('parent');
  const parent = parentName === null ? null : toSlug(parentName) || null;
  return {
    record: { file: source.path, slug, name, parent, description: fm.body.trim(), bodyLine: fm.bodyLine },
    diagnostics: fields.diagnostics,
  };
}
