/**
 * `npm run bench`: for generated collections (SIZES, default 1000 and 4000 essays; 10000 on
 * request: SIZES=10000), the medians of RUNS runs (default 3), each in a fresh process: Agora's
 * cold build (no cache, search index, social cards and 5 photos included; and again with
 * cards: false, for their cost, and with images: false too, the work the peers do), warm build (nothing changed) and build after one
 * essay's body changed, with peak memory and pages per second; then, on the same essays, the
 * peers: Eleventy 3 followed by Pagefind's CLI on its essay pages (what an Eleventy user has for
 * search), Hugo (Debian's package, when installed) and the single-threaded floor of our own
 * stack; and the ratios the targets are set in, each said met or missed by how much, with where
 * the time of the builds that miss went (the medians of their `--timings` stages, and what no
 * stage counts). At 1000 essays it also measures agora dev: start to first page served, and
 * saving an essay to the rebuilt page being served. Figures, not tests: nothing fails on time.
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
const decimal = (value: number) => value.toFixed(2).replace('.', ',');
const seconds = (ms: number) => `${decimal(ms / 1000)} s`;

/** What one run of a command gave: its wall time, the peak memory of its largest process (from /usr/bin/time), and what it printed. */
interface Run { ms: number; mb: number; stdout: string }

/** Runs a command (node by default) in a fresh process. */
function run(args: string[], cwd = project, command = process.execPath): Run {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} a échoué (code ${result.status}) : ${result.stderr.slice(-800)}`);
  return { ms, mb: Number(/MAXRSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024, stdout: result.stdout };
}

/** The medians of RUNS runs of the same step, after `before` each time; with the median of each of Agora's stages (`--timings`), when it printed them. */
interface Timed { ms: number; mb: number; stages: Map<string, number> }

async function times(step: () => Run, before: () => Promise<unknown> = async () => {}): Promise<Timed> {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    results.push(step());
  }
  const perStage = new Map<string, number[]>();
  for (const { stdout } of results) {
    for (const [, name, ms] of (/^Étapes \(ms\) : (.*)$/m.exec(stdout)?.[1] ?? '').matchAll(/(\S+) (\d+)/g)) {
      perStage.set(name!, [...(perStage.get(name!) ?? []), Number(ms)]);
    }
  }
  return {
    ms: median(results.map((r) => r.ms)), mb: Math.max(...results.map((r) => r.mb)),
    stages: new Map([...perStage].map(([name, values]) => [name, median(values)])),
  };
}

/** Stages that run while the pages are written (site-output.ts): shown, not added to the others. */
const OVERLAPPING = new Set(['images', 'cards']);

/**
 * Where a build's time went, from its stages' medians (`start` is Node's own start and the CLI's
 * modules, `modules` those of the stages after load): `start 90, load 120, … ; hors étapes 40 ms`,
 * the rest being what no stage counts (mostly the process's end: its threads stopped, its exit).
 */
function profile(timed: Timed): string {
  if (!timed.stages.size) return 'étapes non affichées';
  const counted = [...timed.stages].filter(([name]) => !OVERLAPPING.has(name)).reduce((sum, [, ms]) => sum + ms, 0);
  const shown = [...timed.stages].map(([name, ms]) => `${name} ${ms}${OVERLAPPING.has(name) ? ' (pendant write)' : ''}`);
  return `${shown.join(', ')} ; hors étapes (la fin du processus) ${Math.max(0, Math.round(timed.ms - counted))} ms`;
}

/** A ratio against its target: `2,42 (cible ≤ 1,5 : manquée de 61 %)` or `0,34 (cible ≤ 0,5 : atteinte)`. */
function verdict(value: number, target: number, strict = false): string {
  const met = strict ? value < target : value <= target;
  const shown = `${decimal(value)} (cible ${strict ? '<' : '≤'} ${String(target).replace('.', ',')}`;
  return met ? `${shown} : atteinte)` : `${shown} : manquée de ${Math.round((value / target - 1) * 100)} %)`;
}

const pagefindCli = path.join(project, 'node_modules/pagefind/lib/runner/bin.cjs');

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
  const build = () => run([cli, '--root', root, 'build', '--timings'], root);
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
    return { ms: built.ms + indexed.ms, mb: Math.max(built.mb, indexed.mb), stdout: '' };
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
  console.log(`  rapports : à froid / (Eleventy + Pagefind) ${verdict(cold.ms / eleventySearch.ms, 1, true)}`);
  console.log(`             à froid / à froid sans cartes ${verdict(cold.ms / coldNoCards.ms, 1.3)}`);
  console.log(`             à froid sans cartes / (Eleventy + Pagefind) ${decimal(coldNoCards.ms / eleventySearch.ms)} ; sans cartes ni photos ${verdict(coldPlain.ms / eleventySearch.ms, 1.5)} (issue 22)`);
  if (hugoCold) {
    console.log(`             à chaud / Hugo à froid ${verdict(warm.ms / hugoCold.ms, 0.5)} ; un essai changé / Hugo à froid ${verdict(changed.ms / hugoCold.ms, 1)}`);
  }
  console.log(`             à froid sans cartes ni photos / (plancher / ${cores} cœurs) ${decimal(coldPlain.ms / (floor.ms / cores))}`);
  // Why a target is missed: where each measured build spent its time, and what our stack costs alone.
  console.log(`  où va le temps (médianes des étapes, ms ; docs/vitesse.md l'explique) :`);
  console.log(`    à froid, cartes et photos comprises : ${profile(cold)}`);
  console.log(`    à froid sans cartes ni photos : ${profile(coldPlain)}`);
  console.log(`      le plancher sur un fil (remark et Handlebars seuls, sans recherche) fait ${decimal(floor.ms / eleventySearch.ms)} × Eleventy + Pagefind`);
  console.log(`    un essai changé : ${profile(changed)}`);

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
    const saved = median(latencies);
    const met = (ok: boolean) => (ok ? 'atteinte' : 'manquée');
    console.log(`  agora dev : démarrage → première page ${seconds(firstPage)} (dans ce processus ; cible < 3 s : ${met(firstPage < 3000)}) ; enregistrement → page servie ${Math.round(saved)} ms (médiane de ${latencies.length} ; cible < 100 ms : ${met(saved < 100)})`);
  }
  console.log('');
  await rm(root, { recursive: true, force: true });
}
