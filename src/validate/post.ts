import * as v from 'valibot';
import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Post, SourceFile } from '../records.js';
import { fileStem, isSlug, toSlug } from '../graph/slug.js';
import { aliases, day, filledText, filledTextList, flag, httpUrl, image, text, textList } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import { fault, fieldError, readFields } from './read-fields.js';

/** Result of validating one file: the record (when usable) and what was found wrong. */
export interface Validated<T> {
  record: T | null;
  diagnostics: Diagnostic[];
}

const SOURCE_EXAMPLE = 'Par exemple :\n      source:\n        title: Paperblog\n        url: https://exemple.org/';
const COVER_EXAMPLE = 'Par exemple :\n      cover:\n        src: /images/essai.jpg\n        alt: Des galets en équilibre';

/** The fields of an essay. */
const POST_FIELDS = {
  title: text,
  date: day,
  author: filledTextList,
  categories: v.optional(v.pipe(textList, v.check((names) => names.every((name) => toSlug(name) !== ''), fault(({ input }) => ({
    message: `La catégorie « ${(input as string[]).find((name) => toSlug(name) === '')} » ne donne aucune adresse.`,
    hint: 'Utilisez au moins une lettre ou un chiffre.',
  })))), []),
  tags: v.optional(textList, []),
  summary: v.optional(text),
  slug: v.optional(v.pipe(text, v.check(isSlug, fault(({ input }) => ({
    message: `« slug » doit être en minuscules ASCII séparées par des tirets (reçu : ${String(input)}).`,
    hint: `Par exemple : slug: ${toSlug(String(input)) || 'mon-essai'}`,
  }))))),
  updated: v.optional(day),
  draft: v.optional(flag, false),
  comments: v.optional(flag, true),
  /** The publication an essay first appeared in; `canonical: true` makes the original its canonical address. */
  source: v.optional(v.pipe(
    v.object({ title: filledText, url: v.optional(httpUrl), canonical: v.optional(flag, false) }, fault(() => ({
      message: '« source » doit avoir un « title » (le nom de la publication d\'origine).', hint: SOURCE_EXAMPLE,
    }))),
    v.forward(v.partialCheck([['canonical'], ['url']], ({ canonical, url }) => !canonical || url !== undefined, fault(() => ({
      message: '« source.canonical: true » demande l\'adresse de l\'original dans « source.url ».',
      hint: 'Ajoutez « url: https://… » sous « source: », ou retirez « canonical ».',
    }))), ['canonical']),
  )),
  /** The essay's picture, with its description for whoever cannot see it. */
  cover: v.optional(v.object({ src: image, alt: text, caption: v.optional(text) }, fault(() => ({
    message: '« cover » doit avoir « src » (le fichier) et « alt » (sa description pour qui ne voit pas l\'image).', hint: COVER_EXAMPLE,
  })))),
  aliases: v.optional(aliases, []),
};

const POST_EXAMPLES = {
  title: '"Mon essai : un sous-titre"', date: 'AAAA-MM-JJ', author: 'mathieu-janin', categories: 'Réseaux sociaux, Influence',
  tags: 'confiance, marketing', draft: 'true', comments: 'false', 'source.canonical': 'true', 'source.title': 'Paperblog',
};

/** Validates `content/posts/<slug>.md` into a Post. */
export function validatePost(source: SourceFile): Validated<Post> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const { values, refused, diagnostics } = readFields(fm, 'post', POST_FIELDS, POST_EXAMPLES);
  const { title, date, updated } = values;
  const slug = refused.has('slug') ? null : values.slug ?? slugOfFile(source.path, diagnostics);

  if (date && updated && updated.time < date.time) {
    diagnostics.push(fieldError(fm, 'post', 'updated', 'updated-before-date', '« updated » est antérieure à « date ».',
      'La date de mise à jour doit suivre la date de publication.'));
  }

  if (title === null || date === null || values.author === null || slug === null) return { record: null, diagnostics };
  const { source: credit, cover } = values;
  return {
    record: {
      file: source.path, slug, title, date, updated, authorIds: values.author, categories: values.categories, tags: values.tags,
      summary: values.summary, draft: values.draft, commentsOpen: values.comments,
      source: credit && { title: credit.title, url: credit.url ?? null, canonical: credit.canonical },
      cover: cover && { src: cover.src, alt: cover.alt, caption: cover.caption ?? null },
      aliases: values.aliases, body: fm.body, bodyLine: fm.bodyLine,
      positions: Object.fromEntries(Object.keys(fm.data).map((key) => [key, fm.positionOf(key)])),
    },
    diagnostics,
  };
}

/** An essay without `slug` takes its file's name. */
function slugOfFile(path: string, diagnostics: Diagnostic[]): string | null {
  const stem = fileStem(path);
  const slug = toSlug(stem);
  if (slug === '') {
    diagnostics.push(contentError(path, undefined, 'post/bad-file-name',
      "Le nom du fichier ne donne aucune adresse pour l'essai.", 'Renommez le fichier avec des lettres, par exemple mon-essai.md.'));
    return null;
  }
  if (losesCharacters(stem)) {
    diagnostics.push(contentWarning(path, undefined, 'post/lossy-slug',
      `Le nom du fichier « ${stem} » donne l'adresse « ${slug} » : des caractères y ont été transcrits au hasard ou perdus.`,
      `Renommez le fichier en lettres latines, ou choisissez l'adresse dans l'en-tête : slug: ${slug}`));
  }
  return slug;
}

/** True when a name holds more than Latin letters (accents are fine), digits and separators: its slug cannot say it. */
function losesCharacters(stem: string): boolean {
  return /[^A-Za-z0-9 _\-'’.&œŒæÆß]/.test(stem.normalize('NFD').replace(/\p{M}/gu, ''));
}
