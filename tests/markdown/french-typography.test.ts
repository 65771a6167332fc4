import { describe, expect, it } from 'vitest';
import { createEssayProcessor, renderMarkdown } from '../../src/markdown/processor.js';
import { typesetFrench } from '../../src/markdown/french-typography.js';

const NNBSP = '\u202F';
const NBSP = '\u00A0';
const processor = createEssayProcessor();
const html = (body: string) => renderMarkdown(processor, { file: 'x.md', body, bodyLine: 1 }).html;

describe('typesetFrench', () => {
  it('puts a narrow no-break space before ; ! ? whether or not a space was typed', () => {
    expect(typesetFrench('Vraiment ? Oui! Bon; fin')).toBe(`Vraiment${NNBSP}? Oui${NNBSP}! Bon${NNBSP}; fin`);
  });
  it('puts a no-break space before a colon', () => {
    expect(typesetFrench('Voici : la confiance')).toBe(`Voici${NBSP}: la confiance`);
  });
  it('puts narrow no-break spaces inside guillemets', () => {
    expect(typesetFrench('le concept de «wirearchy» et « hierarchy »')).toBe(`le concept de «${NNBSP}wirearchy${NNBSP}» et «${NNBSP}hierarchy${NNBSP}»`);
  });
  it('collapses double spaces', () => {
    expect(typesetFrench('Le billet de  Julien')).toBe('Le billet de Julien');
  });
  it('leaves times, URLs with query strings and ?! groups alone', () => {
    expect(typesetFrench('à 10:42, voir https://exemple.org/?a=1')).toBe('à 10:42, voir https://exemple.org/?a=1');
    expect(typesetFrench('Quoi?!')).toBe(`Quoi${NNBSP}?!`);
  });
  it('is idempotent', () => {
    const once = typesetFrench('Pourquoi ? « Parce que » : voilà');
    expect(typesetFrench(once)).toBe(once);
  });
});

describe('the French typography plugin', () => {
  it('typesets paragraphs, across emphasis', () => {
    expect(html('Il dit *non*! Puis : « oui ».')).toBe(`<p>Il dit <em>non</em>${NNBSP}! Puis${NBSP}: «${NNBSP}oui${NNBSP}».</p>\n`);
  });
  it('changes nothing in code, code blocks or autolinks', () => {
    expect(html('`a ; b ?` et https://exemple.org/?q=1 ; fin')).toBe(
      `<p><code>a ; b ?</code> et <a href="https://exemple.org/?q=1">https://exemple.org/?q=1</a>${NNBSP}; fin</p>\n`,
    );
    expect(html('```\nx ; y ?\n```')).toContain('x ; y ?');
  });
  it('changes nothing in passages marked in another language', () => {
    const out = html(':::en\n> What is it ? Trust: the asset!\n:::\n\nEt :en[Why not ?] alors ?');
    expect(out).toContain('<div lang="en"><blockquote>\n<p>What is it ? Trust: the asset!</p>');
    expect(out).toContain(`<span lang="en">Why not ?</span> alors${NNBSP}?`);
  });
});
