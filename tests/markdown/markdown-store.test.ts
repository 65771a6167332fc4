import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarkdownStore } from '../../src/markdown/markdown-store.js';
import { renderJob, type MarkdownJob } from '../../src/markdown/render-job.js';

const FR = { frenchTypography: true };
let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'agora-store-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const job = (body: string, file = 'content/posts/a.md'): MarkdownJob => ({ kind: 'essay', file, body, bodyLine: 5 });

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

  it('starts afresh from damaged cache files: garbage or truncated', async () => {
    await renderWith(FR, [job('Texte.')]);
    const files = await readdir(path.join(dir, 'markdown'));
    for (const file of files) await writeFile(path.join(dir, 'markdown', file), 'pas un cache');
    expect((await renderWith(FR, [job('Texte.')])).store.misses).toBe(1);
    for (const file of await readdir(path.join(dir, 'markdown'))) {
      const bytes = await readFile(path.join(dir, 'markdown', file));
      await writeFile(path.join(dir, 'markdown', file), bytes.subarray(0, bytes.length - 3));
    }
    expect((await renderWith(FR, [job('Texte.')])).store.misses).toBe(1);
  });

  it('reads a cached body from its file only when a page needs it, and renders it again if the file no longer holds it', async () => {
    const text = 'Un *essai* inventé, assez long pour se reconnaître dans le fichier du cache.';
    await renderWith(FR, [job(text)]);
    const store = await MarkdownStore.open(dir);
    const cached = store.get(job(text), store.optionsKey(FR), FR)!;
    expect(typeof cached.html).toBe('object');
    expect(String(cached.html)).toBe(renderJob(job(text), FR).html);
    // The same length, other bytes: the head still stands, the HTML no longer matches its hash.
    for (const file of await readdir(path.join(dir, 'markdown'))) {
      const bytes = await readFile(path.join(dir, 'markdown', file));
      const at = bytes.indexOf('inventé');
      if (at >= 0) await writeFile(path.join(dir, 'markdown', file), Buffer.concat([bytes.subarray(0, at), Buffer.from('INVENTÉ'), bytes.subarray(at + Buffer.byteLength('INVENTÉ'))]));
    }
    expect(String(cached.html)).toBe(renderJob(job(text), FR).html);
    await rm(path.join(dir, 'markdown'), { recursive: true });
    expect(String(cached.html)).toBe(renderJob(job(text), FR).html);
  });

  it('gives an empty body as an empty string, for templates to tell', async () => {
    await renderWith(FR, [job('<!-- rien -->')]);
    const store = await MarkdownStore.open(dir);
    expect(store.get(job('<!-- rien -->'), store.optionsKey(FR), FR)!.html).toBe('');
  });

  it('rewrites only the bucket files whose entries changed', async () => {
    const jobs = Array.from({ length: 40 }, (_, i) => job(`Essai inventé numéro ${i}.`, `content/posts/e${i}.md`));
    await renderWith(FR, jobs);
    const times = async () => new Map(await Promise.all((await readdir(path.join(dir, 'markdown'))).map(async (file) => [file, (await stat(path.join(dir, 'markdown', file))).mtimeMs] as const)));
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
