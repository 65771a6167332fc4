import { describe, expect, it } from 'vitest';
import { ChangeQueue, classifyChange, type Change } from '../../src/dev/change-queue.js';

const change = (path: string, event: Change['event'] = 'change'): Change => ({ kind: classifyChange(path)!, path, event });

describe('classifyChange', () => {
  it('sorts files by the rebuild they need', () => {
    expect(classifyChange('content/site.yml')).toBe('config');
    expect(classifyChange('content/posts/x.md')).toBe('content');
    expect(classifyChange('content/comments/x/1.md')).toBe('content');
    expect(classifyChange('templates/partials/a.hbs')).toBe('template');
    expect(classifyChange('public/style.css')).toBe('public');
  });
  it('ignores editor swap files and hidden files', () => {
    for (const path of ['content/posts/.x.md.swp', 'content/posts/x.md~', 'content/posts/4913', 'content/posts/.#x.md', 'content/comments/e/.1.md.a1b2.tmp']) {
      expect(classifyChange(path), path).toBeNull();
    }
  });
});

describe('ChangeQueue', () => {
  it('queues changes that arrive during a rebuild, coalesced, and never drops one', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const firstRebuild = new Promise<void>((resolve) => { release = resolve; });
    const queue = new ChangeQueue(async (changes) => {
      batches.push(changes.map((c) => `${c.path}:${c.event}`));
      if (batches.length === 1) await firstRebuild;
    });
    queue.push(change('content/posts/a.md'));
    queue.push(change('content/posts/b.md'));
    queue.push(change('content/posts/c.md', 'add'));
    queue.push(change('content/posts/b.md', 'unlink'));
    release();
    await queue.idle();
    expect(batches).toEqual([['content/posts/a.md:change'], ['content/posts/b.md:unlink', 'content/posts/c.md:add']]);
  });

  it('keeps going after a rebuild fails', async () => {
    const seen: string[] = [];
    const queue = new ChangeQueue(async (changes) => {
      seen.push(changes[0]!.path);
      if (seen.length === 1) throw new Error('boom');
    });
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    queue.push(change('content/posts/a.md'));
    await queue.idle();
    queue.push(change('content/posts/b.md'));
    await queue.idle();
    process.stderr.write = stderr;
    expect(seen).toEqual(['content/posts/a.md', 'content/posts/b.md']);
  });
});
