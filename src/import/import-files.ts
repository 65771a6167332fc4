import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlannedFile } from './wordpress-plan.js';

/**
 * What an import wrote, so that a later one knows the owner's edits from its own files
 * (`content/.import-wordpress.json`): each file's path and the SHA-256 of what was written.
 */
export const IMPORT_RECORD = 'content/.import-wordpress.json';

/** What writing a plan did, file by file. */
export interface WriteOutcome {
  written: string[];
  unchanged: string[];
  /** Changed by the owner since the last import, or there before it: left as they are. */
  kept: string[];
  /** Written by a previous import, then deleted (a comment approved or rejected since, a page removed): not made again. */
  deleted: string[];
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

async function readIfPresent(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    return null;
  }
}

/**
 * Writes the planned files under `root`, never over a file the owner changed: a file is written
 * when absent, or when it still holds what the previous import wrote; one that differs from
 * both is kept and named; `replaceable` may be replaced all the same (site.yml while it holds
 * agora init's placeholders). Each file is written to a temporary name, then renamed.
 */
export async function writeImport(root: string, files: readonly PlannedFile[], replaceable: readonly string[] = []): Promise<WriteOutcome> {
  const recordFile = path.join(root, IMPORT_RECORD);
  const previous = await readRecord(recordFile);
  const record: Record<string, string> = { ...previous };
  const outcome: WriteOutcome = { written: [], unchanged: [], kept: [], deleted: [] };
  for (const file of files) {
    const target = path.join(root, file.path);
    const contents = 'text' in file ? Buffer.from(file.text, 'utf8') : await readFile(file.copyFrom);
    const wanted = sha256(contents);
    const present = await readIfPresent(target);
    const current = present ? sha256(present) : null;
    if (current === wanted) {
      record[file.path] = wanted;
      outcome.unchanged.push(file.path);
      continue;
    }
    if (current === null && previous[file.path]) {
      outcome.deleted.push(file.path);
      continue;
    }
    if (current !== null && previous[file.path] !== current && !replaceable.includes(file.path)) {
      outcome.kept.push(file.path);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, contents);
    await rename(temporary, target);
    record[file.path] = wanted;
    outcome.written.push(file.path);
  }
  await mkdir(path.dirname(recordFile), { recursive: true });
  await writeFile(recordFile, `${JSON.stringify({ files: Object.fromEntries(Object.entries(record).sort()) }, null, 1)}\n`);
  return outcome;
}

async function readRecord(file: string): Promise<Record<string, string>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { files?: unknown };
    if (data.files && typeof data.files === 'object') return Object.fromEntries(Object.entries(data.files).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    // No record: every file present is the owner's.
  }
  return {};
}
