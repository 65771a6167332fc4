import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { basePath, validateConfig } from '../config.js';
import { createIntakeServer, INTAKE_PATH } from '../intake/server.js';
import { removeTemporaryFiles } from '../intake/store.js';
import { moderationActions } from '../intake/publish.js';
import { MODERATION_PATH } from '../intake/moderation-page.js';
import { readContent } from '../load/read-sources.js';
import { UsageError } from '../diagnostics/usage-error.js';
import { listen } from './listen.js';
import { createStaticHandler, sendNotFound } from './static-files.js';

/** Options of `agora serve`. */
export interface ServeOptions {
  root: string;
  /** The built site (default dist/). */
  outDir: string;
  port: number;
  host: string;
  queueDir: string;
  rateLimit?: number;
  /** Behind a reverse proxy on this machine: limits key on X-Forwarded-For (`--trust-proxy`). */
  trustProxy?: boolean;
  /** On shutdown, how long idle keep-alive connections are left to their clients (see IntakeOptions). */
  idleLingerMs?: number;
  log?: (line: string) => void;
  /** The moderator's secret: the moderation pages are served under `<base>moderation/` when it is set. */
  secret?: string | null;
}

/**
 * `agora serve`: the built site and the comment endpoint on one port, at one origin, under the
 * site's base path (`/carnets/…` and `/carnets/commentaires`), as a one-machine site is served
 * behind a reverse proxy. Static files go through the one safe static handler; the rest is the
 * comment server, with its limits and its graceful shutdown.
 */
export async function startServe(options: ServeOptions) {
  if (!existsSync(path.join(options.outDir, 'index.html'))) {
    throw new UsageError(`Aucun site construit dans ${path.relative(options.root, options.outDir) || options.outDir}/ : lancez d'abord agora build.`);
  }
  const { config } = validateConfig((await readContent(options.root)).config);
  const base = basePath(config);
  const serveStatic = createStaticHandler({ root: options.outDir, basePath: base });
  await removeTemporaryFiles(options.queueDir, path.join(options.root, 'content/comments'));
  const intake = createIntakeServer({
    root: options.root,
    queueDir: options.queueDir,
    rateLimit: options.rateLimit,
    trustProxy: options.trustProxy,
    idleLingerMs: options.idleLingerMs,
    log: options.log,
    mountPath: `${base}${INTAKE_PATH.slice(1)}`,
    moderation: options.secret
      ? { path: `${base}${MODERATION_PATH}`, secret: options.secret, ...moderationActions({ root: options.root, queueDir: options.queueDir, outDir: options.outDir }) }
      : undefined,
    otherwise: async (request, response) => {
      if ((await serveStatic(request, response)) === 'missing') await sendNotFound(options.outDir, response);
    },
  });
  const address: AddressInfo = await listen(intake.server, options.port, options.host);
  const origin = `http://${address.address}:${address.port}`;
  return {
    url: `${origin}${base}`,
    endpoint: `${origin}${base}${INTAKE_PATH.slice(1)}`,
    moderation: options.secret ? `${origin}${base}${MODERATION_PATH}` : null,
    shutdown: intake.shutdown,
  };
}
