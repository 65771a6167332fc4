import { describe, expect, it } from 'vitest';
import { paginate } from '../../src/graph/paginate.js';
import { outputPath, routes } from '../../src/graph/routes.js';

describe('paginate', () => {
  it('splits items and links the pages', () => {
    const pages = paginate([1, 2, 3, 4, 5], 2, routes.frontPage);
    expect(pages.map((p) => p.items)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pages[0]!.pagination).toMatchObject({ current: 1, total: 3, previousUrl: null, nextUrl: '/page/2/' });
    expect(pages[2]!.pagination).toMatchObject({ previousUrl: '/page/2/', nextUrl: null });
  });
  it('links the first, the last and two pages on each side of the current one, with gaps', () => {
    const pages = paginate(Array.from({ length: 100 }, (_, i) => i), 10, routes.frontPage);
    const shown = (n: number) => pages[n - 1]!.pagination.pages.map((p) => `${p.gapBefore ? '… ' : ''}${p.current ? `[${p.number}]` : p.number}`).join(' ');
    expect(shown(1)).toBe('[1] 2 3 … 10');
    expect(shown(5)).toBe('1 … 3 4 [5] 6 7 … 10');
    expect(shown(4)).toBe('1 2 3 [4] 5 6 … 10');
    expect(shown(10)).toBe('1 … 8 9 [10]');
    expect(pages[4]!.pagination.pages[2]).toEqual({ number: 4, url: '/page/4/', current: false, gapBefore: false });
  });
  it('keeps one page for an empty list', () => {
    expect(paginate([], 10, routes.frontPage)).toHaveLength(1);
  });
});

describe('routes', () => {
  it('uses French URLs', () => {
    expect(routes.post('x')).toBe('/essais/x/');
    expect(routes.category('reseaux-sociaux', 2)).toBe('/categories/reseaux-sociaux/page/2/');
    expect(routes.author('ada')).toBe('/auteurs/ada/');
  });
  it('maps URLs to files', () => {
    expect(outputPath('/')).toBe('index.html');
    expect(outputPath('/essais/x/')).toBe('essais/x/index.html');
    expect(outputPath('/404.html')).toBe('404.html');
  });
});
