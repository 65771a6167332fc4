import { stringify } from 'yaml';
import { zonedParts } from '../dates.js';
import { routes } from '../graph/routes.js';
import { commentDate, formatCommentFile } from '../intake/comment-file.js';
import { isSlug, toSlug } from '../graph/slug.js';
import { pageThreadKey, RESERVED_SEGMENTS } from '../validate/page.js';
import { htmlToText, wordpressToMarkdown } from './wordpress-html.js';
import type { WxrComment, WxrExport, WxrItem } from './wxr.js';

/** A file the import writes: where (relative to the project), and its bytes or the file to copy. */
export type PlannedFile = { path: string; text: string } | { path: string; copyFrom: string };

/** What an export gives: the files to write, and what to tell the owner. */
export interface ImportPlan {
  files: PlannedFile[];
  counts: Record<CountKey, number>;
  /** Each with the post's title and WordPress id where there is one. */
  warnings: string[];
  /** Uploads that the content uses but that are not in --media (their old URL stays). */
  missingMedia: string[];
}

export type CountKey = 'essays' | 'drafts' | 'scheduled' | 'pages' | 'comments' | 'pending' | 'authors' | 'categories' | 'tags' | 'media'
  | 'private' | 'pingbacks' | 'spam' | 'others';

/** How to plan: the site's time zone, and where the uploads are (null: old URLs stay). */
export interface PlanOptions {
  timeZone: string;
  /** Whether an upload (its path under wp-content/uploads/) is in the --media folder, and where. */
  media: ((relative: string) => string | null) | null;
  /** Where pending comments wait for moderation, relative to the project (`.comments/en-attente`). */
  queue: string;
}

const UPLOADS = /^\/(?:.*\/)?wp-content\/uploads\/(.+)$/;

/** `2011-07-04 10:00:00` (UTC) → the instant; null for WordPress's `0000-00-00 00:00:00`. */
function gmtInstant(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match || match[1] === '0000') return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** The instant of a WordPress date: its GMT twin, else its local time read in the site's time zone. */
function instantOf(local: string, gmt: string, timeZone: string): number | null {
  const exact = gmtInstant(gmt);
  if (exact !== null) return exact;
  const asUtc = gmtInstant(local);
  if (asUtc === null) return null;
  // The offset at that moment, found from a first guess (good away from the hour a clock changes).
  const offset = offsetMs(asUtc, timeZone);
  return asUtc - offsetMs(asUtc - offset, timeZone);
}

function offsetMs(time: number, timeZone: string): number {
  const parts = zonedParts(time, timeZone);
  const wall = Date.UTC(parts.year, parts.month, parts.day, parts.hour, parts.minute, new Date(time).getUTCSeconds());
  return wall - Math.floor(time / 1000) * 1000;
}

/** A Markdown file with its front matter, quoted by the `yaml` library. */
function markdownFile(header: Record<string, unknown>, body: string): string {
  const fields = Object.fromEntries(Object.entries(header).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && !value.length)));
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n\n${body.trim()}\n`;
}

/** A WordPress slug (`post_name`, percent-encoded for accented ones) when it is a valid one, else one made from `fallback`. */
function slugOf(name: string, fallback: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // Kept as it is.
  }
  if (isSlug(decoded)) return decoded;
  return toSlug(fallback) || toSlug(decoded);
}

/** The first words of a text, for a post without a title. */
function firstWords(text: string, count = 8): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > count ? `${words.slice(0, count).join(' ')}…` : words.join(' ');
}

/** The path of a URL, when it is one of the old blog's; null otherwise. */
function ownPath(url: string, blogHosts: ReadonlySet<string>): { path: string; search: URLSearchParams; hash: string } | null {
  if (url.startsWith('/') && !url.startsWith('//')) {
    const parsed = new URL(url, 'http://x.invalid');
    return { path: parsed.pathname, search: parsed.searchParams, hash: parsed.hash };
  }
  try {
    const parsed = new URL(url);
    if (!/^https?:$/.test(parsed.protocol) || !blogHosts.has(parsed.hostname.replace(/^www\./, ''))) return null;
    return { path: parsed.pathname, search: parsed.searchParams, hash: parsed.hash };
  } catch {
    return null;
  }
}

const withSlash = (path: string) => (path.endsWith('/') || /\.[a-z0-9]+$/i.test(path) ? path : `${path}/`);

/**
 * Turns an export into the files of an Agora project: essays, pages, comments (the pending ones
 * into the moderation queue), authors, categories with a description or a parent, and the
 * uploads the content uses. Pure: reading the export and writing the files are done around it.
 */
export function planImport(wxr: WxrExport, options: PlanOptions): ImportPlan {
  const counts = Object.fromEntries(['essays', 'drafts', 'scheduled', 'pages', 'comments', 'pending', 'authors', 'categories', 'tags', 'media', 'private', 'pingbacks', 'spam', 'others'].map((key) => [key, 0])) as Record<CountKey, number>;
  const warnings: string[] = [];
  const files: PlannedFile[] = [];
  const missingMedia = new Set<string>();
  const copied = new Map<string, string>();
  const blogHosts = new Set<string>();
  try {
    if (wxr.blogUrl) blogHosts.add(new URL(wxr.blogUrl).hostname.replace(/^www\./, ''));
  } catch {
    // No address for the blog: only site-relative links are its own.
  }

  const kept = (item: WxrItem) => item.status === 'publish' || item.status === 'future' || item.status === 'draft' || item.status === 'pending';
  const posts: WxrItem[] = [];
  const pages: WxrItem[] = [];
  for (const item of wxr.items) {
    if (item.type !== 'post' && item.type !== 'page') continue;
    const label = `« ${item.title || '(sans titre)'} » (WordPress n° ${item.id})`;
    if (item.status === 'private' || item.password) {
      counts.private += 1;
      warnings.push(`${label} : ${item.password ? 'protégé par un mot de passe' : 'privé'}, non importé.`);
      continue;
    }
    if (!kept(item)) continue;
    (item.type === 'post' ? posts : pages).push(item);
  }

  // Addresses first: every link between posts of the old blog is rewritten to the new pages.
  const newUrlById = new Map<string, string>();
  const newUrlByPath = new Map<string, string>();
  const slugById = new Map<string, string>();
  const taken = new Set<string>();
  for (const post of posts) {
    const text = htmlToText(post.content);
    const base = slugOf(post.name, post.title || firstWords(text, 6)) || `billet-${post.id}`;
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    slugById.set(post.id, slug);
    newUrlById.set(post.id, routes.post(slug));
  }
  const pageById = new Map(pages.map((page) => [page.id, page]));
  const pagePath = new Map<string, string>();
  const pathOf = (page: WxrItem, seen = new Set<string>()): string => {
    const known = pagePath.get(page.id);
    if (known) return known;
    let own = slugOf(page.name, page.title) || `page-${page.id}`;
    const parent = pageById.get(page.parent);
    let path = parent && !seen.has(parent.id) ? `${pathOf(parent, new Set([...seen, page.id]))}/${own}` : own;
    if (!parent && RESERVED_SEGMENTS.has(own)) {
      warnings.push(`« ${page.title} » (WordPress n° ${page.id}) : l'adresse /${own}/ est une partie d'Agora, la page devient /${own}-page/.`);
      own = `${own}-page`;
      path = own;
    }
    pagePath.set(page.id, path);
    return path;
  };
  for (const page of pages) newUrlById.set(page.id, routes.page(pathOf(page)));
  for (const item of [...posts, ...pages]) {
    const old = ownPath(item.link, blogHosts);
    if (old && old.path !== '/' && !old.search.size) newUrlByPath.set(withSlash(old.path), newUrlById.get(item.id)!);
  }
  const attachments = new Map(wxr.items.filter((item) => item.type === 'attachment').map((item) => [item.id, item]));

  /** The path of an upload under wp-content/uploads/: on the blog's own host, or on WordPress.com's media host (`<blog>.files.wordpress.com/2011/07/x.jpg`). */
  const uploadOf = (url: string): string | null => {
    const own = ownPath(url, blogHosts);
    const upload = own ? UPLOADS.exec(own.path) : null;
    if (upload) return upload[1]!;
    try {
      const parsed = new URL(url);
      return /\.files\.wordpress\.com$/.test(parsed.hostname) && /^\/\d{4}\/\d{2}\/[^/]+$/.test(parsed.pathname) ? parsed.pathname.slice(1) : null;
    } catch {
      return null;
    }
  };

  const rewriteUrl = (url: string): string => {
    const uploaded = uploadOf(url);
    if (uploaded !== null) {
      let relative = uploaded;
      try {
        relative = decodeURIComponent(uploaded);
      } catch {
        // Kept as written.
      }
      const source = options.media?.(relative) ?? null;
      if (!source) {
        missingMedia.add(url);
        return url;
      }
      const target = `public/wp-content/uploads/${relative}`;
      if (!copied.has(target)) {
        copied.set(target, source);
        files.push({ path: target, copyFrom: source });
      }
      return `/wp-content/uploads/${relative.split('/').map(encodeURIComponent).join('/')}`;
    }
    const own = ownPath(url, blogHosts);
    if (!own) return url;
    const id = own.search.get('p') ?? own.search.get('page_id');
    const found = (id && newUrlById.get(id)) || newUrlByPath.get(withSlash(own.path));
    return found ? `${found}${own.hash}` : url;
  };

  /** A post's or a page's body in Markdown; a [gallery] shows the attachments it names, or the item's own. */
  const convertBody = (item: WxrItem, label: string) => wordpressToMarkdown(item.content, {
    rewriteUrl,
    gallery: (ids) => (ids ? ids.map((id) => attachments.get(id)) : [...attachments.values()].filter((a) => a.parent === item.id))
      .filter((a): a is WxrItem => !!a && !!a.attachmentUrl)
      .map((a) => ({ url: rewriteUrl(a.attachmentUrl), alt: a.title })),
    warn: (message) => warnings.push(`${label} : ${message}.`),
  });

  const usedAuthors = new Set<string>();
  const usedCategories = new Map<string, string>();
  const usedTags = new Set<string>();
  const authorId = (login: string) => toSlug(login) || 'auteur-wordpress';

  /** The comments of an item: approved ones as files of content/comments/, pending ones into the queue. */
  const writeComments = (item: WxrItem, slug: string) => {
    const byId = new Map(item.comments.map((comment) => [comment.id, comment]));
    const approved = (comment: WxrComment | undefined) => comment?.approved === '1' && (comment.type === '' || comment.type === 'comment');
    /** The nearest approved ancestor: a reply to a spam or pending comment hangs from what is shown. */
    const shownParent = (comment: WxrComment): string | null => {
      const seen = new Set<string>([comment.id]);
      let parent = byId.get(comment.parent);
      while (parent && !approved(parent) && !seen.has(parent.id)) {
        seen.add(parent.id);
        parent = byId.get(parent.parent);
      }
      return parent && approved(parent) && !seen.has(parent.id) ? `wp-${parent.id}` : null;
    };
    for (const comment of item.comments) {
      if (comment.type === 'pingback' || comment.type === 'trackback') {
        counts.pingbacks += 1;
        continue;
      }
      if (comment.approved !== '1' && comment.approved !== '0') {
        counts.spam += 1;
        continue;
      }
      const instant = instantOf(comment.date, comment.dateGmt, options.timeZone);
      const body = wordpressToMarkdown(comment.content, { rewriteUrl, gallery: () => [], warn: () => {} }).markdown;
      if (!body.trim() || instant === null || !/^\d+$/.test(comment.id)) {
        warnings.push(`Commentaire n° ${comment.id} sous « ${item.title} » : ${instant === null ? 'sans date' : 'vide'}, non importé.`);
        continue;
      }
      const website = /^https?:\/\/[^\s]+$/i.test(comment.url) ? comment.url : null;
      const text = formatCommentFile({ postSlug: slug, parent: shownParent(comment), author: comment.author || 'Anonyme', website, body }, commentDate(new Date(instant), options.timeZone));
      const id = `wp-${comment.id}`;
      if (comment.approved === '1') {
        counts.comments += 1;
        files.push({ path: `content/comments/${slug}/${id}.md`, text });
      } else {
        counts.pending += 1;
        files.push({ path: `${options.queue}/${slug}/${id}.md`, text });
      }
    }
  };

  for (const post of posts) {
    const label = `« ${post.title || '(sans titre)'} » (WordPress n° ${post.id})`;
    const slug = slugById.get(post.id)!;
    const instant = instantOf(post.date, post.dateGmt, options.timeZone);
    if (instant === null) {
      warnings.push(`${label} : sans date, non importé.`);
      continue;
    }
    const converted = convertBody(post, label);
    let title = post.title;
    if (!title) {
      title = firstWords(htmlToText(post.content)) || `Billet n° ${post.id}`;
      warnings.push(`« ${title} » (WordPress n° ${post.id}) : sans titre dans WordPress, titre fait de ses premiers mots.`);
    }
    const author = authorId(post.creator);
    usedAuthors.add(post.creator);
    const categories = post.terms.filter((t) => t.domain === 'category').map((t) => t.name).filter(Boolean);
    const tags = post.terms.filter((t) => t.domain === 'post_tag').map((t) => t.name).filter(Boolean);
    for (const t of post.terms) if (t.domain === 'category' && t.name) usedCategories.set(t.slug, t.name);
    for (const t of tags) usedTags.add(t);
    const summary = htmlToText(post.excerpt) || (converted.teaser !== null ? htmlToText(post.content.split(/<!--more/)[0]!) : '') || null;
    const draft = post.status === 'draft' || post.status === 'pending';
    if (draft) counts.drafts += 1;
    if (post.status === 'future') counts.scheduled += 1;
    counts.essays += 1;
    const old = ownPath(post.link, blogHosts);
    const alias = old && !old.search.size && old.path !== '/' && withSlash(old.path) !== routes.post(slug) ? [withSlash(decodeURI(old.path))] : [];
    if (old?.search.size) warnings.push(`${label} : l'ancienne adresse ${post.link} a un « ? » et ne peut pas être gardée par des fichiers statiques.`);
    files.push({
      path: `content/posts/${slug}.md`,
      text: markdownFile({ title, date: commentDate(new Date(instant), options.timeZone), author, categories, tags, summary, draft: draft || null, aliases: alias }, converted.markdown),
    });
    writeComments(post, slug);
  }

  // Pages in the header's navigation: those a WordPress menu names, in its order.
  const menuRank = new Map<string, number>();
  for (const item of wxr.items) {
    if (item.type !== 'nav_menu_item' || item.meta._menu_item_object !== 'page') continue;
    const id = item.meta._menu_item_object_id ?? '';
    if (!menuRank.has(id) || item.menuOrder < menuRank.get(id)!) menuRank.set(id, item.menuOrder);
  }
  for (const page of pages) {
    const label = `« ${page.title || '(sans titre)'} » (WordPress n° ${page.id})`;
    const path = pathOf(page);
    const converted = convertBody(page, label);
    const old = ownPath(page.link, blogHosts);
    const oldPath = old && !old.search.size && old.path !== '/' ? withSlash(decodeURI(old.path)) : null;
    const aliases = oldPath && oldPath !== routes.page(path) && !RESERVED_SEGMENTS.has(oldPath.split('/')[1] ?? '') ? [oldPath] : [];
    if (page.status === 'draft' || page.status === 'pending') {
      warnings.push(`${label} : page en brouillon dans WordPress, non importée (Agora n'a pas de brouillon de page).`);
      continue;
    }
    counts.pages += 1;
    usedAuthors.add(page.creator);
    files.push({
      path: `content/pages/${path}.md`,
      text: markdownFile({
        title: page.title || firstWords(htmlToText(page.content)) || `Page n° ${page.id}`,
        menu: menuRank.has(page.id) ? menuRank.get(page.id)! : null,
        // Open in WordPress, open here; a closed page keeps its thread, without the form.
        comments: page.commentStatus === 'open' ? true : null,
        aliases,
      }, converted.markdown || '*(Page vide dans WordPress.)*'),
    });
    writeComments(page, pageThreadKey(path));
  }

  // One file per author who wrote something, by id (a login can be written twice, « >login » in some exports).
  const authorNames = new Map<string, string>();
  for (const login of usedAuthors) {
    const id = authorId(login);
    const declared = wxr.authors.find((author) => authorId(author.login) === id);
    if (!authorNames.has(id)) authorNames.set(id, declared?.displayName || declared?.login || login.replace(/^[^\p{L}\p{N}]+/u, '') || 'Auteur WordPress');
  }
  for (const [id, name] of [...authorNames].sort()) {
    counts.authors += 1;
    files.push({ path: `content/authors/${id}.md`, text: markdownFile({ name }, '') });
  }
  // A category file for each category used that has something to say: a description or a parent.
  const declared = new Map(wxr.categories.map((category) => [category.slug, category]));
  counts.categories = usedCategories.size;
  counts.tags = usedTags.size;
  for (const [slug, name] of usedCategories) {
    const category = declared.get(slug);
    const parent = category?.parent ? declared.get(category.parent) : undefined;
    const description = category?.description ? htmlToText(category.description) : '';
    if (!description && !parent) continue;
    files.push({ path: `content/categories/${toSlug(name)}.md`, text: markdownFile({ name, parent: parent?.name ?? null }, description) });
  }
  counts.media = copied.size;
  counts.others = wxr.items.filter((item) => item.type !== 'post' && item.type !== 'page' && item.type !== 'attachment' && item.type !== 'nav_menu_item').length;
  return { files, counts, warnings, missingMedia: [...missingMedia].sort() };
}
