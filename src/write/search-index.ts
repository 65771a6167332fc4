import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as pagefind from 'pagefind';
import type { OutputFile } from './write-site.js';

/** True for a page Pagefind indexes: an essay, marked `data-pagefind-body`. */
export function isIndexed(file: OutputFile): boolean {
  return file.path.endsWith('.html') && file.contents.includes('data-pagefind-body');
}

/**
 * Indexes the essays with Pagefind, from memory, in the language of `<html lang>` (French
 * stemming and accent folding), and writes `<folder>/pagefind/`. Pagefind runs in its own
 * process, so the caller can write the other files meanwhile.
 */
export async function indexSearch(files: readonly OutputFile[], folder: string): Promise<number> {
  const { index, errors } = await pagefind.createIndex({});
  try {
    if (!index || errors.length) throw new Error(`Pagefind : ${errors.join(' ; ')}`);
    // One at a time, in order: sent concurrently, pages are numbered in the order Pagefind
    // finishes them, and the index is no longer byte-identical from one build to the next.
    let count = 0;
    for (const file of files.filter(isIndexed)) {
      // Site-relative: Pagefind's script puts the base path in front itself, taken from where
      // its bundle is served (indexing `/carnets/essais/x/` gave `/carnets/carnets/essais/x/`).
      const added = await index.addHTMLFile({ url: '/' + file.path.replace(/index\.html$/, ''), content: file.contents });
      if (added.errors.length) throw new Error(`Pagefind : ${added.errors.join(' ; ')}`);
      count += 1;
    }
    // The files are taken from Pagefind in memory and written here, completely, before its
    // process is closed: letting it write them itself raced with close() on a loaded machine
    // (a fresh-clone CI run once got truncated pagefind-ui.js).
    const output = await index.getFiles();
    if (output.errors.length) throw new Error(`Pagefind : ${output.errors.join(' ; ')}`);
    for (const file of [...output.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const target = path.join(folder, 'pagefind', file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    return count;
  } finally {
    await pagefind.close();
  }
}
