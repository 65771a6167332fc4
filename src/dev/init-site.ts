import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../diagnostics/usage-error.js';

/** Agora's own folder: its templates and public files are the new site's starting theme. */
const AGORA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SITE_YML = `# Réglages du site (voir docs/contenu.md dans le dépôt d'Agora).
# Remplacez chaque valeur entre chevrons par la vôtre.
title: "<Nom du site>"
description: "<Une phrase qui dit de quoi parlent les essais>"
# Adresse publique du site. Sur GitHub Pages : https://<compte>.github.io/<dépôt>/
baseUrl: https://exemple.invalid/
language: fr
postsPerPage: 10
defaultAuthor: auteur
# Fuseau horaire des heures affichées (commentaires, essais datés avec une heure).
timezone: Europe/Paris
# Commentaires (voir docs/commentaires.md dans le dépôt d'Agora). GitHub Pages ne sert
# que des fichiers : rien n'y reçoit les formulaires, qui sont donc retirés. Avec un serveur de
# commentaires (agora comments serve), remplacez form: false par son adresse et publish: git :
#   endpoint: https://commentaires.exemple.org/commentaires
#   publish: git
#   push: true
comments:
  form: false
`;

/** The placeholder author of a new collection (`content/authors/auteur.md`). */
export const PLACEHOLDER_AUTHOR = `---
name: "<Votre nom>"
---

<Quelques lignes de présentation, en Markdown.>
`;

/**
 * `agora init [dossier]`: a new, empty essay collection (site.yml with placeholders, one author,
 * the templates and public files of Agora, a GitHub workflow that builds it with this Agora's
 * repository) that builds and passes agora check at once. The
 * folder must be absent or empty: like --out, init never touches anything already there.
 */
export async function initSite(folder: string, shown = folder): Promise<{ created: string[]; repository: string | null }> {
  const target = path.resolve(folder);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR') throw new UsageError(`Dossier refusé : ${shown} est un fichier ; rien n'a été modifié.`);
    throw error;
  });
  if (existing.length) throw new UsageError(`Dossier refusé : ${shown} n'est pas vide ; agora init ne crée un site que dans un dossier vide ou absent, et rien n'a été modifié.`);
  const created = ['content/site.yml', 'content/authors/auteur.md', 'content/posts/', 'templates/', 'public/', '.github/workflows/site.yml', '.gitignore'];
  await mkdir(path.join(target, 'content/authors'), { recursive: true });
  await mkdir(path.join(target, 'content/posts'), { recursive: true });
  await writeFile(path.join(target, 'content/site.yml'), SITE_YML);
  await writeFile(path.join(target, 'content/authors/auteur.md'), PLACEHOLDER_AUTHOR);
  await writeFile(path.join(target, 'content/posts/.gitkeep'), '');
  await cp(path.join(AGORA, 'templates'), path.join(target, 'templates'), { recursive: true });
  await cp(path.join(AGORA, 'public'), path.join(target, 'public'), { recursive: true });
  await writeFile(path.join(target, '.gitignore'), 'dist/\n.cache/\n.comments/\n.agora/\n');
  const repository = agoraRepository();
  await mkdir(path.join(target, '.github/workflows'), { recursive: true });
  const workflow = await readFile(path.join(AGORA, 'src/dev/site-workflow.yml'), 'utf8');
  await writeFile(path.join(target, '.github/workflows/site.yml'), workflow.replace('AGORA_REPOSITORY', repository ?? '<compte>/<depot-d-agora>'));
  return { created, repository };
}

/** The GitHub repository (owner/name) this Agora was cloned from, if git knows it. */
function agoraRepository(): string | null {
  try {
    const url = execFileSync('git', ['-C', AGORA, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url)?.[1] ?? null;
  } catch {
    return null;
  }
}
