import { describe, expect, it } from 'vitest';
import { validateComment } from '../../src/validate/comment.js';
import { checkCommentReferences } from '../../src/validate/comment-references.js';
import { validatePost } from '../../src/validate/post.js';
import type { Comment } from '../../src/records.js';

const comment = (front: string, path = 'content/comments/essai/c1.md', body = 'Texte.') =>
  validateComment({ path, text: `---\n${front}\n---\n${body}\n` });

describe('validateComment', () => {
  it('reads a comment; its id and essay come from its path', () => {
    const { record, diagnostics } = comment('author: Lecteur Inventé\ndate: 2013-01-25T14:05:00+01:00\nparent: c0\nwebsite: https://exemple.test.invalid/');
    expect(diagnostics).toEqual([]);
    expect(record).toMatchObject({ id: 'c1', postSlug: 'essai', author: 'Lecteur Inventé', parent: 'c0', website: 'https://exemple.test.invalid/' });
    expect(record?.date.hasTime).toBe(true);
  });

  it('accepts a plain day when the time is unknown', () => {
    expect(comment('author: A\ndate: 2013-01-25').record?.date).toMatchObject({ iso: '2013-01-25', hasTime: false });
  });

  it('reports a missing author and date', () => {
    expect(comment('website: https://x.test.invalid/').diagnostics.map((d) => d.code).sort()).toEqual(['comment/missing-author', 'comment/missing-date']);
  });

  it.each([
    ['date: 2013-01-25 14h05', 'comment/bad-date'],
    ['date: 2013-02-30T10:00:00Z', 'comment/bad-date'],
    ['date: 2013-01-25T10:00:00\nwebsite: https://x.test.invalid/', 'comment/bad-date'],
    ['date: 2013-01-25T10:00:00Z\nwebsite: javascript:alert(1)', 'comment/bad-website'],
    ['date: 2013-01-25T10:00:00Z\nwebsite: exemple.org', 'comment/bad-website'],
  ])('rejects %s', (front, code) => {
    const { record, diagnostics } = comment(`author: A\n${front}`);
    expect(record).toBeNull();
    expect(diagnostics[0]?.code).toBe(code);
    expect(diagnostics[0]?.line).toBeGreaterThan(1);
  });

  it('rejects ids outside [a-z0-9-] and empty bodies', () => {
    expect(comment('author: A\ndate: 2013-01-25', 'content/comments/essai/Mon_Commentaire.md').diagnostics[0]?.code).toBe('comment/bad-path');
    expect(comment('author: A\ndate: 2013-01-25', undefined, '  ').diagnostics[0]?.code).toBe('comment/empty-body');
  });

  it('has no field for an e-mail address', () => {
    expect(comment('author: A\ndate: 2013-01-25\nemail: a@b.test').diagnostics[0]).toMatchObject({ code: 'comment/unknown-field' });
  });
});

describe('checkCommentReferences', () => {
  const post = validatePost({ path: 'content/posts/essai.md', text: '---\ntitle: E\ndate: 2020-01-01\nauthor: a\n---\n' }).record!;
  const make = (id: string, parent: string | null, postSlug = 'essai'): Comment => ({
    file: `content/comments/${postSlug}/${id}.md`, id, postSlug, author: 'A', date: { iso: '2020-01-01', time: 0, hasTime: false },
    parent, website: null, body: 'x', bodyLine: 5, positions: parent ? { parent: { line: 4, column: 9 } } : {},
  });

  it('accepts a well-formed thread', () => {
    expect(checkCommentReferences([make('a', null), make('b', 'a'), make('c', 'b')], [post])).toEqual([]);
  });
  it('reports a comment of an essay that does not exist', () => {
    expect(checkCommentReferences([make('a', null, 'fantome')], [post])[0]?.code).toBe('comment/unknown-post');
  });
  it('reports a parent that is not a comment of that essay, at its line', () => {
    expect(checkCommentReferences([make('a', 'zz')], [post])[0]).toMatchObject({ code: 'comment/unknown-parent', line: 4 });
  });
  it('reports each loop of parents once, naming the chain', () => {
    const loops = checkCommentReferences([make('a', 'c'), make('b', 'a'), make('c', 'b'), make('self', 'self'), make('ok', null)], [post]);
    expect(loops.map((d) => d.message)).toEqual([
      'Les commentaires se répondent en boucle : a → c → b → a.',
      'Les commentaires se répondent en boucle : self → self.',
    ]);
  });
});
