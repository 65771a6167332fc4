import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listQueue } from '../../src/intake/store.js';
import { startServe } from '../../src/serve/serve.js';
import { agora, stageThemedSite } from '../helpers/cli.js';

it('serves the built site and the comment endpoint on one port, under the base path', async () => {
  const root = await stageThemedSite();
  expect((await agora(['--root', root, 'build', '--quiet'])).code).toBe(0);
  const served = await startServe({ root, outDir: path.join(root, 'dist'), port: 0, host: '127.0.0.1', queueDir: path.join(root, '.comments/en-attente'), log: () => {} });
  try {
    const origin = new URL(served.url).origin;
    expect(served.url).toBe(`${origin}/sous-dossier/`);
    const home = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/sous-dossier/');
    const page = await fetch(`${origin}/sous-dossier/essais/premier-essai/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Premier essai');
    expect((await fetch(`${origin}/sous-dossier/style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const missing = await fetch(`${origin}/sous-dossier/nulle-part/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page introuvable');
    expect((await fetch(`${origin}/sous-dossier/..%2f..%2fcontent%2fsite.yml`)).status).toBe(404);

    // The form's post, on the same port: stored in the queue, then thanked under the base path.
    const posted = await fetch(served.endpoint, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://test.invalid' },
      body: new URLSearchParams({ post: 'premier-essai', author: 'Lectrice Inventée', website: '', body: 'Un commentaire inventé.' }),
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/sous-dossier/commentaires/merci?essai=premier-essai');
    expect((await fetch(`${origin}${posted.headers.get('location')}`)).status).toBe(200);
    expect(await listQueue(path.join(root, '.comments/en-attente'))).toHaveLength(1);
  } finally {
    await served.shutdown();
    await rm(root, { recursive: true, force: true });
  }
});

it('says so when nothing was built', async () => {
  const root = await stageThemedSite();
  const result = await agora(['--root', root, 'serve', '--port', '0']);
  expect(result).toMatchObject({ code: 1, stderr: "Aucun site construit dans dist/ : lancez d'abord agora build.\n" });
  await rm(root, { recursive: true, force: true });
});
