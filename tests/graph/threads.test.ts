import { describe, expect, it } from 'vitest';
import { buildThread, countComments, MAX_INDENT_DEPTH } from '../../src/graph/threads.js';
import type { Comment } from '../../src/records.js';

const at = (minutes: number) => ({ iso: 'x', time: minutes * 60_000, hasTime: true });
const make = (id: string, parent: string | null, minutes: number, extra: Partial<Comment> = {}): Comment => ({
  file: `content/comments/e/${id}.md`, id, postSlug: 'e', author: `Auteur ${id}`, date: at(minutes), parent,
  website: null, body: '', bodyLine: 1, positions: {}, ...extra,
});
const html = (comment: Comment) => `<p>${comment.id}</p>`;

describe('buildThread', () => {
  it('nests replies under their parent, oldest first at each level', () => {
    const thread = buildThread([make('late', null, 30), make('early', null, 10), make('r2', 'early', 25), make('r1', 'early', 20)], html);
    expect(thread.map((c) => c.id)).toEqual(['early', 'late']);
    expect(thread[0]!.replies.map((c) => c.id)).toEqual(['r1', 'r2']);
    expect(thread[0]!.replies[0]!.parent).toEqual({ id: 'early', anchor: 'commentaire-early', author: 'Auteur early' });
    expect(countComments(thread)).toBe(4);
  });

  it('keeps any depth, and names the parent once replies stop indenting', () => {
    const chain = Array.from({ length: 8 }, (_, i) => make(`c${i}`, i === 0 ? null : `c${i - 1}`, i));
    let node = buildThread(chain, html)[0]!;
    for (let depth = 1; depth <= 8; depth++) {
      expect(node.depth).toBe(depth);
      expect(node.showParent).toBe(depth > MAX_INDENT_DEPTH);
      if (depth < 8) node = node.replies[0]!;
    }
    expect(node.replies).toEqual([]);
  });

  it('breaks ties in time by id, so the order never depends on the disk', () => {
    expect(buildThread([make('b', null, 0), make('a', null, 0)], html).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('never shows a website that is not http(s), and strips right-to-left overrides from names', () => {
    const [c] = buildThread([make('x', null, 0, { website: 'javascript:alert(1)', author: 'gpj.\u202Eexe' })], html);
    expect(c!.website).toBeNull();
    expect(c!.author).toBe('gpj.exe');
  });
});
