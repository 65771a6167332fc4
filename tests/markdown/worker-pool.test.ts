import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { markdownOptions } from '../../src/markdown/options.js';
import type { MarkdownJob } from '../../src/markdown/render-job.js';
import { renderInParallel } from '../../src/markdown/worker-pool.js';

it('turns a worker that dies without a word into an error on the one file that killed it, never a hang', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-worker-'));
  // A stand-in worker: it exits at once on the body that holds « BOUM », and echoes the others.
  const worker = path.join(dir, 'worker.js');
  await writeFile(worker, `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (jobs) => {
  if (jobs.some((job) => job.body.includes('BOUM'))) process.exit(3);
  parentPort.postMessage(jobs.map((job) => ({ html: 'rendu:' + job.body, firstParagraph: '', words: 0, diagnostics: [] })));
});
parentPort.postMessage([]);
`);
  const jobs: MarkdownJob[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'essay', file: `content/posts/essai-${i}.md`, body: i === 57 ? 'BOUM '.repeat(200) : `Essai ${i}. `.repeat(100), bodyLine: 5 }));
  const results = await renderInParallel(jobs, markdownOptions('fr'), { threads: 2, workerFile: pathToFileURL(worker) });
  const failures = results.flatMap((result) => result.diagnostics).filter((d) => d.severity === 'error');
  expect(failures).toEqual([expect.objectContaining({ file: 'content/posts/essai-57.md', line: 5, code: 'markdown/failed' })]);
  expect(failures[0]!.message).toContain('code 3');
  expect(results.every((result, i) => i === 57 || result.html !== '')).toBe(true);
  await rm(dir, { recursive: true, force: true });
});

it('sends a worker its share a batch at a time, never more than two batches ahead of its answers', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-worker-'));
  // A stand-in worker that answers each batch after a pause, and tells in each result how many
  // jobs it held then, received and not yet answered.
  const worker = path.join(dir, 'worker.js');
  await writeFile(worker, `import { parentPort } from 'node:worker_threads';
let held = 0;
const queue = [];
parentPort.on('message', (jobs) => { held += jobs.length; queue.push(jobs); });
setInterval(() => {
  const jobs = queue.shift();
  if (!jobs) return;
  parentPort.postMessage(jobs.map(() => ({ html: 'tenus:' + held, firstParagraph: '', words: 0, diagnostics: [] })));
  held -= jobs.length;
}, 5);
parentPort.postMessage([]);
`);
  const jobs: MarkdownJob[] = Array.from({ length: 1000 }, (_, i) => ({ kind: 'essay', file: `content/posts/essai-${i}.md`, body: `Essai ${i}.`, bodyLine: 5 }));
  const results = await renderInParallel(jobs, markdownOptions('fr'), { threads: 2, workerFile: pathToFileURL(worker) });
  const held = results.map((result) => Number(String(result.html).slice('tenus:'.length)));
  expect(held.every((n) => n > 0 && n <= 64)).toBe(true);
  // Each worker's share is 500 jobs: held at once, they would show here.
  expect(Math.max(...held)).toBeLessThan(500);
  await rm(dir, { recursive: true, force: true });
});

it('keeps what a worker sent before it died, and renders again only the rest of its share', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-worker-'));
  // A stand-in worker that answers in batches of 4, as the real one does, notes each job it
  // renders, and dies on the body that holds « BOUM ».
  const worker = path.join(dir, 'worker.js');
  const log = path.join(dir, 'rendus.txt');
  await writeFile(worker, `import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (jobs) => {
  for (let start = 0; start < jobs.length; start += 4) {
    const batch = jobs.slice(start, start + 4);
    if (batch.some((job) => job.body.includes('BOUM'))) process.exit(3);
    for (const job of batch) appendFileSync(${JSON.stringify(log)}, job.file + '\\n');
    parentPort.postMessage(batch.map((job) => ({ html: 'rendu:' + job.body, firstParagraph: '', words: 0, links: [], diagnostics: [] })));
  }
});
parentPort.postMessage([]);
`);
  const jobs: MarkdownJob[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'essay', file: `content/posts/essai-${i}.md`, body: i === 57 ? 'BOUM '.repeat(200) : `Essai ${i}. `.repeat(100), bodyLine: 5 }));
  const results = await renderInParallel(jobs, markdownOptions('fr'), { threads: 2, workerFile: pathToFileURL(worker) });
  const failures = results.flatMap((result) => result.diagnostics).filter((d) => d.severity === 'error');
  expect(failures).toEqual([expect.objectContaining({ file: 'content/posts/essai-57.md', code: 'markdown/failed' })]);
  expect(results.every((result, i) => i === 57 || result.html === `rendu:${jobs[i]!.body}` || result.html.includes(`Essai ${i}.`))).toBe(true);
  const rendered = (await readFile(log, 'utf8')).trim().split('\n');
  // Every job the workers answered was answered once: nothing sent back was rendered again.
  expect(new Set(rendered).size).toBe(rendered.length);
  expect(rendered).not.toContain('content/posts/essai-57.md');
  await rm(dir, { recursive: true, force: true });
});
