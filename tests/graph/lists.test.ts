import { describe, expect, it } from 'vitest';
import { groupByYear } from '../../src/graph/pages.js';
import { relatedPosts, type SitePost } from '../../src/graph/site.js';
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
});
