#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, SCHEDULE_FILE } from './build.js';
import { formatFrenchDate } from './render/french-date.js';
import { formatDiagnostics } from './diagnostics/format.js';
import { hasErrors } from './diagnostics/diagnostic.js';
import { checkSite } from './check/check-site.js';
import { basePath, validateConfig } from './config.js';
import { readContent } from './load/read-sources.js';
import { approveComments, DEFAULT_QUEUE, listPending, rejectComments } from './intake/moderation.js';
import { createIntakeServer, INTAKE_PATH } from './intake/server.js';
import { removeTemporaryFiles } from './intake/store.js';
import { startDev } from './dev/dev.js';
import { createPost } from './dev/new-post.js';
import type { AddressInfo } from 'node:net';
import { UsageError } from './usage-error.js';
import { printable, printableLine } from './diagnostics/printable.js';

/** Exit codes: 0 success, 1 content errors (the author can fix them), 2 a crash of Agora itself. */
export const EXIT = { ok: 0, content: 1, crash: 2 } as const;

/** Parses argv, runs the command and resolves to its exit code. */
export async function main(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('agora')
    .description("Générateur du site d'essais Agora")
    .option('-C, --root <dossier>', 'dossier du projet (content/, templates/, public/)', '.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });

  program
    .command('build')
    .description('construit le site dans dist/')
    .option('-o, --out <dossier>', 'dossier de sortie', 'dist')
    .option('--drafts', 'publie aussi les brouillons (draft: true)')
    .option('--future', 'publie aussi les essais datés dans le futur')
    .option('--timings', 'affiche la durée de chaque étape')
    .option('--no-cache', 'ignore le cache de .cache/agora/ (et ne le met pas à jour)')
    .option('--strict', 'les liens internes et images introuvables sont des erreurs')
    .action(async (options: { out: string; drafts?: boolean; future?: boolean; timings?: boolean; cache: boolean; strict?: boolean }) => {
      const root = path.resolve(program.opts<{ root: string }>().root);
      if (!existsSync(path.join(root, 'content'))) {
        err.write(`Aucun dossier content/ dans ${root} : lancez agora depuis le dossier du projet, ou indiquez-le avec --root.\n`);
        exitCode = EXIT.crash;
        return;
      }
      const result = await build({ root, outDir: options.out, drafts: options.drafts, future: options.future, cache: options.cache, strict: options.strict });
      if (result.diagnostics.length) err.write(formatDiagnostics(result.diagnostics) + '\n');
      if (!result.ok) {
        err.write(`Échec de la construction : ${options.out}/ est resté tel quel.\n`);
        exitCode = EXIT.content;
        return;
      }
      const pages = result.files.length;
      const kept = result.written?.unchanged ? `, ${result.written.unchanged} inchangée${result.written.unchanged > 1 ? 's' : ''}` : '';
      out.write(`Site construit : ${pages} page${pages > 1 ? 's' : ''} dans ${options.out}/${kept} (${Math.round(result.durationMs)} ms)\n`);
      if (options.timings) out.write(`Étapes (ms) : ${Object.entries(result.timings).map(([name, ms]) => `${name} ${ms}`).join(', ')}\n`);
      if (result.nextScheduled) {
        out.write(`Prochaine publication programmée : ${formatFrenchDate(result.nextScheduled.date)} (${result.nextScheduled.file}) ; date lisible par CI dans ${SCHEDULE_FILE}\n`);
      }
    });

  const rootOf = () => path.resolve(program.opts<{ root: string }>().root);
  program
    .command('dev')
    .description('aperçu en direct sur http://127.0.0.1:4000, reconstruit à chaque modification')
    .option('-p, --port <port>', 'port', '4000')
    .option('-H, --host <adresse>', 'adresse d\'écoute', '127.0.0.1')
    .action(async (options: { port: string; host: string }) => {
      const dev = await startDev({ root: rootOf(), port: Number(options.port), host: options.host, log: (line) => out.write(line + '\n') });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await dev.close();
    });
  program
    .command('check')
    .description('vérifie un site construit : HTML valide, liens et ancres, flux')
    .option('-o, --out <dossier>', 'dossier du site construit', 'dist')
    .action(async (options: { out: string }) => {
      const root = rootOf();
      const { config } = validateConfig(await readContent(root).then((c) => c.config));
      const { diagnostics, pages } = await checkSite(path.resolve(root, options.out), basePath(config));
      if (diagnostics.length) err.write(formatDiagnostics(diagnostics) + '\n');
      if (hasErrors(diagnostics)) {
        exitCode = EXIT.content;
        return;
      }
      out.write(`Site vérifié : ${pages} pages HTML valides, liens, ancres et flux en ordre.\n`);
    });
  program
    .command('new <titre>')
    .description('crée un essai (brouillon) dans content/posts/')
    .option('-a, --author <id>', "identifiant de l'auteur (par défaut, le seul auteur)")
    .action(async (title: string, options: { author?: string }) => {
      const result = await createPost(rootOf(), title, { author: options.author });
      if (!result.ok) {
        err.write(`${result.message}\n`);
        exitCode = EXIT.content;
        return;
      }
      out.write(`Essai créé : ${result.file}\nAperçu (avec agora dev) : ${result.url}\n`);
    });
  const comments = program.command('comments').description('serveur et modération des commentaires');
  comments
    .command('serve')
    .description('reçoit les commentaires envoyés par les formulaires du site')
    .option('-p, --port <port>', 'port', '8787')
    .option('-H, --host <adresse>', 'adresse d\'écoute', '127.0.0.1')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .option('--rate-limit <n>', 'commentaires par minute et par adresse', '10')
    .action(async (options: { port: string; host: string; queue: string; rateLimit: string }) => {
      const root = rootOf();
      const queueDir = path.resolve(root, options.queue);
      const removed = await removeTemporaryFiles(queueDir, path.join(root, 'content/comments'));
      if (removed) out.write(`Fichiers temporaires d'un arrêt brutal supprimés : ${removed}\n`);
      const intake = createIntakeServer({ root, queueDir, rateLimit: Number(options.rateLimit) });
      await new Promise<void>((resolve, reject) => {
        intake.server.once('error', reject);
        intake.server.listen(Number(options.port), options.host, () => resolve());
      });
      const address = intake.server.address() as AddressInfo;
      out.write(`Serveur de commentaires : http://${address.address}:${address.port}${INTAKE_PATH}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          out.write('Arrêt : plus aucune connexion acceptée, fin des écritures en cours…\n');
          void intake.shutdown().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      out.write('Serveur de commentaires arrêté.\n');
    });
  comments
    .command('list')
    .description('liste les commentaires en attente de modération')
    .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
    .action(async (options: { queue: string }) => {
      const pending = await listPending(path.resolve(rootOf(), options.queue));
      if (!pending.length) out.write('Aucun commentaire en attente.\n');
      for (const c of pending) out.write(`${printableLine(`${c.id}  ${c.postSlug}  ${c.author}  ${c.date}  ${c.excerpt}`)}\n`);
    });
  for (const [name, description] of [['approve', 'publie des commentaires en attente'], ['reject', 'écarte des commentaires en attente (conservés dans rejetes/)']] as const) {
    comments
      .command(`${name} <id...>`)
      .description(description)
      .option('-q, --queue <dossier>', 'dossier des commentaires en attente', DEFAULT_QUEUE)
      .action(async (ids: string[], options: { queue: string }) => {
        const root = rootOf();
        const queue = path.resolve(root, options.queue);
        const result = name === 'approve' ? await approveComments(root, queue, ids) : await rejectComments(queue, ids);
        for (const id of result.done) out.write(`${name === 'approve' ? 'Publié' : 'Écarté'} : ${id}\n`);
        if (result.diagnostics.length) {
          err.write(formatDiagnostics(result.diagnostics) + '\n');
          exitCode = EXIT.content;
        }
      });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.crash;
    if (error instanceof UsageError) {
      err.write(`${printable(error.message)}\n`);
      return EXIT.content;
    }
    err.write(`Erreur interne d'Agora : ${(error as Error).message}\n`);
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
