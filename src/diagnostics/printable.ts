/**
 * Control characters (C0, DEL, C1) and the invisible bidirectional marks that can reorder what a
 * terminal shows (U+202E turns « moc.live » into « evil.com »): nothing of a reader's or an
 * author's text reaches a terminal raw.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Escapes what a terminal would act on or hide as `\u{202E}`; keeps newlines and tabs. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** The same, for one line of a listing: newlines and tabs become spaces too. */
export function printableLine(text: string): string {
  return printable(text.replace(/[\n\t]+/g, ' '));
}
