import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { projectFolders } from '../build.js';
import { ChangeQueue, type Change } from './change-queue.js';
import { DevSite } from './dev-site.js';
import { createDevServer } from './server.js';
import { watchProject } from './watch.js';

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
  const site = new DevSite({ root: options.root, drafts: true, future: true, write: false });
  const started = performance.now();
  await site.start();
  const { server, notify } = createDevServer(site);
  const summary = (changes: readonly Change[], ms: number) => {
    const what = changes.length === 1 ? `${changes[0]!.path} ${VERBS[changes[0]!.event]}` : `${changes.length} fichiers modifiés`;
    const errors = site.diagnostics.filter((d) => d.severity === 'error').length;
    return `${what} · ${Math.round(ms)} ms${errors ? ` · ${errors} erreur${errors > 1 ? 's' : ''} (affichée${errors > 1 ? 's' : ''} dans le navigateur)` : ''}`;
  };
  const queue = new ChangeQueue(async (changes) => {
    const begin = performance.now();
    await site.apply(changes);
    notify();
    log(summary(changes, performance.now() - begin));
  });
  const { templatesDir, publicDir } = projectFolders({ root: options.root });
  const watcher = watchProject(options.root, [path.join(options.root, 'content'), templatesDir, publicDir], (change) => queue.push(change));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}${site.basePath()}`;
  const errors = site.diagnostics.filter((d) => d.severity === 'error').length;
  log(`Aperçu : ${url} (construit en ${Math.round(performance.now() - started)} ms${errors ? `, ${errors} erreur(s)` : ''}) · brouillons et essais programmés visibles`);
  return {
    url,
    site,
    queue,
    async close() {
      await watcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
