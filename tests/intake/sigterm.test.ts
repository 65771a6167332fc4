import { spawn } from 'node:child_process';
import { cp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listQueue } from '../../src/intake/store.js';
import { validateComment } from '../../src/validate/comment.js';
import { FIXTURES, PROJECT_ROOT, stageSite } from '../helpers/sites.js';

/** Posts one comment on its own connection; resolves to the status, or null when refused at the door. */
function post(port: number, body: string): Promise<number | null> {
  const data = new URLSearchParams({ post: 'premier-essai', author: 'Lecteur Inventé', body }).toString();
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/commentaires', method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(data) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? null));
    });
    request.on('error', () => resolve(null));
    request.end(data);
  });
}

it('stops on SIGTERM without losing any comment it answered 303, and exits 0', async () => {
  const root = await stageSite(path.join(FIXTURES, 'sites/basic'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'lib/cli.js'), '--root', root, 'comments', 'serve', '--port', '0', '--rate-limit', '100000'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/commentaires/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', () => reject(new Error(`server exited early: ${output}`)));
  });

  let answered = 0;
  const burst = Array.from({ length: 150 }, (_, i) =>
    post(port, `Rafale n° ${i}`).then((status) => {
      if (++answered === 20) child.kill('SIGTERM');
      return { i, status };
    }));
  const results = await Promise.all(burst);
  expect(await exited).toBe(0);

  const accepted = results.filter((result) => result.status === 303).map((result) => result.i);
  if (process.env.AGORA_DEBUG) console.log(`303: ${accepted.length}, refused at the door: ${results.filter((r) => r.status === null).length}`);
  expect(accepted.length).toBeGreaterThanOrEqual(20);
  const stored = new Map<string, string>();
  for (const entry of await listQueue(path.join(root, '.comments/en-attente'))) {
    const { record } = validateComment({ path: `content/comments/${entry.postSlug}/${entry.id}.md`, text: await readFile(entry.file, 'utf8') });
    expect(record, entry.file).not.toBeNull();
    stored.set(record!.body.trim(), entry.id);
  }
  for (const i of accepted) expect(stored.has(`Rafale n° ${i}`), `comment ${i} was answered 303 but is not stored`).toBe(true);
  expect(output).toContain('Serveur de commentaires arrêté.');
  await rm(root, { recursive: true, force: true });
});
