import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { markdownOptions } from '../../src/markdown/processor.js';
import type { MarkdownJob } from '../../src/markdown/render-job.js';
import { renderInParallel } from '../../src/markdown/worker-pool.js';

it('turns a worker that dies without a word into an error on the one file that killed it, never a hang', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-worker-'));
  // A stand-in worker: it exits at once on the body that holds « BOUM », and echoes the others.
  const worker = path.join(dir, 'worker.js');
  await writeFile(worker, `import { parentPort, workerData } from 'node:worker_threads';
if (workerData.jobs.some((job) => job.body.includes('BOUM'))) process.exit(3);
parentPort.postMessage(workerData.jobs.map((job) => ({ html: 'rendu:' + job.body, firstParagraph: '', words: 0, diagnostics: [] })));
`);
  const jobs: MarkdownJob[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'essay', file: `content/posts/essai-${i}.md`, body: i === 57 ? 'BOUM '.repeat(200) : `Essai ${i}. `.repeat(100), bodyLine: 5 }));
  const results = await renderInParallel(jobs, markdownOptions('fr'), 2, pathToFileURL(worker));
  const failures = results.flatMap((result) => result.diagnostics).filter((d) => d.severity === 'error');
  expect(failures).toEqual([expect.objectContaining({ file: 'content/posts/essai-57.md', line: 5, code: 'markdown/failed' })]);
  expect(failures[0]!.message).toContain('code 3');
  expect(results.every((result, i) => i === 57 || result.html !== '')).toBe(true);
  await rm(dir, { recursive: true, force: true });
});
