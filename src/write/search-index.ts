import path from 'node:path';
import * as pagefind from 'pagefind';

/**
 * Indexes the essays of a built folder with Pagefind (only pages marked `data-pagefind-body`),
 * in the language of `<html lang>`: French stemming and accent folding. Writes `pagefind/`.
 */
export async function indexSearch(folder: string): Promise<number> {
  const { index, errors } = await pagefind.createIndex({});
  try {
    if (!index || errors.length) throw new Error(`Pagefind : ${errors.join(' ; ')}`);
    const added = await index.addDirectory({ path: folder });
    if (added.errors.length) throw new Error(`Pagefind : ${added.errors.join(' ; ')}`);
    const written = await index.writeFiles({ outputPath: path.join(folder, 'pagefind') });
    if (written.errors.length) throw new Error(`Pagefind : ${written.errors.join(' ; ')}`);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}
