import { describe, expect, it } from 'vitest';
import { formatFrenchDate, formatFrenchDateTime, formatFrenchMonth } from '../../src/render/french-date.js';
import { parseContentDate } from '../../src/validate/fields.js';
import { frenchCount } from '../../src/render/helpers.js';

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
