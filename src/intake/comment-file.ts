import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { zonedParts } from '../dates.js';

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

/** The date-time of a comment, to the second, as read in the site's time zone with its offset: `2026-11-23T11:38:21+01:00`. */
export function commentDate(now: Date, timeZone = 'UTC'): string {
  const { year, month, day, hour, minute, offset } = zonedParts(now.getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${year}-${two(month + 1)}-${two(day)}T${two(hour)}:${two(minute)}:${two(now.getUTCSeconds())}${offset}`;
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
