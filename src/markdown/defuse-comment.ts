import type { Definition, Nodes, Parent, PhrasingContent, Root } from 'mdast';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';

/** What every link written by a stranger carries: no endorsement, user content, no opener access. */
export const UGC_REL = ['nofollow', 'ugc', 'noopener'];

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * True for a relative URL or an http(s)/mailto one. Browsers ignore control characters and
 * spaces inside a scheme (`java\tscript:`), so they are removed before looking.
 */
export function isSafeCommentUrl(url: string): boolean {
  const squeezed = url.replace(/[\u0000-\u0020\u007F-\u009F]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed)?.[1];
  return scheme === undefined || ALLOWED_SCHEMES.has(scheme.toLowerCase());
}

/**
 * Defuses a stranger's Markdown while keeping every word of it: raw HTML is shown as text,
 * headings become paragraphs, images become links to the picture, links to unsafe URLs become
 * their text, and every remaining link gets `rel="nofollow ugc noopener"`.
 */
export const remarkDefuseComment: Plugin<[], Root> = function () {
  return (tree) => {
    const definitions = new Map<string, Definition>();
    visit(tree, 'definition', (node) => {
      definitions.set(node.identifier, node);
    });
    visit(tree, (node: Nodes, index, parent: Parent | undefined) => {
      if (!parent || index === undefined) return;
      const replace = (...nodes: Nodes[]) => {
        parent.children.splice(index, 1, ...(nodes as Parent['children']));
        return [SKIP, index] as [typeof SKIP, number];
      };
      switch (node.type) {
        case 'html':
          return replace(parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem'
            ? { type: 'paragraph', children: [{ type: 'text', value: node.value }] }
            : { type: 'text', value: node.value });
        case 'heading':
          return replace({ type: 'paragraph', children: node.children });
        case 'image':
        case 'imageReference': {
          const url = node.type === 'image' ? node.url : definitions.get(node.identifier)?.url ?? '';
          const label: PhrasingContent = { type: 'text', value: node.alt || url };
          return replace(url && isSafeCommentUrl(url) ? { type: 'link', url, children: [label] } : label);
        }
        case 'link':
        case 'linkReference': {
          const url = node.type === 'link' ? node.url : definitions.get(node.identifier)?.url;
          if (url === undefined || !isSafeCommentUrl(url)) return replace(...node.children);
          const data = (node.data ??= {});
          data.hProperties = { ...data.hProperties, rel: UGC_REL };
          return undefined;
        }
        default:
          return undefined;
      }
    });
  };
};

/** Bidirectional control characters (U+202A–U+202E, U+2066–U+2069) that can disguise text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidirectional override characters, used to make text read differently than it is. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
