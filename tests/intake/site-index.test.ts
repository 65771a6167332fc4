import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchSiteIndex, type LiveSiteIndex } from '../../src/intake/site-index.js';
import { stageBasicSite } from '../helpers/cli.js';

let root: string;
let live: LiveSiteIndex;
let logs: string[];

/** Waits by polling until `check` holds (never a fixed sleep). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const essay = (title: string, extra = '') => `---\ntitle: ${title}\ndate: 2020-06-01\nauthor: ada-testeuse\n${extra}---\n\nUn essai inventé.\n`;

beforeEach(async () => {
  root = await stageBasicSite();
  logs = [];
});

afterEach(async () => {
  await live?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the comment server\'s live index', () => {
  it('follows content/ at the cost of the files that changed: essays added, closed and removed, comments added', async () => {
    live = watchSiteIndex(root, { log: (line) => logs.push(line) });
    const first = await live.get();
    expect([...first.posts.keys()].sort()).toEqual(['deuxieme-essai', 'premier-essai', 'troisieme-essai']);
    expect(first.timezone).toBe('Europe/Paris');

    const added = path.join(root, 'content/posts/nouvel-essai.md');
    await writeFile(added, essay('Un nouvel essai'));
    await until(async () => (await live.get()).posts.has('nouvel-essai'), 'the new essay');
    expect(live.filesRead).toBe(1);

    await writeFile(added, essay('Un nouvel essai', 'comments: false\n'));
    await until(async () => (await live.get()).posts.get('nouvel-essai')?.commentsOpen === false, 'comments closed');
    expect(live.filesRead).toBe(2);

    await writeFile(path.join(root, 'content/comments/premier-essai/z-nouveau.md'), '---\nauthor: Lecteur Inventé\ndate: 2020-06-02T10:00:00Z\n---\nBonjour.\n');
    await until(async () => (await live.get()).comments.get('premier-essai')?.has('z-nouveau') === true, 'the new comment');

    await unlink(added);
    await until(async () => !(await live.get()).posts.has('nouvel-essai'), 'the essay removed');
    expect(live.filesRead).toBe(4);
  });

  it('names a broken essay once and keeps the others; a scheduled essay opens when its time comes', async () => {
    let now = Date.UTC(2026, 0, 1);
    live = watchSiteIndex(root, { log: (line) => logs.push(line), now: () => now });
    expect((await live.get()).posts.has('futur')).toBe(false);
    await writeFile(path.join(root, 'content/posts/casse.md'), '---\ntitle: [pas fermé\n---\n');
    await until(async () => logs.some((line) => line.includes('content/posts/casse.md')), 'the broken essay logged');
    await writeFile(path.join(root, 'content/posts/casse.md'), '---\ntitle: [pas fermé\n---\n\n');
    await until(async () => live.filesRead === 2, 'the second edit');
    expect((await live.get()).posts.has('premier-essai')).toBe(true);
    expect(logs.filter((line) => line.includes('content/posts/casse.md'))).toHaveLength(1);

    now = Date.UTC(2099, 0, 2);
    expect((await live.get()).posts.has('futur')).toBe(true);
  });

  it('takes drafts and future essays when asked (agora dev)', async () => {
    live = watchSiteIndex(root, { drafts: true, future: true });
    const index = await live.get();
    expect(index.posts.has('brouillon')).toBe(true);
    expect(index.posts.has('futur')).toBe(true);
    expect(await readFile(path.join(root, 'content/posts/brouillon.md'), 'utf8')).toContain('draft: true');
  });
});
