import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Fixture sites and broken sites. */
export const FIXTURES = path.join(PROJECT_ROOT, 'tests/fixtures');
/** A fixed "now" for builds in tests: 1 January 2026. */
export const NOW = Date.UTC(2026, 0, 1);

/** Copies folders, later ones over earlier ones, into a fresh temporary folder. */
export async function stageSite(...layers: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-test-'));
  for (const layer of layers) await cp(layer, dir, { recursive: true, force: true });
  return dir;
}

/** Reads every file of a folder into a map path → contents. */
/** Every file of a folder, as bytes, by path: for comparing outputs that hold binary files (the search index). */
export async function readTreeBytes(dir: string): Promise<Map<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')).sort();
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(path.join(dir, file))] as const)));
}

/**
 * Every file of a folder as the SHA-256 of its bytes, by path: for comparing whole outputs.
 * Vitest's toEqual walks a Buffer byte by byte, seconds for a search index; equal hashes
 * are equal files, and a difference still names the file.
 */
export async function treeDigests(dir: string): Promise<Map<string, string>> {
  const tree = await readTreeBytes(dir);
  return new Map([...tree].map(([file, bytes]) => [file, createHash('sha256').update(bytes).digest('hex')]));
}

export async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort();
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(path.join(dir, file), 'utf8')] as const)));
}
