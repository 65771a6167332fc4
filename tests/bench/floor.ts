/**
 * The floor of Agora's own stack, for the benchmark: per essay, on one thread, what any build
 * must at least do with these libraries: read, gray-matter, remark-parse + remark-html,
 * a Handlebars page, write. No lists, no validation, no cache.
 * Usage: node lib/.tools/floor.js <project> <output>
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import Handlebars from 'handlebars';
import remarkHtml from 'remark-html';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const [root, out] = process.argv.slice(2) as [string, string];
const processor = unified().use(remarkParse).use(remarkHtml).freeze();
const page = Handlebars.compile('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{title}}</title></head><body><main><article><h1>{{title}}</h1><p>{{date}}</p>{{{html}}}</article></main></body></html>');
const folder = path.join(root, 'content/posts');
for (const name of (await readdir(folder)).sort()) {
  const parsed = matter(await readFile(path.join(folder, name), 'utf8'), {});
  const html = String(processor.processSync(parsed.content));
  const target = path.join(out, 'essais', name.replace(/\.md$/, ''), 'index.html');
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, page({ title: parsed.data.title, date: String(parsed.data.date), html }));
}
