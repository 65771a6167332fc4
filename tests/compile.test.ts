import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, letTextsGo, rereadBody, type CompiledSite } from '../src/compile.js';
import { readProject, updateSources, type ProjectSources } from '../src/load/read-project.js';
import { MarkdownStore } from '../src/markdown/markdown-store.js';
import { createPageRenderer } from '../src/render/render-pages.js';
import { stageBasicSite } from './helpers/cli.js';
import { NOW } from './helpers/sites.js';

/**
 * compile() from a previous compilation (issue 22: « one path for edits in dev »): agora dev
 * hands it the files changed since, and it either updates the previous graph (an essay whose
 * body alone changed) or compiles everything; both give the pages a fresh compilation gives.
 */
let root: string;
beforeEach(async () => { root = await stageBasicSite(); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

const PUBLISH = { now: NOW, drafts: true, future: true };
const FILE = 'content/posts/premier-essai.md';

/** Every page, rendered, by URL. */
function rendered(compiled: CompiledSite, sources: ProjectSources): Map<string, string> {
  const renderer = createPageRenderer(compiled.site, sources.templates);
  return new Map(compiled.pages.map((page) => {
    const result = renderer.render(page);
    return [page.url, 'contents' in result ? String(result.contents) : result.diagnostic.message];
  }));
}

/** Edits the essay on disk, then compiles from `previous` and afresh: both results. */
async function edit(change: (text: string) => string) {
  const sources = await readProject({ root });
  const stores = { validation: new Map(), markdown: await MarkdownStore.open(null) };
  const previous = await compile(sources, PUBLISH, stores);
  expect(previous.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await writeFile(path.join(root, FILE), change(await readFile(path.join(root, FILE), 'utf8')));
  const next = await updateSources(sources, [{ kind: 'content', path: FILE }], { root });
  const before = rendered(previous, sources);
  const incremental = await compile(next, PUBLISH, stores, { previous: { compiled: previous, changed: [FILE] } });
  const fresh = await compile(await readProject({ root }), PUBLISH, { validation: new Map(), markdown: await MarkdownStore.open(null) });
  return { before, incremental, fresh, sources: next };
}

describe('compile() from a previous compilation', () => {
  it('updates the previous graph for a body edit, and gives the pages a fresh compilation gives', async () => {
    const { before, incremental, fresh, sources } = await edit((text) => text.replace('Ceci est le premier essai de test.', 'Un premier paragraphe récrit, plus long que le précédent, pour changer l’extrait.'));
    // The graph was not built again: the stages after Markdown did not run.
    expect(Object.keys(incremental.timings).sort()).toEqual(['markdown', 'validate']);
    const pages = rendered(incremental, sources);
    expect(pages).toEqual(rendered(fresh, sources));
    expect(incremental.diagnostics).toEqual(fresh.diagnostics);
    // The edit shows where the body shows: its page, and the lists with its excerpt (La Une's page 3 here).
    const changed = [...pages].filter(([url, html]) => before.get(url) !== html).map(([url]) => url);
    expect(changed).toContain('/essais/premier-essai/');
    expect(changed).toContain('/page/3/');
  });

  it('compiles everything when more than a body changed (a title), with the same result', async () => {
    const { incremental, fresh, sources } = await edit((text) => text.replace('title: "Premier essai : la confiance"', 'title: "Premier essai : la défiance"'));
    expect(incremental.timings).toHaveProperty('graph');
    expect(rendered(incremental, sources)).toEqual(rendered(fresh, sources));
  });

  it('compiles everything when the edit brings an error, and reports it', async () => {
    const { incremental, fresh } = await edit((text) => text.replace('author: ada-testeuse', 'author: personne-inconnue'));
    expect(incremental.timings).toHaveProperty('graph');
    expect(incremental.diagnostics.map((d) => d.code)).toContain('post/unknown-author');
    expect(incremental.diagnostics).toEqual(fresh.diagnostics);
  });
});

describe('a build letting its Markdown texts go (letTextsGo)', () => {
  it('empties every body and text, and the pages render as before', async () => {
    const sources = await readProject({ root });
    const compiled = await compile(sources, PUBLISH, { validation: new Map(), markdown: await MarkdownStore.open(null) });
    const before = rendered(compiled, sources);
    letTextsGo(compiled.content, sources);
    const { posts, comments, pages, authors, categories } = compiled.content;
    expect([...posts, ...comments, ...pages].map((record) => record.body).join('') + authors.map((a) => a.bio).join('') + categories.map((c) => c.description).join('')).toBe('');
    expect(sources.content.posts.every((file) => file.text === '')).toBe(true);
    expect(posts.length).toBeGreaterThan(0);
    expect(rendered(compiled, sources)).toEqual(before);
  });

  it('reads a body again from its file as validation took it, and gives nothing for what is gone or invalid', async () => {
    const sources = await readProject({ root });
    const compiled = await compile(sources, PUBLISH, { validation: new Map(), markdown: await MarkdownStore.open(null) });
    const reread = rereadBody(root);
    const post = compiled.content.posts.find((p) => p.file === FILE)!;
    const author = compiled.content.authors[0]!;
    expect(reread(FILE)).toBe(post.body);
    expect(reread(author.file)).toBe(author.bio);
    expect(reread('content/posts/absent.md')).toBe('');
    // Beyond the default size limit (1 MiB): the build held the file to the site's own limits already.
    const large = 'Un long paragraphe inventé. '.repeat(40_000);
    await writeFile(path.join(root, FILE), `${(await readFile(path.join(root, FILE), 'utf8')).trimEnd()}\n\n${large}\n`);
    expect(reread(FILE)).toContain(large.trim());
    await writeFile(path.join(root, FILE), 'plus d’en-tête');
    expect(reread(FILE)).toBe('');
  });
});
