/**
 * The Markdown stage parses first without GFM autolink literals (and without tables when the
 * text cannot hold one), and again with them only when some text could hold one (processor.ts,
 * parseQuickly). This differential test checks that the shortcuts never change a byte: every body is rendered through the stage (renderMarkdown) and
 * through the plain full pipeline (processSync), over generated essays and comments, every
 * Markdown file of the fixtures, and traps written for it. AUTOLINK_ESSAYS sets the size of the
 * generated corpus (40 in npm test; `AUTOLINK_ESSAYS=2000 npx vitest run
 * tests/markdown/autolink-literals.test.ts` on demand). The generated essays draw on some sixty
 * words and five forms of block (headings, lists, quotes, links, paragraphs): forty of them, about
 * 40 000 words and their comments, already hold every form hundreds of times; the fixtures and the
 * traps give the cases that differ.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCollection } from '../bench/generate.js';
import { markdownOptions } from '../../src/markdown/options.js';
import { createCommentProcessor, createEssayProcessor, mayHoldAutolinkLiteral, mayHoldTable, renderMarkdown } from '../../src/markdown/processor.js';
import { FIXTURES } from '../helpers/sites.js';

const ESSAYS = Number(process.env.AUTOLINK_ESSAYS ?? 40);
const options = markdownOptions('fr', 32, { basePath: '/sous-dossier/', images: {} });
const essay = createEssayProcessor({ frenchTypography: true, links: options.links });
const comment = createCommentProcessor({ frenchTypography: true });

/** Bodies where an autolink literal is, or nearly is. */
const TRAPS = [
  'Voir www.exemple.test pour la suite.',
  'WWW.EXEMPLE.TEST en capitales, et Www.exemple.test.',
  'Une adresse nue : https://exemple.test/chemin?x=1&y=2, puis http://exemple.test.',
  'Écrire à ada@exemple.test ou à mailto:bob@exemple.test ; xmpp:ada@exemple.test aussi.',
  'Une arobase seule : @ada, et un courriel dans un lien : [ada@exemple.test](https://exemple.test).',
  '[www.exemple.test](https://exemple.test) : le texte du lien est une adresse.',
  '![Capture de www.exemple.test](/images/capture.png) et ![https://exemple.test][ref]\n\n[ref]: /images/capture.png',
  'Du code : `www.exemple.test` et `ada@exemple.test`, rien de plus.',
  '```\nhttps://exemple.test dans un bloc\n```',
  '<span>www.exemple.test</span> dans du HTML brut.',
  'Une adresse échappée : www\\.exemple.test, une référence : &#119;ww.exemple.test, &#64; seul.',
  'Des *www*.exemple.test et ww**w.exemple**.test coupés par l’emphase.',
  '| Site | Adresse |\n| --- | --- |\n| Exemple | www.exemple.test |',
  'Une note[^1].\n\n[^1]: Voir https://exemple.test/note.',
  '~~www.exemple.test~~ barré, et _https://exemple.test_ en italique.',
  'Un lien automatique <https://exemple.test> et <ada@exemple.test>.',
  ':::note\nwww.exemple.test dans une directive\n:::',
  'Une fin de phrase collée :www.exemple.test.',
  'Un titre de lien [texte](https://exemple.test "voir www.exemple.test").',
  'Une URL dans une destination seulement : [texte](https://exemple.test/www.page).',
  'Rien de spécial ici : des mots, une apostrophe l’air de rien, des « guillemets ».',
  // Tables, which the first parse leaves out of a body that cannot hold one (mayHoldTable).
  'Une table sans barre au bord :\n\nSite | Adresse\n--- | ---\nExemple | exemple.test',
  'Une colonne sans aucune barre :\n\nTitre\n:-\nvaleur',
  'Une colonne centrée :\n\nTitre\n:-:\nvaleur, et une à droite :\n\nTitre\n-:\nvaleur',
  'Un soulignement, pas une table :\n\nTitre\n---\n\net un trait :\n\n- - -\n\n:-) un sourire.',
  '> Une table citée\n> | a | b |\n> | - | - |\n> | 1 | 2 |',
  '- Une table dans une liste :\n\n  a | b\n  --|--\n  1 | 2',
  'Une barre échappée \\| et une barre dans du code `a | b`.\n\na\n-',
];

let corpus: { name: string; body: string }[] = [];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agora-autolink-'));
  await generateCollection(root, ESSAYS, 11);
  const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.md')).sort();
  const fixtures = (await readdir(FIXTURES, { recursive: true })).filter((file) => file.endsWith('.md')).sort();
  corpus = [
    ...(await Promise.all(files.map(async (file) => ({ name: file, body: bodyOf(await readFile(path.join(root, file), 'utf8')) })))),
    ...(await Promise.all(fixtures.map(async (file) => ({ name: `fixtures/${file}`, body: bodyOf(await readFile(path.join(FIXTURES, file), 'utf8')) })))),
    ...TRAPS.map((body, i) => ({ name: `piège ${i}`, body })),
  ];
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The Markdown after the front matter. */
function bodyOf(text: string): string {
  return text.replace(/^---\n[\s\S]*?\n---\n/, '');
}

/** What the full pipeline gives, without the shortcut. */
function reference(processor: typeof essay, name: string, body: string) {
  const vfile = new VFile({ value: body, path: name });
  const html = String(processor.processSync(vfile));
  return { html, stats: vfile.data.stats, messages: vfile.messages.map((m) => `${m.line}:${m.column} ${m.reason}`) };
}

describe('parsing without autolink literals first', () => {
  it('gives byte-identical HTML, excerpts, word counts and messages for essays and comments', () => {
    for (const [kind, processor] of [['essay', essay], ['comment', comment]] as const) {
      for (const { name, body } of corpus) {
        const fast = renderMarkdown(processor, { file: name, body, bodyLine: 1 });
        const full = reference(processor, name, body);
        expect(fast.html, `${kind} ${name}`).toBe(full.html);
        // Comments keep no excerpt nor word count (nothing shows them).
        expect({ firstParagraph: fast.firstParagraph, words: fast.words }, `${kind} ${name}`).toEqual(full.stats ?? { firstParagraph: '', words: 0 });
        expect(fast.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`), `${kind} ${name}`).toEqual(full.messages);
      }
    }
  }, Math.max(60_000, ESSAYS * 400));

  it('takes the shortcut for most essays, and the full parse for every trap that holds an autolink literal', () => {
    const generated = corpus.filter(({ name }) => name.startsWith('content/posts/'));
    expect(generated.length).toBe(ESSAYS);
    const quick = generated.filter(({ body }) => !mayHoldAutolinkLiteral(essay.parse(body)));
    expect(quick.length).toBeGreaterThan(ESSAYS * 0.9);
    // Every trap whose full rendering has a link the source did not write in link syntax is caught.
    for (const body of TRAPS.slice(0, 4)) expect(mayHoldAutolinkLiteral(essay.parse(body)), body).toBe(true);
    expect(renderMarkdown(essay, { file: 'piège', body: TRAPS[0]!, bodyLine: 1 }).html).toContain('<a href="http://www.exemple.test">');
  }, Math.max(60_000, ESSAYS * 100));

  it('leaves tables out of the first parse of most essays, and keeps them for every trap that holds one', () => {
    const generated = corpus.filter(({ name }) => name.startsWith('content/posts/'));
    expect(generated.filter(({ body }) => !mayHoldTable(body)).length).toBeGreaterThan(ESSAYS * 0.9);
    const tables = TRAPS.filter((body) => renderMarkdown(essay, { file: 'piège', body, bodyLine: 1 }).html.includes('<table>'));
    // The GFM table of the autolink traps, and five of the seven table traps (a setext underline, a thematic break and `:-)` make none).
    expect(tables.length).toBe(6);
    for (const body of tables) expect(mayHoldTable(body), body).toBe(true);
  });
});
