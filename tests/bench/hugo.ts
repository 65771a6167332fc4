/**
 * Hugo, for comparison in `npm run bench`: Debian's package (`apt-get install hugo`), never a
 * dependency of Agora. The same generated essays, with a layout comparable to Agora's: a page per
 * essay, La Une paginated by 10, a page per category and per tag, an RSS feed.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The `hugo` command when it is installed, with its version; null otherwise. */
export function findHugo(): { command: string; version: string } | null {
  try {
    const version = execFileSync('hugo', ['version'], { encoding: 'utf8' }).trim().split(' ')[1] ?? '?';
    return { command: 'hugo', version };
  } catch {
    return null;
  }
}

const PAGE = (title: string, body: string) => `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>\n`;

/** Writes a Hugo project for the generated essays of `root` into `site`. */
export async function prepareHugoSite(root: string, site: string): Promise<void> {
  await mkdir(path.join(site, 'content'), { recursive: true });
  await cp(path.join(root, 'content/posts'), path.join(site, 'content/essais'), { recursive: true });
  await writeFile(path.join(site, 'config.toml'), `baseURL = "https://bench.test.invalid/"
languageCode = "fr"
title = "Collection de test"
paginate = 10
disableKinds = ["sitemap", "robotsTXT"]
[taxonomies]
  category = "categories"
  tag = "tags"
`);
  const layouts = path.join(site, 'layouts/_default');
  await mkdir(layouts, { recursive: true });
  await writeFile(path.join(layouts, 'single.html'), PAGE('{{ .Title }}', '<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} · {{ .Params.author }} · {{ .ReadingTime }} min</p>{{ .Content }}<p>{{ range .Params.categories }}{{ . }} {{ end }}</p></article>'));
  await writeFile(path.join(layouts, 'list.html'), PAGE('{{ .Title }}', '<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ol>'));
  await writeFile(path.join(layouts, 'terms.html'), PAGE('{{ .Title }}', '<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>'));
  await writeFile(path.join(site, 'layouts/index.html'), PAGE('La Une', '<h1>La Une</h1><ol>{{ range (.Paginate (where .Site.RegularPages "Section" "essais")).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ol>'));
}
