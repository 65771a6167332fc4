import { describe, expect, it } from 'vitest';
import { parseContentDate } from '../../src/validate/fields.js';
import { validatePost } from '../../src/validate/post.js';

const post = (front: string, path = 'content/posts/essai.md') => validatePost({ path, text: `---\n${front}\n---\nTexte.\n` });

describe('validatePost', () => {
  it('builds a post with defaults and the slug from the file name', () => {
    const { record, diagnostics } = post('title: Essai\ndate: 2008-09-24\nauthor: ada', 'content/posts/Réseaux sociaux.md');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({
      slug: 'reseaux-sociaux', title: 'Essai', authorIds: ['ada'], categories: [], tags: [],
      draft: false, commentsOpen: true, summary: null, source: null, cover: null, bodyLine: 6,
    });
  });

  it('accepts a list of authors and a single category as a string', () => {
    const { record } = post('title: E\ndate: 2008-09-24\nauthor: [ada, bob]\ncategories: Réseaux sociaux');
    expect(record?.authorIds).toEqual(['ada', 'bob']);
    expect(record?.categories).toEqual(['Réseaux sociaux']);
  });

  it('reports every missing required field at once', () => {
    const { record, diagnostics } = post('summary: rien');
    expect(record).toBeNull();
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['post/missing-author', 'post/missing-date', 'post/missing-title']);
  });

  it.each(['24/09/2008', '2008-13-01', '2008-02-30', 'hier'])('rejects the date %s with its line', (date) => {
    const { record, diagnostics } = post(`title: E\ndate: "${date}"\nauthor: ada`);
    expect(record).toBeNull();
    expect(diagnostics[0]).toMatchObject({ code: 'post/bad-date', line: 3 });
  });

  it('warns about an unknown field, which is usually a typo', () => {
    const { diagnostics } = post('title: E\ndate: 2008-09-24\nauthor: ada\ncategroies: [X]');
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'post/unknown-field', line: 5 });
  });

  it('reads source and cover', () => {
    const { record } = post('title: E\ndate: 2008-09-24\nauthor: ada\nsource:\n  title: Paperblog\n  url: https://exemple.org/\ncover:\n  src: /a.jpg\n  alt: Des galets');
    expect(record?.source).toEqual({ title: 'Paperblog', url: 'https://exemple.org/', canonical: false });
    expect(record?.cover).toEqual({ src: '/a.jpg', alt: 'Des galets', caption: null });
  });

  it('places a mistake inside source or cover on its own line, not on the parent key (issue 22)', () => {
    // Lines: 2 title, 3 date, 4 author, 5 source:, 6 title, 7 canonical, 8 url, 9 cover:, 10 alt, 11 src.
    const bad = post('title: E\ndate: 2008-09-24\nauthor: ada\nsource:\n  title: Paperblog\n  canonical: oui\n  url: https://exemple.org/\ncover:\n  alt: Des galets\n  src: javascript:alert(1)');
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['post/bad-source', 7, 14], ['post/bad-cover', 11, 8]]);
    const url = post('title: E\ndate: 2008-09-24\nauthor: ada\nsource:\n  title: Paperblog\n  url: ftp://exemple.org/');
    expect(url.diagnostics[0]).toMatchObject({ code: 'post/bad-source', line: 7 });
  });

  it('requires alt text on a cover', () => {
    const { diagnostics } = post('title: E\ndate: 2008-09-24\nauthor: ada\ncover:\n  src: /a.jpg');
    expect(diagnostics[0]?.code).toBe('post/bad-cover');
  });
});

describe('parseContentDate', () => {
  it('reads a day as UTC midnight', () => {
    expect(parseContentDate('2008-09-24')).toEqual({ iso: '2008-09-24', time: Date.UTC(2008, 8, 24), hasTime: false });
  });
  it('reads a date-time with its offset', () => {
    expect(parseContentDate('2013-01-25T14:05:00+01:00')?.time).toBe(Date.UTC(2013, 0, 25, 13, 5));
  });
  it('requires the time when asked', () => {
    expect(parseContentDate('2013-01-25', { requireTime: true })).toBeNull();
  });
});
