import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkHtml from 'remark-html';
import remarkParse from 'remark-parse';
import { unified, type Plugin, type Processor } from 'unified';
import { EXIT, visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { contentError, contentWarning } from '../diagnostics/diagnostic.js';
import { remarkFrenchTypography } from './french-typography.js';
import { remarkLanguageDirectives } from './language-directives.js';
import { remarkAgoraLint } from './lint.js';
import { findDeepNesting } from './nesting.js';
import { pictureHandlers, remarkSiteLinks, type InternalLink } from './site-links.js';
import { DEFAULT_MAX_NESTING, failed, type MarkdownOptions, type RenderedMarkdown } from './options.js';
import { remarkDefuseComment, stripBidiControls } from './defuse-comment.js';
import { defaultSchema, type Schema } from 'hast-util-sanitize';
import { EXCERPT_LENGTH } from './html-text.js';

interface Stats {
  firstParagraph: string;
  words: number;
}

/** Records the first paragraph and the word count on the file, for excerpts and reading time. */
const remarkStats: Plugin<[], Root> = function () {
  return (tree, file) => {
    const first = findFirstParagraph(tree);
    let words = 0;
    visit(tree, ['text', 'inlineCode'], (node) => {
      words += countWords((node as { value: string }).value);
    });
    const stats: Stats = {
      firstParagraph: first ? toString(first).replace(/[ \t\n\r]+/g, ' ').trim().slice(0, EXCERPT_LENGTH + 1) : '',
      words,
    };
    file.data.stats = stats;
  };
};

/** Words are runs between spaces that hold at least one letter or digit. */
export function countWords(text: string): number {
  return text.split(/[\s\u00A0\u202F]+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

function findFirstParagraph(node: Root | Root['children'][number]): Root['children'][number] | null {
  if (node.type === 'paragraph') return node;
  if (!('children' in node) || node.type === 'heading' || node.type === 'table') return null;
  for (const child of node.children as Root['children']) {
    const found = findFirstParagraph(child);
    if (found) return found;
  }
  return null;
}

/** What essays may hold once rendered: the default schema, the loading hints of images and their `<picture>` (site-links.ts). */
const ESSAY_SCHEMA: Schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    img: [...(defaultSchema.attributes?.img ?? []), 'width', 'height', 'loading', 'decoding', 'srcSet', 'sizes'],
    source: [...(defaultSchema.attributes?.source ?? []), 'type', 'sizes'],
  },
};

const noop: Plugin<[], Root> = () => undefined;

type MarkdownProcessor = Processor<Root, Root, Root, Root, string>;

/**
 * GFM with some of its parts: without autolink literals (bare `www.…`, `https://…` and e-mail
 * addresses) for a first, quicker parse, since micromark tries them at nearly every letter,
 * which doubles the cost of parsing an essay (measured: 4.6 → 2.2 ms per essay of 1000 words);
 * without tables for a body that cannot hold one (see parseQuickly); without footnotes for
 * comments, whose `[^1]` would give ids that collide between comments and a stray « Footnotes »
 * heading (issue 21): there they stay text.
 */
const remarkGfmParts: Plugin<[{ autolinkLiterals: boolean; footnotes: boolean; tables?: boolean }], Root> = function (parts) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(
    ...(parts.autolinkLiterals ? [gfmAutolinkLiteral()] : []), ...(parts.footnotes ? [gfmFootnote()] : []), gfmStrikethrough(), ...(parts.tables === false ? [] : [gfmTable()]), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFromMarkdown().filter((extension) =>
    (parts.autolinkLiterals || !(extension.enter && 'literalAutolink' in extension.enter)) &&
    (parts.footnotes || !(extension.enter && 'gfmFootnoteDefinition' in extension.enter))));
};

/** The quick parsers of each processor (see parseQuickly): GFM without autolink literals, and also without tables. */
const quickParsers = new WeakMap<MarkdownProcessor, { withTables: MarkdownProcessor; withoutTables: MarkdownProcessor }>();

/**
 * Parses a body without GFM autolink literals, and again with them only when the tree may hold
 * one: some text (outside code, HTML and link destinations, where they are never recognised)
 * contains `www.`, `http`, `mailto:`, `xmpp:` or `@`. An autolink literal is made of such
 * text, so a tree without any is the tree the full parser gives. The first parse also leaves
 * tables out when the body cannot hold one (mayHoldTable): micromark tries a table at the
 * start of every line and reads the line to its end, a quarter of an essay's parse. Both
 * shortcuts are checked byte for byte on generated essays, the fixtures and hand-made traps in
 * tests/markdown/autolink-literals.test.ts.
 */
function parseQuickly(processor: MarkdownProcessor, file: VFile): Root {
  const quick = quickParsers.get(processor);
  if (!quick) return processor.parse(file);
  const tree = (mayHoldTable(String(file.value)) ? quick.withTables : quick.withoutTables).parse(file);
  return mayHoldAutolinkLiteral(tree) ? processor.parse(file) : tree;
}

/**
 * False when no GFM table can be in the text: a table's delimiter row (`| --- |`, `:-:`) holds
 * a `|` or a colon against a hyphen, or it is a thematic break or a setext underline instead
 * (micromark-extension-gfm-table's headDelimiterCellAfter).
 */
export function mayHoldTable(text: string): boolean {
  return /\||:-|-:/.test(text);
}

const AUTOLINK_LITERAL_HINT = /www\.|http|mailto:|xmpp:|@/i;

/** True when some text of the tree, or an image's alternative text, could be an autolink literal. */
export function mayHoldAutolinkLiteral(tree: Root): boolean {
  let found = false;
  visit(tree, (node) => {
    const text = node.type === 'text' ? node.value : node.type === 'image' || node.type === 'imageReference' ? node.alt ?? '' : '';
    if (AUTOLINK_LITERAL_HINT.test(text)) {
      found = true;
      return EXIT;
    }
    return undefined;
  });
  return found;
}

/** A processor, with its quick parsers registered (same parse extensions, GFM without autolink literals, with and without tables). */
function withQuickParser(processor: MarkdownProcessor, quick: (tables: boolean) => MarkdownProcessor): MarkdownProcessor {
  quickParsers.set(processor, { withTables: quick(true), withoutTables: quick(false) });
  return processor;
}

/** Builds the essay processor: GFM, language passages, French typography, sanitized HTML. */
export function createEssayProcessor(options: Pick<MarkdownOptions, 'frenchTypography'> & Partial<Pick<MarkdownOptions, 'links'>> = { frenchTypography: true }): MarkdownProcessor {
  return withQuickParser(createFullEssayProcessor(options), (tables) => unified().use(remarkParse).use(remarkGfmParts, { autolinkLiterals: false, footnotes: true, tables }).use(remarkDirective).freeze() as unknown as MarkdownProcessor);
}

function createFullEssayProcessor(options: Pick<MarkdownOptions, 'frenchTypography'> & Partial<Pick<MarkdownOptions, 'links'>>): MarkdownProcessor {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkLanguageDirectives)
    .use(remarkAgoraLint)
    .use(options.frenchTypography ? remarkFrenchTypography : noop)
    .use(remarkStats)
    .use(remarkSiteLinks, options.links ?? { basePath: '/', images: {} })
    .use(remarkHtml, { sanitize: ESSAY_SCHEMA, handlers: pictureHandlers })
    .freeze() as unknown as Processor<Root, Root, Root, Root, string>;
}

/**
 * What a comment may contain once rendered: text formatting, lists, quotes, code and http(s)
 * or mailto links. No raw HTML, images, headings, tables, ids or classes.
 */
export const COMMENT_SCHEMA: Schema = {
  ...defaultSchema,
  tagNames: ['p', 'br', 'a', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'hr'],
  attributes: { a: ['href', 'rel'] },
  protocols: { href: ['http', 'https', 'mailto'] },
  clobber: [],
  required: {},
  strip: ['script', 'style', 'textarea', 'title', 'noscript', 'template', 'iframe', 'object', 'embed'],
};

/**
 * Removes bidirectional override characters (they can disguise a comment) from everything a
 * comment shows: its text, its code (inline and blocks), and its links' addresses and titles.
 */
const remarkStripBidi: Plugin<[], Root> = function () {
  return (tree) => {
    visit(tree, (node) => {
      if ('value' in node && typeof node.value === 'string') node.value = stripBidiControls(node.value);
      if ('url' in node && typeof node.url === 'string') node.url = stripBidiControls(node.url);
      if ('title' in node && typeof node.title === 'string') node.title = stripBidiControls(node.title);
    });
  };
};

/** Builds the comment processor: no raw HTML, no images, links marked as user content. */
export function createCommentProcessor(options: Pick<MarkdownOptions, 'frenchTypography'> = { frenchTypography: true }): MarkdownProcessor {
  return withQuickParser(createFullCommentProcessor(options), (tables) => unified().use(remarkParse).use(remarkGfmParts, { autolinkLiterals: false, footnotes: false, tables }).freeze() as unknown as MarkdownProcessor);
}

function createFullCommentProcessor(options: Pick<MarkdownOptions, 'frenchTypography'>): MarkdownProcessor {
  return unified()
    .use(remarkParse)
    .use(remarkGfmParts, { autolinkLiterals: true, footnotes: false })
    .use(remarkDefuseComment)
    .use(remarkStripBidi)
    .use(options.frenchTypography ? remarkFrenchTypography : noop)
    .use(remarkHtml, { sanitize: COMMENT_SCHEMA })
    .freeze() as unknown as Processor<Root, Root, Root, Root, string>;
}

/**
 * Renders a Markdown body; positions in diagnostics are lines of the whole file. A body nested
 * deeper than `maxNesting` is refused before parsing, and a failure of the Markdown libraries
 * on one body becomes an error on its file, never a crash of the build.
 */
export function renderMarkdown(
  processor: Processor<Root, Root, Root, Root, string>,
  input: { file: string; body: string; bodyLine: number; belowCover?: boolean },
  maxNesting = DEFAULT_MAX_NESTING,
): RenderedMarkdown {
  const deep = findDeepNesting(input.body, maxNesting);
  if (deep) {
    const position = { line: deep.line + input.bodyLine - 1, column: 1 };
    return failed(deep.kind === 'depth'
      ? contentError(input.file, position, 'markdown/too-deep',
        `Listes ou citations imbriquées sur ${deep.depth} niveaux ou plus : au plus ${maxNesting} sont acceptés (limits.nesting dans content/site.yml).`,
        'Réduisez l\'imbrication : une liste ou une citation dans une autre, quelques niveaux au plus.')
      : contentError(input.file, position, 'markdown/too-nested',
        'Trop de lignes imbriquées sur deux niveaux ou plus dans ce fichier (listes dans des listes) : sa conversion prendrait des minutes.',
        'Aplatissez les listes, ou répartissez le texte en plusieurs essais.'));
  }
  try {
    return renderChecked(processor, input);
  } catch (error) {
    const reason = error instanceof RangeError ? 'le texte est trop imbriqué pour être lu' : `la bibliothèque Markdown a échoué (${(error as Error).message})`;
    return failed(contentError(input.file, { line: input.bodyLine, column: 1 }, 'markdown/failed',
      `Ce texte n'a pas pu être converti en HTML : ${reason}.`,
      'Simplifiez le passage en cause (imbrications, très longues lignes), puis reconstruisez.'));
  }
}

function renderChecked(processor: Processor<Root, Root, Root, Root, string>, input: { file: string; body: string; bodyLine: number; belowCover?: boolean }): RenderedMarkdown {
  const vfile = new VFile({ value: input.body, path: input.file, data: { belowCover: !!input.belowCover } });
  const tree = processor.runSync(parseQuickly(processor, vfile), vfile);
  const html = String(processor.stringify(tree, vfile));
  const stats = (vfile.data.stats as Stats | undefined) ?? { firstParagraph: '', words: 0 };
  const diagnostics = vfile.messages.map((message) => {
    const position = message.line
      ? { line: message.line + input.bodyLine - 1, column: message.column ?? 1 }
      : undefined;
    const make = message.fatal ? contentError : contentWarning;
    const code = (message.source ?? 'markdown') + '/' + (message.ruleId ?? 'message');
    return make(input.file, position, code, message.reason, message.note);
  });
  const links = ((vfile.data.links as InternalLink[] | undefined) ?? []).map((link) => ({ ...link, line: link.line + input.bodyLine - 1 }));
  return { html, firstParagraph: stats.firstParagraph, words: stats.words, links, diagnostics };
}
