import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit, SKIP } from 'unist-util-visit';

/** A directive named by a language code (`:::en`, `:en[…]`) marks a passage in that language. */
export const LANGUAGE_CODE = /^[a-z]{2,3}$/;

/**
 * Turns `:::en` … `:::` into `<div lang="en">` and `:en[text]` into `<span lang="en">`.
 * A text directive that is not a language (`note:important`) was never meant as one, so its
 * source text is put back; an unknown block directive is reported.
 */
export const remarkLanguageDirectives: Plugin<[], Root> = function () {
  return (tree, file) => {
    const source = String(file.value);
    visit(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return;
      if (LANGUAGE_CODE.test(node.name)) {
        const data = (node.data ??= {});
        data.hName = node.type === 'textDirective' ? 'span' : 'div';
        data.hProperties = { lang: node.name };
        return;
      }
      if (node.type === 'textDirective' && parent && index !== undefined) {
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        const value = start !== undefined && end !== undefined ? source.slice(start, end) : `:${node.name}`;
        parent.children[index] = { type: 'text', value };
        return SKIP;
      }
      const marker = node.type === 'containerDirective' ? ':::' : '::';
      const message = file.message(`Bloc « ${marker}${node.name} » inconnu : seuls les codes de langue (${marker}en, ${marker}de…) sont reconnus.`, node, 'markdown:unknown-directive');
      message.fatal = true;
      message.note = `Pour un passage en anglais, écrivez « ${marker}en » ; sinon retirez « ${marker}${node.name} ».`;
      return undefined;
    });
  };
};
