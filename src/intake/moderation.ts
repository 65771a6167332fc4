import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readContent } from '../load/read-sources.js';
import { validateComment } from '../validate/comment.js';
import { checkCommentReferences } from '../validate/comment-references.js';
import { pageThreadKey } from '../validate/page.js';
import { validateContent } from '../validate/validate-content.js';
import { listQueue, temporaryFolder, writeFileDurably } from './store.js';
import type { ApprovedFile } from './git-publish.js';
import type { Comment, SiteConfig } from '../records.js';

/** Default folders, relative to the project: outside content/, ignored by git. */
export const REJECTED_FOLDER = 'rejetes';

/** A comment awaiting moderation, as listed to the author. */
export interface PendingComment {
  id: string;
  postSlug: string;
  author: string;
  date: string;
  excerpt: string;
  file: string;
  /** The comment as the build would read it; null when its file does not validate. */
  record: Comment | null;
}

/** Lists the queue, oldest first. */
export async function listPending(queueDir: string): Promise<PendingComment[]> {
  const pending: PendingComment[] = [];
  for (const entry of await listQueue(queueDir)) {
    const text = await readFile(entry.file, 'utf8');
    const { record } = validateComment({ path: `content/comments/${entry.postSlug}/${entry.id}.md`, text });
    const words = (record?.body ?? text).replace(/\s+/g, ' ').trim();
    pending.push({
      id: entry.id,
      postSlug: entry.postSlug,
      author: record?.author ?? '(illisible)',
      date: record?.date.iso ?? '?',
      excerpt: words.length > 60 ? `${words.slice(0, 60)}…` : words,
      file: entry.file,
      record,
    });
  }
  return pending.sort((a, b) => (a.record?.date.time ?? 0) - (b.record?.date.time ?? 0) || (a.id < b.id ? -1 : 1));
}

/** The outcome of approving or rejecting: what was done and what could not be. */
export interface ModerationResult {
  done: string[];
  diagnostics: Diagnostic[];
}

/** Approving also says what was published, for the commit messages of `publish: git`, and the site's settings. */
export interface ApprovalResult extends ModerationResult {
  approved: ApprovedFile[];
  config: SiteConfig;
}

/**
 * Publishes queued comments: each is checked as the build would check it (file, essay,
 * parent), then moved to content/comments/<post-slug>/<id>.md. A comment that would break the
 * build stays in the queue with a diagnostic.
 */
export async function approveComments(root: string, queueDir: string, ids: readonly string[]): Promise<ApprovalResult> {
  const content = validateContent(await readContent(root));
  const approved: ApprovedFile[] = [];
  const result = await moderate(queueDir, ids, async (entry) => {
    const target = path.join(root, 'content/comments', entry.postSlug, `${entry.id}.md`);
    const relative = path.relative(root, target).split(path.sep).join('/');
    const text = await readFile(entry.file, 'utf8');
    const { record, diagnostics } = validateComment({ path: relative, text });
    const problems = [...diagnostics, ...(record ? checkCommentReferences([...content.comments, record], content.posts, content.pages) : [])]
      .filter((d) => d.severity === 'error' && d.file === relative);
    if (!record || problems.length) return problems.map((d) => ({ ...d, file: path.relative(root, entry.file) }));
    if (await exists(target)) {
      return [contentError(relative, undefined, 'moderation/exists', `Un commentaire ${entry.id} existe déjà pour cet essai.`, 'Renommez le fichier en attente avant de le publier.')];
    }
    await move(entry.file, path.dirname(target), `${entry.id}.md`, text, temporaryFolder(queueDir));
    content.comments.push(record);
    const title = content.posts.find((candidate) => candidate.slug === record.postSlug)?.title
      ?? content.pages.find((page) => pageThreadKey(page.path) === record.postSlug)?.title;
    approved.push({ file: relative, postTitle: title ?? record.postSlug, author: record.author });
    return [];
  });
  return { ...result, approved, config: content.config };
}

/** Moves queued comments to the rejected folder beside the queue: kept, never erased. */
export async function rejectComments(queueDir: string, ids: readonly string[]): Promise<ModerationResult> {
  const rejected = path.join(path.dirname(path.resolve(queueDir)), REJECTED_FOLDER);
  return moderate(queueDir, ids, async (entry) => {
    await move(entry.file, path.join(rejected, entry.postSlug), `${entry.id}.md`, await readFile(entry.file, 'utf8'), temporaryFolder(queueDir));
    return [];
  });
}

/** Applies a decision to each queued comment named; an id not in the queue is reported. */
async function moderate(
  queueDir: string,
  ids: readonly string[],
  decide: (entry: Awaited<ReturnType<typeof listQueue>>[number]) => Promise<Diagnostic[]>,
): Promise<ModerationResult> {
  const queue = await listQueue(queueDir);
  const result: ModerationResult = { done: [], diagnostics: [] };
  for (const id of ids) {
    const entry = queue.find((item) => item.id === id);
    const problems = entry ? await decide(entry) : [notQueued(queueDir, id)];
    if (problems.length) result.diagnostics.push(...problems);
    else result.done.push(id);
  }
  return result;
}

async function move(from: string, folder: string, name: string, text: string, tempDir: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  try {
    await rename(from, path.join(folder, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await writeFileDurably(folder, name, text, tempDir);
    await rm(from);
  }
}

function notQueued(queueDir: string, id: string): Diagnostic {
  return contentError(queueDir, undefined, 'moderation/unknown-id', `Aucun commentaire « ${id} » en attente.`, 'La liste des commentaires en attente : agora comments list.');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
