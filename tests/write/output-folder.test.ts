import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerText, OUTPUT_MARKER } from '../../src/write/output-folder.js';
import { agora, stageBasicSite } from '../helpers/cli.js';
import { FIXTURES, PROJECT_ROOT, readTree } from '../helpers/sites.js';

/** Every file under a folder with its contents: what must not change when a build is refused. */
const snapshot = (dir: string) => readTree(dir);

describe('the output folder is Agora’s alone', () => {
  // outer/ holds the project and a foreign folder: all of it made here, in a temporary folder.
  let outer: string;
  let root: string;
  beforeAll(async () => {
    outer = await mkdtemp(path.join(tmpdir(), 'agora-out-'));
    root = path.join(outer, 'projet');
    await cp(path.join(FIXTURES, 'sites/basic'), root, { recursive: true });
    await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
    await mkdir(path.join(root, '.git'));
    await writeFile(path.join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
    await mkdir(path.join(outer, 'etranger'));
    await writeFile(path.join(outer, 'etranger/notes.txt'), 'à garder');
    await symlink(path.join(outer, 'etranger'), path.join(root, 'lien-sortie'));
  });
  afterAll(() => rm(outer, { recursive: true, force: true }));

  const refused: [string, string, RegExp][] = [
    ['content/', 'content', /content est le dossier source content\//],
    ['a folder inside content/', 'content/posts', /se trouve dans le dossier source content\//],
    ['templates/', 'templates', /est le dossier source templates\//],
    ['public/', 'public', /est le dossier source public\//],
    ['.git', '.git', /est le dossier source \.git\//],
    ['the moderation queue', '.comments', /est le dossier \.comments\/ \(les commentaires en attente de modération/],
    ['a folder inside the moderation queue', '.comments/en-attente', /se trouve dans le dossier \.comments\//],
    ['the caches', '.cache', /est le dossier \.cache\//],
    ['the project root', '.', /est le dossier du projet/],
    ['a parent of the project', '..', /contient le dossier du projet/],
    ['a non-empty folder Agora did not write', '../etranger', /n'est pas vide et n'a pas été écrit par Agora/],
    ['a link to a non-empty foreign folder', 'lien-sortie', /n'est pas vide et n'a pas été écrit par Agora/],
  ];
  for (const [what, out, reason] of refused) {
    it(`refuses ${what} with one French line, exit 1, and changes nothing`, async () => {
      const before = await snapshot(outer);
      const result = await agora(['--root', root, 'build', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/^Dossier de sortie refusé : .*rien n'a été modifié\.\n$/);
      expect(result.stdout).toBe('');
      expect(await snapshot(outer)).toEqual(before);
    });
  }

  it('writes into an absent or empty folder, marks it with the list of what it wrote, and removes what it no longer writes', async () => {
    await mkdir(path.join(outer, 'vide'));
    for (const out of ['../vide', '../absent/dist']) {
      expect((await agora(['--root', root, 'build', '--out', out])).code).toBe(0);
      const folder = path.resolve(root, out);
      const marker = await readFile(path.join(folder, OUTPUT_MARKER), 'utf8');
      expect(marker).toContain('Agora');
      expect(marker.split('\n')).toContain('essais/premier-essai/index.html');
      // A page of an earlier build, as that build listed it: the next build removes it.
      await writeFile(path.join(folder, 'périmé.html'), 'x');
      await writeFile(path.join(folder, OUTPUT_MARKER), `${marker}périmé.html\n`);
      expect((await agora(['--root', root, 'build', '--out', out, '--no-cache'])).code).toBe(0);
      expect(await readdir(folder)).not.toContain('périmé.html');
    }
    expect(await readFile(path.join(outer, 'etranger/notes.txt'), 'utf8')).toBe('à garder');
  });
});

describe('the marker gives Agora only what it wrote (issue 21)', () => {
  /** A folder made here holding a git repository and a file of the owner's, then the marker of a real build copied in. */
  async function checkoutWithMarker(): Promise<{ root: string; folder: string }> {
    const root = await stageBasicSite();
    expect((await agora(['--root', root, 'build', '--out', 'premier'])).code).toBe(0);
    const folder = path.join(root, 'gh-pages');
    await mkdir(path.join(folder, '.git/objects'), { recursive: true });
    await writeFile(path.join(folder, '.git/HEAD'), 'ref: refs/heads/gh-pages\n');
    await writeFile(path.join(folder, 'important.txt'), 'à garder');
    await mkdir(path.join(folder, 'essais'));
    await writeFile(path.join(folder, 'essais/notes.txt'), 'à garder aussi');
    await cp(path.join(root, 'premier', OUTPUT_MARKER), path.join(folder, OUTPUT_MARKER));
    return { root, folder };
  }

  for (const cache of [[], ['--no-cache']]) {
    it(`keeps .git and the files it did not write, whatever the marker says${cache.length ? ' (no cache)' : ''}`, async () => {
      const { root, folder } = await checkoutWithMarker();
      for (let build = 0; build < 2; build += 1) {
        const result = await agora(['--root', root, 'build', '--out', 'gh-pages', ...cache]);
        expect(result.code).toBe(0);
        expect(await readFile(path.join(folder, '.git/HEAD'), 'utf8')).toBe('ref: refs/heads/gh-pages\n');
        expect(await readdir(path.join(folder, '.git'))).toContain('objects');
        expect(await readFile(path.join(folder, 'important.txt'), 'utf8')).toBe('à garder');
        expect(await readFile(path.join(folder, 'essais/notes.txt'), 'utf8')).toBe('à garder aussi');
        expect(await readFile(path.join(folder, 'essais/premier-essai/index.html'), 'utf8')).toContain('Premier essai');
        expect((await readFile(path.join(folder, OUTPUT_MARKER), 'utf8')).split('\n')).not.toContain('important.txt');
      }
      // An essay removed: its page goes (Agora wrote it), the owner's files stay.
      await rm(path.join(root, 'content/posts/deuxieme-essai.md'));
      await rm(path.join(root, 'content/comments/deuxieme-essai'), { recursive: true, force: true });
      expect((await agora(['--root', root, 'build', '--out', 'gh-pages', ...cache])).code).toBe(0);
      await expect(readdir(path.join(folder, 'essais/deuxieme-essai'))).rejects.toThrow();
      expect(await readFile(path.join(folder, 'important.txt'), 'utf8')).toBe('à garder');
      expect(await readFile(path.join(folder, '.git/HEAD'), 'utf8')).toBe('ref: refs/heads/gh-pages\n');
      await rm(root, { recursive: true, force: true });
    });
  }

  it('refuses, changing nothing, a build that would replace a file it did not write', async () => {
    const { root, folder } = await checkoutWithMarker();
    // A marker that lists nothing (copied from an empty build, or written by hand), and the owner's own home page.
    await writeFile(path.join(folder, OUTPUT_MARKER), markerText([]));
    await writeFile(path.join(folder, 'index.html'), '<!doctype html><title>La page du propriétaire</title>');
    const before = await snapshot(folder);
    const result = await agora(['--root', root, 'build', '--out', 'gh-pages']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gh-pages : index\.html n'a pas été écrit par Agora et serait remplacé par la construction ; déplacez ou supprimez ce fichier, puis reconstruisez\. Rien n'a été modifié\./);
    expect(await snapshot(folder)).toEqual(before);
    await rm(root, { recursive: true, force: true });
  });
});

describe('agora build leaves no temporary folder behind', () => {
  it('removes the temporary folders of a killed build, never those of a running one', async () => {
    const root = await stageBasicSite();
    const dead = path.join(root, '.dist-new-999999999-0badc0de');
    const alive = path.join(root, `.dist-new-${process.pid}-00000000`);
    await mkdir(dead);
    await mkdir(alive);
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    const names = await readdir(root);
    expect(names).not.toContain(path.basename(dead));
    expect(names).toContain(path.basename(alive));
    await rm(root, { recursive: true, force: true });
  });
});

describe('nothing outside the project reaches dist/', () => {
  it('refuses a link in public/ that leads outside it, naming it, and copies a link inside it as a file', async () => {
    const root = await stageBasicSite();
    await symlink('couverture.svg', path.join(root, 'public/images/alias.svg'));
    expect((await agora(['--root', root, 'build'])).code).toBe(0);
    expect((await lstat(path.join(root, 'dist/images/alias.svg'))).isFile()).toBe(true);
    expect(await readFile(path.join(root, 'dist/images/alias.svg'), 'utf8')).toContain('<svg');
    const before = await snapshot(path.join(root, 'dist'));

    await symlink('/etc/passwd', path.join(root, 'public/passwd.txt'));
    const refused = await agora(['--root', root, 'build']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('public/passwd.txt  erreur');
    expect(refused.stderr).toContain('[public/link-outside]');
    expect(await snapshot(path.join(root, 'dist'))).toEqual(before);
    await rm(root, { recursive: true, force: true });
  });

  it('warns about links, hidden Markdown and other files that content/ skips', async () => {
    const root = await stageBasicSite();
    await writeFile(path.join(root, 'content/posts/..md'), '---\ntitle: caché\n---\n');
    await writeFile(path.join(root, 'content/posts/notes.txt'), 'brouillon');
    await writeFile(path.join(root, 'content/posts/premier-essai.md.swp'), '');
    await symlink('/etc/hostname', path.join(root, 'content/posts/lien.md'));
    const result = await agora(['--root', root, 'build']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('content/posts/..md  avertissement');
    expect(result.stderr).toContain('content/posts/notes.txt  avertissement');
    expect(result.stderr).toContain('content/posts/lien.md  avertissement');
    expect(result.stderr).not.toContain('.swp');
    await rm(root, { recursive: true, force: true });
  });
});
