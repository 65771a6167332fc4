import { findBrowser, NO_BROWSER } from '../../src/tools/find-browser.mjs';

/**
 * Finds the browser once, before any test file runs, and hands its path to every worker
 * (AGORA_CHROMIUM): the packaged Chromium is unpacked here, once, never by two workers at once.
 * Without any browser the run stops at once with the one line that says why.
 */
export default async function setup(): Promise<void> {
  const found = await findBrowser();
  if (!found) throw new Error(NO_BROWSER);
  process.env.AGORA_CHROMIUM = found.path;
  process.stdout.write(`Navigateur des tests : ${found.path} (${found.source})\n`);
}
