/**
 * Load test of the comment server (`npm run bench:comments`): a real server on 127.0.0.1 over a
 * copy of the shipped content, a bounded number of requests from this process, then requests
 * per second and latency percentiles. Every accepted comment is written and synced to disk.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSiteIndex } from '../../lib/intake/site-index.js';
import { createIntakeServer } from '../../lib/intake/server.js';

const TOTAL = Number(process.env.REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const root = await mkdtemp(path.join(tmpdir(), 'agora-bench-comments-'));
await cp(path.join(project, 'content'), path.join(root, 'content'), { recursive: true });
const intake = createIntakeServer({ root, queueDir: path.join(root, '.comments/en-attente'), rateLimit: Number.MAX_SAFE_INTEGER, log: () => {} });
await new Promise<void>((resolve) => intake.server.listen(0, '127.0.0.1', resolve));
const port = (intake.server.address() as AddressInfo).port;
// Any open essay of the site: the benchmark holds for whatever content/ has.
const essay = [...(await loadSiteIndex(root)).posts].find(([, post]) => post.commentsOpen)?.[0];
if (essay === undefined) throw new Error('aucun essai ouvert aux commentaires dans content/');
const essaySlug: string = essay;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(i: number): Promise<{ status: number; ms: number }> {
  const data = new URLSearchParams({ post: essaySlug, author: 'Charge Inventée', body: `Commentaire de charge n° ${i}.` }).toString();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/commentaires', method: 'POST', agent,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(data) } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    request.on('error', reject);
    request.end(data);
  });
}

const latencies: number[] = [];
const statuses = new Map<number, number>();
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < TOTAL) {
    const { status, ms } = await send(next++);
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
}));
const seconds = (performance.now() - started) / 1000;
agent.destroy();
await intake.shutdown();
await rm(root, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(`Serveur de commentaires : ${TOTAL} requêtes, ${CONCURRENCY} en parallèle, chacune écrite et synchronisée sur disque`);
console.log(`  réponses : ${[...statuses].map(([status, count]) => `${count} × ${status}`).join(', ')}`);
console.log(`  débit : ${(TOTAL / seconds).toFixed(0)} requêtes/s`);
console.log(`  latence (ms) : p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1]!.toFixed(1)}`);
if ((statuses.get(303) ?? 0) !== TOTAL) process.exitCode = 1;
