/** Dates as Agora shows and writes them: French wording, the site's time zone, RFC 3339. */
import type { ContentDate } from './records.js';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** An RFC 3339 date-time (feeds, sitemaps, the schedule file): a plain day becomes midnight UTC. */
export function rfc3339(date: ContentDate): string {
  return date.hasTime ? date.iso.replace(' ', 'T') : `${date.iso}T00:00:00Z`;
}

/** The time zone of a site when site.yml names none. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** A calendar day and a clock time, as read on a wall clock somewhere. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The offset written in an ISO date-time, in minutes (`+01:00` → 60); 0 for a plain day or `Z`. */
function offsetMinutes(iso: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One `Intl` formatter per time zone: building one costs far more than using it. */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `Intl` knows this IANA time zone (`Europe/Paris`, `America/Montreal`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    zoneFormatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock and UTC offset (`+01:00`, `Z`) of an instant in a time zone, read with `Intl`. */
export function zonedParts(time: number, timeZone: string): WallClock & { offset: string } {
  const parts = Object.fromEntries(zoneFormatter(timeZone).formatToParts(time).map((part) => [part.type, part.value]));
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '');
  return {
    year: Number(parts.year), month: Number(parts.month) - 1, day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute),
    offset: offset === '' || offset === '+00:00' ? 'Z' : offset,
  };
}

/**
 * The date as a reader of the site should see it: a date-time in the site's time zone; a plain
 * day (no time known) as written, never shifted to the day before or after.
 */
export function wallClock(date: ContentDate, timeZone: string | undefined): WallClock {
  if (timeZone && date.hasTime) return zonedParts(date.time, timeZone);
  const d = new Date(date.time + offsetMinutes(date.iso) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** « 24 septembre 2008 », « 1er juillet 2011 » (in `timeZone` when the time is known; as written without one). */
export function formatFrenchDate(date: ContentDate, timeZone?: string): string {
  const d = wallClock(date, timeZone);
  return `${d.day === 1 ? '1er' : d.day} ${MONTHS[d.month]} ${d.year}`;
}

/** « 25 janvier 2013 à 14 h 05 »; only the day when the time is unknown. */
export function formatFrenchDateTime(date: ContentDate, timeZone?: string): string {
  if (!date.hasTime) return formatFrenchDate(date);
  const d = wallClock(date, timeZone);
  return `${formatFrenchDate(date, timeZone)} à ${d.hour}\u00A0h\u00A0${String(d.minute).padStart(2, '0')}`;
}

/** « septembre 2008 ». */
export function formatFrenchMonth(date: ContentDate, timeZone?: string): string {
  const d = wallClock(date, timeZone);
  return `${MONTHS[d.month]} ${d.year}`;
}
