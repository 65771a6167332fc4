import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config.js';
import type { SourceFile } from '../../src/records.js';
import { validateAuthor } from '../../src/validate/author.js';
import { validateComment } from '../../src/validate/comment.js';
import { validatePage } from '../../src/validate/page.js';
import { validatePost } from '../../src/validate/post.js';
import type { Validated } from '../../src/validate/post.js';

const file = (path: string, front: string): SourceFile => ({ path, text: `---\n${front}\n---\nTexte.\n` });

/** Values no field accepts, of every YAML type. */
const WRONG = ['[1, {a: 2}]', '{a: 1}', '3.5', 'ftp://x', '"<b>"', 'oui', '"2020-02-30"', '-1'];

/** YAML lines of `base`, with `key` set to `value`. */
const yaml = (base: Record<string, string>, key: string, value: string) =>
  Object.entries({ ...base, [key]: value }).map(([name, text]) => `${name}: ${text}`).join('\n');
/** The line of `key` in a file made by `file()` from those lines (its `---` first), or in site.yml (no header). */
const lineOf = (base: Record<string, string>, key: string, header: boolean) => Object.keys({ ...base, [key]: '' }).indexOf(key) + (header ? 2 : 1);

interface Kind {
  kind: string;
  fields: string[];
  /** A valid file's fields, into which each refused value goes. */
  base: Record<string, string>;
  validate: (front: string) => { diagnostics: Validated<unknown>['diagnostics'] };
}

const KINDS: Kind[] = [
  {
    kind: 'post', base: { title: 'T', date: '2020-01-01', author: 'a' },
    fields: ['title', 'date', 'author', 'categories', 'tags', 'summary', 'slug', 'updated', 'draft', 'comments', 'source', 'cover', 'aliases'],
    validate: (front) => validatePost(file('content/posts/essai.md', front)),
  },
  { kind: 'author', base: { name: 'A' }, fields: ['name', 'avatar', 'website', 'links'], validate: (front) => validateAuthor(file('content/authors/a.md', front)) },
  { kind: 'page', base: { title: 'A' }, fields: ['title', 'summary', 'updated', 'menu', 'comments', 'aliases'], validate: (front) => validatePage(file('content/pages/a.md', front)) },
  {
    kind: 'comment', base: { author: 'A', date: '2020-01-01T10:00:00Z' }, fields: ['author', 'date', 'parent', 'website'],
    validate: (front) => validateComment(file('content/comments/e/c.md', front)),
  },
  {
    kind: 'site', base: { title: 'A', baseUrl: 'https://e.test/' },
    fields: ['title', 'description', 'baseUrl', 'language', 'postsPerPage', 'timezone', 'comments', 'limits', 'defaultAuthor', 'cards', 'images'],
    validate: (front) => validateConfig({ path: 'content/site.yml', text: front }),
  },
];

describe('field schemas (valibot) and their French explanations', () => {
  it('explain every refused value of every field in French, at the field\'s line, with a hint', () => {
    let refused = 0;
    for (const { kind, fields, base, validate } of KINDS) {
      for (const key of fields) {
        for (const value of WRONG) {
          for (const diagnostic of validate(yaml(base, key, value)).diagnostics.filter((d) => d.code.endsWith(`-${key}`) || d.code === `${kind}/bad-alias`)) {
            refused++;
            expect(diagnostic.code.startsWith(`${kind}/`), `${kind}.${key}: ${value}`).toBe(true);
            // A schema without an explanation of ours would say « a une valeur refusée »; valibot's own messages are English.
            expect(diagnostic.message, `${kind}.${key}: ${value}`).not.toMatch(/valeur refusée|Invalid|Expected|Received/);
            expect(diagnostic.hint, `${kind}.${key}: ${value}`).toBeTruthy();
            expect(diagnostic.line, `${kind}.${key}: ${value}`).toBe(lineOf(base, key, kind !== 'site'));
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(150);
  });

  it('places an issue inside a map on the nested field\'s own line and warns about unknown nested fields', () => {
    const { diagnostics } = validateConfig({ path: 'content/site.yml', text: 'title: A\nbaseUrl: https://e.test/\nlimits:\n  nesting: 5\n  postKib: 2\ncards:\n  accent: rouge\n' });
    expect(diagnostics.map((d) => [d.code, d.line, d.severity, d.message])).toEqual([
      ['site/unknown-field', 5, 'warning', 'Champ inconnu « limits.postKib » : il est ignoré.'],
      ['site/bad-cards', 7, 'error', '« cards.accent » doit être une couleur #rrggbb (reçu : rouge).'],
    ]);
  });

  it('keeps a file usable when only an optional field is refused, with that field at its default', () => {
    const { record, diagnostics } = validatePost(file('content/posts/essai.md', 'title: T\ndate: 2020-01-01\nauthor: a\ndraft: oui\ntags: {a: 1}\naliases: [/?p=12, /ancien/]'));
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['post/bad-alias', 'post/bad-draft', 'post/bad-tags']);
    // A list keeps its good items.
    expect(record).toMatchObject({ draft: false, tags: [], title: 'T', aliases: ['/ancien/'] });
  });
});
