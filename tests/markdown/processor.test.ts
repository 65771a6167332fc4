import { describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH } from '../../src/markdown/html-text.js';
import { truncate } from '../../src/graph/site.js';
import { createCommentProcessor, createEssayProcessor, renderMarkdown } from '../../src/markdown/processor.js';

const processor = createEssayProcessor();
const render = (body: string, bodyLine = 1) => renderMarkdown(processor, { file: 'content/posts/x.md', body, bodyLine });

describe('the essay processor', () => {
  it('renders GFM tables and strikethrough', () => {
    const { html } = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n~~non~~');
    expect(html).toContain('<table>');
    expect(html).toContain('<del>non</del>');
  });

  it('removes raw HTML and says so with the line of the file', () => {
    const { html, diagnostics } = render('Texte.\n\n<script>alert(1)</script>\n', 5);
    expect(html).not.toContain('<script');
    expect(diagnostics[0]).toMatchObject({ code: 'markdown/raw-html', line: 7, severity: 'warning' });
  });

  it('drops javascript: links', () => {
    expect(render('[clic](javascript:alert(1))').html).not.toContain('javascript:');
  });

  it('puts back a text directive that is not a language', () => {
    expect(render('Note:Important et 10:42').html).toBe('<p>Note:Important et 10:42</p>\n');
  });

  it('refuses an unknown block directive', () => {
    expect(render(':::note\nx\n:::').diagnostics[0]).toMatchObject({ code: 'markdown/unknown-directive', severity: 'error' });
  });

  it('counts words and keeps the first paragraph for excerpts', () => {
    const result = render('## Titre\n\nUn deux trois.\n\nQuatre.');
    expect(result.words).toBe(5);
    expect(result.firstParagraph).toBe('Un deux trois.');
  });

  it('keeps of a long first paragraph what its excerpt needs, and the same excerpt comes out', () => {
    const paragraph = Array.from({ length: 120 }, (_, i) => `mot${i}`).join(' ');
    const { firstParagraph, words } = render(`${paragraph}\n\nSuite.`);
    expect(firstParagraph).toBe(paragraph.slice(0, EXCERPT_LENGTH + 1));
    expect(words).toBe(121);
    expect(truncate(firstParagraph, EXCERPT_LENGTH)).toBe(truncate(paragraph, EXCERPT_LENGTH));
    expect(truncate(firstParagraph, EXCERPT_LENGTH).endsWith('…')).toBe(true);
    const exact = 'x'.repeat(EXCERPT_LENGTH);
    expect(truncate(render(exact).firstParagraph, EXCERPT_LENGTH)).toBe(exact);
  });

  it('keeps no excerpt nor word count for a comment', () => {
    const result = renderMarkdown(createCommentProcessor(), { file: 'content/comments/x/c1.md', body: 'Un deux trois.', bodyLine: 1 });
    expect(result).toMatchObject({ html: '<p>Un deux trois.</p>\n', firstParagraph: '', words: 0 });
  });
});
