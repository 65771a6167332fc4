import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { checkSite } from '../src/check/check-site.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from './helpers/sites.js';

describe('agora check', () => {
  it('passes the fixture site, then names the page and the problem for each kind of breakage', async () => {
    const root = await stageSite(path.join(FIXTURES, 'sites/basic'));
    await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
    for (const file of ['style.css', 'favicon.svg']) await cp(path.join(PROJECT_ROOT, 'public', file), path.join(root, 'public', file));
    expect((await build({ root, now: NOW })).ok).toBe(true);
    const dist = path.join(root, 'dist');
    expect((await checkSite(dist, '/sous-dossier/')).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    await rm(path.join(dist, 'essais/troisieme-essai'), { recursive: true });
    await rm(path.join(dist, 'images/couverture.svg'));
    const home = path.join(dist, 'index.html');
    await writeFile(home, (await readFile(home, 'utf8')).replace('</main>', '<p><a href="/sous-dossier/auteurs/#nulle-part">x</a><div></p></main>'));
    await writeFile(path.join(dist, 'atom.xml'), '<feed><title>tronqué');
    const codes = (await checkSite(dist, '/sous-dossier/')).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code}`);
    expect(codes).toContain('dist/index.html link/missing');
    expect(codes).toContain('dist/index.html link/fragment');
    expect(codes).toContain('dist/categories/oeuvres-completes/index.html link/missing');
    expect(codes.some((code) => code.startsWith('dist/index.html html/'))).toBe(true);
    expect(codes).toContain('dist/atom.xml feed/invalid');
    await rm(root, { recursive: true, force: true });
  });
});
