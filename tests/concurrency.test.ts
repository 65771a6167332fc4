import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mapLimit, runInProcess } from '../src/concurrency.js';

it('mapLimit keeps the order and never has more than `limit` operations under way', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapLimit(Array.from({ length: 50 }, (_, i) => i), 4, async (n) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
    running -= 1;
    return n * 2;
  });
  expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  expect(peak).toBe(4);
});

describe('runInProcess', () => {
  /** A module written for the test, in a temporary folder it made: sends back `sent` of the numbers it is given, doubled, then ends. */
  async function childModule(sent: number): Promise<{ url: URL; folder: string }> {
    const folder = await mkdtemp(path.join(tmpdir(), 'agora-processus-'));
    const file = path.join(folder, 'enfant.mjs');
    await writeFile(file, `process.once('message', ({ numbers }) => { for (const n of numbers.slice(0, ${sent})) process.send(n * 2); if (${sent} < numbers.length) process.exit(3); });\n`);
    return { url: pathToFileURL(file), folder };
  }

  it('gives back every message of the child in order, then lets it go', async () => {
    const { url, folder } = await childModule(3);
    try {
      const got: number[] = [];
      await runInProcess<number>(url, { numbers: [1, 2, 3] }, 3, (n) => got.push(n), 'double des nombres');
      expect(got).toEqual([2, 4, 6]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rejects, in French and naming its work, when the child ends before giving everything', async () => {
    const { url, folder } = await childModule(1);
    try {
      await expect(runInProcess<number>(url, { numbers: [1, 2, 3] }, 3, () => {}, 'double des nombres'))
        .rejects.toThrow("le processus qui double des nombres s'est arrêté (code 3) avec 1 des 3 résultats attendus");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
