import { describe, expect, it } from 'vitest';
import { createDataKeyer } from '../../src/render/data-key.js';

const essay = () => ({ title: 'Un essai inventé', date: { iso: '2020-01-01', time: 1 }, tags: [{ name: 'test', url: '/etiquettes/test/' }], html: '<p>Texte</p>' });

describe('createDataKeyer', () => {
  it('gives equal data the same fingerprint, whatever the objects', () => {
    expect(createDataKeyer()({ post: essay(), page: 2 })).toBe(createDataKeyer()({ post: essay(), page: 2 }));
  });

  it('tells apart any change, however deep', () => {
    const fingerprint = createDataKeyer();
    const base = fingerprint({ post: essay() });
    const changes = [
      (post: ReturnType<typeof essay>) => { post.title = 'Un autre titre'; },
      (post: ReturnType<typeof essay>) => { post.date.time = 2; },
      (post: ReturnType<typeof essay>) => { post.tags[0]!.url = '/etiquettes/autre/'; },
      (post: ReturnType<typeof essay>) => { post.tags.push({ name: 'test', url: '/etiquettes/test/' }); },
      (post: ReturnType<typeof essay>) => { post.html += ' '; },
    ];
    const seen = new Set([base]);
    for (const change of changes) {
      const post = essay();
      change(post);
      seen.add(fingerprint({ post }));
    }
    expect(seen.size).toBe(changes.length + 1);
  });

  it('tells an absent field from an undefined one, and a string from an object', () => {
    const fingerprint = createDataKeyer();
    expect(fingerprint({ a: undefined })).not.toBe(fingerprint({}));
    expect(fingerprint({ a: null })).not.toBe(fingerprint({ a: undefined }));
    const inner = { b: 1 };
    const asObject = fingerprint({ a: inner });
    expect(fingerprint({ a: `\u0000o${fingerprint(inner)}` })).not.toBe(asObject);
    expect(fingerprint({ a: `o"${fingerprint(inner)}"` })).not.toBe(asObject);
    expect(fingerprint({ a: 'u' })).not.toBe(fingerprint({ a: undefined }));
    expect(fingerprint({ a: [1, 'u'] })).not.toBe(fingerprint({ a: [1, undefined] }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: '1' }));
  });

  it('serializes an object shown by many pages once, and refuses what it cannot see into', () => {
    const fingerprint = createDataKeyer();
    const shared = essay();
    expect(fingerprint({ posts: [shared, shared] })).toBe(createDataKeyer()({ posts: [essay(), essay()] }));
    const cyclic: Record<string, unknown> = { title: 'boucle' };
    cyclic.self = { back: cyclic };
    expect(() => fingerprint(cyclic)).toThrow(/cycle/);
    const list: unknown[] = [];
    list.push(list);
    expect(() => fingerprint({ list })).toThrow(/cycle/);
    expect(() => fingerprint({ map: new Map() })).toThrow(/Map/);
    expect(() => fingerprint({ render: () => '' })).toThrow(/function/);
  });
});
