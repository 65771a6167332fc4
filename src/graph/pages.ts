import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ContentDate } from '../records.js';
import { formatFrenchMonth, wallClock } from '../dates.js';
import { paginate } from './paginate.js';
import { routes, searchShardCount } from './routes.js';
import { authorCard, postCard, termCard, type AuthorCard, type PostCard, type Site, type SitePage, type SitePost, type SiteTerm, type TermCard } from './site.js';

/** A feed a page links to with `<link rel="alternate">`. */
export interface FeedLink {
  title: string;
  url: string;
  type: 'application/atom+xml' | 'application/feed+json';
}

/** What the `<head>` of a page says to search engines, feed readers and link previews. */
export interface PageHead {
  /** Site-relative URL, or absolute for an essay whose canonical copy is elsewhere. */
  canonical: string | null;
  type: 'website' | 'article';
  image: string | null;
  published: ContentDate | null;
  modified: ContentDate | null;
  authors: string[];
  feeds: FeedLink[];
  /** Last change of what the page shows, for the sitemap. */
  lastModified: ContentDate | null;
  /** Left out of the sitemap and of search engines. */
  noindex: boolean;
  /** The picture shown when the page is shared (graph/cards.ts), with its words for who cannot see it. */
  card: { url: string; alt: string } | null;
}

/** How a page is turned into a file. */
export type PageFormat = 'html' | 'atom' | 'json-feed' | 'sitemap' | 'robots' | 'redirect';

/** What every page has: where it goes, its title, its head, the files behind it. */
interface PageBase {
  url: string;
  /** The Handlebars template of an HTML page (HtmlData); the name of the format otherwise. */
  template: string;
  title: string;
  description: string;
  head: PageHead;
  /** Source files that produced this page, for error messages. */
  sources: string[];
}

/** Where a list of essays stands among its pages (graph/paginate.ts). */
type Pagination = ReturnType<typeof paginate<SitePost>>[number]['pagination'];

/** The years of the archives, each with its months and their essays' cards. */
type ArchiveYear = ReturnType<typeof groupByYear<PostCard>>[number];

/**
 * The data each template reads, by template: what an owner's template may use. An essay's page
 * and a standalone page have `thread`, the thing whose comments the comment partials show.
 */
export interface HtmlData {
  'front-page': { posts: SitePost[]; pagination: Pagination };
  post: { post: SitePost; thread: SitePost; authors: AuthorCard[]; newer: PostCard | null; older: PostCard | null };
  terms: { terms: TermCard[]; heading: string };
  term: { term: TermCard; kindLabel: string; posts: SitePost[]; pagination: Pagination };
  authors: { authors: AuthorCard[] };
  author: { author: AuthorCard; posts: SitePost[]; pagination: Pagination };
  archives: { years: ArchiveYear[]; year: number | null };
  search: { mergedBundles: string[] };
  'not-found': { posts: PostCard[] };
  page: { standalone: SitePage; thread: SitePage };
}

/** An HTML page: its template, and the data that template reads (HtmlData), told apart by the template. */
export type HtmlPage = { [T in keyof HtmlData]: PageBase & { format: 'html'; template: T; data: HtmlData[T] } }[keyof HtmlData];

/** An essay's page: the essay with its body and thread; cards of its authors and neighbours. */
export type PostPage = Extract<HtmlPage, { template: 'post' }>;

/** An Atom feed or the JSON Feed: the newest essays of a list, and the page the feed stands for. */
export interface FeedPage extends PageBase {
  format: 'atom' | 'json-feed';
  data: { posts: SitePost[]; alternate: string };
}

/** The sitemap: each indexable page's address and last change. */
export interface SitemapPage extends PageBase {
  format: 'sitemap';
  data: { entries: { url: string; lastModified: ContentDate | null }[] };
}

/** robots.txt. */
export interface RobotsPage extends PageBase {
  format: 'robots';
  data: Record<string, never>;
}

/** An old address (`aliases`): a small page that sends the reader to the new one, never indexed. */
export interface RedirectPage extends PageBase {
  format: 'redirect';
  data: { target: string };
}

/** A standalone page of content/pages/. */
export type StandalonePageView = Extract<HtmlPage, { template: 'page' }>;

/** A page to render, told apart by its format. */
export type Page = HtmlPage | FeedPage | SitemapPage | RobotsPage | RedirectPage;

/** True for an essay's page. */
export function isPostPage(page: Page): page is PostPage {
  return page.format === 'html' && page.template === 'post';
}

/** A pure function from the site to the pages it contributes (as Hexo's generators). */
export type Generator = (site: Site) => Page[];

const SITE_FEEDS: FeedLink[] = [
  { title: 'Tous les essais (Atom)', url: routes.atom(), type: 'application/atom+xml' },
  { title: 'Tous les essais (JSON Feed)', url: routes.jsonFeed(), type: 'application/feed+json' },
];

function head(partial: Partial<PageHead> & Pick<PageHead, 'canonical'>): PageHead {
  return { type: 'website', image: null, published: null, modified: null, authors: [], feeds: SITE_FEEDS, lastModified: null, noindex: false, card: null, ...partial };
}

/** The most recent change among essays (their update, or their date). */
export function lastChange(posts: readonly Pick<SitePost, 'date' | 'updated'>[]): ContentDate | null {
  let latest: ContentDate | null = null;
  for (const post of posts) {
    const changed = post.updated ?? post.date;
    if (!latest || changed.time > latest.time) latest = changed;
  }
  return latest;
}

/** A list's page as its generator makes it: the rest (address, format, head) is the same for every list. */
type ListPage<T extends 'front-page' | 'term' | 'author'> = Omit<Extract<HtmlPage, { template: T }>, 'url' | 'format' | 'head'> & { head?: Partial<PageHead> };

/** Builds the pages of a paginated list of essays. */
function listPages<T extends 'front-page' | 'term' | 'author'>(
  posts: readonly SitePost[],
  size: number,
  urlOf: (page: number) => string,
  page: (slice: { items: SitePost[]; pagination: Pagination }) => ListPage<T>,
): Page[] {
  return paginate(posts, size, urlOf).map((slice) => {
    const url = urlOf(slice.pagination.current);
    const made = page(slice);
    return { ...made, url, format: 'html', head: head({ canonical: url, lastModified: lastChange(slice.items), ...made.head }) } as Extract<HtmlPage, { template: T }>;
  });
}

const frontPage: Generator = (site) =>
  listPages(site.posts, site.config.postsPerPage, routes.frontPage, ({ items, pagination }) => ({
    template: 'front-page',
    title: pagination.current === 1 ? site.config.title : `La Une, page ${pagination.current} sur ${pagination.total}`,
    description: site.config.description,
    data: { posts: items, pagination },
    sources: [],
  }));

/**
 * An essay's page shows its own body and thread, and only cards of what surrounds it (its
 * authors without their essays, the newer and older essays without their bodies): editing one
 * essay's body changes its own page, not its neighbours' or its co-authors' essays.
 */
const postPages: Generator = (site) => {
  const card = (post: SitePost | undefined) => (post ? postCard(post) : null);
  const authorCards = site.authors.map(authorCard);
  return site.posts.map((post, index) => {
    const authors = authorCards.filter((author) => post.authors.some((ref) => ref.slug === author.id));
    const canonical = post.source?.canonical && post.source.url ? post.source.url : post.url;
    return {
      url: post.url,
      format: 'html',
      template: 'post',
      title: post.title,
      description: post.excerpt,
      data: { post, thread: post, authors, newer: card(site.posts[index - 1]), older: card(site.posts[index + 1]) },
      head: head({
        canonical,
        type: 'article',
        image: post.cover?.src ?? null,
        published: post.date,
        modified: post.updated,
        authors: post.authors.map((ref) => ref.name),
        lastModified: post.updated ?? post.date,
        feeds: [...SITE_FEEDS, ...authors.map((author): FeedLink => ({ title: `Les essais de ${author.name} (Atom)`, url: author.feedUrl, type: 'application/atom+xml' }))],
      }),
      sources: [post.file],
    };
  });
};

/** The index of a taxonomy and a paginated page per term, for categories and tags alike. */
function termPages(site: Site, kind: SiteTerm['kind']): Page[] {
  const terms = kind === 'category' ? site.categories : site.tags;
  const labels = kind === 'category'
    ? { plural: 'Catégories', one: 'Catégorie', index: routes.categories(), of: (slug: string, page: number) => routes.category(slug, page) }
    : { plural: 'Étiquettes', one: 'Étiquette', index: routes.tags(), of: (slug: string, page: number) => routes.tag(slug, page) };
  const index: Page = {
    url: labels.index,
    format: 'html',
    template: 'terms',
    title: labels.plural,
    description: `Les ${labels.plural.toLowerCase()} des essais de ${site.config.title}.`,
    data: { terms: terms.map(termCard), heading: labels.plural },
    head: head({ canonical: labels.index, lastModified: lastChange(site.posts) }),
    sources: [],
  };
  return [
    index,
    ...terms.flatMap((term) =>
      listPages(term.posts, site.config.postsPerPage, (page) => labels.of(term.slug, page), ({ items, pagination }) => ({
        template: 'term',
        title: pageTitle(`${labels.one} «\u202F${term.name}\u202F»`, pagination.current, pagination.total),
        description: `Les essais ${kind === 'category' ? 'de la catégorie' : "de l'étiquette"} « ${term.name} ».`,
        data: { term: termCard(term), kindLabel: labels.one, posts: items, pagination },
        head: term.feedUrl
          ? { feeds: [...SITE_FEEDS, { title: `${labels.one} «\u202F${term.name}\u202F» (Atom)`, url: term.feedUrl, type: 'application/atom+xml' }] }
          : {},
        sources: sourcesOf(items),
      })),
    ),
  ];
}

const authorPages: Generator = (site) => [
  {
    url: routes.authors(),
    format: 'html',
    template: 'authors',
    title: 'Auteurs',
    description: `Les auteurs des essais de ${site.config.title}.`,
    data: { authors: site.authors.map(authorCard) },
    head: head({ canonical: routes.authors(), lastModified: lastChange(site.posts) }),
    sources: [],
  },
  ...site.authors.flatMap((author) =>
    listPages(author.posts, site.config.postsPerPage, (page) => routes.author(author.id, page), ({ items, pagination }) => ({
      template: 'author',
      title: pageTitle(author.name, pagination.current, pagination.total),
      description: `Le profil de ${author.name} et ses essais.`,
      data: { author: authorCard(author), posts: items, pagination },
      head: { feeds: [...SITE_FEEDS, { title: `Les essais de ${author.name} (Atom)`, url: author.feedUrl, type: 'application/atom+xml' }] },
      sources: [author.file],
    })),
  ),
];

/** Essays grouped by year, then by month in French (« septembre 2008 »), newest first. */
export function groupByYear<P extends Pick<SitePost, 'date'>>(posts: readonly P[], timeZone?: string): { year: number; url: string; count: number; months: { label: string; posts: P[] }[] }[] {
  const years = new Map<number, Map<string, P[]>>();
  for (const post of posts) {
    const year = wallClock(post.date, timeZone).year;
    const months = years.get(year) ?? new Map<string, P[]>();
    const label = formatFrenchMonth(post.date, timeZone);
    months.set(label, [...(months.get(label) ?? []), post]);
    years.set(year, months);
  }
  return [...years].map(([year, months]) => ({
    year,
    url: routes.archiveYear(year),
    count: [...months.values()].reduce((sum, list) => sum + list.length, 0),
    months: [...months].map(([label, list]) => ({ label, posts: list })),
  }));
}

const archivePages: Generator = (site) => {
  // Archives list titles and dates: cards, so that a body edit leaves them as they are.
  const years = groupByYear(site.posts.map(postCard), site.config.timezone);
  return [
    {
      url: routes.archives(),
      format: 'html',
      template: 'archives',
      title: 'Archives',
      description: `Tous les essais de ${site.config.title}, par année et par mois.`,
      data: { years, year: null },
      head: head({ canonical: routes.archives(), lastModified: lastChange(site.posts) }),
      sources: [],
    },
    ...years.map((year): Page => ({
      url: year.url,
      format: 'html',
      template: 'archives',
      title: `Archives ${year.year}`,
      description: `Les essais de ${site.config.title} parus en ${year.year}.`,
      data: { years: [year], year: year.year },
      head: head({ canonical: year.url, lastModified: lastChange(year.months.flatMap((month) => month.posts)) }),
      sources: [],
    })),
  ];
};

const searchPage: Generator = (site) => [
  {
    url: routes.search(),
    format: 'html',
    template: 'search',
    title: 'Recherche',
    description: `Rechercher dans les essais de ${site.config.title}.`,
    // The shards after the first, merged into it by Pagefind's UI (mergeIndex).
    data: { mergedBundles: Array.from({ length: searchShardCount(site.posts.length) - 1 }, (_, i) => routes.searchBundle(i + 1)) },
    head: head({ canonical: routes.search() }),
    sources: [],
  },
];

const notFound: Generator = (site) => [
  {
    url: routes.notFound(),
    format: 'html',
    template: 'not-found',
    title: 'Page introuvable',
    description: site.config.description,
    data: { posts: site.posts.slice(0, 5).map(postCard) },
    head: head({ canonical: null, noindex: true }),
    sources: [],
  },
];

/** The head of a page that is a file rather than an HTML page (feed, sitemap, robots.txt): never indexed itself. */
function fileHead(url: string, lastModified: ContentDate | null = null): PageHead {
  return head({ canonical: url, noindex: true, lastModified });
}

/** A feed of the newest essays of a list (newest first): `feedEntries` of them, as feed readers fetch it often. */
function feed(url: string, format: FeedPage['format'], title: string, posts: readonly SitePost[], alternate: string, entries: number): FeedPage {
  const newest = posts.slice(0, entries);
  return { url, format, template: format, title, description: '', data: { posts: newest, alternate }, head: fileHead(url, lastChange(newest)), sources: [] };
}

const feedPages: Generator = (site) => {
  const entries = site.config.feedEntries;
  return [
    feed(routes.atom(), 'atom', site.config.title, site.posts, routes.frontPage(), entries),
    feed(routes.jsonFeed(), 'json-feed', site.config.title, site.posts, routes.frontPage(), entries),
    ...site.categories.map((term) => feed(term.feedUrl!, 'atom', `${site.config.title} · ${term.name}`, term.posts, term.url, entries)),
    ...site.authors.map((author) => feed(author.feedUrl, 'atom', `${site.config.title} · ${author.name}`, author.posts, author.url, entries)),
  ];
};

/** The standalone pages of content/pages/, each at its path, with the site's layout. */
const standalonePages: Generator = (site) => site.pages.map((page): StandalonePageView => ({
  url: page.url,
  format: 'html',
  template: 'page',
  title: page.title,
  description: page.description,
  data: { standalone: page, thread: page },
  head: head({ canonical: page.url, modified: page.updated, lastModified: page.updated }),
  sources: [page.file],
}));

/** A redirect page at each old address of an essay or a page (Hugo's aliases): out of the sitemap and the feeds. */
const aliasPages: Generator = (site) => [...site.posts, ...site.pages].flatMap((target) => target.aliases.map((alias): RedirectPage => ({
  url: alias,
  format: 'redirect',
  template: 'redirect',
  title: target.title,
  description: '',
  data: { target: target.url },
  head: head({ canonical: target.url, noindex: true }),
  sources: [target.file],
})));

/** Every generator of the site, in the order their pages are listed. */
export const generators: readonly Generator[] = [
  frontPage, postPages, (site) => termPages(site, 'category'), (site) => termPages(site, 'tag'),
  authorPages, archivePages, searchPage, notFound, feedPages, standalonePages, aliasPages,
];

/** Runs every generator over the site, then lists the result in the sitemap and robots.txt. */
export function generatePages(site: Site): Page[] {
  const pages = generators.flatMap((generate) => generate(site));
  if (site.config.cards.enabled) {
    // Every HTML page is shared with a picture: its essay's card, or the site's.
    for (const page of pages) {
      if (page.format !== 'html') continue;
      page.head.card = isPostPage(page)
        ? { url: routes.postCard(page.data.post.slug), alt: page.data.post.title }
        : { url: routes.siteCard(), alt: site.config.title };
    }
  }
  const indexable = pages.filter((page) => page.format === 'html' && !page.head.noindex && page.head.canonical === page.url);
  return [
    ...pages,
    {
      url: routes.sitemap(), format: 'sitemap', template: 'sitemap', title: 'Plan du site', description: '', sources: [], head: fileHead(routes.sitemap()),
      data: { entries: indexable.map((page) => ({ url: page.url, lastModified: page.head.lastModified })) },
    } satisfies SitemapPage,
    { url: routes.robots(), format: 'robots', template: 'robots', title: 'robots.txt', description: '', data: {}, head: fileHead(routes.robots()), sources: [] } satisfies RobotsPage,
  ];
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
      page.format === 'redirect' || first.format === 'redirect'
        ? 'Retirez cette adresse des « aliases », ou donnez à l\'autre page une autre adresse.'
        : 'Donnez à l\'un des deux essais un autre nom de fichier ou un champ « slug » différent.'));
  }
  return diagnostics;
}

function pageTitle(title: string, current: number, total: number): string {
  return current === 1 ? title : `${title}, page ${current} sur ${total}`;
}

function sourcesOf(posts: readonly SitePost[]): string[] {
  return posts.map((post) => post.file);
}
