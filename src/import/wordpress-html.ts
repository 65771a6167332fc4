import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { escapeHtml } from '../render/escape.js';

/** What converting a WordPress body needs from the rest of the import. */
export interface HtmlContext {
  /** A URL of the content as the new site has it: a link to the old blog's own post, an upload copied into public/. */
  rewriteUrl: (url: string) => string;
  /** The images a `[gallery]` shows: by the ids it names, or the post's own attachments. */
  gallery: (ids: string[] | null) => { url: string; alt: string }[];
  /** A word about something kept as it was (an unknown shortcode). */
  warn: (message: string) => void;
}

/** A WordPress body in Markdown, and the part before `<!--more-->` when there is one. */
export interface ConvertedBody {
  markdown: string;
  /** The teaser before `<!--more-->`, as Markdown; null without the marker. */
  teaser: string | null;
}

/** The blocks wpautop leaves out of paragraphs. */
const BLOCK = /^<\/?(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|object|embed|script|select|option|textarea|noscript)\b/i;

/**
 * Converts a WordPress body (classic editor or Gutenberg) to Markdown, through the unified
 * ecosystem Agora already uses (rehype-parse → rehype-remark → remark-stringify): block
 * comments dropped, `wpautop` paragraphs for classic content, `[caption]`, `[gallery]`,
 * `[embed]`, `[youtube]` and `[code]` turned into Markdown, oEmbed URLs into links (never a
 * third-party iframe), headings shifted so that the essay's title stays the only level 1.
 */
export function wordpressToMarkdown(html: string, context: HtmlContext): ConvertedBody {
  const hasBlocks = /<!--\s*wp:/.test(html);
  let source = html.replace(/\r\n?/g, '\n').replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '').replace(/<!--nextpage-->/g, '');
  const more = /<!--more(?:[^>]*)-->/.exec(source);
  const convert = (part: string) => toMarkdown(shortcodes(part, context), !hasBlocks, context);
  if (!more) return { markdown: convert(source), teaser: null };
  const teaser = convert(source.slice(0, more.index));
  source = source.slice(0, more.index) + '\n\n' + source.slice(more.index + more[0].length);
  return { markdown: convert(source), teaser };
}

/** A shortcode's attributes: `key="value"`, `key='value'`, `key=value`, and a bare first value (`[youtube=URL]`, `[youtube URL]`). */
function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g;
  let match: RegExpExecArray | null;
  let index = 0;
  while ((match = pattern.exec(text))) {
    if (match[1]) attributes[match[1].toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
    else attributes[String(index++)] = match[5]!;
  }
  return attributes;
}

const EMBEDS = new Set(['youtube', 'vimeo', 'dailymotion', 'soundcloud', 'twitter', 'tweet', 'instagram', 'video', 'audio', 'slideshare', 'ted', 'flickr', 'googlemaps', 'spotify']);

/** WordPress shortcodes → HTML the converter understands; unknown ones are kept as text, with a warning. */
function shortcodes(html: string, context: HtmlContext): string {
  const kept: string[] = [];
  // Code is verbatim: no shortcode, no autop inside.
  let text = html.replace(/\[(code|sourcecode)([^\]]*)\]([\s\S]*?)\[\/\1\]/gi, (_, _name: string, attrs: string, code: string) => {
    const language = attributesOf(attrs).language ?? attributesOf(attrs).lang ?? '';
    kept.push(`<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(code.replace(/^\n/, ''))}</code></pre>`);
    return `\n\n\u0000${kept.length - 1}\u0000\n\n`;
  });
  text = text.replace(/<pre[\s\S]*?<\/pre>/gi, (block) => {
    kept.push(block);
    return `\u0000${kept.length - 1}\u0000`;
  });
  text = text.replace(/\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_, attrs: string, inner: string) => {
    const image = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
    const caption = (image?.[2] ?? '').trim() || attributesOf(attrs).caption || '';
    return `\n\n<figure>${image?.[1] ?? inner}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>\n\n`;
  });
  text = text.replace(/\[gallery([^\]]*)\]/gi, (_, attrs: string) => {
    const ids = attributesOf(attrs).ids ?? attributesOf(attrs).include;
    const images = context.gallery(ids ? ids.split(',').map((id) => id.trim()).filter(Boolean) : null);
    return `\n\n${images.map((image) => `<p><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}"></p>`).join('\n\n')}\n\n`;
  });
  text = text.replace(/\[embed([^\]]*)\]([\s\S]*?)\[\/embed\]/gi, (_, _attrs: string, url: string) => linkBlock(url.trim()));
  text = text.replace(/\[([a-z_-]+)(=[^\]\s]+|\s[^\]]*)?\](?:([\s\S]*?)\[\/\1\])?/gi, (whole: string, name: string, attrs: string | undefined, inner: string | undefined) => {
    const key = name.toLowerCase();
    if (EMBEDS.has(key)) {
      const parsed = attributesOf((attrs ?? '').replace(/^=/, 'url='));
      const url = (parsed.url ?? parsed.src ?? parsed.mp4 ?? parsed.id ?? parsed['0'] ?? inner ?? '').trim();
      if (/^https?:\/\//.test(url)) return linkBlock(url);
    }
    // Not a shortcode: square brackets in a sentence (« [sic] », a note « [1] »).
    if (attrs === undefined && inner === undefined) return whole;
    context.warn(`code court inconnu [${name}] gardé tel quel`);
    return whole;
  });
  // WordPress embeds a URL alone on its line (oEmbed): a link here, never a third-party iframe.
  text = text.replace(/^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gm, (_, url: string) => linkBlock(url));
  return text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!);
}

function linkBlock(url: string): string {
  const safe = escapeHtml(url);
  return `\n\n<p><a href="${safe}">${safe}</a></p>\n\n`;
}

/** WordPress's wpautop: blank lines separate paragraphs, a single line break is a `<br>`, blocks stay blocks. */
export function autop(html: string): string {
  const kept: string[] = [];
  const text = html.replace(/<pre[\s\S]*?<\/pre>/gi, (block) => {
    kept.push(block);
    return `\n\n\u0001${kept.length - 1}\u0001\n\n`;
  });
  const paragraphs = text.split(/\n[ \t]*\n/).map((part) => part.trim()).filter(Boolean).map((part) => {
    if (/^\u0001\d+\u0001$/.test(part) || BLOCK.test(part)) return part;
    return `<p>${part.replace(/\n/g, '<br>\n')}</p>`;
  });
  return paragraphs.join('\n\n').replace(/\u0001(\d+)\u0001/g, (_, i: string) => kept[Number(i)]!);
}

/** Visits every element of a hast tree, parents before children. */
function visitElements(node: Root | Element, visit: (element: Element, parent: Root | Element, index: number) => void): void {
  node.children.forEach((child, index) => {
    if (child.type !== 'element') return;
    visit(child, node, index);
    visitElements(child, visit);
  });
}

/** The HTML as Markdown: parsed, adjusted (comments, headings, URLs), then written by remark-stringify. */
function toMarkdown(html: string, paragraphs: boolean, context: HtmlContext): string {
  const processor = unified()
    .use(rehypeParse, { fragment: true })
    .use(() => (tree: Root) => adjust(tree, context))
    .use(rehypeRemark)
    .use(remarkGfm)
    .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', fences: true, rule: '-', listItemIndent: 'one' });
  const file = processor.processSync(paragraphs ? autop(html) : html);
  return String(file).trim();
}

function adjust(tree: Root, context: HtmlContext): void {
  // Comments would be raw HTML in the Markdown, which Agora removes with a warning.
  const dropComments = (node: Root | Element) => {
    node.children = (node.children as RootContent[]).filter((child) => child.type !== 'comment') as typeof node.children;
    for (const child of node.children) if (child.type === 'element') dropComments(child);
  };
  dropComments(tree);
  let top = 7;
  visitElements(tree, (element) => {
    const level = /^h([1-6])$/.exec(element.tagName);
    if (level) top = Math.min(top, Number(level[1]));
  });
  const shift = top < 2 ? 2 - top : 0;
  visitElements(tree, (element, parent, index) => {
    const level = /^h([1-6])$/.exec(element.tagName);
    if (level && shift) element.tagName = `h${Math.min(6, Number(level[1]) + shift)}`;
    for (const attribute of ['href', 'src'] as const) {
      const value = element.properties[attribute];
      if (typeof value === 'string' && value) element.properties[attribute] = context.rewriteUrl(value);
    }
    if (element.tagName === 'iframe' || element.tagName === 'embed' || element.tagName === 'video' || element.tagName === 'audio') {
      const src = typeof element.properties.src === 'string' ? element.properties.src : '';
      const link: ElementContent = { type: 'element', tagName: 'a', properties: { href: src }, children: [{ type: 'text', value: src }] };
      parent.children[index] = src ? { type: 'element', tagName: 'p', properties: {}, children: [link] } : { type: 'text', value: '' };
    }
    if (element.tagName === 'script' || element.tagName === 'style') parent.children[index] = { type: 'text', value: '' };
    if (element.tagName === 'img' && !String(element.properties.alt ?? '').trim() && typeof element.properties.title === 'string') {
      // WordPress's « title » of an image is often the only words it has.
      element.properties.alt = element.properties.title;
      delete element.properties.title;
    }
    // A link around an image without words says nothing to a screen reader (WordPress links
    // images to their attachment page, which the new site does not have): the image stays alone.
    const onlyChild = element.children.filter((child) => !(child.type === 'text' && !child.value.trim()));
    if (element.tagName === 'a' && onlyChild.length === 1 && onlyChild[0]!.type === 'element' && onlyChild[0]!.tagName === 'img'
      && !String(onlyChild[0]!.properties.alt ?? '').trim() && typeof onlyChild[0]!.properties.title !== 'string') {
      parent.children[index] = onlyChild[0]!;
    }
    // A caption reads under its image, in italics.
    if (element.tagName === 'figcaption') {
      element.tagName = 'p';
      element.children = [{ type: 'element', tagName: 'em', properties: {}, children: element.children }];
    }
  });
}

/** The text of a WordPress excerpt or teaser, on one line: no markup, no shortcodes, spaces collapsed. */
export function htmlToText(html: string): string {
  // A caption is not part of the text: it says what an image shows.
  const withoutCaptions = html.replace(/\[caption[^\]]*\][\s\S]*?\[\/caption\]/gi, ' ').replace(/<figcaption[\s\S]*?<\/figcaption>/gi, ' ');
  const tree = fromHtml(withoutCaptions.replace(/\[\/?[a-z_-]+[^\]]*\]/gi, ' '), { fragment: true });
  const parts: string[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'text') parts.push(child.value);
      else if (child.type === 'element' && child.tagName !== 'script' && child.tagName !== 'style') {
        walk(child);
        parts.push(' ');
      }
    }
  };
  walk(tree);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
