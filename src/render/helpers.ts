import type { HelperDelegate } from 'handlebars';
import type { ContentDate, SiteConfig } from '../records.js';
import { formatFrenchDate, formatFrenchDateTime } from './french-date.js';

/** « 1 essai », « 4 essais », « Aucun essai »: French counts 0 and 1 as singular. */
export function frenchCount(count: number, singular: string, plural: string, zero?: string): string {
  if (count === 0 && zero) return zero;
  return `${count}\u00A0${count <= 1 ? singular : plural}`;
}

/** The Handlebars helpers of a site: URLs under the base path, French dates and counts. */
export function createHelpers(config: SiteConfig): Record<string, HelperDelegate> {
  const base = new URL(config.baseUrl);
  return {
    /** Site-relative URL → URL under the base path: `/essais/x/` → `/agora/essais/x/`. */
    url: (path: string) => base.pathname.replace(/\/$/, '') + path,
    /** Site-relative URL → absolute URL, for canonical links and feeds. */
    absoluteUrl: (path: string) => new URL(path.replace(/^\//, ''), base).href,
    frenchDate: (date: ContentDate) => formatFrenchDate(date),
    frenchDateTime: (date: ContentDate) => formatFrenchDateTime(date),
    count: (count: number, singular: string, plural: string, options: unknown) =>
      frenchCount(count, singular, plural, typeof options === 'string' ? options : undefined),
    readingTime: (minutes: number) => `${minutes}\u00A0min de lecture`,
    eq: (a: unknown, b: unknown) => a === b,
    gt: (a: number, b: number) => a > b,
    /** True when any argument is truthy (non-empty for arrays); the last argument is Handlebars' options. */
    or: (...args: unknown[]) => args.slice(0, -1).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value))),
  };
}
