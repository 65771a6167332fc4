import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonCache } from '../../src/cache/cache-file.js';
import { codeKey } from '../../src/cache/code-key.js';
import { stageBasicSite } from '../helpers/cli.js';
import { PROJECT_ROOT, readTree } from '../helpers/sites.js';

const run = promisify(execFile);

describe('the code key', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'agora-code-key-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('follows every module of the folder, TypeScript or JavaScript, and the lock file beside it, not other files', async () => {
    const code = path.join(dir, 'src');
    await mkdir(path.join(code, 'markdown'), { recursive: true });
    await writeFile(path.join(code, 'markdown/typo.ts'), "export const apostrophe = '’';\n");
    await writeFile(path.join(code, 'cli.js'), 'export {};\n');
    await writeFile(path.join(code, 'tool.mjs'), 'export {};\n');
    await writeFile(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
    const first = codeKey(code);
    expect(codeKey(code)).toBe(first);
    // Not code: a note, a compiler's own dotfile.
    await writeFile(path.join(code, 'LISEZ-MOI.txt'), 'notes');
    await writeFile(path.join(code, '.tsbuildinfo'), '{}');
    expect(codeKey(code)).toBe(first);
    const changes: [string, string][] = [
      ['markdown/typo.ts', "export const apostrophe = 'ʼ';\n"],
      ['cli.js', 'export const x = 1;\n'],
      ['tool.mjs', 'export const y = 1;\n'],
      ['../package-lock.json', '{"lockfileVersion":3,"packages":{}}'],
    ];
    const seen = new Set([first]);
    for (const [file, text] of changes) {
      await writeFile(path.join(code, file), text);
      const key = codeKey(code);
      expect(seen.has(key), file).toBe(false);
      seen.add(key);
    }
  });
});

/**
 * Issue 22, bug 1: the Markdown store's key held Agora's version (0.1.0 since the first
 * commit), not its code, so an upgrade served HTML made by the old code. Here a copy of the
 * compiled Agora is changed the way an upgrade changes it, and the site built again with its cache.
 */
describe('a change to Agora’s code', () => {
  let work: string;
  let agoraCopy: string;
  let root: string;
  const agora = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(agoraCopy, 'lib/cli.js'), '--root', root, ...args]);
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, output: e.stdout + e.stderr };
    }
  };
  const patch = async (file: string, change: (text: string) => string) => {
    const absolute = path.join(agoraCopy, 'lib', file);
    const before = await readFile(absolute, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    await writeFile(absolute, after);
  };
  const cacheFiles = async () => {
    const folder = path.join(root, '.cache/agora');
    const names = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)));
    return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(folder, name))] as const)));
  };
  const pageKeys = async () => {
    const manifest = await readJsonCache(path.join(root, '.cache/agora/sortie.json'), (v): v is { files: Record<string, { key: string | null }> } => true);
    return new Map(Object.entries(manifest!.files).map(([file, entry]) => [file, entry.key]));
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'agora-upgrade-'));
    agoraCopy = path.join(work, 'agora');
    await cp(path.join(PROJECT_ROOT, 'lib'), path.join(agoraCopy, 'lib'), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) await cp(path.join(PROJECT_ROOT, file), path.join(agoraCopy, file));
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(agoraCopy, 'node_modules'), 'dir');
    root = await stageBasicSite();
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it('misses every cache, even when the site is the same', async () => {
    expect((await agora('build')).code).toBe(0);
    const site = await readTree(path.join(root, 'dist'));
    const caches = await cacheFiles();
    const keys = await pageKeys();
    expect((await agora('build')).output).toContain('Site à jour');

    // A change that renders nothing differently: a comment in a module far from Markdown.
    await patch('graph/site.js', (text) => `${text}\n// Une ligne de plus.\n`);
    const result = await agora('build');
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('Site à jour');
    expect(result.output).toMatch(/\(0 repris du cache/);
    // Every persistent key changed: the build record's, each page's, and each store file's key.
    const after = await cacheFiles();
    for (const [name, bytes] of caches) {
      // The schedule CI reads is no cache; an HTML file of the Markdown store is named by its
      // own bytes, so the same HTML keeps its name (the entries pointing at it are new).
      if (name === 'prochaine-publication.json' || name.startsWith('markdown/html/')) continue;
      expect(after.get(name)?.equals(bytes) ?? false, name).toBe(false);
    }
    const newKeys = await pageKeys();
    expect(newKeys.size).toBe(keys.size);
    for (const [file, key] of keys) expect(newKeys.get(file), file).not.toBe(key);
    expect(await readTree(path.join(root, 'dist'))).toEqual(site);
  });

  it('gives, from the cache, the pages that the new code gives from scratch', async () => {
    // The upgrade of the issue: another apostrophe rule in the French typography.
    await patch('markdown/french-typography.js', (text) => text.replaceAll('’', 'ʼ'));
    expect((await agora('build')).code).toBe(0);
    expect((await agora('build', '--no-cache', '--out', 'propre')).code).toBe(0);
    const cached = await readTree(path.join(root, 'dist'));
    const clean = await readTree(path.join(root, 'propre'));
    expect(cached).toEqual(clean);
    const essay = [...cached].find(([file, text]) => file.endsWith('index.html') && text.includes('elle nʼexiste pas'));
    expect(essay).toBeDefined();
    expect([...cached.values()].some((text) => text.includes('n’existe'))).toBe(false);
  });
});
