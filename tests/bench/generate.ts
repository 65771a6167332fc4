/**
 * A seeded generator of a synthetic essay collection that `agora build` accepts: French prose
 * with headings, lists, quotes and links, 5 authors, 10 categories with accents, tags, and 0 to 6
 * comments per essay with replies. The same seed always gives the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = ('confiance réseau influence attention conversation marque internaute économie communauté partage message ' +
  'lecteur blogueur publicité écoute relation médias capital social hiérarchie contrôle information valeur temps patience ' +
  'interaction contenu stratégie entreprise client opinion modèle numérique plateforme recommandation bouche-à-oreille ' +
  'transparence engagement crédibilité audience visibilité dialogue réputation avis curation veille échange').split(' ');
const CATEGORIES = ['Réseaux sociaux', 'Économie de l’attention', 'Confiance', 'Influence', 'Médias', 'Marketing éthique',
  'Société numérique', 'Œuvres et lectures', 'Communautés', 'Études'];
const AUTHORS = ['alice-inventee', 'bruno-fictif', 'chloe-exemple', 'david-essai', 'eloise-test'];

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, length = 8 + Math.floor(next() * 14)): string {
  const words = Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)]!);
  const text = words.join(' ');
  const end = next() < 0.1 ? ' ?' : next() < 0.05 ? ' !' : '.';
  return text[0]!.toUpperCase() + text.slice(1) + end;
}

function paragraph(next: () => number): string {
  return Array.from({ length: 3 + Math.floor(next() * 4) }, () => sentence(next)).join(' ');
}

/** One essay body of about 800 to 1200 words. */
export function essayBody(next: () => number): string {
  const target = 800 + Math.floor(next() * 400);
  const blocks: string[] = [];
  let words = 0;
  let section = 1;
  while (words < target) {
    const roll = next();
    let block: string;
    if (roll < 0.12) block = `## Partie ${section++} : ${sentence(next, 4).replace(/[.?!]$/, '')}`;
    else if (roll < 0.2) block = Array.from({ length: 3 + Math.floor(next() * 3) }, () => `- ${sentence(next, 6)}`).join('\n');
    else if (roll < 0.26) block = `> « ${sentence(next)} »`;
    else if (roll < 0.32) block = `${sentence(next)} Voir [cette source](https://exemple.test.invalid/${Math.floor(next() * 1000)}) ; ${sentence(next)}`;
    else block = paragraph(next);
    words += block.split(/\s+/).length;
    blocks.push(block);
  }
  return blocks.join('\n\n');
}

/** One essay in PHOTO_EVERY has a cover, taken in turn from the invented photos. */
const PHOTO_EVERY = 50;

/**
 * Writes `content/` for `count` essays under `root`; with `photos`, that many invented
 * 2400-pixel photos in `public/images/` (bench/photo.ts), one essay in fifty showing one as its
 * cover and in its text. The essays' words do not depend on either option.
 */
export async function generateCollection(root: string, count: number, seed = 42, options: { cards?: boolean; photos?: number } = {}): Promise<void> {
  const next = random(seed);
  const photos = options.photos ?? 0;
  if (photos) {
    const { inventedPhoto } = await import('./photo.js');
    await mkdir(path.join(root, 'public/images'), { recursive: true });
    for (let i = 0; i < photos; i++) await writeFile(path.join(root, `public/images/photo-${i}.jpg`), await inventedPhoto(2400, 1600, 'jpeg', i + 1));
  }
  const photoOf = (i: number) => (photos && i % PHOTO_EVERY === 0 ? `/images/photo-${(i / PHOTO_EVERY) % photos}.jpg` : null);
  const content = path.join(root, 'content');
  for (const folder of ['posts', 'authors', 'comments']) await mkdir(path.join(content, folder), { recursive: true });
  await writeFile(path.join(content, 'site.yml'), `title: Collection de test\ndescription: Des essais générés pour mesurer Agora\nbaseUrl: https://bench.test.invalid/\npostsPerPage: 10\n${options.cards === false ? 'cards: false\n' : ''}comments:\n  endpoint: https://bench.test.invalid/commentaires\n`);
  for (const id of AUTHORS) {
    await writeFile(path.join(content, 'authors', `${id}.md`), `---\nname: ${id.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ')}\n---\nUne personne inventée pour les mesures.\n`);
  }
  const start = Date.UTC(2008, 0, 1);
  for (let i = 0; i < count; i++) {
    const slug = `essai-${String(i).padStart(5, '0')}`;
    const date = new Date(start + Math.floor(next() * 15 * 365) * 86_400_000).toISOString().slice(0, 10);
    const categories = [CATEGORIES[Math.floor(next() * CATEGORIES.length)]!, ...(next() < 0.3 ? [CATEGORIES[Math.floor(next() * CATEGORIES.length)]!] : [])];
    const tags = Array.from(new Set(Array.from({ length: 2 + Math.floor(next() * 3) }, () => WORDS[Math.floor(next() * WORDS.length)]!)));
    const photo = photoOf(i);
    const cover = photo ? `cover:\n  src: ${photo}\n  alt: Une photo inventée\n` : '';
    const front = `---\ntitle: "Essai ${i} : ${sentence(next, 5).replace(/[.?!]$/, '').replace(/"/g, '')}"\ndate: ${date}\nauthor: ${AUTHORS[Math.floor(next() * AUTHORS.length)]}\ncategories: ${JSON.stringify([...new Set(categories)])}\ntags: ${JSON.stringify(tags)}\n${cover}---\n\n`;
    await writeFile(path.join(content, 'posts', `${slug}.md`), front + essayBody(next) + (photo ? `\n\n![La même photo inventée](${photo})` : '') + '\n');
    const comments = Math.floor(next() * 7);
    if (comments) await mkdir(path.join(content, 'comments', slug), { recursive: true });
    for (let c = 0; c < comments; c++) {
      const parent = c > 0 && next() < 0.5 ? `\nparent: c${Math.floor(next() * c)}` : '';
      await writeFile(path.join(content, 'comments', slug, `c${c}.md`), `---\nauthor: Lecteur ${c}\ndate: ${date}T1${c}:00:00+01:00${parent}\n---\n${paragraph(next)}\n`);
    }
  }
}
