import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/feeds/dates.ts';

function iso(s: string): string | null {
  return parseDate(s)?.toISOString() ?? null;
}

describe('parseDate', () => {
  it('reads RFC 822 and RFC 1123 dates with and without weekday', () => {
    expect(iso('Mon, 05 Jan 2026 15:42:00 -0700')).toBe('2026-01-05T22:42:00.000Z');
    expect(iso('05 Jan 2026 15:42:00 GMT')).toBe('2026-01-05T15:42:00.000Z');
    expect(iso('Mon, 5 Jan 2026 15:42 +0000')).toBe('2026-01-05T15:42:00.000Z');
    expect(iso('Mon, 05 Jan 2026 15:42:00 -07:00')).toBe('2026-01-05T22:42:00.000Z');
  });

  it('reads two-digit years', () => {
    expect(iso('Thu, 01 Jan 04 19:48:21 GMT')).toBe('2004-01-01T19:48:21.000Z');
    expect(iso('Tue, 06 Jan 26 02:10:00 GMT')).toBe('2026-01-06T02:10:00.000Z');
    expect(iso('Thursday, 01-Jan-04 19:48:21 GMT')).toBe('2004-01-01T19:48:21.000Z');
  });

  it('applies named zones', () => {
    expect(iso('Wed, 07 Jan 2026 11:00:00 EST')).toBe('2026-01-07T16:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 EDT')).toBe('2026-01-07T15:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 CST')).toBe('2026-01-07T17:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 PDT')).toBe('2026-01-07T18:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 UT')).toBe('2026-01-07T11:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 Z')).toBe('2026-01-07T11:00:00.000Z');
  });

  it('applies RFC 822 military zones as that RFC defines them', () => {
    expect(iso('Wed, 07 Jan 2026 11:00:00 A')).toBe('2026-01-07T12:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 N')).toBe('2026-01-07T10:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 M')).toBe('2026-01-07T23:00:00.000Z');
  });

  it('reads W3CDTF / ISO 8601, including partial dates, no seconds and comma fractions', () => {
    expect(iso('2026-01-07T08:15:00-06:00')).toBe('2026-01-07T14:15:00.000Z');
    expect(iso('2026-01-07T08:15-06:00')).toBe('2026-01-07T14:15:00.000Z');
    expect(iso('2026-01-07T08:15:30,25Z')).toBe('2026-01-07T08:15:30.250Z');
    expect(iso('2026-01-07T08:15:30.5+05:30')).toBe('2026-01-07T02:45:30.500Z');
    expect(iso('2026-01-07')).toBe('2026-01-07T00:00:00.000Z');
    expect(iso('2026-01')).toBe('2026-01-01T00:00:00.000Z');
    expect(iso('2026')).toBe('2026-01-01T00:00:00.000Z');
    expect(iso('20260107T081500Z')).toBe('2026-01-07T08:15:00.000Z');
    expect(iso('2026-01-07 08:15:00 -0600')).toBe('2026-01-07T14:15:00.000Z');
  });

  it('reads asctime', () => {
    expect(iso('Wed Jan  7 08:15:00 2026')).toBe('2026-01-07T08:15:00.000Z');
  });

  it('reads Spanish dates with day and month names', () => {
    expect(iso('lunes, 5 de enero de 2026 10:30')).toBe('2026-01-05T10:30:00.000Z');
    expect(iso('5 ene 2026 10:30:00 -0600')).toBe('2026-01-05T16:30:00.000Z');
    expect(iso('miércoles 31 de diciembre de 2025, 23:59 hrs')).toBe('2025-12-31T23:59:00.000Z');
    expect(iso('3 de sept. de 2025 7:05 p. m.')).toBe('2025-09-03T19:05:00.000Z');
    expect(iso('24 dic 2025')).toBe('2025-12-24T00:00:00.000Z');
    expect(iso('Mar, 6 Ene 2026 08:00:00 GMT')).toBe('2026-01-06T08:00:00.000Z');
  });

  it('keeps "Mar" as March when no other month follows', () => {
    expect(iso('Mar 6 2026')).toBe('2026-03-06T00:00:00.000Z');
  });

  it('reads common junk', () => {
    expect(iso('  January 7, 2026 5:30pm ')).toBe('2026-01-07T17:30:00.000Z');
    expect(iso('2026/01/07 08:15:00')).toBe('2026-01-07T08:15:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 +0000 (UTC)')).toBe('2026-01-07T11:00:00.000Z');
    expect(iso('Wed, 07 Jan 2026 11:00:00 GMT+1')).toBe('2026-01-07T10:00:00.000Z');
  });

  it('returns null, never throws, for what is not a date', () => {
    for (const junk of ['', 'garbage', 'el próximo martes, quizá', '2026-13-45T99:00:00Z', 'Thu, 31 Feb 2026 10:00:00 GMT', '0000-00-00 00:00:00', 'x'.repeat(10_000)]) {
      expect(parseDate(junk)).toBeNull();
    }
    expect(parseDate(null)).toBeNull();
    expect(parseDate(42 as unknown as string)).toBeNull();
  });
});
