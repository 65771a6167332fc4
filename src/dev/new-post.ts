import { mkdir, open, readdir } from 'node:fs/promises';
import { basePath, validateConfig } from '../config.js';
import { readContent } from '../load/read-sources.js';
import path from 'node:path';
import { stringify } from 'yaml';
import { routes } from '../graph/routes.js';
import { toSlug } from '../graph/slug.js';

/** What `agora new` did, or why it could not. */
export type NewPostResult = { ok: true; file: string; url: string } | { ok: false; message: string };

/** Today's date where the author is, `AAAA-MM-JJ`. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Creates content/posts/<slug>.md with its front matter filled in (title, today's date,
 * `draft: true`, the author) and never overwrites an existing file.
 */
export async function createPost(root: string, title: string, options: { author?: string; now?: Date; previewBase?: string } = {}): Promise<NewPostResult> {
  const slug = toSlug(title);
  if (!slug) return { ok: false, message: 'Le titre doit contenir au moins une lettre ou un chiffre.' };
  const authors = (await readdir(path.join(root, 'content/authors')).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.md') && !name.startsWith('.')).map((name) => name.slice(0, -3)).sort();
  let author = options.author;
  if (author && !authors.includes(author)) {
    return { ok: false, message: `Auteur inconnu « ${author} » : choisissez parmi ${authors.join(', ') || 'aucun (créez content/authors/<id>.md)'}.` };
  }
  const { config } = validateConfig((await readContent(root)).config);
  if (!author) {
    if (config.defaultAuthor && authors.includes(config.defaultAuthor)) author = config.defaultAuthor;
    else if (authors.length === 1) author = authors[0]!;
    else return { ok: false, message: `Précisez l'auteur avec --author, ou « defaultAuthor » dans content/site.yml (parmi : ${authors.join(', ') || 'aucun, créez content/authors/<id>.md'}).` };
  }
  const file = path.join(root, 'content/posts', `${slug}.md`);
  await mkdir(path.dirname(file), { recursive: true });
  const header = stringify({ title, date: localDay(options.now ?? new Date()), author, categories: [], tags: [], draft: true }, { lineWidth: 0 });
  try {
    const handle = await open(file, 'wx');
    await handle.writeFile(`---\n${header}---\n\nÉcrivez ici votre essai, en Markdown.\n`);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, message: `Le fichier content/posts/${slug}.md existe déjà : rien n'a été écrit.` };
    throw error;
  }
  return { ok: true, file: path.relative(root, file), url: `${options.previewBase ?? 'http://127.0.0.1:4000'}${basePath(config).slice(0, -1)}${routes.post(slug)}` };
}
