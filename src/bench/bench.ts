/**
 * `npm run bench`: builds generated collections and reports, as medians of several runs, the
 * cold build time, pages per second and peak memory, then the dev server's time from saving an
 * essay to the rebuilt page being served. Figures, not tests: nothing here fails on timing.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDev } from '../dev/dev.js';
import { generateCollection } from './generate.js';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sizes = (process.env.SIZES ?? '1000').split(',').map(Number);
const runs = Number(process.env.RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

for (const size of sizes) {
  const root = await mkdtemp(path.join(tmpdir(), `agora-bench-${size}-`));
  await generateCollection(root, size);
  for (const folder of ['templates', 'public']) await cp(path.join(project, folder), path.join(root, folder), { recursive: true });

  // Cold builds in a fresh process each time, as CI runs them; /usr/bin/time gives peak memory.
  const times: number[] = [];
  const memories: number[] = [];
  let pages = 0;
  for (let run = 0; run < runs; run++) {
    await rm(path.join(root, 'dist'), { recursive: true, force: true });
    const started = performance.now();
    const output = execFileSync('/usr/bin/env', ['bash', '-c', `command -v /usr/bin/time >/dev/null && /usr/bin/time -f 'MAXRSS %M' node ${path.join(project, 'lib/cli.js')} --root ${root} build 2>&1 || node ${path.join(project, 'lib/cli.js')} --root ${root} build 2>&1`], { encoding: 'utf8' });
    times.push(performance.now() - started);
    pages = Number(/(\d+) pages/.exec(output)?.[1] ?? 0);
    const rss = /MAXRSS (\d+)/.exec(output)?.[1];
    if (rss) memories.push(Number(rss) / 1024);
  }
  const cold = median(times);
  console.log(`${size} essais : construction à froid ${(cold / 1000).toFixed(2)} s (médiane de ${runs}), ${pages} pages, ${Math.round(pages / (cold / 1000))} pages/s${memories.length ? `, mémoire maximale ${Math.round(median(memories))} Mo` : ''}`);

  // Dev server: save an essay, then poll until the served page shows the change.
  const dev = await startDev({ root, port: 0, host: '127.0.0.1', log: () => {} });
  const file = path.join(root, 'content/posts/essai-00007.md');
  const original = await readFile(file, 'utf8');
  const latencies: number[] = [];
  for (let run = 0; run < Math.max(runs, 5); run++) {
    const marker = `Modification numéro ${run}`;
    await get(`${dev.url}essais/essai-00007/`);
    const saved = performance.now();
    await writeFile(file, original.replace('\n\n', `\n\n${marker}.\n\n`));
    for (;;) {
      if ((await get(`${dev.url}essais/essai-00007/`)).includes(marker)) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    latencies.push(performance.now() - saved);
  }
  await dev.close();
  console.log(`${size} essais : agora dev, de l'enregistrement d'un essai à la page servie : ${Math.round(median(latencies))} ms (médiane de ${latencies.length} ; cible < 200 ms ; dont ~50 ms d'attente de fin d'écriture)`);
  await rm(root, { recursive: true, force: true });
}
