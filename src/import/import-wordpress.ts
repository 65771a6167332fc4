import { readFile, stat, unlink } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { validateConfig } from '../config.js';
import { PLACEHOLDER_AUTHOR } from '../dev/init-site.js';
import { DEFAULT_QUEUE } from '../intake/queue-folder.js';
import { readOptional } from '../load/read-sources.js';
import { UsageError } from '../diagnostics/usage-error.js';
import { writeImport, type WriteOutcome } from './import-files.js';
import { planImport, type ImportPlan, type PlannedFile } from './wordpress-plan.js';
import { readWxr, WxrError } from './wxr.js';

/** What `agora import wordpress` was asked. */
export interface ImportOptions {
  root: string;
  /** The export file (absolute, or relative to `root`), and as the owner typed it (for messages). */
  exportFile: string;
  shown?: string;
  /** A copy of wp-content/uploads (absolute, or relative to `root`), or null. */
  media: string | null;
}

/** What it did, for the report and the exit code. */
export interface ImportResult {
  plan: ImportPlan;
  outcome: WriteOutcome;
  /** What the export says of the site, when site.yml was left alone. */
  settings: { title: string; description: string; language: string; applied: boolean };
  /** agora init's placeholder author, removed once the blog's authors came in. */
  removedPlaceholder: boolean;
}

/** The placeholders of `agora init`'s site.yml: while they are there, the export gives the site its name. */
const PLACEHOLDER_TITLE = 'title: "<Nom du site>"';

/**
 * `agora import wordpress <export.xml> [--media <uploads>]`: reads the whole export first (an
 * XML error writes nothing), plans the files, then writes them without ever replacing a file
 * the owner changed (see writeImport).
 */
export async function importWordpress(options: ImportOptions): Promise<ImportResult> {
  const shown = options.shown ?? options.exportFile;
  let wxr;
  try {
    wxr = await readWxr(path.resolve(options.root, options.exportFile), shown);
  } catch (error) {
    if (!(error instanceof WxrError)) throw error;
    throw new UsageError(`${error.file}${error.position ? `:${error.position.line}:${error.position.column}` : ''} : ${error.message}. Rien n'a été écrit.`);
  }
  if (options.media !== null) {
    const folder = path.resolve(options.root, options.media);
    if (!(await stat(folder).then((info) => info.isDirectory(), () => false))) {
      throw new UsageError(`--media ${path.relative(process.cwd(), folder) || '.'} : ce dossier n'existe pas (donnez une copie de wp-content/uploads). Rien n'a été écrit.`);
    }
  }
  const configFile = await readOptional(options.root, 'content/site.yml');
  const { config } = validateConfig(configFile);
  const mediaFolder = options.media === null ? null : path.resolve(options.root, options.media);
  const plan = planImport(wxr, {
    timeZone: config.timezone,
    queue: DEFAULT_QUEUE,
    media: mediaFolder === null ? null : (relative) => {
      const file = path.join(mediaFolder, relative);
      if (!file.startsWith(mediaFolder + path.sep)) return null;
      try {
        return statSync(file).isFile() ? file : null;
      } catch {
        return null;
      }
    },
  });
  const language = wxr.language.split(/[-_]/)[0]?.toLowerCase() || config.language;
  const settings = { title: wxr.title, description: wxr.description, language, applied: false };
  const files: PlannedFile[] = [...plan.files];
  if (configFile?.text.includes(PLACEHOLDER_TITLE)) {
    // Still agora init's: the site takes the blog's name, description and language.
    const quote = (value: string) => JSON.stringify(value);
    const mainAuthor = files.find((file) => file.path.startsWith('content/authors/'))?.path.replace(/^content\/authors\/|\.md$/g, '');
    let text = configFile.text
      .replace(PLACEHOLDER_TITLE, `title: ${quote(wxr.title || 'Mon blog')}`)
      .replace(/^description: "<[^\n]*>"$/m, `description: ${quote(wxr.description || wxr.title)}`)
      .replace(/^language: .*$/m, `language: ${language}`);
    if (mainAuthor) text = text.replace(/^defaultAuthor: auteur$/m, `defaultAuthor: ${mainAuthor}`);
    files.push({ path: 'content/site.yml', text });
    settings.applied = true;
  }
  const outcome = await writeImport(options.root, files, settings.applied ? ['content/site.yml'] : []);
  // agora init's placeholder author, untouched, goes once the blog's own authors are there.
  let removedPlaceholder = false;
  const placeholder = path.join(options.root, 'content/authors/auteur.md');
  if (settings.applied && plan.counts.authors && (await readFile(placeholder, 'utf8').catch(() => null)) === PLACEHOLDER_AUTHOR && outcome.written.includes('content/site.yml')) {
    await unlink(placeholder);
    removedPlaceholder = true;
  }
  return { plan, outcome, settings, removedPlaceholder };
}

/** The report, in French: what was imported, what was left out and why, each warning. */
export function formatImportReport(result: ImportResult, exportFile: string): string {
  const { counts, warnings, missingMedia } = result.plan;
  const { outcome } = result;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count > 1 ? many : one}`;
  const lines = [
    `Import de ${exportFile} :`,
    `  ${n(counts.essays, 'essai')} (${n(counts.drafts, 'brouillon')}, ${n(counts.scheduled, 'programmé')}), ${n(counts.pages, 'page')}, ${n(counts.comments, 'commentaire publié', 'commentaires publiés')}, ${n(counts.pending, 'commentaire en attente', 'commentaires en attente')} de modération,`,
    `  ${n(counts.authors, 'auteur')}, ${n(counts.categories, 'catégorie')}, ${n(counts.tags, 'étiquette')}, ${n(counts.media, 'fichier de médias', 'fichiers de médias')} copiés dans public/.`,
  ];
  const left = [
    counts.private && n(counts.private, 'billet privé ou protégé', 'billets privés ou protégés'),
    counts.pingbacks && n(counts.pingbacks, 'rétrolien (pingback, trackback)', 'rétroliens (pingbacks, trackbacks)'),
    counts.spam && n(counts.spam, 'commentaire indésirable ou à la corbeille', 'commentaires indésirables ou à la corbeille'),
  ].filter(Boolean);
  if (left.length) lines.push(`  Non importés : ${left.join(', ')}.`);
  lines.push(`  Fichiers : ${n(outcome.written.length, 'écrit')}, ${n(outcome.unchanged.length, 'inchangé')}${outcome.deleted.length ? `, ${n(outcome.deleted.length, 'supprimé depuis le dernier import, pas recréé', 'supprimés depuis le dernier import, pas recréés')}` : ''}.`);
  if (!result.settings.applied) {
    lines.push(`  content/site.yml est resté tel quel ; l'export dit : titre « ${result.settings.title} », description « ${result.settings.description} », langue ${result.settings.language}.`);
  } else {
    lines.push(`  content/site.yml prend le titre, la description et la langue du blog ; baseUrl reste à régler (l'adresse du nouveau site).`);
    if (result.removedPlaceholder) lines.push("  L'auteur d'exemple d'agora init (content/authors/auteur.md) est retiré : les auteurs du blog le remplacent.");
  }
  if (missingMedia.length) {
    lines.push(`  ${n(missingMedia.length, 'média gardé', 'médias gardés')} à ${missingMedia.length > 1 ? 'leur' : 'son'} ancienne adresse (${result.plan.counts.media ? 'absents du dossier de --media' : 'sans --media, rien n\'est copié'}) :`);
    for (const url of missingMedia) lines.push(`    ${url}`);
  }
  if (warnings.length) {
    lines.push('Avertissements :');
    for (const warning of warnings) lines.push(`  ${warning}`);
  }
  if (outcome.kept.length) {
    lines.push(`${n(outcome.kept.length, 'fichier gardé', 'fichiers gardés')} tel quel : modifié depuis le dernier import, ou présent avant lui :`);
    for (const file of outcome.kept) lines.push(`  ${file}`);
  }
  return `${lines.join('\n')}\n`;
}
