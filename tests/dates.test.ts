import { describe, expect, it } from 'vitest';
import { formatFrenchDate, formatFrenchDateTime, formatFrenchMonth, rfc3339 } from '../src/dates.js';
import { parseContentDate } from '../src/validate/fields.js';
import { frenchCount } from '../src/render/helpers.js';
import { commentDate } from '../src/intake/comment-file.js';

const date = (iso: string) => parseContentDate(iso)!;

describe('French dates', () => {
  it('formats a day', () => {
    expect(formatFrenchDate(date('2008-09-24'))).toBe('24 septembre 2008');
    expect(formatFrenchDate(date('2011-07-01'))).toBe('1er juillet 2011');
  });
  it('keeps the wall-clock time written in the file, whatever the offset', () => {
    expect(formatFrenchDateTime(date('2013-01-25T23:30:00-05:00'))).toBe('25 janvier 2013 à 23\u00A0h\u00A030');
    expect(formatFrenchDateTime(date('2013-01-26T00:05:00+01:00'))).toBe('26 janvier 2013 à 0\u00A0h\u00A005');
  });
  it('formats a month', () => {
    expect(formatFrenchMonth(date('2008-09-24'))).toBe('septembre 2008');
  });
});

describe('frenchCount', () => {
  it('treats 0 and 1 as singular, as French does', () => {
    expect(frenchCount(1, 'essai', 'essais')).toBe('1\u00A0essai');
    expect(frenchCount(4, 'essai', 'essais')).toBe('4\u00A0essais');
    expect(frenchCount(0, 'essai', 'essais', 'Aucun essai')).toBe('Aucun essai');
  });
});

describe('dates in the site\'s time zone', () => {
  it('shows a time in the zone, with the day it falls on there', () => {
    expect(formatFrenchDateTime(date('2026-11-23T11:04:00Z'), 'Europe/Paris')).toBe('23 novembre 2026 à 12\u00A0h\u00A004');
    expect(formatFrenchDateTime(date('2026-07-01T22:30:00Z'), 'Europe/Paris')).toBe('2 juillet 2026 à 0\u00A0h\u00A030');
    expect(formatFrenchDateTime(date('2026-07-01T22:30:00Z'), 'America/Montreal')).toBe('1er juillet 2026 à 18\u00A0h\u00A030');
    expect(formatFrenchMonth(date('2025-12-31T23:30:00Z'), 'Europe/Paris')).toBe('janvier 2026');
  });
  it('never shifts a plain day', () => {
    expect(formatFrenchDate(date('2008-09-24'), 'America/Los_Angeles')).toBe('24 septembre 2008');
    expect(formatFrenchDateTime(date('2008-09-24'), 'Pacific/Auckland')).toBe('24 septembre 2008');
  });
  it('dates a comment file in the zone, with its offset, summer and winter', () => {
    expect(commentDate(new Date('2026-11-23T11:04:05.123Z'), 'Europe/Paris')).toBe('2026-11-23T12:04:05+01:00');
    expect(commentDate(new Date('2026-07-01T22:30:09Z'), 'Europe/Paris')).toBe('2026-07-02T00:30:09+02:00');
    expect(commentDate(new Date('2026-07-01T22:30:09Z'), 'UTC')).toBe('2026-07-01T22:30:09Z');
    expect(parseContentDate(commentDate(new Date('2026-07-01T22:30:09Z'), 'Asia/Kolkata'))!.time).toBe(Date.parse('2026-07-01T22:30:09Z'));
  });
});

describe('rfc3339', () => {
  it('keeps a date-time as written and puts a plain day at midnight UTC', () => {
    expect(rfc3339(date('2013-01-25T14:05:00+01:00'))).toBe('2013-01-25T14:05:00+01:00');
    expect(rfc3339(date('2008-09-24'))).toBe('2008-09-24T00:00:00Z');
  });
});
