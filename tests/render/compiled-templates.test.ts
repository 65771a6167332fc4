import Handlebars from 'handlebars';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonCache, writeJsonCache } from '../../src/cache/cache-file.js';
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
      const kept = compileTemplate(env, text)(context);
      return { direct, kept };
    };
    const first = render(' !', 'pied A');
    const second = render(' ?', 'pied B');
    expect(first.kept).toBe(first.direct);
    expect(second.kept).toBe(second.direct);
    expect(second.kept).toBe('Essai inventé ? pied B [0:un][1:deux]');
  });

  it('keeps strict mode: a misspelled field is an error at render time', () => {
    const template = compileTemplate(Handlebars.create(), '{{titer}}');
    expect(() => template({ titre: 'x' })).toThrow(/"titer" not defined/);
  });

  it('throws a syntax error, every time the text is given', () => {
    for (let i = 0; i < 2; i += 1) expect(() => compileTemplate(Handlebars.create(), '{{#if x}}sans fin')).toThrow(/Parse error|doesn't match|Expecting/);
  });
});

describe('compiled templates kept between builds (gabarits.json)', () => {
  // Each import is a fresh instance of the module, as in a new process: it knows no template but what the file holds.
  let instances = 0;
  const modulePath = '../../src/render/compiled-templates.js';
  const freshModule = (): Promise<typeof import('../../src/render/compiled-templates.js')> => import(/* @vite-ignore */ `${modulePath}?instance=${instances++}`);
  const folder = () => mkdtemp(path.join(tmpdir(), 'agora-gabarits-'));

  it('takes the code of a text from the file, and not from compiling the text again', async () => {
    const dir = await folder();
    const file = path.join(dir, 'gabarits.json');
    const text = '<p>{{titre}} (gabarit inventé {{@root.n}})</p>';
    await (await (await freshModule()).warmTemplates([text], file)).save();
    const saved = JSON.parse((await readFile(file, 'utf8')).split('\n').slice(1).join('\n')) as { key: string; code: Record<string, string> };
    expect(Object.keys(saved.code)).toHaveLength(1);
    // Replaced by the code of another text, under a good seal: what renders shows where the code came from.
    const other = (await freshModule()).TEMPLATE_OPTIONS;
    const foreign = Handlebars.precompile('<p>autre code {{titre}}</p>', { data: true, ...other }) as unknown as string;
    await writeJsonCache(file, { key: saved.key, code: { [Object.keys(saved.code)[0]!]: foreign } });
    const module = await freshModule();
    await module.warmTemplates([text], file);
    expect(module.compileTemplate(Handlebars.create(), text)({ titre: 'T', n: 1 })).toBe('<p>autre code T</p>');
  });

  it('ignores a damaged file, compiles the text and writes the file again', async () => {
    const dir = await folder();
    const file = path.join(dir, 'gabarits.json');
    const text = '<p>{{titre}} (second gabarit inventé)</p>';
    await (await (await freshModule()).warmTemplates([text], file)).save();
    const bytes = await readFile(file);
    bytes[bytes.length - 5] ^= 1;
    await writeFile(file, bytes);
    const module = await freshModule();
    const warmed = await module.warmTemplates([text], file);
    expect(module.compileTemplate(Handlebars.create(), text)({ titre: 'T' })).toBe('<p>T (second gabarit inventé)</p>');
    await warmed.save();
    expect(await readJsonCache(file, (value): value is object => typeof value === 'object')).not.toBeNull();
  });

  it('leaves a template with a syntax error to the renderer, which reports it', async () => {
    const module = await freshModule();
    await module.warmTemplates(['{{#if x}}sans fin'], null);
    expect(() => module.compileTemplate(Handlebars.create(), '{{#if x}}sans fin')).toThrow(/Parse error|doesn't match|Expecting/);
  });
});
