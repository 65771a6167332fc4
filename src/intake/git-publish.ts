import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';

const run = promisify(execFile);

/** An approved comment file to commit: where it is and what its commit message says. */
export interface ApprovedFile {
  /** Path relative to the project: `content/comments/<post-slug>/<id>.md`. */
  file: string;
  postTitle: string;
  author: string;
}

/** What committing (and pushing) did. */
export interface GitReport {
  /** One French line per commit and for the push. */
  lines: string[];
  /** What failed; commits already made are kept. */
  problems: Diagnostic[];
}

/** Used when the repository has no identity of its own, so that a server's checkout can still commit. */
const FALLBACK_IDENTITY = ['-c', 'user.name=Agora (modération)', '-c', 'user.email=moderation@agora.invalid'];

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** The last meaningful line git wrote on failure. */
function gitReason(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message ?? '');
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  return (lines.find((line) => /^(error|fatal|!)/.test(line)) ?? lines[lines.length - 1] ?? 'erreur inconnue').replace(/^(error|fatal): /, '');
}

/**
 * Commits exactly the approved comment files, one commit each whose message names the essay
 * and the commenter (`git add` of those paths only, then `git commit --only` of them: whatever
 * else is staged or modified stays as it was), then, with `push`, pushes the branch to its
 * upstream (or `origin`), never forcing. A failed push keeps the commits and says what to do.
 */
export async function commitApproved(root: string, files: readonly ApprovedFile[], push: boolean): Promise<GitReport> {
  const report: GitReport = { lines: [], problems: [] };
  if (!files.length) return report;
  let top: string;
  try {
    top = await git(root, ['rev-parse', '--show-toplevel']);
  } catch {
    report.problems.push(contentError('content/site.yml', undefined, 'publish/not-a-repository',
      `comments.publish vaut git, mais ${root} n'est pas dans un dépôt git : les commentaires approuvés sont dans content/comments/, sans commit.`,
      'Clonez le dépôt du site pour le serveur de commentaires (git clone …), ou choisissez publish: build.'));
    return report;
  }
  const identity = await hasIdentity(root) ? [] : FALLBACK_IDENTITY;
  for (const approved of files) {
    const file = path.relative(top, path.join(root, approved.file)).split(path.sep).join('/');
    const message = `Commentaire de ${approved.author} sur « ${approved.postTitle} »\n\n${approved.file}`;
    try {
      await git(top, ['add', '--', file]);
      await git(top, [...identity, 'commit', '--quiet', '--only', '-m', message, '--', file]);
      report.lines.push(`Commit ${await git(top, ['rev-parse', '--short', 'HEAD'])} : ${message.split('\n')[0]}`);
    } catch (error) {
      report.problems.push(contentError(approved.file, undefined, 'publish/commit-failed',
        `Le commentaire est approuvé, mais le commit a échoué : ${gitReason(error)}.`,
        `Commitez-le à la main : git add ${file} && git commit -m "${message.split('\n')[0]}"`));
    }
  }
  if (push && report.lines.length) await pushBranch(top, report);
  return report;
}

async function hasIdentity(cwd: string): Promise<boolean> {
  try {
    return Boolean(await git(cwd, ['config', 'user.email'])) && Boolean(await git(cwd, ['config', 'user.name']));
  } catch {
    return false;
  }
}

/** Pushes the current branch to its upstream, or to origin under the same name; never forced. */
async function pushBranch(top: string, report: GitReport): Promise<void> {
  let remote = 'origin';
  let target: string;
  try {
    const branch = await git(top, ['symbolic-ref', '--short', 'HEAD']);
    target = branch;
    try {
      const upstream = await git(top, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}']);
      remote = await git(top, ['config', `branch.${branch}.remote`]);
      target = upstream.slice(remote.length + 1);
    } catch {
      // No upstream: origin, same branch name.
    }
    await git(top, ['push', '--porcelain', remote, `HEAD:refs/heads/${target}`]);
    report.lines.push(`Envoyé vers ${remote} (${target}) : CI publiera le site.`);
  } catch (error) {
    report.problems.push(contentError('content/comments', undefined, 'publish/push-failed',
      `Les commits sont faits, mais l'envoi vers ${remote} a échoué : ${gitReason(error)}.`,
      'Rien n\'est perdu : récupérez les changements du dépôt (git pull --rebase), puis envoyez (git push). Agora ne force jamais un envoi.'));
  }
}
