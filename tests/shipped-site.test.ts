import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { checkSite } from '../src/check/check-site.js';
import { basePath } from '../src/config.js';
import { outputPath } from '../src/graph/routes.js';
import { serveFolder } from '../src/serve/static-files.js';
import { launchChromium } from './helpers/browser.js';
import { PROJECT_ROOT } from './helpers/sites.js';

// The essays in content/ are the owner's: these tests hold for any content (issue 12). What
// Agora does with particular essays is tested on the invented sites of tests/fixtures/.

describe('the site in content/, whatever it holds', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'agora-shipped-'));
    result = await build({ root: PROJECT_ROOT, outDir: out, cache: false });
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('builds without any error', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('passes agora check', async () => {
    const { diagnostics, pages } = await checkSite(out, basePath(result.site!.config));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(pages).toBeGreaterThan(0);
  });

  it('reaches every page from La Une, as a reader clicking would', () => {
    const files = new Map(result.files.map((file) => [file.path, readFileSync(path.join(out, file.path), 'utf8')]));
    const base = basePath(result.site!.config);
    const seen = new Set<string>();
    const queue = ['/'];
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      for (const [, href] of (files.get(outputPath(url)) ?? '').matchAll(/href="([^"#]*)"/g)) {
        if (href!.startsWith(base) && href!.endsWith('/')) queue.push(`/${href!.slice(base.length)}`);
      }
    }
    const unreachable = [...files.keys()].filter((file) => file.endsWith('index.html') && !seen.has(`/${file.replace(/index\.html$/, '')}`));
    expect(unreachable).toEqual([]);
  });

  it('shows no accessibility violation to axe on La Une and the most recent essay', async () => {
    const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const base = basePath(result.site!.config);
    const site = await serveFolder(out, base);
    const browser = await launchChromium();
    try {
      const newest = result.site!.posts[0];
      for (const url of ['/', ...(newest ? [newest.url] : [])]) {
        const page = await browser.newPage();
        await page.goto(`${site.url}${base}${url.slice(1)}`);
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () => {
          const run = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string }[] }> } }).axe.run;
          return (await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })).violations.map((v) => v.id);
        });
        expect(violations, url).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
