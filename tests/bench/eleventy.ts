/**
 * Eleventy 3, for comparison in `npm run bench`: installed into a temporary folder for the
 * benchmark only (never a dependency of Agora), with a layout comparable to Agora's: an essay
 * page per essay, La Une paginated by 10, a page per category; its default markdown-it.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ELEVENTY_VERSION = '3.1.8';

/** Installs Eleventy once per machine into the temporary folder; returns its command file. */
export function installEleventy(): string {
  const prefix = path.join(tmpdir(), `agora-bench-eleventy-${ELEVENTY_VERSION}`);
  const command = path.join(prefix, 'node_modules/@11ty/eleventy/cmd.cjs');
  if (!existsSync(command)) {
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `@11ty/eleventy@${ELEVENTY_VERSION}`], { stdio: 'ignore' });
  }
  return command;
}

/** Writes an Eleventy project for the generated essays of `root` into `site`. */
export async function prepareEleventySite(root: string, site: string): Promise<void> {
  await cp(path.join(root, 'content/posts'), path.join(site, 'posts'), { recursive: true });
  await mkdir(path.join(site, '_includes'), { recursive: true });
  // A computed permalink: with markdownTemplateEngine off, a string one is not templated.
  await writeFile(path.join(site, 'posts/posts.11tydata.mjs'), "export default { layout: 'essay.njk', permalink: (data) => `/essais/${data.page.fileSlug}/` };\n");
  await writeFile(path.join(site, '_includes/essay.njk'), '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head><body><main><article data-pagefind-body><h1>{{ title }}</h1><p>{{ page.date.toISOString() }}</p>{{ content | safe }}</article></main></body></html>\n');
  await writeFile(path.join(site, 'index.njk'), `---
pagination:
  data: collections.essays
  size: 10
permalink: "/{% if pagination.pageNumber > 0 %}page/{{ pagination.pageNumber + 1 }}/{% endif %}"
---
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>La Une</title></head><body><main><h1>La Une</h1><ol>{% for post in pagination.items %}<li><a href="{{ post.url }}">{{ post.data.title }}</a> {{ post.date.toISOString() }}</li>{% endfor %}</ol></main></body></html>
`);
  await writeFile(path.join(site, 'categories.njk'), `---
pagination:
  data: collections.categoryList
  size: 1
  alias: category
permalink: "/categories/{{ category.slug }}/"
---
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ category.name }}</title></head><body><main><h1>{{ category.name }}</h1><ol>{% for post in category.posts %}<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}</ol></main></body></html>
`);
  await writeFile(path.join(site, 'eleventy.config.mjs'), `export default function (config) {
  const essays = (api) => api.getFilteredByGlob('posts/*.md');
  config.addCollection('essays', (api) => essays(api).sort((a, b) => b.date - a.date));
  config.addCollection('categoryList', (api) => {
    const byName = new Map();
    for (const post of essays(api)) for (const name of post.data.categories ?? []) byName.set(name, [...(byName.get(name) ?? []), post]);
    return [...byName].map(([name, posts]) => ({ name, posts, slug: name.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') }));
  });
  return { markdownTemplateEngine: false, htmlTemplateEngine: 'njk', templateFormats: ['md', 'njk'] };
}
`);
}
