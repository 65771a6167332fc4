import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/**
 * Reports what would otherwise vanish or mislead without a word: raw HTML (removed by the
 * sanitizer), a level-1 heading in the body (the page title is the only one), an image
 * without a text alternative.
 */
export const remarkAgoraLint: Plugin<[], Root> = function () {
  return (tree, file) => {
    visit(tree, (node) => {
      if (node.type === 'html' && node.value.trim() !== '' && !/^<!--[\s\S]*-->$/.test(node.value.trim())) {
        const message = file.message('Le HTML brut est retiré de la page pour la sécurité des lecteurs.', node, 'markdown:raw-html');
        message.note = "Écrivez ce passage en Markdown (pour une langue étrangère : « :::en » … « ::: »).";
      } else if (node.type === 'heading' && node.depth === 1) {
        const message = file.message("Un titre de niveau 1 (« # ») dans le texte : le titre de l'essai est déjà le seul de ce niveau.", node, 'markdown:heading-level');
        message.note = 'Commencez les intertitres à « ## ».';
      } else if (node.type === 'image' && !node.alt?.trim()) {
        const message = file.message("Image sans texte alternatif : les lecteurs d'écran ne peuvent pas la décrire.", node, 'markdown:image-alt');
        message.note = "Décrivez l'image entre les crochets : ![Des galets en équilibre](/images/galets.jpg)";
      }
    });
  };
};
