import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Agora's own code as it runs (every compiled file's size and time, and the exact versions of
 * the libraries in the lock file): a change of Agora, even without a new version number, gives
 * another stamp, and every cache keyed with it is set aside.
 */
export const CODE_STAMP = (() => {
  const lib = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const file of [...readdirSync(lib, { recursive: true }) as string[]].sort()) {
    const info = statSync(path.join(lib, file));
    if (info.isFile()) hash.update(`${file}\0${info.size}\0${info.mtimeMs}\0`);
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
