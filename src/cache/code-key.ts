import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The modules of Agora's code: TypeScript in src/, JavaScript in lib/ (the CLI, and the tests). */
const CODE_FILE = /\.(?:[cm]?js|[cm]?ts)$/;

/**
 * The key of the code in `folder` and of its libraries: the path and contents of every module
 * below it (`.ts` and `.mjs` in src/, `.js` in lib/: the same rule wherever Agora runs from,
 * tests included; hidden entries such as lib/.tools/, the compiled benchmark, are not Agora's
 * code), then `package.json` and `package-lock.json` beside it (the exact versions of
 * the libraries). Contents rather than times: a CI that compiles Agora afresh on each run keeps
 * its caches while the code is the same. Pure: tests give it a folder of their own.
 */
export function codeKey(folder: string): string {
  const hash = createHash('sha256');
  const files = (readdirSync(folder, { recursive: true }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => CODE_FILE.test(file) && !file.split('/').some((part) => part.startsWith('.')))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(folder, file))).update('\0');
  for (const file of ['package.json', 'package-lock.json']) {
    try {
      hash.update(`${file}\0`).update(readFileSync(path.join(folder, '..', file)));
    } catch {
      // No lock file (installed as a package): package.json pins the direct dependencies.
    }
  }
  return hash.digest('base64url');
}

/**
 * Agora's own code as it runs (lib/, or src/ when run from its sources): a change of Agora, even
 * without a new version number, gives another key, and every persistent key holds it
 * (cache/keys.ts), so that every cache made by other code is set aside.
 */
export const CODE_KEY = codeKey(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
