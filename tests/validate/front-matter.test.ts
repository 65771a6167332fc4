import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/validate/front-matter.js';

const parse = (text: string) => parseFrontMatter({ path: 'content/posts/essai.md', text });

describe('parseFrontMatter', () => {
  it('reads YAML fields and keeps dates as written', () => {
    const result = parse('---\ntitle: Essai\ndate: 2008-09-24\n---\n\nCorps\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.frontMatter.data).toEqual({ title: 'Essai', date: '2008-09-24' });
    expect(result.frontMatter.body).toBe('\nCorps\n');
    expect(result.frontMatter.bodyLine).toBe(5);
  });

  it('gives the file line and column of each field', () => {
    const result = parse('---\ntitle: Essai\n\ndate: 2008-09-24\n---\n');
    if (!result.ok) throw new Error('expected ok');
    expect(result.frontMatter.positionOf('date')).toEqual({ line: 4, column: 7 });
    expect(result.frontMatter.positionOf('title')).toEqual({ line: 2, column: 8 });
  });

  it('treats CRLF files like LF files', () => {
    const result = parse('---\r\ntitle: Essai\r\n---\r\nCorps\r\n');
    if (!result.ok) throw new Error('expected ok');
    expect(result.frontMatter.data.title).toBe('Essai');
  });

  it('explains an unquoted French title with « : » and shows the fix', () => {
    const result = parse('---\ntitle: Confiance : un essai\ndate: 2008-09-24\n---\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({ line: 2, code: 'front-matter/yaml' });
    expect(result.diagnostics[0]!.hint).toContain('title: "Confiance : un essai"');
  });

  it('reports a header that is never closed instead of reading the essay as YAML', () => {
    const result = parse('---\ntitle: Essai\n\nLe texte commence ici.\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({ line: 1, code: 'front-matter/unclosed' });
  });

  it('refuses ---js front matter without evaluating it', () => {
    (globalThis as Record<string, unknown>).agoraEvaluated = false;
    const result = parse('---js\n{ title: (globalThis.agoraEvaluated = true, "x") }\n---\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.code).toBe('front-matter/language');
    expect((globalThis as Record<string, unknown>).agoraEvaluated).toBe(false);
  });

  it('reports a duplicated key', () => {
    const result = parse('---\ntitle: Un\ntitle: Deux\n---\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({ code: 'front-matter/duplicate-key', line: 3 });
  });

  it('reports a file without front matter', () => {
    const result = parse('# Juste un titre\n');
    expect(result.ok).toBe(false);
  });

  it('accepts an empty header', () => {
    const result = parse('---\n---\nCorps\n');
    expect(result.ok).toBe(true);
  });
});
