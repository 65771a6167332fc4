// Run by `npm test` before the tests: the browser tests need Debian's Chromium, and without it
// they would fail one by one with a long trace. Stop at once with the one line that says why.
import { existsSync } from 'node:fs';

if (!existsSync('/usr/bin/chromium')) {
  process.stderr.write("npm test a besoin de Chromium (/usr/bin/chromium) : installez le paquet Debian « chromium » (apt-get install -y --no-install-recommends chromium), puis relancez.\n");
  process.exit(1);
}
