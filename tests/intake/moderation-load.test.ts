import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { formatCommentFile, newCommentId } from '../../src/intake/comment-file.js';
import { agora, CLI, stageThemedSite } from '../helpers/cli.js';

const SECRET = 'un-secret-invente-pour-les-tests';
let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

it('renders the moderation queue a page at a time, off the request path: other requests do not wait for it (issue 21)', async () => {
  root = await stageThemedSite();
  expect((await agora(['--root', root, 'build', '--quiet'])).code).toBe(0);
  // Thirty hostile comments, each costly to render (micromark's brackets: about 0.1 s each here, 0.35 s at the form's 5000 characters).
  const folder = path.join(root, '.comments/en-attente/premier-essai');
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < 30; i += 1) {
    const id = newCommentId(new Date(Date.UTC(2025, 5, 1, 10, 0, i)));
    await writeFile(path.join(folder, `${id}.md`), formatCommentFile({ postSlug: 'premier-essai', parent: null, author: `Pénible ${i}`, website: null, body: '[*'.repeat(1200) }, `2025-06-01T10:00:${String(i).padStart(2, '0')}+00:00`));
  }
  const child = spawn(process.execPath, [CLI, '--root', root, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AGORA_MODERATION_SECRET: SECRET } });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /Site servi : (http:\/\/127\.0\.0\.1:\d+\/sous-dossier\/)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`agora serve exited early: ${output}`)));
    });
    const signIn = await fetch(`${url}moderation/connexion`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://test.invalid' }, body: new URLSearchParams({ secret: SECRET }) });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

    const order: string[] = [];
    const queuePage = fetch(`${url}moderation/`, { headers: { Cookie: cookie } }).then(async (response) => {
      order.push('moderation');
      return { status: response.status, html: await response.text() };
    });
    // Long enough for the server to have listed the queue and started rendering it (a few milliseconds here).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const robots = await fetch(`${url}robots.txt`);
    order.push('robots');
    expect(robots.status).toBe(200);
    const page = await queuePage;
    // The site answered while the queue was being rendered.
    expect(order).toEqual(['robots', 'moderation']);
    expect(page.status).toBe(200);
    expect(page.html).toContain('30\u00A0commentaires en attente, du plus ancien au plus récent (page 1 sur 2).');
    expect(page.html.match(/<li class="pending"/g)).toHaveLength(20);
    expect(page.html).toContain('href="/sous-dossier/moderation/?page=2" rel="next"');
    const second = await (await fetch(`${url}moderation/?page=2`, { headers: { Cookie: cookie } })).text();
    expect(second.match(/<li class="pending"/g)).toHaveLength(10);
    expect(second).toContain('Pénible 29');
    expect(second).not.toContain('Pénible 19<');
    expect(second).toContain('href="/sous-dossier/moderation/" rel="prev"');
  } finally {
    // Stopped at once: a graceful stop (tested in tests/serve/shutdown.test.ts) would leave this
    // test's idle keep-alive connections their 4 s, and the test would wait them out.
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});
