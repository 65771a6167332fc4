#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, type Option } from 'commander';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printable, printableLine } from './diagnostics/printable.js';
import { DEFAULT_QUEUE } from './intake/queue-folder.js';
import { UsageError } from './diagnostics/usage-error.js';

// Each command loads its modules when it runs: `agora --help` loads none of the pipeline.

/** Exit codes: 0 success, 1 a mistake to fix (content, templates, command line), 2 a crash of Agora itself. */
export const EXIT = { ok: 0, content: 1, crash: 2 } as const;

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;


/** On SIGTERM, idle keep-alive connections are left to their clients this long (the servers announce 5 s), so that none is closed under a request. */
const IDLE_LINGER_MS = 4_000;

/** Commander's own words, in French (help titles). */
const TITLES: Record<string, string> = { 'Usage:': 'Utilisation :', 'Options:': 'Options :', 'Commands:': 'Commandes :', 'Arguments:': 'Arguments :', 'Global Options:': 'Options générales :' };

/** Commander's help, in French: titles, and defaults said « par défaut ». */
const FRENCH_HELP = {
  styleTitle: (title: string) => TITLES[title] ?? title,
  optionDescription: (option: Option) => {
    const shown = option.defaultValue !== undefined && !option.negate && option.defaultValue !== false;
    return shown ? `${option.description} (par défaut : ${String(option.defaultValue)})` : option.description;
  },
};

/** Commander's errors, said in French by their code. */
function frenchError(error: CommanderError): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownCommand': return `Commande inconnue « ${quoted} » : agora --help liste les commandes.`;
    case 'commander.unknownOption': return `Option inconnue « ${quoted} » : agora <commande> --help liste les options.`;
    case 'commander.missingArgument': return `Argument manquant « ${quoted} » : agora <commande> --help montre l'utilisation.`;
    case 'commander.optionMissingArgument': return `L'option « ${quoted} » demande une valeur.`;
    case 'commander.excessArguments': return 'Trop d\'arguments : agora <commande> --help montre l\'utilisation.';
    case 'commander.invalidArgument': return error.message.replace(/^error: /, '').replace(/^option '([^']+)' argument '([^']*)' is invalid\. /, 'Option « $1 » : ');
    default: return error.message.replace(/^error: /, '');
  }
}

/** A port number from the command line: 0 to 65535. */
function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError(`« ${value} » n'est pas un port (un nombre de 0 à 65535).`);
  return port;
}

/** A positive whole number from the command line. */
function parsePositive(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError(`« ${value} » doit être un nombre entier positif.`);
  return number;
}

/** Checks that a folder is an Agora project (it has content/). */
function projectRoot(root: string): string {
  const resolved = path.resolve(root);
  if (!existsSync(path.join(resolved, 'content'))) {
    throw new UsageError(`Aucun dossier content/ dans ${resolved} : lancez agora depuis le dossier du projet, ou indiquez-le avec --root.`);
  }
  return resolved;
}

/** What the servers say of the moderation pages: where they are, or how to turn them on. */
function moderationLine(url: string | null): string {
  return url
    ? `Modération : ${url} (secret de modération demandé)`
    : 'Modération dans le navigateur : désactivée (définissez AGORA_MODERATION_SECRET ou --secret-file pour l\'activer)';
}

/**
 * Waits for Ctrl-C or SIGTERM; a second one quits at once. The listeners stay: with `once`, the
 * signal-exit listener that proper-lockfile installs found itself alone after ours and killed
 * the process with the signal, before the graceful shutdown could run.
 */
const untilStopped = () => new Promise<void>((resolve) => {
  let signals = 0;
  const stop = () => {
    signals += 1;
    if (signals === 1) resolve();
    else process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});

/** Progress of a build: one line updated in place on a terminal, one line per stage otherwise. */
function progressLine(stream: NodeJS.WritableStream & { isTTY?: boolean }) {
  const tty = Boolean(stream.isTTY);
  return {
    report: (stage: string) => stream.write(tty ? `\r\x1b[2K… ${stage}` : `… ${stage}\n`),
    done: () => { if (tty) stream.write('\r\x1b[2K'); },
  };
}

/** Parses argv, runs the command and resolves to its exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('agora')
    .description("Générateur du site d'essais Agora")
    .version(VERSION, '-V, --version', 'affiche la version d\'Agora')
    .helpOption('-h, --help', "affiche l'aide")
    .helpCommand('help [commande]', "affiche l'aide d'une commande")
    .option('-C, --root <dossier>', 'dossier du projet (content/, templates/, public/)', '.')
    .exitOverride()
    .usage('[options] [commande]')
    .configureHelp(FRENCH_HELP)
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s), outputError: () => {} });
  const rootOf = () => program.opts<{ root: string }>().root;
  const french = (command: Command) => command
    .helpOption('-h, --help', "affiche l'aide")
    .configureHelp(FRENCH_HELP);

  french(program.command('build'))
    .description('construit le site dans dist/')
    .option('-o, --out <dossier>', 'dossier de sortie', 'dist')
    .option('--drafts', 'publie aussi les brouillons (draft: true)')
    .option('--future', 'publie aussi les essais datés dans le futur')
    .option('--strict', 'les liens internes et images introuvables sont des erreurs')
    .option('--timings', 'affiche la durée de chaque étape')
    .option('-q, --quiet', "n'affiche ni la progression ni le résumé, seulement les problèmes")
    .option('--no-cache', 'ignore le cache de .cache/agora/ (et ne le met pas à jour)')
    .action(async (options: { out: string; drafts?: boolean; future?: boolean; strict?: boolean; timings?: boolean; quiet?: boolean; cache: boolean }) => {
      const root = projectRoot(rootOf());
      const [{ build, SCHEDULE_FILE }, { formatDiagnostics }, { formatFrenchDate }] = await Promise.all([
        import('./build.js'), import('./diagnostics/format.js'), import('./dates.js'),
      ]);
      const progress = progressLine(out);
      // From the process's start (performance's time origin) to the build: Node itself, then this CLI's modules.
      const start = Math.round(performance.now());
      const result = await build({
        root, outDir: options.out, drafts: options.drafts, future: options.future, cache: options.cache, strict: options.strict,
        progress: options.quiet ? undefined : progress.report,
      }).finally(() => { if (!options.quiet) progress.done(); });
      if (result.diagnostics.length) err.write(formatDiagnostics(result.diagnostics) + '\n');
      if (!result.ok) {
        err.write(`Échec de la construction : ${options.out}/ est resté tel quel.\n`);
        exitCode = EXIT.content;
        return;
      }
      if (options.quiet) return;
      if (result.upToDate) {
        out.write(`Site à jour : rien n'a changé depuis la dernière construction (${result.upToDate.files} fichiers dans ${options.out}/, ${Math.round(result.durationMs)} ms)\n`);
        return;
      }
      const pages = result.files.length;
      const kept = result.written?.unchanged ? `, ${result.written.unchanged} inchangée${result.written.unchanged > 1 ? 's' : ''}` : '';
      out.write(`Site construit : ${pages} page${pages > 1 ? 's' : ''} dans ${options.out}/${kept} (${Math.round(result.durationMs)} ms)\n`);
      if (options.timings) out.write(`Étapes (ms) : ${Object.entries({ start, ...result.timings }).map(([name, ms]) => `${name} ${ms}`).join(', ')}\n`);
      if (result.nextScheduled) {
        out.write(`Prochaine publication programmée : ${formatFrenchDate(result.nextScheduled.date)} (${result.nextScheduled.file}) ; date lisible par CI dans ${SCHEDULE_FILE}\n`);
      }
    });

  french(program.command('dev'))
    .description('aperçu en direct sur http://127.0.0.1:4000, reconstruit à chaque modification')
    .option('-p, --port <port>', 'port', parsePort, 4000)
    .option('-H, --host <adresse>', "adresse d'écoute", '127.0.0.1')
    .action(async (options: { port: number; host: string }) => {
      const root = projectRoot(rootOf());
      out.write('Préparation de l\'aperçu : lecture et construction du site en mémoire…\n');
      // Listening for the signals before the address is printed: a SIGTERM sent as soon as it
      // appears must stop the server cleanly, not kill it.
      const stopped = untilStopped();
      const { startDev } = await import('./dev/dev.js');
      const dev = await startDev({ root, port: options.port, host: options.host, log: (line) => out.write(printable(line) + '\n') });
      await stopped;
      await dev.close();
    });

  french(program.command('serve'))
    .description('sert le site construit et le serveur de commentaires sur un seul port, sous le chemin de baseUrl')
    .option('-o, --out <dossier>', 'dossier du site construit', 'dist')
    .option('-p, --port <port>', 'port', parsePort, 8080)
    .option('-H, --host <adresse>', "adresse d'écoute", '127.0.0.1')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .option('--rate-limit <n>', 'commentaires par minute et par adresse', parsePositive, 10)
    .option('--secret-file <fichier>', 'fichier du secret de modération, hors du projet (sinon AGORA_MODERATION_SECRET)')
    .option('--trust-proxy', "derrière un proxy inverse (nginx) sur la même machine : les limites comptent par adresse de X-Forwarded-For")
    .action(async (options: { out: string; port: number; host: string; queue: string; rateLimit: number; secretFile?: string; trustProxy?: boolean }) => {
      const root = projectRoot(rootOf());
      const stopped = untilStopped();
      // The secret first, on its own small module: a mistake in it is told before the pipeline loads.
      const { readModerationSecret } = await import('./intake/moderation-secret.js');
      const secret = await readModerationSecret(root, options.secretFile);
      const { startServe } = await import('./serve/serve.js');
      const served = await startServe({ root, outDir: path.resolve(root, options.out), port: options.port, host: options.host,
        queueDir: path.resolve(root, options.queue), rateLimit: options.rateLimit, secret, trustProxy: !!options.trustProxy, idleLingerMs: IDLE_LINGER_MS, log: (line) => out.write(printable(line) + '\n') });
      out.write(`Site servi : ${served.url} · commentaires : ${served.endpoint}\n${moderationLine(served.moderation)}\n`);
      await stopped;
      out.write('Arrêt : plus aucune connexion acceptée, fin des écritures en cours…\n');
      await served.shutdown();
      out.write('Serveur arrêté.\n');
    });

  french(program.command('check'))
    .description('vérifie un site construit : HTML valide, liens et ancres, flux')
    .option('-o, --out <dossier>', 'dossier du site construit', 'dist')
    .action(async (options: { out: string }) => {
      const root = projectRoot(rootOf());
      const folder = path.resolve(root, options.out);
      if (!existsSync(path.join(folder, 'index.html')) || !statSync(folder).isDirectory()) {
        throw new UsageError(`Aucun site construit dans ${options.out}/ (pas de index.html) : lancez d'abord agora build.`);
      }
      const [{ validateConfig, basePath }, { readContent }, { checkSite }, { formatDiagnostics }, { hasErrors }] = await Promise.all([
        import('./config.js'), import('./load/read-sources.js'), import('./check/check-site.js'), import('./diagnostics/format.js'), import('./diagnostics/diagnostic.js'),
      ]);
      const { config } = validateConfig((await readContent(root)).config);
      const { diagnostics, pages } = await checkSite(folder, basePath(config));
      if (diagnostics.length) err.write(formatDiagnostics(diagnostics) + '\n');
      if (hasErrors(diagnostics)) {
        exitCode = EXIT.content;
        return;
      }
      out.write(`Site vérifié : ${pages} pages HTML valides, liens, ancres et flux en ordre.\n`);
    });

  french(program.command('init [dossier]'))
    .description('crée une collection d\'essais vide, prête à construire (dossier vide ou absent)')
    .action(async (folder: string | undefined) => {
      const { initSite } = await import('./dev/init-site.js');
      const target = folder ?? '.';
      const { created, repository } = await initSite(path.resolve(rootOf(), target), target);
      out.write(`Site créé dans ${target}/ : ${created.join(', ')}\nRemplissez content/site.yml et content/authors/auteur.md, puis : agora --root ${target} new "Mon premier essai"\n`);
      out.write(repository
        ? `Le workflow .github/workflows/site.yml construit le site avec Agora de ${repository}.\n`
        : 'Dans .github/workflows/site.yml, remplacez <compte>/<depot-d-agora> par le dépôt GitHub d\'Agora à utiliser.\n');
    });

  french(program.command('new <titre>'))
    .description('crée un essai (brouillon) dans content/posts/')
    .option('-a, --author <id>', "identifiant de l'auteur (par défaut, le seul auteur ou defaultAuthor de site.yml)")
    .action(async (title: string, options: { author?: string }) => {
      const { createPost } = await import('./dev/new-post.js');
      const result = await createPost(projectRoot(rootOf()), title, { author: options.author });
      if (!result.ok) throw new UsageError(result.message);
      out.write(`Essai créé : ${result.file}\nAperçu (avec agora dev) : ${result.url}\n`);
    });

  const importer = french(program.command('import')).usage('[options] [commande]').description("importe un blog existant dans content/");
  french(importer.command('wordpress <export>'))
    .description('importe un export WordPress (Outils → Exporter → Tout le contenu) : essais, pages, commentaires, auteurs, catégories, anciennes adresses')
    .option('--media <dossier>', 'copie de wp-content/uploads : les fichiers utilisés sont copiés dans public/')
    .action(async (exportFile: string, options: { media?: string }) => {
      const root = projectRoot(rootOf());
      const { importWordpress, formatImportReport } = await import('./import/import-wordpress.js');
      // The export and the uploads are named from where agora runs, not from --root.
      const result = await importWordpress({ root, exportFile: path.resolve(exportFile), shown: exportFile, media: options.media ? path.resolve(options.media) : null });
      out.write(printable(formatImportReport(result, exportFile)));
      if (result.outcome.kept.length) exitCode = EXIT.content;
    });

  const comments = french(program.command('comments')).usage('[options] [commande]').description('serveur et modération des commentaires');
  french(comments.command('serve'))
    .description('reçoit les commentaires envoyés par les formulaires du site')
    .option('-p, --port <port>', 'port', parsePort, 8787)
    .option('-H, --host <adresse>', "adresse d'écoute", '127.0.0.1')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .option('-o, --out <dossier>', 'site reconstruit après chaque approbation (publish: build)', 'dist')
    .option('--rate-limit <n>', 'commentaires par minute et par adresse', parsePositive, 10)
    .option('--secret-file <fichier>', 'fichier du secret de modération, hors du projet (sinon AGORA_MODERATION_SECRET)')
    .option('--trust-proxy', "derrière un proxy inverse (nginx) sur la même machine : les limites comptent par adresse de X-Forwarded-For")
    .action(async (options: { port: number; host: string; queue: string; out: string; rateLimit: number; secretFile?: string; trustProxy?: boolean }) => {
      const root = projectRoot(rootOf());
      const { readModerationSecret } = await import('./intake/moderation-secret.js');
      const secret = await readModerationSecret(root, options.secretFile);
      const [{ createIntakeServer, INTAKE_PATH }, { removeTemporaryFiles }, { moderationActions }, { MODERATION_PATH }] = await Promise.all([
        import('./intake/server.js'), import('./intake/store.js'), import('./intake/publish.js'), import('./intake/moderation-page.js'),
      ]);
      const queueDir = path.resolve(root, options.queue);
      const removed = await removeTemporaryFiles(queueDir, path.join(root, 'content/comments'));
      if (removed) out.write(`Fichiers temporaires d'un arrêt brutal supprimés : ${removed}\n`);
      const stopped = untilStopped();
      const moderation = secret ? { path: `/${MODERATION_PATH}`, secret, ...moderationActions({ root, queueDir, outDir: options.out }) } : undefined;
      const intake = createIntakeServer({ root, queueDir, rateLimit: options.rateLimit, trustProxy: !!options.trustProxy, idleLingerMs: IDLE_LINGER_MS, moderation, log: (line) => out.write(printable(line) + '\n') });
      const { listen } = await import('./serve/listen.js');
      const address = await listen(intake.server, options.port, options.host);
      const origin = `http://${address.address}:${address.port}`;
      out.write(`Serveur de commentaires : ${origin}${INTAKE_PATH}\n${moderationLine(secret ? `${origin}/${MODERATION_PATH}` : null)}\n`);
      await stopped;
      out.write('Arrêt : plus aucune connexion acceptée, fin des écritures en cours…\n');
      await intake.shutdown();
      out.write('Serveur de commentaires arrêté.\n');
    });
  french(comments.command('list'))
    .description('liste les commentaires en attente de modération')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .action(async (options: { queue: string }) => {
      const { listPending } = await import('./intake/moderation.js');
      const pending = await listPending(path.resolve(rootOf(), options.queue));
      if (!pending.length) out.write('Aucun commentaire en attente.\n');
      for (const c of pending) out.write(`${printableLine(`${c.id}  ${c.postSlug}  ${c.author}  ${c.date}  ${c.excerpt}`)}\n`);
    });
  french(comments.command('approve <id...>'))
    .description('publie des commentaires en attente (publish: build reconstruit le site, publish: git les commite)')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .option('-o, --out <dossier>', 'site reconstruit (publish: build)', 'dist')
    .option('--push', 'envoie les commits au dépôt distant (publish: git), même sans push: true')
    .action(async (ids: string[], options: { queue: string; out: string; push?: boolean }) => {
      const root = projectRoot(rootOf());
      const [{ approveAndPublish }, { formatDiagnostics }] = await Promise.all([import('./intake/publish.js'), import('./diagnostics/format.js')]);
      const report = await approveAndPublish(ids, { root, queueDir: path.resolve(root, options.queue), outDir: options.out, push: options.push });
      for (const id of report.result.done) out.write(`Approuvé : ${id}\n`);
      for (const line of report.lines) out.write(`${printableLine(line)}\n`);
      const problems = [...report.result.diagnostics, ...report.problems];
      if (problems.length) {
        err.write(formatDiagnostics(problems) + '\n');
        exitCode = EXIT.content;
      }
    });
  french(comments.command('reject <id...>'))
    .description('écarte des commentaires en attente (conservés dans rejetes/)')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .action(async (ids: string[], options: { queue: string }) => {
      const root = projectRoot(rootOf());
      const [{ rejectComments }, { formatDiagnostics }, { withProjectLock }] = await Promise.all([import('./intake/moderation.js'), import('./diagnostics/format.js'), import('./write/project-lock.js')]);
      const result = await withProjectLock(root, () => rejectComments(path.resolve(root, options.queue), ids));
      for (const id of result.done) out.write(`Écarté : ${id}\n`);
      if (result.diagnostics.length) {
        err.write(formatDiagnostics(result.diagnostics) + '\n');
        exitCode = EXIT.content;
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // `agora` alone, or a group without its command: the help was shown, nothing else to say.
      if (error.code === 'commander.help') return EXIT.content;
      err.write(`${frenchError(error)}\n`);
      return EXIT.content;
    }
    if (error instanceof UsageError) {
      err.write(`${printable(error.message)}\n`);
      return EXIT.content;
    }
    err.write(`Erreur interne d'Agora : ${printable((error as Error).message)}\n`);
    if (process.env.AGORA_DEBUG) err.write(`${(error as Error).stack}\n`);
    else err.write('Relancez avec AGORA_DEBUG=1 pour le détail, et signalez-le si le problème persiste.\n');
    return EXIT.crash;
  }
  return exitCode;
}

/** True when this module is the program being run (directly, or through the `agora` bin link). */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
