import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { paginate } from './paginate.js';
import { routes } from './routes.js';
import type { Site, SitePost } from './site.js';

/** A page to render: where it goes, which template renders it, and the data it shows. */
export interface Page {
  url: string;
  template: string;
  title: string;
  description: string;
  data: Record<string, unknown>;
  /** Source files that produced this page, for error messages. */
  sources: string[];
}

/** A pure function from the site to the pages it contributes (as Hexo's generators). */
export type Generator = (site: Site) => Page[];

const frontPage: Generator = (site) =>
  paginate(site.posts, site.config.postsPerPage, routes.frontPage).map(({ items, pagination }) => ({
    url: pagination.pages[pagination.current - 1]!.url,
    template: 'front-page',
    title: pagination.current === 1 ? site.config.title : `La Une, page ${pagination.current} sur ${pagination.total}`,
    description: site.config.description,
    data: { posts: items, pagination },
    sources: [],
  }));

const postPages: Generator = (site) =>
  site.posts.map((post, index) => {
    const authors = site.authors.filter((author) => post.authors.some((ref) => ref.slug === author.id));
    return {
      url: post.url,
      template: 'post',
      title: post.title,
      description: post.excerpt,
      data: {
        post,
        authors,
        newer: site.posts[index - 1] ?? null,
        older: site.posts[index + 1] ?? null,
      },
      sources: [post.file],
    };
  });

const categoryPages: Generator = (site) => [
  {
    url: routes.categories(),
    template: 'categories',
    title: 'Catégories',
    description: `Les catégories des essais de ${site.config.title}.`,
    data: { categories: site.categories },
    sources: [],
  },
  ...site.categories.flatMap((category) =>
    paginate(category.posts, site.config.postsPerPage, (page) => routes.category(category.slug, page)).map(
      ({ items, pagination }) => ({
        url: pagination.pages[pagination.current - 1]!.url,
        template: 'category',
        title: pageTitle(`Catégorie « ${category.name} »`, pagination.current, pagination.total),
        description: `Les essais de la catégorie « ${category.name} ».`,
        data: { category, posts: items, pagination },
        sources: sourcesOf(items),
      }),
    ),
  ),
];

const authorPages: Generator = (site) => [
  {
    url: routes.authors(),
    template: 'authors',
    title: 'Auteurs',
    description: `Les auteurs des essais de ${site.config.title}.`,
    data: { authors: site.authors },
    sources: [],
  },
  ...site.authors.flatMap((author) =>
    paginate(author.posts, site.config.postsPerPage, (page) => routes.author(author.id, page)).map(
      ({ items, pagination }) => ({
        url: pagination.pages[pagination.current - 1]!.url,
        template: 'author',
        title: pageTitle(author.name, pagination.current, pagination.total),
        description: `Le profil de ${author.name} et ses essais.`,
        data: { author, posts: items, pagination },
        sources: [author.file],
      }),
    ),
  ),
];

const notFound: Generator = (site) => [
  {
    url: routes.notFound(),
    template: 'not-found',
    title: 'Page introuvable',
    description: site.config.description,
    data: { posts: site.posts.slice(0, 5) },
    sources: [],
  },
];

/** Every generator of the site, in the order their pages are listed. */
export const generators: readonly Generator[] = [frontPage, postPages, categoryPages, authorPages, notFound];

/** Runs every generator over the site. */
export function generatePages(site: Site): Page[] {
  return generators.flatMap((generate) => generate(site));
}

/** Reports two pages that land on the same URL, naming the files behind both. */
export function findCollisions(pages: readonly Page[]): Diagnostic[] {
  const byUrl = new Map<string, Page>();
  const diagnostics: Diagnostic[] = [];
  for (const page of pages) {
    const first = byUrl.get(page.url);
    if (!first) {
      byUrl.set(page.url, page);
      continue;
    }
    const [here, there] = [page.sources[0] ?? page.template, first.sources[0] ?? first.template];
    diagnostics.push(contentError(here, undefined, 'route/collision',
      `Deux pages auraient la même adresse ${page.url} : ${there} et ${here}.`,
      'Donnez à l\'un des deux essais un autre nom de fichier ou un champ « slug » différent.'));
  }
  return diagnostics;
}

function pageTitle(title: string, current: number, total: number): string {
  return current === 1 ? title : `${title}, page ${current} sur ${total}`;
}

function sourcesOf(posts: readonly SitePost[]): string[] {
  return posts.map((post) => post.file);
}
