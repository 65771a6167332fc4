import { describe, expect, it } from 'vitest';
import { groupByYear } from '../../src/graph/pages.js';
import { newestFirst, relatedIndex, relatedPosts, type SitePost } from '../../src/graph/site.js';
import { parseContentDate } from '../../src/validate/fields.js';

const post = (slug: string, date: string, categories: string[] = [], tags: string[] = []) =>
  ({ slug, title: slug, date: parseContentDate(date)!, updated: null,
    categories: categories.map((c) => ({ name: c, slug: c, url: `/categories/${c}/` })),
    tags: tags.map((t) => ({ name: t, slug: t, url: `/etiquettes/${t}/` })) }) as unknown as SitePost;

describe('groupByYear', () => {
  it('groups essays by year and French month, newest first', () => {
    const years = groupByYear([post('c', '2011-07-01'), post('b', '2008-09-24'), post('a', '2008-09-02'), post('z', '2008-01-15')]);
    expect(years.map((y) => [y.year, y.url, y.count])).toEqual([[2011, '/archives/2011/', 1], [2008, '/archives/2008/', 3]]);
    expect(years[1]!.months.map((m) => [m.label, m.posts.map((p) => p.slug)])).toEqual([['septembre 2008', ['b', 'a']], ['janvier 2008', ['z']]]);
  });
});

describe('relatedPosts', () => {
  it('ranks by shared categories (twice) and tags, then newest; never unrelated essays', () => {
    const me = post('me', '2020-01-01', ['reseaux'], ['confiance', 'marketing']);
    const all = [me, post('tag1', '2020-03-01', [], ['confiance']), post('cat', '2019-01-01', ['reseaux']),
      post('tag2', '2019-06-01', [], ['confiance', 'marketing']), post('both', '2018-01-01', ['reseaux'], ['confiance']),
      post('none', '2021-01-01', ['autre'], ['x'])];
    expect(relatedPosts(me, all).map((p) => p.slug)).toEqual(['both', 'tag2', 'cat']);
    expect(relatedPosts(all[5]!, all)).toEqual([]);
  });

  it('gives what sorting every candidate gives, for essays newest first or in any order', () => {
    // A seeded generator: the same invented essays at every run.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = (words: string[]) => words.filter(() => next() < 0.3);
    const essays = Array.from({ length: 120 }, (_, i) => post(`e${i}`, `20${10 + Math.floor(next() * 10)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
      pick(['a', 'b', 'c', 'd']), pick(['t1', 't2', 't3', 't4', 't5', 't6'])));
    const shared = (a: SitePost, b: SitePost) =>
      2 * a.categories.filter((c) => b.categories.some((d) => d.slug === c.slug)).length + a.tags.filter((t) => b.tags.some((u) => u.slug === t.slug)).length;
    const reference = (me: SitePost, all: readonly SitePost[], limit: number) => all.filter((other) => other !== me && shared(me, other) > 0)
      .sort((a, b) => shared(me, b) - shared(me, a) || newestFirst(a, b)).slice(0, limit).map((p) => p.slug);
    const sorted = [...essays].sort(newestFirst);
    for (const all of [sorted, essays]) {
      for (const limit of [0, 1, 3, 7]) {
        const related = relatedIndex(all, limit);
        for (const me of all) expect(related(me).map((p) => p.slug), `${me.slug} ${limit}`).toEqual(reference(me, all, limit));
      }
    }
  });
});
