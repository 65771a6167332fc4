import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { agora, CLI, stageThemedSite } from '../helpers/cli.js';

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

/** Builds the themed fixture and starts the real `agora serve` on a free port; resolves once it says where. */
async function startServe() {
  root = await stageThemedSite();
  expect((await agora(['--root', root, 'build', '--quiet'])).code).toBe(0);
  const child = spawn(process.execPath, [CLI, '--root', root, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let output = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Site servi : (http:\/\/127\.0\.0\.1:\d+\/sous-dossier\/)/.exec(output);
      if (match) resolve(new URL(match[1]!));
    });
    child.on('exit', () => reject(new Error(`agora serve exited early: ${output}`)));
  });
  /** Resolves to the exit code, or 'still running' if it has not exited within `ms` (a hang, never a slow machine: the shutdown needs well under a second here). */
  const exit = (ms: number) => Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms))]);
  return { child, url, exit };
}

it('exits on SIGTERM after a client aborted a large download halfway (issue 21)', async () => {
  const { child, url, exit } = await startServe();
  await writeFile(path.join(root!, 'dist/archive.bin'), Buffer.alloc(48 * 1024 * 1024, 7));
  await new Promise<void>((resolve, reject) => {
    const request = http.get(new URL('archive.bin', url), (response) => {
      expect(response.statusCode).toBe(200);
      response.once('data', () => {
        // The reader gives up after the first bytes: the server's file stream never reaches its end.
        request.destroy();
        resolve();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Other readers are still served meanwhile (on a connection not kept open: an idle one would
  // be left its keep-alive time, which the next test checks, and this one would wait it out).
  const status = await new Promise<number>((resolve, reject) => http.get(url, { agent: false }, (response) => {
    response.resume();
    resolve(response.statusCode ?? 0);
  }).on('error', reject));
  expect(status).toBe(200);
  child.kill('SIGTERM');
  const code = await exit(20_000);
  if (code === 'still running') child.kill('SIGKILL');
  expect(code).toBe(0);
});

it('stops under continuous keep-alive load without resetting a connection it kept open', async () => {
  const { child, url, exit } = await startServe();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  /** One GET: its status, or its error's code, and whether it went on a connection kept from an earlier answer. */
  const get = () => new Promise<{ outcome: number | string; reused: boolean }>((resolve) => {
    const request = http.get(new URL('essais/premier-essai/', url), { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ outcome: response.statusCode ?? 0, reused: request.reusedSocket }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ outcome: error.code ?? 'error', reused: request.reusedSocket }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ outcome: error.code ?? error.message, reused: request.reusedSocket }));
  });
  let answered = 0;
  const outcomes: { outcome: number | string; reused: boolean }[] = [];
  // Eight readers that send their next request as soon as the previous one is answered, 503s
  // included (a load generator), until the connection itself fails.
  const readers = Array.from({ length: 8 }, async () => {
    for (;;) {
      const result = await get();
      outcomes.push(result);
      if (++answered === 400) child.kill('SIGTERM');
      if (typeof result.outcome === 'string') return;
    }
  });
  await Promise.all(readers);
  agent.destroy();
  const code = await exit(20_000);
  if (code === 'still running') child.kill('SIGKILL');
  expect(code).toBe(0);
  expect(outcomes.filter((result) => result.outcome === 503).length).toBeGreaterThan(0);
  // A connection kept open for the next request is never closed under it: while stopping, every
  // answer says Connection: close, and idle connections are left their announced keep-alive time.
  expect(outcomes.filter((result) => result.reused && typeof result.outcome === 'string')).toEqual([]);
  // A fresh connection ends in an answer or a refusal at the door; one still in the kernel's
  // queue when the server stops listening is reset by the kernel (a closed listening socket
  // resets what it never accepted), which no server can prevent under continuous load.
  expect(outcomes.filter((result) => ![200, 503, 'ECONNREFUSED', 'ECONNRESET'].includes(result.outcome))).toEqual([]);
});
