import slugify from '@sindresorhus/slugify';

// Apostrophes are dropped rather than turned into a hyphen (« l'acte » → `lacte`), and « & »
// reads « et » in French (the library's default is the English "and").
const REPLACEMENTS: [string, string][] = [["'", ''], ['’', ''], ['‘', ''], ['ʼ', ''], ['&', ' et ']];

const cache = new Map<string, string>();

/** Turns a French name into an ASCII URL segment: « Réseaux sociaux » → `reseaux-sociaux`, œ → oe. */
export function toSlug(name: string): string {
  // A site names the same categories and tags thousands of times: slugify each name once.
  let slug = cache.get(name);
  if (slug === undefined) {
    slug = slugify(name, { customReplacements: REPLACEMENTS, decamelize: false });
    if (cache.size > 100_000) cache.clear();
    cache.set(name, slug);
  }
  return slug;
}

/** The name a content file gives its record (`content/posts/mon-essai.md` → `mon-essai`): an essay's default slug, an author's id, a category's slug. */
export function fileStem(file: string): string {
  return file.split('/').pop()!.replace(/\.md$/, '');
}

/** True when a string is already a valid slug. */
export function isSlug(value: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}
