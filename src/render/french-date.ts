import type { ContentDate } from '../records.js';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** The offset written in an ISO date-time, in minutes (`+01:00` → 60); 0 for a plain day or `Z`. */
function offsetMinutes(iso: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The wall-clock date as written (in its own offset, never the machine's time zone). */
function wallClock(date: ContentDate): Date {
  return new Date(date.time + offsetMinutes(date.iso) * 60_000);
}

/** « 24 septembre 2008 », « 1er juillet 2011 ». */
export function formatFrenchDate(date: ContentDate): string {
  const d = wallClock(date);
  const day = d.getUTCDate();
  return `${day === 1 ? '1er' : day} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** « 25 janvier 2013 à 14 h 05 »; only the day when the time is unknown. */
export function formatFrenchDateTime(date: ContentDate): string {
  if (!date.hasTime) return formatFrenchDate(date);
  const d = wallClock(date);
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${formatFrenchDate(date)} à ${d.getUTCHours()}\u00A0h\u00A0${minutes}`;
}

/** « septembre 2008 ». */
export function formatFrenchMonth(date: ContentDate): string {
  const d = wallClock(date);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
