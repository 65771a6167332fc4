import { cp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { expectGoldenFile } from './helpers/golden.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from './helpers/sites.js';

const INVALID = path.join(FIXTURES, 'invalid');
const cases = (await readdir(INVALID)).filter((name) => !name.startsWith('_')).sort();

/**
 * Each folder of tests/fixtures/invalid is laid over a small valid site (_base, with the
 * project's templates) and must fail with exactly the diagnostics in its expected.txt.
 */
describe.each(cases)('the broken site %s', (name) => {
  it('fails with exactly its pinned diagnostics', async () => {
    const root = await stageSite(path.join(INVALID, '_base'));
    await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
    await cp(path.join(INVALID, name), root, { recursive: true, force: true, filter: (src) => !src.endsWith('expected.txt') });
    const result = await build({ root, now: NOW, write: false });
    expect(result.ok).toBe(false);
    await expectGoldenFile(path.join(INVALID, name, 'expected.txt'), formatDiagnostics(result.diagnostics) + '\n');
    await rm(root, { recursive: true, force: true });
  });
});

it('never evaluates ---js front matter', async () => {
  await expect(stat('/tmp/agora-pwned')).rejects.toThrow();
});

