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
