import { srcsetValue, type SrcsetEntry } from '../images/image-set.js';
import Handlebars, { type HelperDelegate } from 'handlebars';
import { basePath } from '../config.js';
import { absolute } from './feeds.js';
import type { ContentDate, SiteConfig } from '../records.js';
import { formatFrenchDate, formatFrenchDateTime } from '../dates.js';
import { isFrenchLanguage, raiseOrdinals } from '../markdown/french-typography.js';

/** « 1 essai », « 4 essais », « Aucun essai »: French counts 0 and 1 as singular. */
export function frenchCount(count: number, singular: string, plural: string, zero?: string): string {
  if (count === 0 && zero) return zero;
  return `${count}\u00A0${count <= 1 ? singular : plural}`;
}

/** « 1er juillet » → « 1<sup>er</sup> juillet » (the rest of a French date is digits and month names). */
function raiseFirst(date: string): string {
  return date.replace(/^1er /, '1<sup>er</sup> ');
}

/** The Handlebars helpers of a site: URLs under the base path, French dates and counts. */
export function createHelpers(config: SiteConfig): Record<string, HelperDelegate> {
  const prefix = basePath(config).replace(/\/$/, '');
  const french = isFrenchLanguage(config.language);
  return {
    /** Site-relative URL → URL under the base path: `/essais/x/` → `/agora/essais/x/`. */
    url: (path: string) => prefix + path,
    /** A `<picture>`'s versions (images/image-set.ts) → a `srcset` under the base path. */
    srcset: (entries: readonly SrcsetEntry[]) => srcsetValue(entries, prefix),
    /** Site-relative URL → absolute URL, for canonical links and feeds. */
    absoluteUrl: (path: string) => absolute(config, path),
    /** A title or a name shown as HTML, escaped, its ordinals raised: « XIX<sup>e</sup> siècle ». */
    raised: (text: string) => new Handlebars.SafeString(french ? raiseOrdinals(Handlebars.escapeExpression(text)) : Handlebars.escapeExpression(text)),
    /** « 1<sup>er</sup> juillet 2011 »: the ordinal raised, as a typesetter would. */
    frenchDate: (date: ContentDate) => new Handlebars.SafeString(raiseFirst(formatFrenchDate(date, config.timezone))),
    /** With its time, in the site's time zone (site.yml `timezone`): « 25 janvier 2013 à 14 h 05 ». */
    frenchDateTime: (date: ContentDate) => new Handlebars.SafeString(raiseFirst(formatFrenchDateTime(date, config.timezone))),
    count: (count: number, singular: string, plural: string, options: unknown) =>
      frenchCount(count, singular, plural, typeof options === 'string' ? options : undefined),
    readingTime: (minutes: number) => `${minutes}\u00A0min de lecture`,
    eq: (a: unknown, b: unknown) => a === b,
    gt: (a: number, b: number) => a > b,
    /** True when any argument is truthy (non-empty for arrays); the last argument is Handlebars' options. */
    or: (...args: unknown[]) => args.slice(0, -1).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value))),
  };
}
