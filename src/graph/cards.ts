import type { CardSettings } from '../records.js';
import { photoFormat } from '../images/image-set.js';
import { routes } from './routes.js';
import type { Site } from './site.js';

/** What a card shows: nothing else goes into its key (cache/keys.ts). */
export interface CardView {
  /** The essay's title as its page shows it (French typography applied), or the site's name. */
  title: string;
  /** Above the title: the essay's first category, or nothing. */
  kicker: string;
  /** Below: the authors, or the site's description. */
  byline: string;
  site: string;
  colours: Omit<CardSettings, 'enabled'>;
  /** The essay's cover, when it is a photo of public/ (site path): shown on the card's right side. */
  cover: string | null;
}

/** A card to draw, and where it goes in the site. */
export interface SocialCard {
  url: string;
  view: CardView;
}

/** The size of every card: what Open Graph and X (Twitter) show in full. */
export const CARD_SIZE = { width: 1200, height: 630 } as const;

/** Names as a French list: « A », « A et B », « A, B et C ». */
function frenchList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} et ${names[names.length - 1]}`;
}

/** One card per published essay and one for the site (none with `cards: false`), as pages' heads name them. */
export function socialCards(site: Site): SocialCard[] {
  if (!site.config.cards.enabled) return [];
  const { enabled: _enabled, ...colours } = site.config.cards;
  const name = site.config.title;
  const description = [...site.config.description].length > 110 ? `${[...site.config.description].slice(0, 108).join('')}…` : site.config.description;
  return [
    { url: routes.siteCard(), view: { title: name, kicker: '', byline: description, site: new URL(site.config.baseUrl).host, colours, cover: null } },
    ...site.posts.map((post): SocialCard => ({
      url: routes.postCard(post.slug),
      view: {
        title: post.title, kicker: post.categories[0]?.name ?? '', byline: frenchList(post.authors.map((author) => author.name)), site: name, colours,
        cover: post.cover && photoFormat(post.cover.src) ? post.cover.src : null,
      },
    })),
  ];
}
