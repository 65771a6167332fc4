import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agora, stageBasicSite } from './helpers/cli.js';
import { readTree } from './helpers/sites.js';

describe('agora build', () => {
  it('builds, then on a content error exits 1 with file:line and leaves dist/ untouched', async () => {
    const root = await stageBasicSite();
    await writeFile(path.join(root, 'content/posts/futur.md'), '---\ntitle: x\ndate: 2000-01-01\nauthor: ada-testeuse\n---\n');
    const ok = await agora(['--root', root, 'build'], { TZ: 'America/Los_Angeles' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Site construit : \d+ pages dans dist\/ \(\d+ ms\)\n$/);
    // Dates are UTC whatever the machine's time zone: Los Angeles would otherwise show 31 décembre 2019.
    expect(await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8')).toContain('1er janvier 2020');
    const before = await readTree(path.join(root, 'dist'));

    await writeFile(path.join(root, 'content/posts/premier-essai.md'), '---\ntitle: Confiance : un essai\ndate: 2020-01-01\nauthor: ada-testeuse\n---\n');
    const failed = await agora(['--root', root, 'build']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('content/posts/premier-essai.md:2:8  erreur');
    expect(failed.stderr).toContain('title: "Confiance : un essai"');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readTree(path.join(root, 'dist'))).toEqual(before);
    await rm(root, { recursive: true, force: true });
  });

  it('exits 2 with a short message, not a stack trace, when Agora itself fails', async () => {
    const root = await stageBasicSite();
    // The output folder's parent is a file: the write fails (ENOTDIR), which is not a content error.
    await writeFile(path.join(root, 'un-fichier'), '');
    const result = await agora(['--root', root, 'build', '--out', 'un-fichier/dist']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Erreur interne d'Agora");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await rm(root, { recursive: true, force: true });
  });

  it('says where to run it when there is no content/ folder', async () => {
    const result = await agora(['--root', '/nonexistent-agora-project', 'build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Aucun dossier content/');
  });

  it('rejects an unknown command with exit 2', async () => {
    expect((await agora(['publier'])).code).toBe(2);
  });
});

describe('agora comments list', () => {
  it('escapes control and bidi characters that a reader wrote, so the terminal shows them', async () => {
    const root = await stageBasicSite();
    const folder = path.join(root, '.comments/en-attente/premier-essai');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, '20260101-120000-abcdef.md'),
      '---\nauthor: "Lecteur \u202Eetnevni\u202C"\ndate: 2026-01-01T12:00:00+01:00\n---\nVoir \u001b[31mrouge\u001b[0m et \u2066isolé\u2069.\n');
    const result = await agora(['--root', root, 'comments', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Lecteur \\u{202E}etnevni\\u{202C}');
    expect(result.stdout).toContain('\\u{001B}[31mrouge');
    expect(result.stdout).not.toMatch(/[\u001b\u202a-\u202e\u2066-\u2069]/);
    await rm(root, { recursive: true, force: true });
  });
});
