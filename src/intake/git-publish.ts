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
        `Commitez-le à la main : git add ${shellQuote(file)} && git commit -m ${shellQuote(message.split('\n')[0]!)}`));
    }
  }
  if (push && report.lines.length) await pushBranch(top, report);
  return report;
}

async function hasIdentity(cwd: string): Promise<boolean> {
  try {
    // One call for both (exit 1 when neither is set); each git start costs a fork of this process.
    // A key set to nothing does not count: git refuses an empty identity.
    const set = (await git(cwd, ['config', '--get-regexp', '^user\\.(name|email)$'])).split('\n').flatMap((line) => /^(user\.\w+) +\S/.exec(line)?.[1] ?? []);
    return set.includes('user.name') && set.includes('user.email');
  } catch {
    return false;
  }
}

/**
 * Quotes a text for a POSIX shell: inside single quotes nothing is special, and a single quote
 * is closed, escaped and reopened. The hint that is pasted into a terminal holds a commenter's
 * name: in double quotes, `$(…)` and backticks in it ran (issue 21).
 */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where the current branch pushes: its upstream's remote and branch, as configured
 * (`branch.<name>.remote` and `.merge`, read in one `git for-each-ref`), or origin under the same
 * name. The configured values, not the upstream's abbreviated name: for a local upstream (remote
 * `.`) that name is the branch alone, and cutting a remote's name off it gave « str » for « upstr ».
 */
async function pushTarget(top: string, branch: string): Promise<{ remote: string; target: string }> {
  const [remote = '', merge = ''] = (await git(top, ['for-each-ref', '--format=%(upstream:remotename)%00%(upstream:remoteref)', `refs/heads/${branch}`])).split('\0');
  if (!remote || !merge) return { remote: 'origin', target: branch };
  return { remote, target: merge.replace(/^refs\/heads\//, '') };
}

/** Pushes the current branch to its upstream, or to origin under the same name; never forced. */
async function pushBranch(top: string, report: GitReport): Promise<void> {
  let branch: string;
  try {
    branch = await git(top, ['symbolic-ref', '--short', 'HEAD']);
  } catch {
    const commit = await git(top, ['rev-parse', '--short', 'HEAD']).catch(() => '?');
    report.problems.push(contentError('content/comments', undefined, 'publish/detached-head',
      `Les commits sont faits (le dernier : ${commit}), mais hors de toute branche (HEAD détachée) : rien n'a été envoyé.`,
      `Rattachez-les à une branche avant d'en changer, sinon git les oubliera : git switch -c commentaires-${commit} (ou git branch -f main ${commit} && git switch main), puis git push.`));
    return;
  }
  const { remote, target } = await pushTarget(top, branch);
  try {
    await git(top, ['push', '--porcelain', remote, `HEAD:refs/heads/${target}`]);
    report.lines.push(remote === '.'
      ? `Branche locale ${target} mise à jour (son amont est dans ce dépôt) : rien n'est envoyé ailleurs, CI ne publiera pas.`
      : `Envoyé vers ${remote} (${target}) : CI publiera le site.`);
  } catch (error) {
    report.problems.push(contentError('content/comments', undefined, 'publish/push-failed',
      `Les commits sont faits, mais l'envoi vers ${remote === '.' ? `la branche locale ${target}` : remote} a échoué : ${gitReason(error)}.`,
      'Rien n\'est perdu : récupérez les changements du dépôt (git pull --rebase), puis envoyez (git push). Agora ne force jamais un envoi.'));
  }
}
