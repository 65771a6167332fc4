import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { projectFolders } from '../load/read-project.js';
import { listTree } from '../load/paths.js';
import { ChangeQueue, classifyChange, type Change } from './change-queue.js';
import { DevSite } from './dev-site.js';
import { createDevHandler } from './server.js';
import { createIntakeServer, INTAKE_PATH } from '../intake/server.js';
import { DEFAULT_QUEUE } from '../intake/queue-folder.js';
import { watchProject } from './watch.js';
import { listen } from '../serve/listen.js';
import { formatDiagnostic } from '../diagnostics/format.js';

const VERBS = { add: 'ajouté', change: 'modifié', unlink: 'supprimé' } as const;

/** Options of `agora dev`. */
export interface DevOptions {
  root: string;
  port: number;
  host: string;
  log?: (line: string) => void;
}

/** Starts the dev server: builds in memory, serves, watches, rebuilds and reloads open pages. */
export async function startDev(options: DevOptions) {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const site = new DevSite({ root: options.root, drafts: true, future: true, write: false, sameOriginComments: true });
  const started = performance.now();
  // The watcher's scan runs while the site is read and built. A change it reports meanwhile is
  // held, then applied once the site is built; one made before its watches were set is found by
  // the modification times. Applying a change twice only reads the file again.
  const held: Change[] = [];
  const readFrom = Date.now();
  let push = (change: Change): void => {
    held.push(change);
  };
  const { templatesDir, publicDir } = projectFolders({ root: options.root });
  const folders = [path.join(options.root, 'content'), templatesDir, publicDir];
  const watcher = watchProject(options.root, folders, (change) => push(change));
  const watching = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  try {
    await Promise.all([site.start(), watching]);
  } catch (error) {
    await watcher.close();
    throw error;
  }
  const { handle, notify } = createDevHandler(site, publicDir);
  // The forms of the preview post to the preview itself: comments go to the pending queue
  // (or to content/comments/ without moderation, and the page follows at once).
  const intake = createIntakeServer({
    root: options.root,
    queueDir: path.join(options.root, DEFAULT_QUEUE),
    // The preview's own compiled site answers which essays take comments.
    index: async () => site.siteIndex(),
    mountPath: `${site.basePath()}${INTAKE_PATH.slice(1)}`,
    otherwise: handle,
    allowedHostsFor: options.host,
    log,
  });
  const server = intake.server;
  const summary = (changes: readonly Change[], ms: number) => {
    const what = changes.length === 1 ? `${changes[0]!.path} ${VERBS[changes[0]!.event]}` : `${changes.length} fichiers modifiés`;
    const errors = site.diagnostics.filter((d) => d.severity === 'error').length;
    return `${what} · ${Math.round(ms)} ms${errors ? ` · ${errors} erreur${errors > 1 ? 's' : ''} (affichée${errors > 1 ? 's' : ''} dans le navigateur)` : ''}`;
  };
  // Each problem is printed once, when it appears (the page shows them all, always).
  let shown = new Set<string>();
  const logProblems = () => {
    const lines = site.diagnostics.map(formatDiagnostic);
    for (const line of lines) if (!shown.has(line)) log(line);
    shown = new Set(lines);
  };
  const queue = new ChangeQueue(async (changes) => {
    const begin = performance.now();
    await site.apply(changes);
    notify();
    log(summary(changes, performance.now() - begin));
    logProblems();
  });
  push = (change) => queue.push(change);
  for (const change of [...held, ...changedSince(options.root, folders, readFrom - MTIME_MARGIN_MS)]) queue.push(change);
  let address: AddressInfo;
  try {
    address = await listen(server, options.port, options.host);
  } catch (error) {
    // Nothing may keep the process alive after a failed start (a busy port used to hang).
    await watcher.close();
    await intake.close();
    throw error;
  }
  const url = `http://${address.address}:${address.port}${site.basePath()}`;
  const errors = site.diagnostics.filter((d) => d.severity === 'error').length;
  logProblems();
  log(`Aperçu : ${url} (construit en ${Math.round(performance.now() - started)} ms${errors ? `, ${errors} erreur(s)` : ''}) · brouillons et essais programmés visibles`);
  return {
    url,
    site,
    queue,
    async close() {
      await watcher.close();
      await intake.close();
    },
  };
}

/** Modification times may be this coarse (some file systems keep whole seconds, or two). */
const MTIME_MARGIN_MS = 2000;

/** The files of the watched folders modified since `since` (ms), as changes. */
function changedSince(root: string, folders: readonly string[], since: number): Change[] {
  const changes: Change[] = [];
  for (const folder of folders) {
    let files: string[];
    try {
      files = listTree(folder).files;
    } catch {
      continue;
    }
    for (const name of files) {
      const file = path.join(folder, name);
      const relative = path.relative(root, file).split(path.sep).join('/');
      const kind = classifyChange(relative);
      if (kind && (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= since) changes.push({ kind, path: relative, event: 'change' });
    }
  }
  return changes;
}
