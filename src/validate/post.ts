import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Cover, Post, PostSource, SourceFile } from '../records.js';
import { fileStem, isSlug, toSlug } from '../graph/slug.js';
import { FieldReader, IMAGE_HINT, imageMessage, isHttpUrl, isImageAddress } from './fields.js';
import { parseFrontMatter } from './front-matter.js';

const POST_FIELDS = [
  'title', 'date', 'author', 'categories', 'tags', 'summary', 'slug', 'updated', 'draft', 'comments', 'source', 'cover', 'aliases',
] as const;

/** Result of validating one file: the record (when usable) and what was found wrong. */
export interface Validated<T> {
  record: T | null;
  diagnostics: Diagnostic[];
}

/** Validates `content/posts/<slug>.md` into a Post. */
export function validatePost(source: SourceFile): Validated<Post> {
  const parsed = parseFrontMatter(source);
  if (!parsed.ok) return { record: null, diagnostics: parsed.diagnostics };
  const fm = parsed.frontMatter;
  const fields = new FieldReader(fm, 'post', POST_FIELDS);
  fields.checkUnknownFields();

  const title = fields.string('title', { required: true, example: '"Mon essai : un sous-titre"' });
  const date = fields.date('date', { required: true });
  const updated = fields.date('updated');
  const authorIds = fields.stringList('author', { required: true, example: 'mathieu-janin' });
  const categories = fields.stringList('categories', { example: 'Réseaux sociaux, Influence' });
  const tags = fields.stringList('tags', { example: 'confiance, marketing' });
  const summary = fields.string('summary');
  const draft = fields.boolean('draft', false);
  const commentsOpen = fields.boolean('comments', true);
  const slug = readSlug(fields, source.path);
  const sourceCredit = readSource(fields);
  const cover = readCover(fields);
  const aliases = fields.aliases();

  if (date && updated && updated.time < date.time) {
    fields.error('updated', 'updated-before-date', '« updated » est antérieure à « date ».',
      'La date de mise à jour doit suivre la date de publication.');
  }
  for (const [index, category] of categories.entries()) {
    if (toSlug(category) === '') {
      fields.error('categories', 'bad-categories', `La catégorie n° ${index + 1} (« ${category} ») ne donne aucune adresse.`,
        'Utilisez au moins une lettre ou un chiffre.');
    }
  }

  const usable = title !== null && date !== null && authorIds.length > 0 && slug !== null;
  if (!usable) return { record: null, diagnostics: fields.diagnostics };
  return {
    record: {
      file: source.path, slug, title, date, updated, authorIds, categories, tags, summary, draft, commentsOpen,
      source: sourceCredit, cover, aliases, body: fm.body, bodyLine: fm.bodyLine,
      positions: Object.fromEntries(Object.keys(fm.data).map((key) => [key, fm.positionOf(key)])),
    },
    diagnostics: fields.diagnostics,
  };
}

function readSlug(fields: FieldReader, path: string): string | null {
  const explicit = fields.string('slug');
  if (explicit !== null) {
    if (!isSlug(explicit)) {
      fields.error('slug', 'bad-slug', `« slug » doit être en minuscules ASCII séparées par des tirets (reçu : ${explicit}).`,
        `Par exemple : slug: ${toSlug(explicit) || 'mon-essai'}`);
      return null;
    }
    return explicit;
  }
  const stem = fileStem(path);
  const slug = toSlug(stem);
  if (slug === '') {
    fields.diagnostics.push(contentError(path, undefined, 'post/bad-file-name',
      "Le nom du fichier ne donne aucune adresse pour l'essai.", 'Renommez le fichier avec des lettres, par exemple mon-essai.md.'));
    return null;
  }
  if (losesCharacters(stem)) {
    fields.diagnostics.push(contentWarning(path, undefined, 'post/lossy-slug',
      `Le nom du fichier « ${stem} » donne l'adresse « ${slug} » : des caractères y ont été transcrits au hasard ou perdus.`,
      `Renommez le fichier en lettres latines, ou choisissez l'adresse dans l'en-tête : slug: ${slug}`));
  }
  return slug;
}

/** True when a name holds more than Latin letters (accents are fine), digits and separators: its slug cannot say it. */
function losesCharacters(stem: string): boolean {
  return /[^A-Za-z0-9 _\-'’.&œŒæÆß]/.test(stem.normalize('NFD').replace(/\p{M}/gu, ''));
}

function readSource(fields: FieldReader): PostSource | null {
  const value = fields.object('source');
  if (!value) return null;
  const title = typeof value.title === 'string' ? value.title.trim() : '';
  const url = typeof value.url === 'string' ? value.url.trim() : null;
  if (!title) {
    fields.error('source', 'bad-source', '« source » doit avoir un « title » (le nom de la publication d\'origine).',
      'Par exemple :\n      source:\n        title: Paperblog\n        url: https://exemple.org/');
    return null;
  }
  if (url !== null && !isHttpUrl(url)) {
    fields.error('source.url', 'bad-source', `« source.url » doit être une adresse http(s) complète (reçu : ${url}).`,
      'Exemple : https://exemple.org/article');
    return null;
  }
  const canonical = value.canonical === true;
  if (value.canonical !== undefined && typeof value.canonical !== 'boolean') {
    fields.error('source.canonical', 'bad-source', '« source.canonical » doit valoir true ou false.', 'Par exemple : canonical: true');
    return null;
  }
  if (canonical && url === null) {
    fields.error('source.canonical', 'bad-source', '« source.canonical: true » demande l\'adresse de l\'original dans « source.url ».',
      'Ajoutez « url: https://… » sous « source: », ou retirez « canonical ».');
    return null;
  }
  return { title, url, canonical };
}

function readCover(fields: FieldReader): Cover | null {
  const value = fields.object('cover');
  if (!value) return null;
  const src = typeof value.src === 'string' ? value.src.trim() : '';
  const alt = typeof value.alt === 'string' ? value.alt.trim() : null;
  const caption = typeof value.caption === 'string' ? value.caption.trim() : null;
  if (!src || alt === null) {
    fields.error('cover', 'bad-cover', '« cover » doit avoir « src » (le fichier) et « alt » (sa description pour qui ne voit pas l\'image).',
      'Par exemple :\n      cover:\n        src: /images/essai.jpg\n        alt: Des galets en équilibre');
    return null;
  }
  if (!isImageAddress(src)) {
    fields.error('cover.src', 'bad-cover', imageMessage('cover.src', src), IMAGE_HINT);
    return null;
  }
  return { src, alt, caption };
}
