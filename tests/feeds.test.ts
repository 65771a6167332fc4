import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { FIXTURES, NOW, PROJECT_ROOT, stageSite } from './helpers/sites.js';

const TITLE = 'Les <balises> & les « guillemets » "droits" d\'un titre';
const AUTHOR = 'Dupont & Fils <inventés>';
const CATEGORY = 'Œuvres & « citations »';
/** The title as the site shows it: French quotes and apostrophe, French spacing. */
const SHOWN_TITLE = 'Les <balises> & les «\u202Fguillemets\u202F» «\u202Fdroits\u202F» d’un titre';
/** The category's name as the site shows it: French spacing inside the guillemets. */
const SHOWN = 'Œuvres & «\u202Fcitations\u202F»';
let result: BuildResult;
const file = (name: string) => result.files.find((f) => f.path === name)?.contents ?? '';

beforeAll(async () => {
  const root = await stageSite(path.join(FIXTURES, 'invalid/_base'));
  await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
  await writeFile(path.join(root, 'content/site.yml'), 'title: Site « test » & fils\ndescription: Des flux inventés\nbaseUrl: https://test.invalid/blog/\n');
  await writeFile(path.join(root, 'content/authors/ada.md'), `---\nname: ${JSON.stringify(AUTHOR)}\n---\n`);
  await mkdir(path.join(root, 'content/posts'), { recursive: true });
  await writeFile(path.join(root, 'content/posts/piege.md'), `---
title: ${JSON.stringify(TITLE)}
date: 2020-02-03
updated: 2020-02-10
author: ada
categories: [${JSON.stringify(CATEGORY)}]
tags: [flux]
---

Un texte avec <em>rien</em> de brut et un **gras**.
`);
  result = await build({ root, now: NOW, write: false });
  await rm(root, { recursive: true, force: true });
});

describe('the Atom feeds', () => {
  it('parse with a strict parser and keep titles, names and categories intact', () => {
    expect(result.ok).toBe(true);
    const feed = parseFeed(file('atom.xml'));
    expect(feed.language).toBe('fr');
    // Typeset as French text: narrow no-break spaces inside the guillemets.
    expect(feed.title).toBe('Site «\u202Ftest\u202F» & fils');
    expect(feed.self).toBe('https://test.invalid/blog/atom.xml');
    const item = feed.items.find((entry) => entry.url === 'https://test.invalid/blog/essais/piege/')!;
    // The title is typeset (narrow no-break spaces inside « »), and otherwise intact.
    expect(item.title).toBe(SHOWN_TITLE);
    expect(item.authors.map((a) => a.name)).toEqual([AUTHOR]);
    expect(item.authors[0]!.url).toBe('https://test.invalid/blog/auteurs/ada/');
    expect(item.categories).toContainEqual({ term: 'oeuvres-et-citations', label: SHOWN, url: 'https://test.invalid/blog/categories/' });
    expect(item.categories).toContainEqual({ term: 'flux', label: 'flux', url: 'https://test.invalid/blog/etiquettes/' });
    expect(item.published?.toISOString()).toBe('2020-02-03T00:00:00.000Z');
    expect(item.updated?.toISOString()).toBe('2020-02-10T00:00:00.000Z');
    expect(item.content).toContain('<strong>gras</strong>');
  });

  it('exist per category and per author, linked from their pages', () => {
    for (const [feedPath, page] of [['categories/oeuvres-et-citations/atom.xml', 'categories/oeuvres-et-citations/index.html'], ['auteurs/ada/atom.xml', 'auteurs/ada/index.html']]) {
      const feed = parseFeed(file(feedPath!));
      expect(feed.items.length).toBeGreaterThan(0);
      expect(file(page!)).toContain(`<link rel="alternate" type="application/atom+xml" title=`);
      expect(file(page!)).toContain(`href="/blog/${feedPath}"`);
    }
    expect(file('index.html')).toContain('<link rel="alternate" type="application/atom+xml" title="Tous les essais (Atom)" href="/blog/atom.xml">');
    expect(file('index.html')).toContain('<link rel="alternate" type="application/feed+json" title="Tous les essais (JSON Feed)" href="/blog/feed.json">');
  });
});

describe('the JSON Feed', () => {
  it('is JSON Feed 1.1 with the same fields', () => {
    const feed = JSON.parse(file('feed.json'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('fr');
    expect(feed.feed_url).toBe('https://test.invalid/blog/feed.json');
    const item = feed.items.find((entry: { id: string }) => entry.id === 'https://test.invalid/blog/essais/piege/');
    expect(item.title).toBe(parseFeed(file('atom.xml')).items.find((entry) => entry.url === item.url)!.title);
    expect(item.authors).toEqual([{ name: AUTHOR, url: 'https://test.invalid/blog/auteurs/ada/' }]);
    expect(item.tags).toEqual([SHOWN, 'flux']);
    expect(item.date_published).toBe('2020-02-03T00:00:00Z');
    expect(item.content_html).toContain('<strong>gras</strong>');
  });
});

describe('feedEntries', () => {
  it('keeps the newest essays of each feed, the count site.yml sets', async () => {
    const root = await stageSite(path.join(FIXTURES, 'invalid/_base'));
    try {
      await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
      await writeFile(path.join(root, 'content/site.yml'), 'title: Flux courts\nbaseUrl: https://test.invalid/\nfeedEntries: 2\n');
      await writeFile(path.join(root, 'content/authors/ada.md'), '---\nname: Ada Inventée\n---\n');
      await mkdir(path.join(root, 'content/posts'), { recursive: true });
      for (const day of [1, 2, 3, 4]) {
        await writeFile(path.join(root, `content/posts/jour-${day}.md`), `---\ntitle: Jour ${day}\ndate: 2020-03-0${day}\nauthor: ada\ncategories: [Essais]\n---\n\nTexte du jour ${day}.\n`);
      }
      const built = await build({ root, now: NOW, write: false });
      expect(built.ok).toBe(true);
      const contents = (name: string) => built.files.find((f) => f.path === name)!.contents;
      for (const feedPath of ['atom.xml', 'categories/essais/atom.xml', 'auteurs/ada/atom.xml']) {
        const feed = parseFeed(contents(feedPath));
        expect(feed.items.map((item) => item.title)).toEqual(['Jour 4', 'Jour 3']);
        expect(feed.updated?.toISOString()).toBe('2020-03-04T00:00:00.000Z');
      }
      expect(JSON.parse(contents('feed.json')).items.map((item: { title: string }) => item.title)).toEqual(['Jour 4', 'Jour 3']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
