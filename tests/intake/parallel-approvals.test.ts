import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { formatCommentFile, newCommentId } from '../../src/intake/comment-file.js';
import { LOCK_FILE } from '../../src/write/project-lock.js';
import { agora, agoraProcess, stageThemedSite } from '../helpers/cli.js';

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

/** Puts `count` invented comments on the first essay in the moderation queue, as the comment server writes them; returns their ids. */
async function queueComments(site: string, count: number): Promise<string[]> {
  const folder = path.join(site, '.comments/en-attente/premier-essai');
  await mkdir(folder, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = newCommentId(new Date(Date.UTC(2025, 5, 1, 10, i)));
    ids.push(id);
    await writeFile(path.join(folder, `${id}.md`), formatCommentFile({ postSlug: 'premier-essai', parent: null, author: `Lecteur inventé ${i}`, website: null, body: `Approbation parallèle numéro ${i}.` }, `2025-06-01T10:${String(i).padStart(2, '0')}:00+00:00`));
  }
  return ids;
}

it('serializes approvals from several processes: each exits 0 and the page shows every approved comment (issue 21)', async () => {
  root = await stageThemedSite();
  expect((await agora(['--root', root, 'build', '--quiet'])).code).toBe(0);
  const ids = await queueComments(root, 8);
  const runs = await Promise.all([0, 2, 4, 6].map((i) => agoraProcess(['--root', root!, 'comments', 'approve', ids[i]!, ids[i + 1]!])));
  for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const page = await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8');
  for (let i = 0; i < 8; i += 1) expect(page).toContain(`Approbation parallèle numéro ${i}.`);
  // And the site is what a clean build of the same content gives.
  expect((await agora(['--root', root, 'check'])).code).toBe(0);
});

it('takes over the lock a killed process left, and leaves none behind', async () => {
  root = await stageThemedSite();
  const [id] = await queueComments(root, 1);
  const lock = path.join(root, `${LOCK_FILE}.lock`);
  await mkdir(lock, { recursive: true });
  const old = new Date(Date.now() - 60_000);
  await utimes(lock, old, old);
  const run = await agora(['--root', root, 'comments', 'approve', id!]);
  expect(run.code).toBe(0);
  expect(await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8')).toContain('Approbation parallèle numéro 0.');
  await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
});
