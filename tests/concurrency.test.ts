import { expect, it } from 'vitest';
import { mapLimit } from '../src/concurrency.js';

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
