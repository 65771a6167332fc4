import { pictureOf, type ImageSize, type ImageUse, type Picture } from '../images/image-set.js';
import { compareText } from '../diagnostics/diagnostic.js';
import { EXCERPT_LENGTH, type BodyHtml, type MarkdownOutput } from '../markdown/html-text.js';
import type { Author, AuthorLink, CategoryInfo, Comment, ContentDate, Cover, Post, PostSource, SiteConfig, StandalonePage } from '../records.js';
import { isFrenchLanguage, typesetFrench } from '../markdown/french-typography.js';
import { toSlug } from './slug.js';
import { pageThreadKey } from '../validate/page.js';
import { routes } from './routes.js';
import { buildThread, countComments, type ThreadComment } from './threads.js';

/** A link to a taxonomy term (category, tag) or an author. */
export interface Ref {
  name: string;
  slug: string;
  url: string;
}

/** An essay with everything the pages show about it. */
export interface SitePost {
  file: string;
  slug: string;
  url: string;
  title: string;
  date: ContentDate;
  updated: ContentDate | null;
  draft: boolean;
  scheduled: boolean;
  commentsOpen: boolean;
  source: PostSource | null;
  cover: (Cover & { picture: Picture | null }) | null;
  /** The summary, or the start of the first paragraph. */
  excerpt: string;
  html: BodyHtml;
  words: number;
  readingMinutes: number;
  authors: Ref[];
  categories: Ref[];
  tags: Ref[];
  /** The conversation, oldest first at each level. */
  comments: ThreadComment[];
  /** Comments and replies, all levels. */
  commentCount: number;
  /** Up to three essays sharing categories or tags, most related first. */
  related: PostCard[];
  /** Old addresses that redirect here. */
  aliases: string[];
}

/** A standalone page (content/pages/), with its body and where it sits. */
export interface SitePage {
  file: string;
  path: string;
  url: string;
  title: string;
  description: string;
  updated: ContentDate | null;
  html: BodyHtml;
  /** Its parent page (`mentions` for `mentions/contact`), when there is one. */
  parent: { title: string; url: string } | null;
  aliases: string[];
  /** Its thread's folder in content/comments/ (`page--a-propos`): what the comment form posts. */
  slug: string;
  commentsOpen: boolean;
  comments: ThreadComment[];
  commentCount: number;
}

/** An entry of the header's navigation. */
export interface MenuEntry {
  title: string;
  url: string;
}

/**
 * An essay as another essay's page shows it (« À lire aussi »): its outline, without its body,
 * thread or own related essays. The site graph stays acyclic, so a page's inputs can be
 * keyed, and a body edit never reaches another essay's page.
 */
export type PostCard = Pick<SitePost, 'file' | 'slug' | 'url' | 'title' | 'date' | 'updated' | 'draft' | 'scheduled' | 'commentsOpen' | 'source' | 'cover' | 'authors' | 'categories' | 'tags'>;

/**
 * A function of an object computed once per object: a card is one object however many pages
 * show it, so that its data key is computed once (render/data-key.ts).
 */
function oncePerObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}

/** The card of an essay (see PostCard). */
export const postCard = oncePerObject((post: SitePost): PostCard => {
  const { file, slug, url, title, date, updated, draft, scheduled, commentsOpen, source, cover, authors, categories, tags } = post;
  return { file, slug, url, title, date, updated, draft, scheduled, commentsOpen, source, cover, authors, categories, tags };
});

/** An author with their essays, newest first. */
export interface SiteAuthor {
  file: string;
  id: string;
  name: string;
  url: string;
  feedUrl: string;
  avatar: string | null;
  /** The avatar's `<picture>` in the author box (64 px) and on the author's page (96 px), when it is a photo of public/. */
  avatarPictures: { box: Picture | null; page: Picture | null };
  website: string | null;
  links: AuthorLink[];
  bioHtml: BodyHtml;
  posts: SitePost[];
}

/** An author as pages show them around a list or an essay: their essays as cards. */
export type AuthorCard = Omit<SiteAuthor, 'posts'> & { posts: PostCard[] };

/** The card of an author (see AuthorCard). */
export const authorCard = oncePerObject((author: SiteAuthor): AuthorCard => ({ ...author, posts: author.posts.map(postCard) }));

/** A category or a tag, with its essays, newest first. */
export interface SiteTerm {
  kind: 'category' | 'tag';
  slug: string;
  name: string;
  url: string;
  /** Atom feed of the term's essays (categories only). */
  feedUrl: string | null;
  descriptionHtml: BodyHtml;
  /** The category it sits in (a category file's `parent`), when that category has essays. */
  parent: Ref | null;
  posts: SitePost[];
}

/** A category or a tag as pages show it around a list: its essays as cards. */
export type TermCard = Omit<SiteTerm, 'posts'> & { posts: PostCard[] };

/** The card of a category or a tag (see TermCard). */
export const termCard = oncePerObject((term: SiteTerm): TermCard => ({ ...term, posts: term.posts.map(postCard) }));

/** The whole site as data: what every page generator reads. */
export interface Site {
  config: SiteConfig;
  posts: SitePost[];
  authors: SiteAuthor[];
  categories: SiteTerm[];
  tags: SiteTerm[];
  /** Standalone pages, by path. */
  pages: SitePage[];
  /** Pages with `menu`, in their order: the header lists them after the site's own entries. */
  menu: MenuEntry[];
}

/** Validated records and their rendered Markdown, keyed by file path. */
export interface SiteInput {
  config: SiteConfig;
  posts: Post[];
  authors: Author[];
  categories: CategoryInfo[];
  comments: Comment[];
  pages?: StandalonePage[];
  markdown: ReadonlyMap<string, MarkdownOutput>;
  /** Sizes of the images of public/, by site path: covers and avatars are served in `<picture>`. */
  images?: Readonly<Record<string, ImageSize>>;
}

/** Which essays are published in this build. */
export interface PublishOptions {
  now: number;
  drafts: boolean;
  future: boolean;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Links records into the Site: newest-first essays, authors and categories with their essays. */
export function buildSite(input: SiteInput, options: PublishOptions): Site {
  const { markdown } = input;
  const typeset = isFrenchLanguage(input.config.language) ? (text: string) => typesetFrench(text) : (text: string) => text;
  // The site's own words are French text too: its name and description on every page.
  const config = { ...input.config, title: typeset(input.config.title), description: typeset(input.config.description) };
  const html = (file: string) => markdown.get(file)?.html ?? '';
  const images = input.images ?? {};
  const picture = (image: string, use: ImageUse) => pictureOf(image, images, config.images, use);
  const authorById = new Map(input.authors.map((author) => [author.id, author]));
  const categoryInfo = new Map(input.categories.map((info) => [info.slug, info]));
  const commentsByPost = new Map<string, Comment[]>();
  for (const comment of input.comments) {
    const list = commentsByPost.get(comment.postSlug);
    if (list) list.push(comment);
    else commentsByPost.set(comment.postSlug, [comment]);
  }

  const posts = input.posts
    .filter((post) => isPublished(post, options))
    .map((post): SitePost => {
      const rendered = markdown.get(post.file);
      const comments = buildThread(commentsByPost.get(post.slug) ?? [], (comment) => html(comment.file), typeset);
      return {
        file: post.file,
        slug: post.slug,
        url: routes.post(post.slug),
        title: typeset(post.title),
        date: post.date,
        updated: post.updated,
        draft: post.draft,
        scheduled: post.date.time > options.now,
        commentsOpen: post.commentsOpen,
        source: post.source && { ...post.source, title: typeset(post.source.title) },
        cover: post.cover && { ...post.cover, caption: post.cover.caption && typeset(post.cover.caption), picture: picture(post.cover.src, { kind: 'column' }) },
        ...bodyFields(post, rendered, config),
        authors: post.authorIds.map((id) => ({ name: typeset(authorById.get(id)?.name ?? id), slug: id, url: routes.author(id) })),
        categories: post.categories.map((name) => {
          const slug = toSlug(name);
          return { name: typeset(categoryInfo.get(slug)?.name ?? name), slug, url: routes.category(slug) };
        }),
        tags: post.tags.map((name) => ({ name: typeset(name), slug: toSlug(name), url: routes.tag(toSlug(name)) })),
        comments,
        commentCount: countComments(comments),
        related: [],
        aliases: post.aliases ?? [],
      };
    })
    .sort(newestFirst);

  const authors = input.authors
    .map((author): SiteAuthor => ({
      file: author.file,
      id: author.id,
      name: typeset(author.name),
      url: routes.author(author.id),
      feedUrl: routes.authorFeed(author.id),
      avatar: author.avatar,
      avatarPictures: {
        box: author.avatar ? picture(author.avatar, { kind: 'fixed', width: 64, height: 64 }) : null,
        page: author.avatar ? picture(author.avatar, { kind: 'fixed', width: 96, height: 96 }) : null,
      },
      website: author.website,
      links: author.links,
      bioHtml: author.bio ? html(author.file) : '',
      posts: posts.filter((post) => post.authors.some((ref) => ref.slug === author.id)),
    }))
    .sort((a, b) => collator.compare(a.name, b.name) || compareText(a.id, b.id));

  const categories = collectTerms(posts, 'category', (slug) => {
    const info = categoryInfo.get(slug);
    return info?.description ? html(info.file) : '';
  });
  const tags = collectTerms(posts, 'tag', () => '');
  const categoryBySlug = new Map(categories.map((term) => [term.slug, term]));
  for (const term of categories) {
    const parent = categoryBySlug.get(categoryInfo.get(term.slug)?.parent ?? '');
    if (parent && parent !== term) term.parent = { name: parent.name, slug: parent.slug, url: parent.url };
  }
  const related = relatedIndex(posts);
  for (const post of posts) post.related = related(post).map(postCard);
  const pages = standalonePages(input.pages ?? [], html, (file) => markdown.get(file)?.firstParagraph ?? '', typeset, (slug) => buildThread(commentsByPost.get(slug) ?? [], (comment) => html(comment.file), typeset));
  const menu = (input.pages ?? []).filter((page) => page.menu !== null)
    .sort((a, b) => a.menu! - b.menu! || collator.compare(a.title, b.title) || compareText(a.path, b.path))
    .map((page) => ({ title: typeset(page.title), url: routes.page(page.path) }));
  return { config, posts, authors, categories, tags, pages, menu };
}

/** The standalone pages, sorted by path, each knowing its parent page. */
function standalonePages(pages: readonly StandalonePage[], html: (file: string) => BodyHtml, firstParagraph: (file: string) => string, typeset: (text: string) => string, thread: (slug: string) => ThreadComment[]): SitePage[] {
  const byPath = new Map(pages.map((page) => [page.path, page]));
  return [...pages].sort((a, b) => compareText(a.path, b.path)).map((page) => {
    const parent = byPath.get(page.path.split('/').slice(0, -1).join('/'));
    const slug = pageThreadKey(page.path);
    const comments = thread(slug);
    return {
      file: page.file,
      path: page.path,
      url: routes.page(page.path),
      title: typeset(page.title),
      description: page.summary !== null ? typeset(page.summary) : truncate(firstParagraph(page.file), EXCERPT_LENGTH),
      updated: page.updated,
      html: html(page.file),
      parent: parent && parent !== page ? { title: typeset(parent.title), url: routes.page(parent.path) } : null,
      aliases: page.aliases,
      slug,
      commentsOpen: page.commentsOpen,
      comments,
      commentCount: countComments(comments),
    };
  });
}

/** Groups essays by category or tag, sorted by name in French order. */
function collectTerms(posts: readonly SitePost[], kind: SiteTerm['kind'], describe: (slug: string) => BodyHtml): SiteTerm[] {
  const bySlug = new Map<string, SiteTerm>();
  for (const post of posts) {
    for (const ref of kind === 'category' ? post.categories : post.tags) {
      let term = bySlug.get(ref.slug);
      if (!term) {
        term = {
          kind,
          slug: ref.slug,
          name: ref.name,
          url: kind === 'category' ? routes.category(ref.slug) : routes.tag(ref.slug),
          feedUrl: kind === 'category' ? routes.categoryFeed(ref.slug) : null,
          descriptionHtml: describe(ref.slug),
          parent: null,
          posts: [],
        };
        bySlug.set(ref.slug, term);
      }
      term.posts.push(post);
    }
  }
  return [...bySlug.values()].sort((a, b) => collator.compare(a.name, b.name) || compareText(a.slug, b.slug));
}

/**
 * Up to three other essays, scored by what they share: a category counts twice a tag.
 * Ties go to the newest; essays that share nothing are never suggested.
 */
export function relatedPosts(post: SitePost, posts: readonly SitePost[], limit = 3): SitePost[] {
  return relatedIndex(posts, limit)(post);
}

/**
 * Prepares related-essay lookups for a whole site at once: an index from each category and tag
 * to its essays, so that each essay only meets the essays it shares something with (linear in
 * practice, where comparing every pair was quadratic).
 */
export function relatedIndex(posts: readonly SitePost[], limit = 3): (post: SitePost) => SitePost[] {
  // Each category and tag becomes a number, each essay the list of its terms with their weight,
  // and each term the list of its essays: the loop below then meets numbers only.
  const termIds = new Map<string, number>();
  const members: number[][] = [];
  const termsOf = posts.map((post, index) => {
    const weights = new Map<number, number>();
    const add = (key: string, weight: number) => {
      let id = termIds.get(key);
      if (id === undefined) {
        termIds.set(key, (id = members.length));
        members.push([]);
      }
      if (!weights.has(id)) members[id]!.push(index);
      weights.set(id, weight);
    };
    for (const ref of post.categories) add(`c:${ref.slug}`, 2);
    for (const ref of post.tags) add(`t:${ref.slug}`, 1);
    return [...weights];
  });
  const byTerm = members.map((list) => Int32Array.from(list));
  const rank = new Map(posts.map((post, index) => [post, index]));
  // Scores in a typed array, reset after each essay: a category of thousands of essays is met by
  // each of them, and a Map per essay made this the slowest part of the graph (10 000 essays: 5 s).
  const scores = new Int32Array(posts.length);
  // The site's essays come newest first: ties are then broken by position, without comparing titles.
  const inOrder = posts.every((post, i) => i === 0 || newestFirst(posts[i - 1]!, post) < 0);
  const touched: number[] = [];
  return (post) => {
    const self = rank.get(post);
    for (const [term, weight] of self === undefined ? [] : termsOf[self]!) {
      const list = byTerm[term]!;
      for (let i = 0; i < list.length; i++) {
        const other = list[i]!;
        if (other === self) continue;
        if (scores[other] === 0) touched.push(other);
        scores[other] = scores[other]! + weight;
      }
    }
    // Keep the best `limit` in one pass, by insertion, without an object per candidate: sorting
    // every candidate, or a pair for each, cost far more (1 000 essays: 60 ms of a 1.6 s build).
    const best: number[] = [];
    const bestScores: number[] = [];
    const before = (a: number, scoreA: number, b: number, scoreB: number) =>
      scoreA !== scoreB ? scoreA > scoreB : (inOrder ? a < b : newestFirst(posts[a]!, posts[b]!) < 0);
    for (const index of touched) {
      const score = scores[index]!;
      scores[index] = 0;
      if (best.length === limit && !before(index, score, best[limit - 1]!, bestScores[limit - 1]!)) continue;
      if (best.length === limit) { best.pop(); bestScores.pop(); }
      let at = best.length;
      while (at > 0 && before(index, score, best[at - 1]!, bestScores[at - 1]!)) at -= 1;
      best.splice(at, 0, index);
      bestScores.splice(at, 0, score);
    }
    touched.length = 0;
    return best.map((index) => posts[index]!);
  };
}

/** What an essay's page and lists take from its rendered body: HTML, excerpt, length. */
export function bodyFields(post: Post, rendered: MarkdownOutput | undefined, config: SiteConfig): Pick<SitePost, 'excerpt' | 'html' | 'words' | 'readingMinutes'> {
  return {
    excerpt: post.summary !== null ? (isFrenchLanguage(config.language) ? typesetFrench(post.summary) : post.summary) : truncate(rendered?.firstParagraph ?? '', EXCERPT_LENGTH),
    html: rendered?.html ?? '',
    words: rendered?.words ?? 0,
    readingMinutes: Math.max(1, Math.round((rendered?.words ?? 0) / config.wordsPerMinute)),
  };
}

/** True when two versions of an essay differ only in their body (same place in every list). */
export function sameOutline(a: Post, b: Post): boolean {
  const outline = (post: Post) => JSON.stringify({ ...post, body: null, bodyLine: null, positions: null });
  return outline(a) === outline(b);
}

function isPublished(post: Post, options: PublishOptions): boolean {
  if (post.draft && !options.drafts) return false;
  if (post.date.time > options.now && !options.future) return false;
  return true;
}

/** Newest first; ties broken by title then slug so that the order never depends on the disk. */
export function newestFirst(a: SitePost, b: SitePost): number {
  return b.date.time - a.date.time || collator.compare(a.title, b.title) || compareText(a.slug, b.slug);
}

/** Shortens text to about `length` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > length / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.\u202F\u00A0]+$/, '')}…`;
}
