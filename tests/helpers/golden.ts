import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares files with the golden copies in `dir`. `UPDATE=1` rewrites them on purpose; a missing
 * golden file fails (a test must never pass on its first run by writing what it expects), and
 * so does a golden file that is no longer produced.
 */
export async function expectGolden(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  if (process.env.UPDATE === '1') {
    await rm(dir, { recursive: true, force: true });
    for (const [file, contents] of files) await writeGolden(dir, file, contents);
    return;
  }
  const existing = await listRecursive(dir);
  const stale = existing.filter((file) => !files.has(file));
  expect(stale, `golden files no longer produced in ${dir} (run with UPDATE=1)`).toEqual([]);
  for (const [file, contents] of files) await expectGoldenFile(path.join(dir, file), contents);
}

/** Compares one file with its golden copy, under the same rules as expectGolden. */
export async function expectGoldenFile(file: string, contents: string): Promise<void> {
  if (process.env.UPDATE === '1') return writeGolden(path.dirname(file), path.basename(file), contents);
  let expected: string;
  try {
    expected = await readFile(file, 'utf8');
  } catch {
    throw new Error(`missing golden file ${file}: run the tests with UPDATE=1, read the new file, and commit it`);
  }
  expect(contents, `${file} differs from its golden copy (UPDATE=1 to accept)`).toBe(expected);
}

async function writeGolden(dir: string, file: string, contents: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), contents);
}

async function listRecursive(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
      .sort();
  } catch {
    return [];
  }
}
