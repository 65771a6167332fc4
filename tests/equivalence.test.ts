/**
 * The caches must never change what is built: after each of a seeded sequence of random edits,
 * the incremental build's dist/ is compared byte for byte with a clean `--no-cache` build, and
 * the dev server's pages with the built ones. Small by default (npm test); on demand:
 * EQUIVALENCE_STEPS=300 EQUIVALENCE_SEED=7 npx vitest run tests/equivalence.test.ts
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateCollection, random } from './bench/generate.js';
import { build } from '../src/build.js';
import { classifyChange, type Change } from '../src/dev/change-queue.js';
import { DevSite } from '../src/dev/dev-site.js';
import { NOW, PROJECT_ROOT, readTreeBytes } from './helpers/sites.js';

const STEPS = Number(process.env.EQUIVALENCE_STEPS ?? 14);
const SEED = Number(process.env.EQUIVALENCE_SEED ?? 2026);
const AUTHORS = ['alice-inventee', 'bruno-fictif', 'chloe-exemple', 'david-essai', 'eloise-test'];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agora-equivalence-'));
  // Social cards have their own incremental check (tests/render/social-cards.test.ts): drawing
  // them for every clean reference build doubled this test's time.
  await generateCollection(root, 10, SEED, { cards: false });
  for (const folder of ['templates', 'public']) await cp(path.join(PROJECT_ROOT, folder), path.join(root, folder), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One random edit of the kinds an owner makes; returns the files it touched. */
async function edit(next: () => number, step: number): Promise<Change[]> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const posts = (await readdir(path.join(root, 'content/posts'))).sort();
  const post = `content/posts/${pick(posts)}`;
  const slug = path.basename(post, '.md');
  const read = (file: string) => readFile(path.join(root, file), 'utf8');
  const write = async (file: string, text: string) => {
    await writeFile(path.join(root, file), text);
    return [file];
  };
  const front = async (field: string, value: string | null) => {
    const text = await read(post);
    const end = text.indexOf('\n---', 3);
    const lines = text.slice(0, end).split('\n').filter((line) => !line.startsWith(`${field}:`));
    if (value !== null) lines.push(`${field}: ${value}`);
    return write(post, `${lines.join('\n')}${text.slice(end)}`);
  };
  const commentsOf = async (essay: string) => (await readdir(path.join(root, 'content/comments', essay)).catch(() => [] as string[])).sort();
  const kinds = [
    async () => write(post, `${await read(post)}\nParagraphe ajouté à l'étape ${step} : une *phrase* inventée.\n`),
    async () => front('title', `"Titre changé à l'étape ${step} : essai ${slug}"`),
    async () => front('date', `20${10 + Math.floor(next() * 15)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`),
    async () => front('draft', (await read(post)).includes('draft: true') ? null : 'true'),
    async () => front('categories', JSON.stringify([pick(['Confiance', 'Influence', 'Médias', 'Une catégorie nouvelle'])])),
    async () => front('tags', JSON.stringify([pick(['réseau', 'confiance', 'étiquette-neuve']), `t${step}`])),
    async () => front('author', pick(AUTHORS)),
    async () => {
      const author = `content/authors/${pick(AUTHORS)}.md`;
      return write(author, (await read(author)).replace(/^name: .*$/m, `name: Personne inventée ${step}`));
    },
    async () => {
      const existing = await commentsOf(slug);
      const parent = existing.length && next() < 0.5 ? `\nparent: ${pick(existing).replace(/\.md$/, '')}` : '';
      await mkdir(path.join(root, 'content/comments', slug), { recursive: true });
      return write(`content/comments/${slug}/e${step}.md`, `---\nauthor: Lecteur de l'étape ${step}\ndate: 2024-05-0${1 + (step % 9)}T10:0${step % 10}:00Z${parent}\n---\nUn commentaire inventé.\n`);
    },
    async () => {
      const existing = await commentsOf(slug);
      if (!existing.length) return [];
      const file = `content/comments/${slug}/${pick(existing)}`;
      return write(file, `${await read(file)}\nModifié à l'étape ${step}.\n`);
    },
    async () => {
      const existing = await commentsOf(slug);
      // A comment that others answer stays: removing it would break the build on purpose.
      const texts = await Promise.all(existing.map((name) => read(`content/comments/${slug}/${name}`)));
      const leaves = existing.filter((name) => !texts.some((text) => text.includes(`parent: ${name.replace(/\.md$/, '')}\n`)));
      if (!leaves.length) return [];
      const file = `content/comments/${slug}/${pick(leaves)}`;
      await unlink(path.join(root, file));
      return [file];
    },
    async () => write('templates/layouts/base.hbs', `${await read('templates/layouts/base.hbs')}<!-- étape ${step} -->\n`),
    async () => write(`public/fichier-${step % 3}.txt`, `Fichier public inventé, étape ${step}.\n`),
    async () => write('content/site.yml', (await read('content/site.yml')).replace(/^description: .*$/m, `description: Description de l'étape ${step}`)),
  ];
  const touched = await pick(kinds)();
  return touched.map((file) => ({ kind: classifyChange(file)!, path: file, event: 'change' as const }));
}

it(`after each of ${STEPS} random edits, the incremental build and the dev server give what a clean build gives`, async () => {
  const next = random(SEED);
  const dev = new DevSite({ root, drafts: false, future: false, write: false, now: () => NOW });
  await dev.start();
  expect((await build({ root, now: NOW })).ok).toBe(true);
  for (let step = 1; step <= STEPS; step++) {
    const changes = await edit(next, step);
    const incremental = await build({ root, now: NOW });
    const reference = await build({ root, now: NOW, outDir: 'reference', cache: false });
    expect(incremental.ok, `step ${step}: ${JSON.stringify(changes)}`).toBe(reference.ok);
    expect(incremental.diagnostics).toEqual(reference.diagnostics);
    if (!reference.ok) continue;
    const [built, clean] = await Promise.all([readTreeBytes(path.join(root, 'dist')), readTreeBytes(path.join(root, 'reference'))]);
    expect([...built.keys()], `step ${step}`).toEqual([...clean.keys()]);
    for (const [file, bytes] of clean) expect(built.get(file)!.equals(bytes), `step ${step}: ${file} (${JSON.stringify(changes)})`).toBe(true);

    await dev.apply(changes);
    for (const file of reference.files) {
      const url = `/${file.path.replace(/(^|\/)index\.html$/, '$1')}`;
      expect(dev.page(url)?.contents, `step ${step}: dev ${url}`).toBe(clean.get(file.path)!.toString('utf8'));
    }
  }
}, 600_000);
