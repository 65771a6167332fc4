import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs git in a folder with an invented identity and no user or system configuration. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Testeuse Inventée', GIT_AUTHOR_EMAIL: 'testeuse@test.invalid', GIT_COMMITTER_NAME: 'Testeuse Inventée', GIT_COMMITTER_EMAIL: 'testeuse@test.invalid' },
  });
  return stdout.trim();
}

/**
 * Makes `root` (a temporary folder of the test's own) a git repository whose branch `main`
 * tracks a bare remote in `remote` (another temporary folder), with everything committed.
 */
export async function repositoryWithRemote(root: string, remote: string): Promise<void> {
  await git(remote, 'init', '--quiet', '--bare', '--initial-branch=main');
  await git(root, 'init', '--quiet', '--initial-branch=main');
  // What `git config user.*` and `git remote add origin` would write, without three more processes.
  await appendFile(path.join(root, '.git/config'), `[user]\n\tname = Modératrice Inventée\n\temail = moderatrice@test.invalid\n[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
  await git(root, 'add', '-A');
  await git(root, 'commit', '--quiet', '-m', 'Site de test');
  await git(root, 'push', '--quiet', '-u', 'origin', 'main');
}
