import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/render/compiled-templates.js';

const OPTIONS = { strict: true, preventIndent: true } as const;

describe('templates compiled once per text', () => {
  it('binds the same text to each build’s own helpers and partials, and renders as Handlebars.compile does', () => {
    const text = '{{crie titre}} {{> pied}} {{#each mots}}[{{@index}}:{{this}}]{{/each}}';
    const render = (shout: string, foot: string) => {
      const env = Handlebars.create();
      env.registerHelper('crie', (value: string) => `${value}${shout}`);
      env.registerPartial('pied', foot);
      const context = { titre: 'Essai inventé', mots: ['un', 'deux'] };
      const direct = env.compile(text, OPTIONS)(context);
      const kept = compileTemplate(env, text, OPTIONS)(context);
      return { direct, kept };
    };
    const first = render(' !', 'pied A');
    const second = render(' ?', 'pied B');
    expect(first.kept).toBe(first.direct);
    expect(second.kept).toBe(second.direct);
    expect(second.kept).toBe('Essai inventé ? pied B [0:un][1:deux]');
  });

  it('keeps strict mode: a misspelled field is an error at render time', () => {
    const template = compileTemplate(Handlebars.create(), '{{titer}}', OPTIONS);
    expect(() => template({ titre: 'x' })).toThrow(/"titer" not defined/);
  });

  it('throws a syntax error, every time the text is given', () => {
    for (let i = 0; i < 2; i += 1) expect(() => compileTemplate(Handlebars.create(), '{{#if x}}sans fin', OPTIONS)).toThrow(/Parse error|doesn't match|Expecting/);
  });
});
