import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listQueue } from '../../src/intake/store.js';
import { validateComment } from '../../src/validate/comment.js';
import { FIXTURES, PROJECT_ROOT, stageSite } from '../helpers/sites.js';

/** Posts one comment on its own connection; resolves to the status, or the error's code (ECONNREFUSED: refused at the door, never accepted). */
function post(port: number, body: string): Promise<number | string | null> {
  const data = new URLSearchParams({ post: 'premier-essai', author: 'Lecteur Inventé', body }).toString();
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/commentaires', method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(data) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? null));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? null));
    request.end(data);
  });
}

/** Starts the real CLI's comment server on a free port. */
async function startServer(root: string) {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'lib/cli.js'), '--root', root, 'comments', 'serve', '--port', '0', '--rate-limit', '100000'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const state = { output: '' };
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      state.output += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/commentaires/.exec(state.output);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', () => reject(new Error(`server exited early: ${state.output}`)));
  });
  return { child, exited, port, state };
}

it('stops on SIGTERM without losing any comment it answered 303, answering every connection, and exits 0', async () => {
  const root = await stageSite(path.join(FIXTURES, 'sites/basic'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  const { child, exited, port, state } = await startServer(root);

  let answered = 0;
  const burst = Array.from({ length: 150 }, (_, i) =>
    post(port, `Rafale n° ${i}`).then((status) => {
      if (++answered === 20) child.kill('SIGTERM');
      return { i, status };
    }));
  const results = await Promise.all(burst);
  expect(await exited).toBe(0);

  const accepted = results.filter((result) => result.status === 303).map((result) => result.i);
  expect(accepted.length).toBeGreaterThanOrEqual(20);
  // Every connection the server accepted got an answer: stored (303) or « come back later »
  // (503), never a reset. On a loaded machine a client may connect only once the server has
  // stopped listening: that connection is refused at the door, never accepted.
  expect(results.filter((result) => ![303, 503, 'ECONNREFUSED'].includes(result.status as number | string))).toEqual([]);
  const stored = new Map<string, string>();
  for (const entry of await listQueue(path.join(root, '.comments/en-attente'))) {
    const { record } = validateComment({ path: `content/comments/${entry.postSlug}/${entry.id}.md`, text: await readFile(entry.file, 'utf8') });
    expect(record, entry.file).not.toBeNull();
    stored.set(record!.body.trim(), entry.id);
  }
  for (const i of accepted) expect(stored.has(`Rafale n° ${i}`), `comment ${i} was answered 303 but is not stored`).toBe(true);
  expect(state.output).toContain('Serveur de commentaires arrêté.');
  await rm(root, { recursive: true, force: true });
});

it('keeps what a SIGKILLed server leaves out of content/ and out of the build, and clears it at the next start', async () => {
  const root = await stageSite(path.join(FIXTURES, 'sites/basic'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  const first = await startServer(root);
  const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => post(first.port, `Avant le SIGKILL n° ${i}`)));
  first.child.kill('SIGKILL');
  await first.exited;
  expect(statuses.every((status) => status === 303)).toBe(true);
  // What a kill in the middle of a write leaves: a file in the queue's temporary folder (and,
  // from earlier versions, a hidden .tmp file beside the published comments).
  const queue = path.join(root, '.comments/en-attente');
  await mkdir(path.join(queue, '.tmp'), { recursive: true });
  await writeFile(path.join(queue, '.tmp/20260101-000000-abcdef.md.0123456789ab.tmp'), '---\nauthor: Coupé');
  await writeFile(path.join(root, 'content/comments/premier-essai/.ancien.md.0123456789ab.tmp'), '');
  const { agora } = await import('../helpers/cli.js');
  const built = await agora(['--root', root, 'build']);
  expect(built.code).toBe(0);
  expect(built.stderr).toBe('');
  const { readTree } = await import('../helpers/sites.js');
  const site = await readTree(path.join(root, 'dist'));
  expect([...site.keys()].some((file) => file.includes('.tmp'))).toBe(false);
  expect([...site.values()].some((text) => text.includes('Coupé') || text.includes('Avant le SIGKILL'))).toBe(false);

  const second = await startServer(root);
  expect(second.state.output).toContain("Fichiers temporaires d'un arrêt brutal supprimés : 2");
  expect(await readdir(path.join(queue, '.tmp')).catch(() => [])).toEqual([]);
  expect(await readdir(path.join(root, 'content/comments/premier-essai'))).not.toContain('.ancien.md.0123456789ab.tmp');
  expect(await listQueue(queue)).toHaveLength(10);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  await rm(root, { recursive: true, force: true });
});
