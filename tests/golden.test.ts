import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { expectGoldenFile } from './helpers/golden.js';

it('fails on a missing golden file instead of writing it, unless UPDATE=1', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'agora-golden-'));
  const previous = process.env.UPDATE;
  delete process.env.UPDATE;
  try {
    await expect(expectGoldenFile(path.join(dir, 'attendu.txt'), 'contenu')).rejects.toThrow(/missing golden file/);
    process.env.UPDATE = '1';
    await expectGoldenFile(path.join(dir, 'attendu.txt'), 'contenu');
    delete process.env.UPDATE;
    await expectGoldenFile(path.join(dir, 'attendu.txt'), 'contenu');
  } finally {
    if (previous === undefined) delete process.env.UPDATE;
    else process.env.UPDATE = previous;
    await rm(dir, { recursive: true, force: true });
  }
});
