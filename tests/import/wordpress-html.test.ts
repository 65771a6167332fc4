import { describe, expect, it } from 'vitest';
import { autop, htmlToText, wordpressToMarkdown, type HtmlContext } from '../../src/import/wordpress-html.js';

function convert(html: string, gallery: ReturnType<HtmlContext['gallery']> = []) {
  const warnings: string[] = [];
  const result = wordpressToMarkdown(html, { rewriteUrl: (url) => url.replace('https://ancien.exemple.invalid', ''), gallery: () => gallery, warn: (m) => warnings.push(m) });
  return { ...result, warnings };
}

describe('WordPress HTML to Markdown', () => {
  it('makes paragraphs as wpautop does for the classic editor, and leaves blocks and <pre> alone', () => {
    expect(autop('Un.\nDeux.\n\nTrois.\n\n<ul><li>x</li></ul>\n\n<pre>a\n\nb</pre>')).toBe('<p>Un.<br>\nDeux.</p>\n\n<p>Trois.</p>\n\n<ul><li>x</li></ul>\n\n<pre>a\n\nb</pre>');
    expect(convert('Un.\nDeux.\n\nTrois.').markdown).toBe('Un.\\\nDeux.\n\nTrois.');
  });

  it('decodes entities once, drops block comments, and shifts headings under the title', () => {
    const { markdown } = convert('<!-- wp:heading --><h1>Titre</h1><!-- /wp:heading -->\n<!-- wp:paragraph --><p>Le &laquo;&nbsp;média&nbsp;&raquo; &amp; &#8220;lui&#8221;</p><!-- /wp:paragraph -->\n<h3>Sous-titre</h3>');
    expect(markdown).toBe('## Titre\n\nLe «\u00A0média\u00A0» & “lui”\n\n#### Sous-titre');
  });

  it('turns [caption], [gallery], [embed], [youtube] and lone URLs into Markdown, never an iframe', () => {
    expect(convert('[caption id="a" width="300"]<img src="https://ancien.exemple.invalid/wp-content/uploads/x.jpg" alt="Un chat" /> Un chat sur un mur[/caption]').markdown)
      .toBe('![Un chat](/wp-content/uploads/x.jpg)\n\n*Un chat sur un mur*');
    expect(convert('[gallery ids="1,2"]', [{ url: '/a.jpg', alt: 'A' }, { url: '/b.jpg', alt: 'B' }]).markdown).toBe('![A](/a.jpg)\n\n![B](/b.jpg)');
    expect(convert('[embed]https://vimeo.com/1[/embed]').markdown).toBe('<https://vimeo.com/1>');
    expect(convert('[youtube=https://www.youtube.com/watch?v=x]').markdown).toBe('<https://www.youtube.com/watch?v=x>');
    expect(convert('Avant.\n\nhttps://www.youtube.com/watch?v=y\n\nAprès.').markdown).toBe('Avant.\n\n<https://www.youtube.com/watch?v=y>\n\nAprès.');
    expect(convert('<iframe src="https://carte.exemple.invalid/"></iframe>').markdown).toBe('<https://carte.exemple.invalid/>');
  });

  it('keeps code verbatim, and unknown shortcodes as text with a warning, but not brackets in a sentence', () => {
    expect(convert('[code lang="js"]if (a < 3 && b) {}\n  x();[/code]').markdown).toBe('```js\nif (a < 3 && b) {}\n  x();\n```');
    const unknown = convert('Texte [sic] et note [1].\n\n[colonne largeur="2"]Dedans[/colonne]');
    expect(unknown.warnings).toEqual(['code court inconnu [colonne] gardé tel quel']);
    expect(unknown.markdown).toContain('Texte \\[sic] et note \\[1].');
    expect(unknown.markdown).toContain('\\[colonne largeur="2"]Dedans\\[/colonne]');
  });

  it('splits the teaser at <!--more-->, and gives a teaser as one line of text', () => {
    const { markdown, teaser } = convert('<p>Début <em>choisi</em>.</p>\n<!--more-->\n<p>Suite.</p>');
    expect(teaser).toBe('Début *choisi*.');
    expect(markdown).toBe('Début *choisi*.\n\nSuite.');
    expect(htmlToText('<p>Un <b>résumé</b></p>\n[caption]<img src="x" /> Légende[/caption]<p>fin</p>')).toBe('Un résumé fin');
  });

  it('gives a linked image without words its WordPress title, or takes it out of its link', () => {
    expect(convert('<a href="/page-de-la-piece-jointe/"><img src="/x.jpg" alt="" /></a>').markdown).toBe('![](/x.jpg)');
    expect(convert('<img src="/x.jpg" alt="" title="Un appareil photo" />').markdown).toBe('![Un appareil photo](/x.jpg)');
  });
});
