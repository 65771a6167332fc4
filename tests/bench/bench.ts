/**
 * `npm run bench`: for generated collections (SIZES, default 1000 and 4000 essays; 10000 on
 * request: SIZES=10000), the medians of RUNS runs (default 3), each in a fresh process: Agora's
 * cold build (no cache, search index, social cards and 5 photos included; and again with
 * cards: false, for their cost, and with images: false too, the work the peers do), warm build (nothing changed) and build after one
 * essay's body changed, with peak memory and pages per second; then, on the same essays, the
 * peers: Eleventy 3 followed by Pagefind's CLI on its essay pages (what an Eleventy user has for
 * search), Hugo (Debian's package, when installed) and the single-threaded floor of our own
 * stack; and the ratios the targets are set in. At 1000 essays it also measures agora dev: start
 * to first page served, and saving an essay to the rebuilt page being served. Figures, not
 * tests: nothing fails on time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDev } from '../../lib/dev/dev.js';
import { installEleventy, prepareEleventySite } from './eleventy.js';
import { findHugo, prepareHugoSite } from './hugo.js';
import { generateCollection } from './generate.js';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sizes = (process.env.SIZES ?? '1000,4000').split(',').map(Number);
const runs = Number(process.env.RUNS ?? 3);
const cores = availableParallelism();
/** Invented 2400-pixel photos in the corpus (bench/generate.ts), shown by one essay in fifty. */
const PHOTOS = Number(process.env.PHOTOS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs a command (node by default) in a fresh process; returns its wall time and the peak memory of its largest process (from /usr/bin/time). */
function run(args: string[], cwd = project, command = process.execPath): { ms: number; mb: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} a échoué (code ${result.status}) : ${result.stderr.slice(-800)}`);
  return { ms, mb: Number(/MAXRSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024 };
}

/** Times the same step RUNS times, after `before` each time. */
async function times(step: () => { ms: number; mb: number }, before: () => Promise<unknown> = async () => {}): Promise<{ ms: number; mb: number }> {
  const results = [];
  for (let i = 0; i < runs; i++) {
    await before();
    results.push(step());
  }
  return { ms: median(results.map((r) => r.ms)), mb: Math.max(...results.map((r) => r.mb)) };
}

const pagefindCli = path.join(project, 'node_modules/pagefind/lib/runner/bin.cjs');
const ratio = (a: number, b: number) => (a / b).toFixed(2);

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
const hugo = findHugo();
console.log(`Machine : ${cores} cœurs ; médianes de ${runs} exécution(s), chacune dans un processus neuf.`);
console.log(hugo ? `Hugo ${hugo.version} (paquet Debian).\n` : 'Hugo absent de cette machine (apt-get install hugo) : les rapports à Hugo ne sont pas calculés.\n');

for (const size of sizes) {
  const root = await mkdtemp(path.join(tmpdir(), `agora-bench-${size}-`));
  await generateCollection(root, size, 42, { photos: PHOTOS });
  for (const folder of ['templates', 'public']) await cp(path.join(project, folder), path.join(root, folder), { recursive: true });
  const build = () => run([cli, '--root', root, 'build', '--quiet'], root);
  const clean = async () => {
    await rm(path.join(root, 'dist'), { recursive: true, force: true });
    await rm(path.join(root, '.cache'), { recursive: true, force: true });
  };
  const config = path.join(root, 'content/site.yml');
  const settings = await readFile(config, 'utf8');
  // The same cold build without the social cards (site.yml cards: false), for their cost.
  await writeFile(config, `${settings}cards: false\n`);
  const coldNoCards = await times(build, clean);
  // And without the versions of the photos: the work Eleventy + Pagefind does (pages and search), for issue 22's ratio.
  await writeFile(config, `${settings}cards: false\nimages: false\n`);
  const coldPlain = await times(build, clean);
  await writeFile(config, settings);
  const cold = await times(build, clean);
  const warm = await times(build);
  const essay = path.join(root, 'content/posts/essai-00007.md');
  const original = await readFile(essay, 'utf8');
  let edits = 0;
  const changed = await times(build, () => writeFile(essay, original.replace('\n\n', `\n\nModification ${edits++}.\n\n`)));
  await writeFile(essay, original);
  build();
  const floor = await times(() => run([path.join(project, 'lib/.tools/floor.js'), root, path.join(root, 'floor')]));

  const site = path.join(root, 'eleventy');
  await prepareEleventySite(root, site);
  const eleventyAlone = await times(() => run([eleventy, '--quiet'], site), () => rm(path.join(site, '_site'), { recursive: true, force: true }));
  const eleventySearch = await times(() => {
    const built = run([eleventy, '--quiet'], site);
    const indexed = run([pagefindCli, '--site', '_site', '--silent'], site);
    return { ms: built.ms + indexed.ms, mb: Math.max(built.mb, indexed.mb) };
  }, () => rm(path.join(site, '_site'), { recursive: true, force: true }));

  let hugoCold: { ms: number; mb: number } | null = null;
  if (hugo) {
    const hugoSite = path.join(root, 'hugo');
    await prepareHugoSite(root, hugoSite);
    hugoCold = await times(() => run(['--quiet'], hugoSite, hugo.command), async () => {
      await rm(path.join(hugoSite, 'public'), { recursive: true, force: true });
      await rm(path.join(hugoSite, 'resources'), { recursive: true, force: true });
    });
  }

  const pages = Number(execFileSync(process.execPath, [cli, '--root', root, 'build'], { encoding: 'utf8' }).match(/(\d+) (?:pages|fichiers)/)?.[1] ?? 0);
  console.log(`— ${size} essais, ${pages} pages —`);
  console.log(`  Agora à froid             ${seconds(cold.ms)}  (${Math.round(pages / (cold.ms / 1000))} pages/s, mémoire max ${Math.round(cold.mb)} Mo, recherche, ${size + 1} cartes et ${PHOTOS} photos de 2400 px comprises)`);
  console.log(`  Agora à froid sans cartes ${seconds(coldNoCards.ms)}  (cards: false)`);
  console.log(`  … ni photos               ${seconds(coldPlain.ms)}  (cards: false, images: false : le travail du pair, pages et recherche)`);
  console.log(`  Agora à chaud             ${seconds(warm.ms)}  (rien de changé ; mémoire max ${Math.round(warm.mb)} Mo)`);
  console.log(`  Agora, un essai changé    ${seconds(changed.ms)}  (son texte seul)`);
  console.log(`  Eleventy 3 + Pagefind     ${seconds(eleventySearch.ms)}  (Eleventy seul ${seconds(eleventyAlone.ms)} ; mémoire max ${Math.round(eleventySearch.mb)} Mo)`);
  if (hugoCold) console.log(`  Hugo à froid              ${seconds(hugoCold.ms)}  (mémoire max ${Math.round(hugoCold.mb)} Mo)`);
  console.log(`  plancher (1 fil)          ${seconds(floor.ms)}  (gray-matter + remark + remark-html + Handlebars, essais seuls)`);
  console.log(`  rapports : à froid / (Eleventy + Pagefind) ${ratio(cold.ms, eleventySearch.ms)} (cible < 1)`);
  console.log(`             à froid / à froid sans cartes ${ratio(cold.ms, coldNoCards.ms)} (cible ≤ 1,3)`);
  console.log(`             à froid sans cartes / (Eleventy + Pagefind) ${ratio(coldNoCards.ms, eleventySearch.ms)} ; sans cartes ni photos ${ratio(coldPlain.ms, eleventySearch.ms)} (cible ≤ 1,5, issue 22)`);
  if (hugoCold) {
    console.log(`             à chaud / Hugo à froid ${ratio(warm.ms, hugoCold.ms)} (cible ≤ 0,5) ; un essai changé / Hugo à froid ${ratio(changed.ms, hugoCold.ms)} (cible ≤ 1)`);
  }
  console.log(`             à froid / (plancher / ${cores} cœurs) ${ratio(cold.ms, floor.ms / cores)}`);

  if (size === 1000) {
    const started = performance.now();
    const dev = await startDev({ root, port: 0, host: '127.0.0.1', log: () => {} });
    await get(`${dev.url}essais/essai-00007/`);
    const firstPage = performance.now() - started;
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
    console.log(`  agora dev : démarrage → première page ${seconds(firstPage)} (dans ce processus, cible < 3 s) ; enregistrement → page servie ${Math.round(median(latencies))} ms (médiane de ${latencies.length} ; cible < 100 ms)`);
  }
  console.log('');
  await rm(root, { recursive: true, force: true });
}
