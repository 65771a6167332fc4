import path from 'node:path';
import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { commitApproved } from './git-publish.js';
import { approveComments, rejectComments, type ApprovalResult } from './moderation.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { withProjectLock } from '../write/project-lock.js';

/** Where and how approved comments are published. */
export interface PublishOptions {
  root: string;
  queueDir: string;
  /** The built site that `publish: build` rebuilds (default dist/). */
  outDir?: string;
  /** Push after committing, whatever site.yml says (`--push`). */
  push?: boolean;
}

/** What approving did: the moderation result, then one French line per thing published and every problem. */
export interface PublishReport {
  result: ApprovalResult;
  lines: string[];
  problems: Diagnostic[];
}

/**
 * Approves queued comments, then publishes them as site.yml's `comments.publish` says: `build`
 * rebuilds the site in place (the build's caches make it cost what changed), `git` commits
 * exactly the approved files and, with `push`, pushes them for CI to publish. Approvals hold
 * the project's lock: two moderators' clicks, or two processes, never build or commit at once.
 */
export function approveAndPublish(ids: readonly string[], options: PublishOptions): Promise<PublishReport> {
  return withProjectLock(options.root, () => publish(ids, options));
}

async function publish(ids: readonly string[], options: PublishOptions): Promise<PublishReport> {
  const result = await approveComments(options.root, options.queueDir, ids);
  const report: PublishReport = { result, lines: [], problems: [] };
  if (!result.approved.length) return report;
  const settings = result.config.comments;
  if (settings.publish === 'git') {
    const git = await commitApproved(options.root, result.approved, options.push || settings.push);
    report.lines.push(...git.lines);
    report.problems.push(...git.problems);
    return report;
  }
  const { build } = await import('../build.js');
  const outDir = options.outDir ?? 'dist';
  const built = await build({ root: options.root, outDir });
  const shown = path.relative(options.root, path.resolve(options.root, outDir)) || outDir;
  if (built.ok) {
    report.lines.push(`Site reconstruit dans ${shown}/ en ${Math.round(built.durationMs)} ms.`);
  } else {
    report.problems.push(...built.diagnostics.filter((d) => d.severity === 'error'));
    report.problems.push(contentError('content/comments', undefined, 'publish/build-failed',
      `Le commentaire est approuvé, mais la construction a échoué : ${shown}/ est resté tel quel.`,
      'Corrigez les erreurs ci-dessus, puis lancez agora build.'));
  }
  return report;
}

/** What the moderation page's buttons do: approve and publish, or reject (kept in rejetes/). */
export function moderationActions(options: PublishOptions) {
  return {
    approve: (ids: string[]) => approveAndPublish(ids, options),
    reject: async (ids: string[]) => {
      const result = await withProjectLock(options.root, () => rejectComments(options.queueDir, ids));
      return { done: result.done, problems: result.diagnostics.map(formatDiagnostic) };
    },
  };
}
