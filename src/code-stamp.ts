import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Agora's own code as it runs (the contents of every compiled file, and the exact versions of
 * the libraries in the lock file): a change of Agora, even without a new version number, gives
 * another stamp, and every cache keyed with it is set aside. Contents rather than times: a CI
 * that compiles Agora afresh on each run keeps its caches while the code is the same.
 */
export const CODE_STAMP = (() => {
  const lib = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const file of [...readdirSync(lib, { recursive: true }) as string[]].sort()) {
    if (!file.endsWith('.js')) continue;
    hash.update(`${file}\0`).update(readFileSync(path.join(lib, file))).update('\0');
  }
  for (const file of ['../package.json', '../package-lock.json']) {
    try {
      hash.update(readFileSync(path.join(lib, file)));
    } catch {
      // No lock file (installed as a package): package.json pins the direct dependencies.
    }
  }
  return hash.digest('base64url');
})();
