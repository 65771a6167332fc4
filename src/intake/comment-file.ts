import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';

/** A comment as received from a reader, before it becomes a file. */
export interface Submission {
  postSlug: string;
  parent: string | null;
  author: string;
  website: string | null;
  body: string;
}

/** An unguessable id that sorts by arrival: `20261123103821-9f86d081884c7d65`. */
export function newCommentId(now: Date, random: (size: number) => Buffer = randomBytes): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}-${random(8).toString('hex')}`;
}

/** The date-time of a comment, in UTC, to the second: `2026-11-23T10:38:21Z`. */
export function commentDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Writes a submission in the comment file format of content/comments/. YAML quoting is left to
 * the `yaml` library, so no name can break out of the header.
 */
export function formatCommentFile(submission: Submission, date: string): string {
  const header: Record<string, string> = { author: submission.author, date };
  if (submission.parent) header.parent = submission.parent;
  if (submission.website) header.website = submission.website;
  return `---\n${stringify(header, { lineWidth: 0 })}---\n${submission.body}\n`;
}
