import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { heapCeiling } from '../../src/write/heap-ceiling.js';

describe('the heap ceiling of the write stage', () => {
  it('collects once the heap has grown by its step, and keeps it near what is alive', () => {
    const step = 8 * 1024 * 1024;
    const start = getHeapStatistics().used_heap_size;
    const ceiling = heapCeiling(step);
    let kept = 0;
    // 1 MB arrays go straight to V8's old generation, where garbage waits for a full collection.
    for (let i = 0; i < 64; i++) {
      kept += new Array(131072).fill(i + 0.5).length;
      ceiling();
    }
    expect(kept).toBe(64 * 131072);
    expect(ceiling.collections).toBeGreaterThan(0);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(start + 3 * step);
  });

  it('does nothing while the heap stays below its step', () => {
    const ceiling = heapCeiling(512 * 1024 * 1024);
    for (let i = 0; i < 10; i++) ceiling();
    expect(ceiling.collections).toBe(0);
  });
});
