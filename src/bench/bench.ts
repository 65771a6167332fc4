/**
 * `npm run bench`: for generated collections (SIZES, default 1000 and 4000 essays), the medians
 * of RUNS runs (default 3), each in a fresh process: Agora's cold build (no cache), warm build
 * (cache from the previous build, nothing changed) and build after one essay changed, with peak
 * memory and pages per second; then, on the same essays, Eleventy 3 and the single-threaded floor
 * of our own stack, and Agora's time as a ratio of each. At 1000 essays it also measures agora dev
 * from saving an essay to the rebuilt page being served. Figures, not tests: nothing fails on time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDev } from '../dev/dev.js';
import { installEleventy, prepareEleventySite } from './eleventy.js';
import { generateCollection } from './generate.js';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sizes = (process.env.SIZES ?? '1000,4000').split(',').map(Number);
const runs = Number(process.env.RUNS ?? 3);
const cores = availableParallelism();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs `node <args>` in a fresh process; returns its wall time and peak memory (from /usr/bin/time). */
function run(args: string[], cwd = project): { ms: number; mb: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} a échoué (code ${result.status}) : ${result.stderr.slice(-800)}`);
  return { ms, mb: Number(/MAXRSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024 };
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const cli = path.join(project, 'lib/cli.js');
const eleventy = installEleventy();
console.log(`Machine : ${cores} cœurs ; médianes de ${runs} exécution(s), chacune dans un processus neuf.\n`);

for (const size of sizes) {
  const root = await mkdtemp(path.join(tmpdir(), `agora-bench-${size}-`));
  await generateCollection(root, size);
  for (const folder of ['templates', 'public']) await cp(path.join(project, folder), path.join(root, folder), { recursive: true });
  const build = () => run([cli, '--root', root, 'build'], root);
  const cold: { ms: number; mb: number }[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(path.join(root, 'dist'), { recursive: true, force: true });
    await rm(path.join(root, '.cache'), { recursive: true, force: true });
    cold.push(build());
  }
  const warm = Array.from({ length: runs }, () => build());
  const essay = path.join(root, 'content/posts/essai-00007.md');
  const original = await readFile(essay, 'utf8');
  const changed = [];
  for (let i = 0; i < runs; i++) {
    await writeFile(essay, original.replace('\n\n', `\n\nModification ${i}.\n\n`));
    changed.push(build());
  }
  const floor = Array.from({ length: runs }, () => run([path.join(project, 'lib/bench/floor.js'), root, path.join(root, 'floor')]).ms);
  const site = path.join(root, 'eleventy');
  await prepareEleventySite(root, site);
  const eleventyRuns = [];
  for (let i = 0; i < runs; i++) {
    await rm(path.join(site, '_site'), { recursive: true, force: true });
    eleventyRuns.push(run([eleventy, '--quiet'], site).ms);
  }
  const pages = Number(execFileSync(process.execPath, [cli, '--root', root, 'build'], { encoding: 'utf8' }).match(/(\d+) pages/)?.[1] ?? 0);
  const [c, w, o, f, e] = [median(cold.map((r) => r.ms)), median(warm.map((r) => r.ms)), median(changed.map((r) => r.ms)), median(floor), median(eleventyRuns)];
  console.log(`— ${size} essais, ${pages} pages —`);
  console.log(`  Agora à froid          ${seconds(c)}  (${Math.round(pages / (c / 1000))} pages/s, mémoire max ${Math.round(Math.max(...cold.map((r) => r.mb)))} Mo)`);
  console.log(`  Agora à chaud          ${seconds(w)}  (rien de changé ; mémoire max ${Math.round(Math.max(...warm.map((r) => r.mb)))} Mo)`);
  console.log(`  Agora, un essai changé ${seconds(o)}`);
  console.log(`  Eleventy 3 à froid     ${seconds(e)}`);
  console.log(`  plancher (1 fil)       ${seconds(f)}  (gray-matter + remark + remark-html + Handlebars, essais seuls)`);
  console.log(`  rapports : à froid / Eleventy ${(c / e).toFixed(2)} (cible < 1) ; à froid / (plancher / ${cores} cœurs) ${(c / (f / cores)).toFixed(2)} (cible ≤ 1,2) ;`);
  console.log(`             à chaud / Eleventy ${(w / e).toFixed(2)} (cible ≤ 0,15) ; un essai changé / Eleventy ${(o / e).toFixed(2)}`);

  if (size === 1000) {
    const dev = await startDev({ root, port: 0, host: '127.0.0.1', log: () => {} });
    const latencies: number[] = [];
    for (let i = 0; i < Math.max(runs, 7); i++) {
      const marker = `Enregistrement ${i}`;
      await get(`${dev.url}essais/essai-00007/`);
      const saved = performance.now();
      await writeFile(essay, original.replace('\n\n', `\n\n${marker}.\n\n`));
      while (!(await get(`${dev.url}essais/essai-00007/`)).includes(marker)) await new Promise((resolve) => setTimeout(resolve, 2));
      latencies.push(performance.now() - saved);
    }
    await dev.close();
    console.log(`  agora dev, enregistrement → page servie : ${Math.round(median(latencies))} ms (médiane de ${latencies.length} ; cible < 200 ms)`);
  }
  console.log('');
  await rm(root, { recursive: true, force: true });
}
