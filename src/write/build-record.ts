import { readJsonCache, writeJsonCache } from '../cache/cache-file.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { listTree } from '../load/paths.js';
import { KEPT_ENTRIES } from './output-folder.js';

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
  const record = await readJsonCache(recordFile, isBuildRecord);
  if (!record || record.key !== key || record.outDir !== outDir) return null;
  if (record.nextScheduled !== null && now >= record.nextScheduled) return null;
  const found = listOutput(outDir);
  return found.length === record.paths.length && found.every((file, i) => file === record.paths[i]) ? record : null;
}

/** The shape of a build record, checked before it is trusted. */
function isBuildRecord(value: unknown): value is BuildRecord {
  const record = value as Partial<BuildRecord> | null;
  return !!record && typeof record === 'object' && typeof record.key === 'string' && typeof record.outDir === 'string'
    && (record.nextScheduled === null || typeof record.nextScheduled === 'number') && Array.isArray(record.diagnostics)
    && typeof record.files === 'number' && Array.isArray(record.paths) && record.paths.every((file) => typeof file === 'string');
}

/** Saves the record of a successful build. */
export function saveBuildRecord(recordFile: string, record: BuildRecord): Promise<void> {
  return writeJsonCache(recordFile, record);
}

/** What tells whether a build has work to do: its record file, the key of its inputs, its output and its time. */
export interface RecordedBuild {
  recordFile: string;
  key: string;
  outDir: string;
  now: number;
}

/** The previous build's record when nothing changed since (then nothing is built), else null. */
export function skipIfUpToDate(build: RecordedBuild | null): Promise<BuildRecord | null> {
  return build ? upToDate(build.recordFile, build.key, build.outDir, build.now) : Promise.resolve(null);
}

/**
 * Records a successful build: its key, what it said and what it left in the output folder, and
 * when the next scheduled essay is due (drafts too: with --drafts, a draft's « Programmé » mark
 * changes on its date).
 */
export async function recordBuild(build: RecordedBuild | null, done: { diagnostics: Diagnostic[]; postDates: readonly number[]; files: number; paths: string[] }): Promise<void> {
  if (!build) return;
  const nextScheduled = done.postDates.reduce<number | null>((next, time) => (time > build.now && (next === null || time < next) ? time : next), null);
  await saveBuildRecord(build.recordFile, { key: build.key, outDir: build.outDir, diagnostics: done.diagnostics, nextScheduled, files: done.files, paths: done.paths });
}
