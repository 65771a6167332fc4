import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BROWSER_FLAGS, findBrowser, NO_BROWSER } from '../../src/tools/find-browser.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The Chromium of the tests: the system's, else the one an npm package ships (never a
 * downloaded browser), found once by the global set-up (find-browser.mjs) and handed over in
 * AGORA_CHROMIUM.
 */
async function chromiumPath(): Promise<string> {
  if (process.env.AGORA_CHROMIUM) return process.env.AGORA_CHROMIUM;
  const found = await findBrowser();
  if (!found) throw new Error(NO_BROWSER);
  return found.path;
}

/** Starts headless Chromium with the flags this machine needs (closed network, root). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: BROWSER_FLAGS });
}

/** Runs axe-core in the page: WCAG 2 A and AA (2.0 to 2.2) and best practices. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}
