import * as v from 'valibot';
import { contentError } from '../diagnostics/diagnostic.js';
import type { CategoryInfo, SourceFile } from '../records.js';
import { fileStem, isSlug, toSlug } from '../graph/slug.js';
import { text } from './fields.js';
import { readFields } from './read-fields.js';
import { parseFrontMatter } from './front-matter.js';
import type { Validated } from './post.js';

/** The fields of a category's page: its display name, and the category it sits in, by its name or its slug (« parent: Réseaux sociaux »). */
const CATEGORY_FIELDS = { name: v.optional(text), parent: v.optional(text) };

/** Validates `content/categories/<slug>.md`: an optional display name, the category it sits in, and a description (the body). */
export function validateCategoryInfo(source: SourceFile): Validated<CategoryInfo> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const { values: { name, parent: parentName }, diagnostics } = readFields(fm, 'category', CATEGORY_FIELDS);
  const slug = fileStem(source.path);
  if (!isSlug(slug)) {
    diagnostics.push(contentError(source.path, undefined, 'category/bad-slug',
      `Le nom du fichier « ${slug} » doit être l'adresse de la catégorie, en minuscules ASCII séparées par des tirets.`,
      'Par exemple reseaux-sociaux.md pour la catégorie « Réseaux sociaux ».'));
    return { record: null, diagnostics };
  }
  const parent = parentName === null ? null : toSlug(parentName) || null;
  return {
    record: { file: source.path, slug, name, parent, description: fm.body.trim(), bodyLine: fm.bodyLine },
    diagnostics,
  };
}
