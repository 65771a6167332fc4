import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDeepNesting } from '../../src/markdown/nesting.js';
import { FIXTURES } from '../helpers/sites.js';

/** A list nested `levels` deep by indentation, one item per level. */
const indentedList = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}- niveau ${i + 1}`).join('\n');

describe('findDeepNesting', () => {
  it('finds markers repeated on one line, quotes and lists nested by indentation', () => {
    expect(findDeepNesting('- '.repeat(10_000), 32)).toEqual({ line: 1, depth: 33, kind: 'depth' });
    expect(findDeepNesting('> '.repeat(10_000), 32)).toEqual({ line: 1, depth: 33, kind: 'depth' });
    expect(findDeepNesting(`Texte.\n\n${indentedList(1000)}`, 32)).toEqual({ line: 35, depth: 33, kind: 'depth' });
    expect(findDeepNesting('1. '.repeat(40), 32)?.depth).toBe(33);
  });

  it('accepts nesting up to the limit, and follows lists through lazy lines and blank lines', () => {
    expect(findDeepNesting(indentedList(32), 32)).toBeNull();
    expect(findDeepNesting(indentedList(33), 32)).toEqual({ line: 33, depth: 33, kind: 'depth' });
    // A lazy continuation line does not close the items above it.
    const lazy = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- niveau\nsuite paresseuse`).join('\n');
    expect(findDeepNesting(lazy, 32)?.depth).toBe(33);
  });

  it('bounds the number of deeply nested lines, whose cost grows with their square', () => {
    expect(findDeepNesting('- - x\n'.repeat(2000), 32)).toBeNull();
    expect(findDeepNesting('- - x\n'.repeat(2100), 32)).toEqual({ line: 2001, depth: 2, kind: 'volume' });
    expect(findDeepNesting('- - - x\n'.repeat(1400), 32)).toEqual({ line: 1334, depth: 3, kind: 'volume' });
    // A flat list is not counted: its cost grows about linearly.
    expect(findDeepNesting('- x\n'.repeat(100_000), 32)).toBeNull();
  });

  it('does not count code: fenced blocks and indented code', () => {
    const deepCode = Array.from({ length: 50 }, (_, i) => `${'  '.repeat(i)}- pas une liste`).join('\n');
    expect(findDeepNesting('```\n' + deepCode + '\n```\n', 32)).toBeNull();
    expect(findDeepNesting('Texte.\n\n' + deepCode.split('\n').map((line) => `    ${line}`).join('\n'), 32)).toBeNull();
    expect(findDeepNesting('~~~~\n' + '> '.repeat(100) + '\n~~~~\n', 32)).toBeNull();
  });

  it('finds nothing in the fixture sites', async () => {
    const dirs = [path.join(FIXTURES, 'sites/basic/content'), path.join(FIXTURES, 'invalid')];
    let files = 0;
    for (const dir of dirs) {
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
        files += 1;
        expect(findDeepNesting(await readFile(path.join(entry.parentPath, entry.name), 'utf8'), 8), entry.name).toBeNull();
      }
    }
    expect(files).toBeGreaterThan(10);
  });
});
