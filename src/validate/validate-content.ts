import { sourceHash } from '../cache/source-hash.js';
import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { validateConfig } from '../config.js';
import type { ContentSources } from '../load/read-sources.js';
import type { Author, CategoryInfo, Comment, Post, SiteConfig, SourceFile, StandalonePage } from '../records.js';
import { toSlug } from '../graph/slug.js';
import { validateAuthor } from './author.js';
import { validateCategoryInfo } from './category.js';
import { validateComment } from './comment.js';
import { checkCommentReferences } from './comment-references.js';
import { validatePage } from './page.js';
import { validatePost, type Validated } from './post.js';

/** The validated records of a whole site, and everything found wrong with them. */
export interface ValidatedContent {
  config: SiteConfig;
  posts: Post[];
  authors: Author[];
  categories: CategoryInfo[];
  comments: Comment[];
  pages: StandalonePage[];
  diagnostics: Diagnostic[];
}

/**
 * Results of validating files, kept by path with the hash of the text they were made from (dev
 * server, and `.cache/agora/validation/`). An entry leaves out the record's body when it is the
 * end of the file's text, and keeps its length instead (see validationEntry).
 */
export type ValidationCache = Map<string, ValidationEntry>;

/** The record each kind of file of content/ validates to. */
export interface RecordKinds {
  post: Post;
  author: Author;
  category: CategoryInfo;
  comment: Comment;
  page: StandalonePage;
}

/** One cached validation, told apart by its kind: the hash of the text, the result, and for a bodyless entry the length of the body. */
export type ValidationEntry = { [K in keyof RecordKinds]: { kind: K; hash: string; result: Validated<RecordKinds[K]>; bodyLength?: number } }[keyof RecordKinds];

/**
 * The cache entry of a file's validation: its kind, the hash of its text, and the result without
 * the record's Markdown body (an essay's or a comment's) when the body is the end of the text,
 * which holds it: the cache stays small.
 */
export function validationEntry<K extends keyof RecordKinds>(kind: K, file: SourceFile, result: Validated<RecordKinds[K]>): ValidationEntry {
  const { text } = file;
  const hash = sourceHash(file);
  const body = (result.record as { body?: unknown } | null)?.body;
  if (typeof body !== 'string' || !text.endsWith(body)) return { kind, hash, result } as ValidationEntry;
  // Stored without its body (null): cachedValidation puts it back before anyone reads the record.
  return { kind, hash, result: { ...result, record: { ...result.record, body: null } }, bodyLength: body.length } as unknown as ValidationEntry;
}

/** The cached result of a file of this kind whose text has the entry's hash, its body taken again from the text; undefined otherwise. */
function cachedValidation<K extends keyof RecordKinds>(entry: ValidationEntry | undefined, kind: K, file: SourceFile): Validated<RecordKinds[K]> | undefined {
  if (!entry || entry.kind !== kind || entry.hash !== sourceHash(file)) return undefined;
  const { text } = file;
  const result = entry.result as Validated<RecordKinds[K]>;
  if (entry.bodyLength === undefined || !result.record) return result;
  return { ...result, record: { ...result.record, body: text.slice(text.length - entry.bodyLength) } };
}

/**
 * Validates every file, then the references between them (authors, category files, comment
 * threads). With a cache, a file whose text has not changed is not parsed again.
 */
export function validateContent(sources: ContentSources, cache?: ValidationCache): ValidatedContent {
  const diagnostics: Diagnostic[] = [...(sources.skipped ?? [])];
  const { config, diagnostics: configDiagnostics } = validateConfig(sources.config);
  diagnostics.push(...configDiagnostics);
  const collect = <K extends keyof RecordKinds>(kind: K) => (file: SourceFile): RecordKinds[K][] => {
    const result = validateFile(kind, file, config, cache);
    diagnostics.push(...result.diagnostics);
    return result.record ? [result.record] : [];
  };
  const posts = sources.posts.flatMap(collect('post'));
  const authors = sources.authors.flatMap(collect('author'));
  const categories = sources.categories.flatMap(collect('category'));
  const comments = sources.comments.flatMap(collect('comment'));
  const pages = (sources.pages ?? []).flatMap(collect('page'));
  if (cache) {
    // Files gone from content/ leave the cache with them.
    const present = new Set([sources.posts, sources.authors, sources.categories, sources.comments, sources.pages ?? []].flatMap((list) => list.map((file) => file.path)));
    for (const key of cache.keys()) if (!present.has(key)) cache.delete(key);
  }
  diagnostics.push(...checkReferences(posts, authors, categories));
  if (config.defaultAuthor && !authors.some((author) => author.id === config.defaultAuthor)) {
    diagnostics.push(contentWarning('content/site.yml', undefined, 'site/unknown-default-author',
      `« defaultAuthor » désigne un auteur inconnu : ${config.defaultAuthor} (aucun fichier content/authors/${config.defaultAuthor}.md).`,
      `Choisissez parmi : ${authors.map((author) => author.id).join(', ') || 'aucun'}.`));
  }
  diagnostics.push(...checkCommentReferences(comments, posts, pages));
  return { config, posts, authors, categories, comments, pages, diagnostics };
}

/** How each kind of file is validated, and the size limit it is held to (site.yml `limits`). */
const KINDS: { [K in keyof RecordKinds]: { validate: (file: SourceFile) => Validated<RecordKinds[K]>; limit: 'postKiB' | 'commentKiB' } } = {
  post: { validate: validatePost, limit: 'postKiB' },
  author: { validate: validateAuthor, limit: 'postKiB' },
  category: { validate: validateCategoryInfo, limit: 'postKiB' },
  comment: { validate: validateComment, limit: 'commentKiB' },
  page: { validate: validatePage, limit: 'postKiB' },
};

/**
 * One file of a kind: refused over its size limit before anything parses it, else validated,
 * or taken from the cache when its text did not change (and kept there otherwise).
 */
export function validateFile<K extends keyof RecordKinds>(kind: K, file: SourceFile, config: SiteConfig, cache?: ValidationCache): Validated<RecordKinds[K]> {
  const { validate, limit } = KINDS[kind];
  const tooLarge = checkSize(file, config.limits[limit], limit);
  if (tooLarge) return { record: null, diagnostics: [tooLarge] };
  const cached = cache ? cachedValidation(cache.get(file.path), kind, file) : undefined;
  if (cached) return cached;
  const result = validate(file);
  cache?.set(file.path, validationEntry(kind, file, result));
  return result;
}

/** A file over its size limit: an error before anything parses it (`limits` in site.yml). */
export function checkSize(file: SourceFile, maxKiB: number, limitName: string): Diagnostic | null {
  const bytes = file.unreadBytes ?? (file.text.length > maxKiB * 256 ? Buffer.byteLength(file.text) : 0);
  if (bytes <= maxKiB * 1024) return null;
  return contentError(file.path, undefined, 'content/too-large',
    `Le fichier pèse ${formatKiB(bytes)} : au plus ${formatKiB(maxKiB * 1024)} sont acceptés (limits.${limitName} dans content/site.yml).`,
    `Découpez le texte, ou relevez la limite dans content/site.yml : limits: { ${limitName}: ${Math.ceil(bytes / 1024)} }`);
}

function formatKiB(bytes: number): string {
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1024)} Kio`;
}

/** Unknown author ids, and category files that no essay uses. */
export function checkReferences(posts: readonly Post[], authors: readonly Author[], categories: readonly CategoryInfo[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const known = new Set(authors.map((author) => author.id));
  const knownList = [...known].join(', ') || 'aucun';
  for (const post of posts) {
    for (const id of post.authorIds) {
      if (!known.has(id)) {
        diagnostics.push(contentError(post.file, post.positions.author, 'post/unknown-author',
          `Auteur inconnu « ${id} » : aucun fichier content/authors/${id}.md.`,
          `Créez content/authors/${id}.md avec un champ « name », ou utilisez un identifiant existant : ${knownList}.`));
      }
    }
  }
  const used = new Set(posts.flatMap((post) => post.categories.map(toSlug)));
  for (const category of categories) {
    if (!used.has(category.slug)) {
      diagnostics.push(contentWarning(category.file, undefined, 'category/unused',
        `Aucun essai n'est dans la catégorie « ${category.slug} » : cette description n'est affichée nulle part.`,
        'Vérifiez l\'orthographe de la catégorie dans les essais, ou supprimez ce fichier.'));
    }
  }
  return diagnostics;
}
