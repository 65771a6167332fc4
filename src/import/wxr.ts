import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * A WordPress export (WXR 1.0 to 1.2, « Outils → Exporter »), as plain records. E-mail and IP
 * addresses of authors and commenters are never read into them: they cannot be written anywhere.
 */
export interface WxrExport {
  title: string;
  description: string;
  language: string;
  /** The blog's address (`wp:base_blog_url`, else the channel's `link`), for rewriting its own links. */
  blogUrl: string;
  authors: WxrAuthor[];
  categories: WxrTerm[];
  tags: WxrTerm[];
  items: WxrItem[];
}

export interface WxrAuthor {
  login: string;
  displayName: string;
}

/** A category or a tag declared by the export (`wp:category`, `wp:tag`). */
export interface WxrTerm {
  slug: string;
  name: string;
  /** The parent category's slug (`wp:category_parent`). */
  parent: string;
  description: string;
}

/** A post, a page, an attachment or anything else the export holds (`<item>`). */
export interface WxrItem {
  id: string;
  title: string;
  link: string;
  creator: string;
  content: string;
  excerpt: string;
  /** `2011-07-04 10:00:00`, in the blog's time zone. */
  date: string;
  /** The same instant in UTC, `0000-00-00 00:00:00` for a draft never published. */
  dateGmt: string;
  name: string;
  status: string;
  type: string;
  parent: string;
  menuOrder: number;
  password: string;
  /** `open` or `closed`. */
  commentStatus: string;
  attachmentUrl: string;
  terms: { domain: string; slug: string; name: string }[];
  meta: Record<string, string>;
  comments: WxrComment[];
}

export interface WxrComment {
  id: string;
  author: string;
  url: string;
  date: string;
  dateGmt: string;
  content: string;
  /** `1` approved, `0` pending, `spam`, `trash`. */
  approved: string;
  /** '' or `comment` for a comment; `pingback`, `trackback`. */
  type: string;
  parent: string;
}

/** An export that cannot be read: its file and, when the parser says, the line and column. */
export class WxrError extends Error {
  constructor(readonly file: string, readonly position: { line: number; column: number } | null, message: string) {
    super(message);
  }
}

/** The namespaces of WXR, by the prefix this reader gives them (both http and https exist for wp:). */
function prefixOf(uri: string): string {
  if (/^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/excerpt\/$/.test(uri)) return 'excerpt';
  if (/^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/$/.test(uri)) return 'wp';
  if (uri === 'http://purl.org/rss/1.0/modules/content/') return 'content';
  if (uri === 'http://purl.org/dc/elements/1.1/') return 'dc';
  return uri === '' ? '' : '?';
}

/** How each child element of an `<item>` fills it (made once, not at each closing tag of a large export). */
const ITEM_FIELDS: Record<string, (item: WxrItem, value: string) => void> = {
  ':title': (item, v) => { item.title = v.trim(); },
  ':link': (item, v) => { item.link = v.trim(); },
  'dc:creator': (item, v) => { item.creator = v.trim(); },
  'content:encoded': (item, v) => { item.content = v; },
  'excerpt:encoded': (item, v) => { item.excerpt = v; },
  'wp:post_id': (item, v) => { item.id = v.trim(); },
  'wp:post_date': (item, v) => { item.date = v.trim(); },
  'wp:post_date_gmt': (item, v) => { item.dateGmt = v.trim(); },
  'wp:post_name': (item, v) => { item.name = v.trim(); },
  'wp:status': (item, v) => { item.status = v.trim(); },
  'wp:post_type': (item, v) => { item.type = v.trim(); },
  'wp:post_parent': (item, v) => { item.parent = v.trim(); },
  'wp:menu_order': (item, v) => { item.menuOrder = Number(v) || 0; },
  'wp:post_password': (item, v) => { item.password = v; },
  'wp:comment_status': (item, v) => { item.commentStatus = v.trim(); },
  'wp:attachment_url': (item, v) => { item.attachmentUrl = v.trim(); },
};

/**
 * Reads a WXR file as a stream (an export of hundreds of MB is never held as one text): the
 * records are built as the elements close. Not XML, or XML that is not a WordPress export, is a
 * WxrError naming the file, and the line where there is one.
 */
export async function readWxr(file: string, shown = file): Promise<WxrExport> {
  const result: WxrExport = { title: '', description: '', language: '', blogUrl: '', authors: [], categories: [], tags: [], items: [] };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: string[] = [];
  let text = '';
  let version = '';
  let baseBlogUrl = '';
  let channelLink = '';
  let fields: Record<string, string> = {};
  let item: WxrItem | null = null;
  let comment: Record<string, string> | null = null;
  let meta: Record<string, string> | null = null;
  let term: { domain: string; slug: string } | null = null;
  let failure: WxrError | null = null;

  parser.on('error', (error) => {
    failure ??= new WxrError(shown, { line: parser.line, column: parser.column }, `ce n'est pas un XML valide (${error.message.replace(/^.*?:\d+:\d+: /, '')})`);
    throw failure;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const name = `${prefixOf(tag.uri)}:${tag.local}`;
    stack.push(name);
    text = '';
    if (stack.length === 1 && name !== ':rss') throw (failure = new WxrError(shown, { line: parser.line, column: parser.column }, `ce n'est pas un export WordPress (l'élément racine est <${tag.name}>, pas <rss>)`));
    const parent = stack[stack.length - 2];
    if (name === ':item' && parent === ':channel') {
      item = { id: '', title: '', link: '', creator: '', content: '', excerpt: '', date: '', dateGmt: '', name: '', status: '', type: '', parent: '', menuOrder: 0, password: '', commentStatus: '', attachmentUrl: '', terms: [], meta: {}, comments: [] };
    } else if (item && name === 'wp:comment') comment = {};
    else if (item && name === 'wp:postmeta') meta = {};
    else if (item && name === ':category' && parent === ':item') {
      const attribute = (key: string) => String((tag.attributes[key] as { value?: string } | undefined)?.value ?? '');
      term = { domain: attribute('domain'), slug: attribute('nicename') };
    } else if (!item && (name === 'wp:author' || name === 'wp:category' || name === 'wp:tag')) fields = {};
  });
  const onText = (value: string) => { text += value; };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    const value = text;
    text = '';
    if (comment && parent === 'wp:comment') {
      // Never read: the commenter's e-mail and IP address.
      if (name !== 'wp:comment_author_email' && name !== 'wp:comment_author_IP') comment[name.slice(3)] = value;
      return;
    }
    if (comment && name === 'wp:comment') {
      item!.comments.push({
        id: comment.comment_id ?? '', author: (comment.comment_author ?? '').trim(), url: (comment.comment_author_url ?? '').trim(),
        date: comment.comment_date ?? '', dateGmt: comment.comment_date_gmt ?? '', content: comment.comment_content ?? '',
        approved: (comment.comment_approved ?? '').trim(), type: (comment.comment_type ?? '').trim(), parent: (comment.comment_parent ?? '').trim(),
      });
      comment = null;
      return;
    }
    if (meta && parent === 'wp:postmeta') {
      meta[name] = value;
      return;
    }
    if (meta && name === 'wp:postmeta') {
      if (meta['wp:meta_key']) item!.meta[meta['wp:meta_key']] = meta['wp:meta_value'] ?? '';
      meta = null;
      return;
    }
    if (term && name === ':category') {
      item!.terms.push({ ...term, name: value.trim() });
      term = null;
      return;
    }
    if (item && parent === ':item') {
      ITEM_FIELDS[name]?.(item, value);
      return;
    }
    if (name === ':item' && item) {
      result.items.push(item);
      item = null;
      return;
    }
    if (parent === 'wp:author' || parent === 'wp:category' || parent === 'wp:tag') {
      // Never read: the author's e-mail.
      if (name !== 'wp:author_email') fields[name.slice(3)] = value.trim();
      return;
    }
    if (name === 'wp:author') result.authors.push({ login: fields.author_login ?? '', displayName: fields.author_display_name || fields.author_login || '' });
    else if (name === 'wp:category') result.categories.push({ slug: fields.category_nicename ?? '', name: fields.cat_name ?? '', parent: fields.category_parent ?? '', description: fields.category_description ?? '' });
    else if (name === 'wp:tag') result.tags.push({ slug: fields.tag_slug ?? '', name: fields.tag_name ?? '', parent: '', description: fields.tag_description ?? '' });
    else if (parent === ':channel') {
      if (name === ':title') result.title = value.trim();
      else if (name === ':description') result.description = value.trim();
      else if (name === ':language') result.language = value.trim();
      else if (name === ':link') channelLink = value.trim();
      else if (name === 'wp:base_blog_url') baseBlogUrl = value.trim();
      else if (name === 'wp:wxr_version') version = value.trim();
    }
  });

  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) parser.write(chunk as string);
    parser.close();
  } catch (error) {
    if (error instanceof WxrError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WxrError(shown, null, 'fichier introuvable');
    if (code === 'EISDIR') throw new WxrError(shown, null, "c'est un dossier, pas un export");
    throw new WxrError(shown, null, `illisible (${(error as Error).message})`);
  }
  if (!/^1\.[0-2]$/.test(version)) {
    throw new WxrError(shown, null, version ? `version d'export WordPress inconnue (wp:wxr_version ${version} ; 1.0 à 1.2 sont lues)` : "ce n'est pas un export WordPress (aucun wp:wxr_version) : exportez depuis WordPress, Outils → Exporter → Tout le contenu");
  }
  result.blogUrl = baseBlogUrl || channelLink;
  return result;
}
