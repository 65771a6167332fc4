import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agora, stageBasicSite } from './helpers/cli.js';
import { readTree } from './helpers/sites.js';
import { WATCHED_LENGTH } from '../src/markdown/worker-pool.js';

const header = (title: string) => `---\ntitle: ${title}\ndate: 2020-01-01\nauthor: ada-testeuse\n---\n`;

/** Hostile essays, generated here (never committed): each must become a diagnostic on its file. */
const HOSTILE: [file: string, text: () => string, expected: string][] = [
  ['content/posts/enorme.md', () => header('Énorme') + 'mot '.repeat(13_000_000), 'content/posts/enorme.md  erreur  Le fichier pèse'],
  ['content/posts/tirets.md', () => header('Tirets') + 'Texte.\n\n' + '- '.repeat(10_000) + '\n', 'content/posts/tirets.md:8:1  erreur'],
  ['content/posts/imbrique.md', () => header('Imbriqué') + Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- ${i}`).join('\n'), 'content/posts/imbrique.md:38:1  erreur'],
  ['content/posts/citations.md', () => header('Citations') + '> '.repeat(10_000) + 'fin\n', 'content/posts/citations.md:6:1  erreur'],
  ['content/posts/alias.md', () => `---\ntitle: Alias\ndate: 2020-01-01\nauthor: ada-testeuse\na: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`).join('\n')}\n---\nTexte.\n`, 'content/posts/alias.md:6:8  erreur'],
  ['content/comments/premier-essai/bavard.md', () => '---\nauthor: Lecteur Inventé\ndate: 2020-01-02T10:00:00+01:00\n---\n' + 'bla '.repeat(5000), 'content/comments/premier-essai/bavard.md  erreur  Le fichier pèse'],
];

describe('hostile content', () => {
  it('gives a diagnostic with file, line and code for each case, exit 1, and leaves dist/ untouched', async () => {
    const root = await stageBasicSite();
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    const before = await readTree(path.join(root, 'dist'));
    for (const [file, text] of HOSTILE) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text());
    }
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('Erreur interne');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    for (const [, , expected] of HOSTILE) expect(result.stderr).toContain(expected);
    expect(result.stderr).toContain('[content/too-large]');
    expect(result.stderr).toContain('[markdown/too-deep]');
    expect(result.stderr).toContain('[front-matter/yaml-aliases]');
    expect(result.stderr).toContain('limits.postKiB');
    expect(await readTree(path.join(root, 'dist'))).toEqual(before);
    await rm(root, { recursive: true, force: true });
  });

  it('stops converting a long body whose cost runs away, and refuses it, without holding up the build', async () => {
    const root = await stageBasicSite();
    // The time limit is the site's (20 s by default). The runaway body spends all of it, so it is
    // short here: two seconds show it holds, and leave the long but sane body, just past the
    // length from which bodies are watched (0.15 s in a fresh worker), thirteen times its time;
    // on 2 busy cores a full run once made 0.3 s into more than 1 s.
    const config = path.join(root, 'content/site.yml');
    await writeFile(config, `${await readFile(config, 'utf8')}limits:\n  markdownSeconds: 2\n`);
    // About 1 MB of unclosed links: micromark's time grows with their square (minutes here).
    await writeFile(path.join(root, 'content/posts/crochets.md'), header('Crochets') + '[a]('.repeat(250_000));
    const sane = 'Un mot de plus. '.repeat(Math.ceil(WATCHED_LENGTH / 16) + 100);
    expect(sane.length).toBeGreaterThan(WATCHED_LENGTH);
    await writeFile(path.join(root, 'content/posts/long-mais-sain.md'), header('Long mais sain') + sane);
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('content/posts/crochets.md:6:1  erreur');
    expect(result.stderr).toContain('en 2\u00A0s (limits.markdownSeconds dans content/site.yml)');
    expect(result.stderr).toContain('[markdown/too-slow]');
    expect(result.stderr).not.toContain('long-mais-sain');
    await rm(root, { recursive: true, force: true });
  });

  it('takes its limits from site.yml', async () => {
    const root = await stageBasicSite();
    const config = path.join(root, 'content/site.yml');
    await writeFile(config, `${await readFile(config, 'utf8')}limits:\n  postKiB: 2\n  nesting: 3\n`);
    await writeFile(path.join(root, 'content/posts/long.md'), header('Long') + 'mot '.repeat(1000));
    await writeFile(path.join(root, 'content/posts/liste.md'), header('Liste') + '- - - - quatre\n');
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('content/posts/long.md  erreur  Le fichier pèse 4 Kio : au plus 2 Kio sont acceptés');
    expect(result.stderr).toContain('content/posts/liste.md:6:1  erreur  Listes ou citations imbriquées sur 4 niveaux ou plus : au plus 3');

    await writeFile(config, (await readFile(config, 'utf8')).replace('postKiB: 2', 'postKiB: 8').replace('nesting: 3', 'nesting: 4'));
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    await writeFile(config, (await readFile(config, 'utf8')).replace('postKiB: 8', 'postKiB: 999999'));
    expect((await agora(['--root', root, 'build'])).stderr).toContain('« limits.postKiB » doit être un nombre entier entre 1 et 65536');
    await rm(root, { recursive: true, force: true });
  });
});
