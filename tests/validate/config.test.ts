import { describe, expect, it } from 'vitest';
import { basePath, commentsEndpoint, validateConfig } from '../../src/config.js';

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

describe('comments and time zone settings', () => {
  it('defaults to Europe/Paris, forms posting to the site itself, and publish: build', () => {
    const { config: site } = config('title: Agora\nbaseUrl: https://exemple.org/agora/');
    expect(site.timezone).toBe('Europe/Paris');
    expect(site.comments).toEqual({ endpoint: null, form: true, moderation: true, publish: 'build', push: false });
    expect(commentsEndpoint(site)).toBe('/agora/commentaires');
  });

  it('takes another server, no form at all, and publish: git with push', () => {
    const other = config('title: A\nbaseUrl: https://exemple.org/\ncomments:\n  endpoint: https://commentaires.exemple.org/commentaires\n');
    expect(commentsEndpoint(other.config)).toBe('https://commentaires.exemple.org/commentaires');
    expect(commentsEndpoint(config('title: A\nbaseUrl: https://exemple.org/\ncomments:\n  form: false\n').config)).toBeNull();
    const git = config('title: A\nbaseUrl: https://exemple.org/\ntimezone: America/Montreal\ncomments:\n  publish: git\n  push: true\n');
    expect(git.diagnostics).toEqual([]);
    expect(git.config).toMatchObject({ timezone: 'America/Montreal', comments: { publish: 'git', push: true } });
  });

  it('names the line of a bad time zone, a bad publish mode, push without git and a secret in site.yml', () => {
    const { diagnostics } = config('title: A\nbaseUrl: https://exemple.org/\ntimezone: Europe/Lutece\ncomments:\n  publish: ftp\n  push: true\n  secret: abc\n');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual(expect.arrayContaining([
      ['site/bad-timezone', 3], ['site/bad-publish', 5], ['site/secret-in-config', 7],
    ]));
    // push is checked against a publish mode that is one.
    const push = config('title: A\nbaseUrl: https://exemple.org/\ncomments:\n  publish: build\n  push: true\n').diagnostics;
    expect(push.map((d) => [d.code, d.line])).toEqual([['site/push-without-git', 5]]);
    expect(diagnostics.find((d) => d.code === 'site/bad-timezone')!.severity).toBe('error');
    expect(diagnostics.find((d) => d.code === 'site/secret-in-config')!.hint).toContain('AGORA_MODERATION_SECRET');
  });
});
