import { describe, expect, it } from 'vitest';
import { basePath, validateConfig } from '../../src/config.js';

const config = (text: string) => validateConfig({ path: 'content/site.yml', text });

describe('validateConfig', () => {
  it('fills in defaults', () => {
    const { config: site, diagnostics } = config('title: Agora\nbaseUrl: https://exemple.org/agora');
    expect(diagnostics).toEqual([]);
    expect(site).toMatchObject({ language: 'fr', postsPerPage: 10, baseUrl: 'https://exemple.org/agora/', comments: { endpoint: null, moderation: true } });
    expect(basePath(site)).toBe('/agora/');
  });

  it('reports a bad value with its line', () => {
    const { diagnostics } = config('title: Agora\nbaseUrl: https://exemple.org/\npostsPerPage: zéro');
    expect(diagnostics[0]).toMatchObject({ file: 'content/site.yml', line: 3, code: 'site/bad-postsPerPage' });
  });

  it('requires baseUrl', () => {
    const { diagnostics } = config('title: Agora');
    expect(diagnostics.map((d) => d.code)).toContain('site/missing-baseUrl');
  });
});
