import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitApproved } from '../../src/intake/git-publish.js';
import { git, repositoryWithRemote } from '../helpers/git.js';

let root: string;
let remote: string;
const approved = { file: 'content/comments/premier-essai/20260101120000-0123456789abcdef.md', postTitle: 'Premier essai', author: 'Lectrice Inventée' };

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'agora-git-'));
  remote = await mkdtemp(path.join(tmpdir(), 'agora-remote-'));
  await mkdir(path.join(root, 'content/comments/premier-essai'), { recursive: true });
  await writeFile(path.join(root, 'content/site.yml'), 'title: Site inventé\n');
  await writeFile(path.join(root, 'notes.txt'), 'version 1\n');
  await repositoryWithRemote(root, remote);
  await writeFile(path.join(root, approved.file), '---\nauthor: Lectrice Inventée\ndate: 2026-01-01T12:00:00Z\n---\nBonjour.\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(remote, { recursive: true, force: true });
});

describe('publish: git', () => {
  it('commits exactly the approved file, leaves other changes (staged or not) as they were, and pushes', async () => {
    await writeFile(path.join(root, 'notes.txt'), 'version 2, staged\n');
    await git(root, 'add', 'notes.txt');
    await writeFile(path.join(root, 'brouillon.txt'), 'pas à commiter\n');
    const report = await commitApproved(root, [approved], true);
    expect(report.problems).toEqual([]);
    expect(report.lines[0]).toMatch(/^Commit [0-9a-f]{7,} : Commentaire de Lectrice Inventée sur « Premier essai »$/);
    expect(report.lines[1]).toBe('Envoyé vers origin (main) : CI publiera le site.');
    expect(await git(root, 'show', '--name-only', '--format=', 'HEAD')).toBe(approved.file);
    expect(await git(root, 'status', '--porcelain')).toBe('M  notes.txt\n?? brouillon.txt');
    expect(await git(remote, 'rev-parse', 'main')).toBe(await git(root, 'rev-parse', 'HEAD'));
  });

  it('commits under its own identity when the repository has none, or one set to nothing', async () => {
    // This worker's environment only, restored below: no user or system configuration to fall back on.
    vi.stubEnv('GIT_CONFIG_GLOBAL', '/dev/null');
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    try {
      await git(root, 'config', '--unset', 'user.name');
      await git(root, 'config', 'user.email', '');
      const report = await commitApproved(root, [approved], false);
      expect(report.problems).toEqual([]);
      expect(await git(root, 'log', '-1', '--format=%an <%ae>')).toBe('Agora (modération) <moderation@agora.invalid>');
      await git(root, 'config', 'user.name', 'Modératrice Inventée');
      await git(root, 'config', 'user.email', 'moderatrice@test.invalid');
      await writeFile(path.join(root, approved.file), '---\nauthor: Lectrice Inventée\ndate: 2026-01-01T12:00:00Z\n---\nBonjour, modifié.\n');
      expect((await commitApproved(root, [approved], false)).problems).toEqual([]);
      expect(await git(root, 'log', '-1', '--format=%an <%ae>')).toBe('Modératrice Inventée <moderatrice@test.invalid>');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('without push, commits and leaves the remote alone', async () => {
    const report = await commitApproved(root, [approved], false);
    expect(report.lines).toHaveLength(1);
    expect(await git(remote, 'rev-parse', 'main')).toBe(await git(root, 'rev-parse', 'HEAD~1'));
  });

  it('keeps the commit when the push is refused, never forces, and says what to do', async () => {
    // Someone else pushed meanwhile: the remote is ahead.
    const other = await mkdtemp(path.join(tmpdir(), 'agora-other-'));
    await git(other, 'clone', '--quiet', remote, '.');
    await writeFile(path.join(other, 'notes.txt'), 'changé ailleurs\n');
    await git(other, 'commit', '--quiet', '-am', 'Ailleurs');
    await git(other, 'push', '--quiet');
    const theirs = await git(remote, 'rev-parse', 'main');
    const report = await commitApproved(root, [approved], true);
    await rm(other, { recursive: true, force: true });
    expect(report.lines).toHaveLength(1);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.message).toContain("Les commits sont faits, mais l'envoi vers origin a échoué");
    expect(report.problems[0]!.hint).toContain('git pull --rebase');
    expect(await git(remote, 'rev-parse', 'main')).toBe(theirs);
    expect(await git(root, 'log', '-1', '--format=%s')).toBe('Commentaire de Lectrice Inventée sur « Premier essai »');
  });

  it('says so when the project is not a git repository', async () => {
    const plain = await mkdtemp(path.join(tmpdir(), 'agora-plain-'));
    await mkdir(path.join(plain, 'content/comments/premier-essai'), { recursive: true });
    const report = await commitApproved(plain, [approved], true);
    await rm(plain, { recursive: true, force: true });
    expect(report.lines).toEqual([]);
    expect(report.problems[0]).toMatchObject({ code: 'publish/not-a-repository' });
  });
});

describe('publish: git when things are unusual (issue 21)', () => {
  it('gives a hint to commit by hand that runs nothing when pasted, whatever the commenter is called', async () => {
    const hostile = { ...approved, author: 'Ève $(touch piege-dollar) `touch piege-accent` \'; touch piege-quote; \'' };
    await writeFile(path.join(root, '.git/index.lock'), '');
    const report = await commitApproved(root, [hostile], false);
    await rm(path.join(root, '.git/index.lock'));
    expect(report.problems[0]).toMatchObject({ code: 'publish/commit-failed' });
    const hint = report.problems[0]!.hint!;
    const command = hint.slice(hint.indexOf('git add'));
    // Pasted into a real shell in the repository: the comment is committed with its message as written, and nothing else runs.
    const { execFile } = await import('node:child_process');
    await new Promise<void>((resolve, reject) => execFile('sh', ['-c', command], { cwd: root, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }, (error) => (error ? reject(error) : resolve())));
    expect(await git(root, 'log', '-1', '--format=%s')).toBe(`Commentaire de ${hostile.author} sur « Premier essai »`);
    for (const trap of ['piege-dollar', 'piege-accent', 'piege-quote']) await expect(stat(path.join(root, trap))).rejects.toThrow();
  });

  it('commits hostile commenter names as plain text: no option, no command, no second line runs or breaks out', async () => {
    const names = ['$(touch piege-1)', '`touch piege-2`', '--amend', '--exec=touch piege-3', '-m piege', '"; touch piege-4; "', '\'; touch piege-5; \'', 'Ligne\u2028séparée', 'Nom\u202Eretourné', '--', '-', '|| touch piege-6', '> piege-7'];
    const before = Number(await git(root, 'rev-list', '--count', 'HEAD'));
    for (const [i, author] of names.entries()) {
      const file = `content/comments/premier-essai/2026010112000${i.toString(16)}-0123456789abcdef.md`;
      await writeFile(path.join(root, file), `---\nauthor: ${JSON.stringify(author)}\ndate: 2026-01-01T12:00:00Z\n---\nBonjour.\n`);
      const report = await commitApproved(root, [{ file, postTitle: 'Premier essai', author }], false);
      expect(report.problems).toEqual([]);
      expect(await git(root, 'log', '-1', '--format=%s')).toBe(`Commentaire de ${author} sur « Premier essai »`);
      expect(await git(root, 'show', '--name-only', '--format=', 'HEAD')).toBe(file);
    }
    expect(Number(await git(root, 'rev-list', '--count', 'HEAD'))).toBe(before + names.length);
    for (let trap = 1; trap <= 7; trap += 1) await expect(stat(path.join(root, `piege-${trap}`))).rejects.toThrow();
  });

  it('pushes to a local upstream branch and says it stays in this repository', async () => {
    await git(root, 'branch', 'upstr');
    await git(root, 'branch', '-u', 'upstr', 'main');
    const report = await commitApproved(root, [approved], true);
    expect(report.problems).toEqual([]);
    expect(report.lines[1]).toBe('Branche locale upstr mise à jour (son amont est dans ce dépôt) : rien n\'est envoyé ailleurs, CI ne publiera pas.');
    expect(await git(root, 'rev-parse', 'upstr')).toBe(await git(root, 'rev-parse', 'HEAD'));
    expect(await git(root, 'branch', '--list', 'str')).toBe('');
  });

  it('with a detached HEAD, keeps the commit, pushes nothing, and says how not to lose it', async () => {
    await git(root, 'checkout', '--quiet', '--detach');
    const before = await git(remote, 'rev-parse', 'main');
    const report = await commitApproved(root, [approved], true);
    expect(report.lines).toHaveLength(1);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ code: 'publish/detached-head' });
    expect(report.problems[0]!.message).toContain('HEAD détachée');
    expect(report.problems[0]!.hint).toContain('git switch -c');
    expect(report.problems[0]!.hint).not.toContain('pull --rebase');
    expect(await git(remote, 'rev-parse', 'main')).toBe(before);
  });
});
