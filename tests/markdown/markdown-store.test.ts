import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/cache/file-hashes.js';
import { MarkdownStore } from '../../src/markdown/markdown-store.js';
import { renderJob, type MarkdownJob } from '../../src/markdown/render-job.js';

const FR = { frenchTypography: true };
let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'agora-store-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const job = (body: string, file = 'content/posts/a.md'): MarkdownJob => ({ kind: 'essay', file, body, bodyLine: 5 });
/** A body whose HTML is long enough (past 4 KiB) to have a file of its own; short HTML stays in its entry. */
const long = (text: string) => Array.from({ length: 80 }, (_, i) => `${text} Paragraphe inventé numéro ${i}, pour la longueur.`).join('\n\n');

/** Renders through a store, as the build does, and saves it. */
async function renderWith(options: typeof FR, jobs: MarkdownJob[], code?: string) {
  const store = await MarkdownStore.open(dir, code);
  const optionsKey = store.optionsKey(options);
  const outputs = jobs.map((j) => store.get(j, optionsKey, options) ?? store.set(j, optionsKey, options, renderJob(j, options)));
  await store.save();
  // As a page reads them: the HTML from memory or from the cache file.
  const results = outputs.map((output) => ({ ...output, html: String(output.html) }));
  return { store, results };
}

describe('the persistent Markdown cache', () => {
  it('serves an unchanged body without rendering it again, identical to a fresh rendering', async () => {
    const first = await renderWith(FR, [job('Bonjour ! Voici : un *essai*.')]);
    expect(first.store.misses).toBe(1);
    const second = await renderWith(FR, [job('Bonjour ! Voici : un *essai*.')]);
    expect([second.store.hits, second.store.misses]).toEqual([1, 0]);
    expect(second.results[0]).toEqual(renderJob(job('Bonjour ! Voici : un *essai*.'), FR));
  });

  it('misses when the file changes', async () => {
    await renderWith(FR, [job('Version un.')]);
    const { store } = await renderWith(FR, [job('Version deux.')]);
    expect(store.misses).toBe(1);
  });

  it('misses when a pipeline option changes, and the output follows the option', async () => {
    await renderWith(FR, [job('Vraiment ?')]);
    const { store, results } = await renderWith({ frenchTypography: false }, [job('Vraiment ?')]);
    expect(store.misses).toBe(1);
    expect(results[0]!.html).toBe('<p>Vraiment ?</p>\n');
  });

  it("misses when Agora's code changes", async () => {
    await renderWith(FR, [job('Texte.')], 'code-a');
    expect((await renderWith(FR, [job('Texte.')], 'code-a')).store.hits).toBe(1);
    expect((await renderWith(FR, [job('Texte.')], 'code-b')).store.misses).toBe(1);
  });

  it('places cached diagnostics in the file that has the text now', async () => {
    await renderWith(FR, [job('<b>brut</b>', 'content/posts/ancien.md')]);
    const { store, results } = await renderWith(FR, [job('<b>brut</b>', 'content/posts/nouveau.md')]);
    expect(store.hits).toBe(1);
    expect(results[0]!.diagnostics[0]).toMatchObject({ file: 'content/posts/nouveau.md', code: 'markdown/raw-html', line: 5 });
  });

  it('starts afresh from damaged entry files: garbage or truncated', async () => {
    await renderWith(FR, [job('Texte.')]);
    const buckets = async () => (await readdir(path.join(dir, 'markdown'))).filter((name) => name.endsWith('.v8')).map((name) => path.join(dir, 'markdown', name));
    for (const file of await buckets()) await writeFile(file, 'pas un cache');
    expect((await renderWith(FR, [job('Texte.')])).store.misses).toBe(1);
    for (const file of await buckets()) {
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.length - 3));
    }
    expect((await renderWith(FR, [job('Texte.')])).store.misses).toBe(1);
  });

  it('names each long HTML file by the hash of its bytes, shares it between equal bodies, removes those no entry names, and keeps short HTML in its entry', async () => {
    const html = path.join(dir, 'markdown/html');
    await renderWith(FR, [job(long('Un texte.')), job(long('Un texte.'), 'content/posts/b.md'), job(long('Un autre.'), 'content/posts/c.md'), job('Court.', 'content/posts/d.md')]);
    const names = (await readdir(html)).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toBe(`${hashBytes(await readFile(path.join(html, name)))}.html`);
    const { results } = await renderWith(FR, [job(long('Un autre.'), 'content/posts/c.md'), job('Court.', 'content/posts/d.md')]);
    expect(await readdir(html)).toEqual([`${hashBytes(Buffer.from(renderJob(job(long('Un autre.')), FR).html))}.html`]);
    expect(results[1]!.html).toBe('<p>Court.</p>\n');
  });

  it('reads a cached body from its file only when a page needs it, and renders it again (writing the file anew) if the file no longer holds it', async () => {
    const text = long('Un *essai* inventé, assez long pour se reconnaître dans le fichier du cache.');
    const expected = renderJob(job(text), FR).html;
    await renderWith(FR, [job(text)]);
    const html = path.join(dir, 'markdown/html');
    const [name] = await readdir(html);
    const store = await MarkdownStore.open(dir);
    const cached = store.get(job(text), store.optionsKey(FR), FR)!;
    expect(typeof cached.html).toBe('object');
    expect(String(cached.html)).toBe(expected);
    // The same length, other bytes: the file no longer matches the hash that names it.
    const bytes = await readFile(path.join(html, name!));
    await writeFile(path.join(html, name!), Buffer.from(bytes.toString('utf8').replace('essai', 'ESSAI')));
    expect(String(cached.html)).toBe(expected);
    expect(await readFile(path.join(html, name!), 'utf8')).toBe(expected);
    await rm(path.join(html, name!));
    await mkdir(path.join(html, name!));
    expect(String(cached.html)).toBe(expected);
    expect(await readFile(path.join(html, name!), 'utf8')).toBe(expected);
    await rm(path.join(dir, 'markdown'), { recursive: true });
    expect(String(cached.html)).toBe(expected);
  });

  it('once told to read bodies again (a build letting its texts go), renders a damaged file from the body its source gives now', async () => {
    const text = long('Un essai inventé, relu depuis sa source.');
    await renderWith(FR, [job(text)]);
    const html = path.join(dir, 'markdown/html');
    const [name] = await readdir(html);
    const store = await MarkdownStore.open(dir);
    const asked: string[] = [];
    store.rereadBodiesWith((file) => { asked.push(file); return text; });
    // The job handed over is the build's; its body may be emptied afterwards (letTextsGo): the store does not rely on it.
    const handed = job(text);
    const cached = store.get(handed, store.optionsKey(FR), FR)!;
    handed.body = '';
    expect(String(cached.html)).toBe(renderJob(job(text), FR).html);
    expect(asked).toEqual([]);
    await writeFile(path.join(html, name!), 'abîmé');
    expect(String(cached.html)).toBe(renderJob(job(text), FR).html);
    expect(asked).toEqual(['content/posts/a.md']);
  });

  it('gives an empty body as an empty string, for templates to tell', async () => {
    await renderWith(FR, [job('<!-- rien -->')]);
    const store = await MarkdownStore.open(dir);
    expect(store.get(job('<!-- rien -->'), store.optionsKey(FR), FR)!.html).toBe('');
  });

  it('rewrites only the bucket files whose entries changed', async () => {
    const jobs = Array.from({ length: 40 }, (_, i) => job(`Essai inventé numéro ${i}.`, `content/posts/e${i}.md`));
    await renderWith(FR, jobs);
    const times = async () => new Map(await Promise.all((await readdir(path.join(dir, 'markdown'))).filter((file) => file.endsWith('.v8')).map(async (file) => [file, (await stat(path.join(dir, 'markdown', file))).mtimeMs] as const)));
    const before = await times();
    expect(before.size).toBeGreaterThan(8);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await renderWith(FR, jobs.map((j, i) => (i === 7 ? job('Un texte changé.', j.file) : j)));
    const after = await times();
    // The old entry leaves its bucket, the new one joins its own: one or two files of 16.
    const rewritten = [...after].filter(([file, time]) => before.get(file) !== time).length;
    expect(rewritten).toBeGreaterThanOrEqual(1);
    expect(rewritten).toBeLessThanOrEqual(2);
  });

  it('keeps only the entries a build used', async () => {
    await renderWith(FR, [job('Un.'), job('Deux.', 'content/posts/b.md')]);
    await renderWith(FR, [job('Un.')]);
    const { store } = await renderWith(FR, [job('Deux.', 'content/posts/b.md')]);
    expect(store.misses).toBe(1);
    expect(await readdir(dir)).toEqual(['markdown']);
  });
});
