import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeFiles } from '../../src/cache/file-store.js';

let folder: string;
beforeEach(async () => { folder = path.join(await mkdtemp(path.join(tmpdir(), 'agora-magasin-')), 'faits'); });
afterEach(async () => { await rm(path.dirname(folder), { recursive: true, force: true }); });

const wanted = ['un', 'deux', 'trois'].map((key) => ({ key, extension: 'txt' }));
const bytes = (text: string) => new TextEncoder().encode(text);

it('writes each file as it is made, keeps those made before a failure, and makes only what is missing next time', async () => {
  const failing = storeFiles(folder, wanted, async (missing, keep) => {
    keep(0, bytes('premier'));
    keep(1, bytes('deuxième'));
    throw new Error('le troisième rate');
  });
  await expect(failing).rejects.toThrow('le troisième rate');
  expect((await readdir(folder)).filter((name) => name.endsWith('.txt')).map((name) => name.split('.')[0]).sort()).toEqual(['deux', 'un']);

  const asked: number[][] = [];
  const stored = await storeFiles(folder, wanted, async (missing, keep) => {
    asked.push(missing);
    missing.forEach((_, n) => keep(n, bytes('troisième')));
  });
  expect(asked).toEqual([[2]]);
  expect(stored.made).toBe(1);
  expect(stored.files.map((file) => path.basename(file.source).split('.')[0])).toEqual(['un', 'deux', 'trois']);
});

it('refuses a maker that leaves a file unmade', async () => {
  await expect(storeFiles(folder, wanted, async (missing, keep) => { keep(0, bytes('seul')); })).rejects.toThrow("2 fichiers n'ont pas été faits");
});
