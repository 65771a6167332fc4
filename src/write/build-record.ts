import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CODE_STAMP } from '../code-stamp.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PublicFile } from '../load/public-files.js';
import { listTree } from '../paths.js';
import { KEPT_ENTRIES } from './output-folder.js';
import type { SourceFile } from '../records.js';

/** What the last successful build was made from, and what it said (`.cache/agora/construction.json`). */
export interface BuildRecord {
  /** The hash of every input (see inputKey). */
  key: string;
  /** The output folder it wrote. */
  outDir: string;
  /** When the next scheduled essay is due (ms), after which the same inputs give another site. */
  nextScheduled: number | null;
  /** Its warnings, said again when nothing changed. */
  diagnostics: Diagnostic[];
  /** Files it wrote (pages, feeds…), for the summary line. */
  files: number;
  /** Every file of the output folder it left (pages, public files, search index), checked to be exactly there. */
  paths: string[];
}


/**
 * The key of a build's inputs: Agora's code, the options, every source file's path and text, and
 * every public file's path, size and modification time. Equal keys give the same site, until
 * the next scheduled essay is due.
 */
export function inputKey(sources: { files: readonly SourceFile[]; publicFiles: readonly PublicFile[] }, options: unknown): string {
  const hash = createHash('sha256').update(CODE_STAMP).update(JSON.stringify(options));
  for (const file of sources.files) hash.update(`\0${file.path}\0${file.unreadBytes ?? ''}\0`).update(file.text);
  for (const file of sources.publicFiles) hash.update(`\0${file.path}\0${file.stamp}`);
  return hash.digest('base64url');
}

/** Every entry below a folder but its folders and `.git` (files, and links or others a hand put there), as sorted `/` paths; none when it is missing. */
export function listOutput(folder: string): string[] {
  try {
    // `.git` (a gh-pages checkout) is never Agora's: not listed, not walked.
    const { files, others } = listTree(folder, KEPT_ENTRIES);
    return [...files, ...others].sort();
  } catch {
    return [];
  }
}

/**
 * The record of the previous build when it still stands: same inputs, no scheduled essay due
 * since, and the output folder holding exactly the files it left (none gone, none added).
 * Null otherwise (then build).
 */
export async function upToDate(recordFile: string, key: string, outDir: string, now: number): Promise<BuildRecord | null> {
  let record: BuildRecord;
  try {
    record = JSON.parse(await readFile(recordFile, 'utf8')) as BuildRecord;
  } catch {
    return null;
  }
  if (record.key !== key || record.outDir !== outDir || !Array.isArray(record.paths)) return null;
  if (record.nextScheduled !== null && now >= record.nextScheduled) return null;
  const found = listOutput(outDir);
  return found.length === record.paths.length && found.every((file, i) => file === record.paths[i]) ? record : null;
}

/** Saves the record of a successful build. */
export async function saveBuildRecord(recordFile: string, record: BuildRecord): Promise<void> {
  await mkdir(path.dirname(recordFile), { recursive: true });
  await writeFile(recordFile, JSON.stringify(record));
}
