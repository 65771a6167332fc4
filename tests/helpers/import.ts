import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { agora } from './cli.js';
import { FIXTURES } from './sites.js';

/** The WordPress exports of the tests (see tests/fixtures/wordpress/LISEZ-MOI.md). */
export const EXPORTS = path.join(FIXTURES, 'wordpress');

/** Every file under a folder, as text (binary files too: only searched for addresses). */
export async function allText(folder: string, encoding: BufferEncoding = 'latin1'): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return new Map(await Promise.all(files.map(async (file) => [path.relative(folder, file), await readFile(file, encoding)] as const)));
}

/** The e-mail and IP addresses an export holds: none may reach the imported project. */
export async function privateAddresses(file: string): Promise<string[]> {
  const xml = await readFile(file, 'utf8');
  const found = [...xml.matchAll(/<wp:(?:comment_author_email|author_email|comment_author_IP)>(?:<!\[CDATA\[)?([^<\]]*)/g)].map((m) => m[1]!.trim()).filter(Boolean);
  return [...new Set(found)];
}

/** A new collection made by agora init, in a temporary folder of its own. */
export async function newCollection(parent: string): Promise<string> {
  const root = path.join(parent, 'carnets');
  expect((await agora(['init', root])).code).toBe(0);
  return root;
}
