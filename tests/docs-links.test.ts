import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/sites.js';

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

const pages = ['README.md', ...readdirSync(path.join(PROJECT_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

it('README and docs/ link only inside the repository, to files and headings that exist', () => {
  const problems: string[] = [];
  for (const page of pages) {
    const text = readFileSync(path.join(PROJECT_ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https?:/.test(target!)) continue;
      const [file, anchor] = target!.split('#');
      const resolved = file ? path.resolve(PROJECT_ROOT, path.dirname(page), file) : path.join(PROJECT_ROOT, page);
      if (path.relative(PROJECT_ROOT, resolved).startsWith('..')) problems.push(`${page}: ${target} sort du dépôt`);
      else if (!existsSync(resolved)) problems.push(`${page}: ${target} n'existe pas`);
      else if (anchor && resolved.endsWith('.md')) {
        const headings = readFileSync(resolved, 'utf8').replace(/```[\s\S]*?```/g, '').split('\n').filter((line) => /^#+ /.test(line)).map((line) => anchorOf(line.replace(/^#+ /, '')));
        if (!headings.includes(anchor)) problems.push(`${page}: #${anchor} introuvable dans ${file || page}`);
      }
    }
    expect(text, page).not.toContain('../shared');
  }
  expect(problems).toEqual([]);
  expect(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThan(250);
});
