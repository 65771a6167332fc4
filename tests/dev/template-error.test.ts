import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevSite } from '../../src/dev/dev-site.js';
import { stageBasicSite } from '../helpers/cli.js';
import { NOW } from '../helpers/sites.js';

describe('agora dev, on a page whose template fails', () => {
  it('serves a French error page as HTML and lists the problem with its template and line', async () => {
    const root = await stageBasicSite();
    try {
      // The essay that has a source reads a field that does not exist (templates are strict).
      const template = path.join(root, 'templates/post.hbs');
      await writeFile(template, `{{#if post.source}}{{post.champInconnu}}{{/if}}\n${await readFile(template, 'utf8')}`);
      const site = new DevSite({ root, now: () => NOW, cache: false });
      await site.start();
      const page = site.page('/essais/deuxieme-essai/')!;
      expect(page.type).toBe('text/html; charset=utf-8');
      expect(page.contents).toContain('<h1>Erreur de gabarit</h1>');
      expect(site.diagnostics).toContainEqual(expect.objectContaining({ file: 'templates/post.hbs', line: 1, code: 'template/unknown-field' }));
      // The other essays render.
      expect(site.page('/essais/premier-essai/')!.contents).toContain('<article');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
