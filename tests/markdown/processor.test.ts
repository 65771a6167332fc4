import { describe, expect, it } from 'vitest';
import { createEssayProcessor, renderMarkdown } from '../../src/markdown/processor.js';

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
});
