import { describe, expect, it } from 'vitest';
import { rateImportance, type Tier } from '../../src/newsroom/importance.ts';

const T0 = Date.parse('2026-03-10T14:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000);
const r = (source: string, tier: Tier, min: number) => ({ source, tier, publishedAt: at(min) });

describe('rateImportance', () => {
  it('routine: one source, no key actors', () => {
    const out = rateImportance({ reports: [r('Border Ledger', 'outlet', 0)], actors: ['some-mayor'] });
    expect(out.level).toBe('routine');
    expect(out.reasons.join()).toMatch(/one independent source/);
  });

  it('breaking: 3 independent sources within 60 minutes (inclusive), notable at 61', () => {
    const three = (last: number) =>
      rateImportance({ reports: [r('Northwire', 'wire', 0), r('Border Ledger', 'outlet', 20), r('Diario del Norte', 'outlet', last)], actors: [] });
    expect(three(60).level).toBe('breaking');
    expect(three(60).reasons[0]).toMatch(/3 independent sources within 60 min/);
    expect(three(61).level).toBe('notable');
  });

  it('a sliding window finds a burst that starts later', () => {
    const out = rateImportance({
      reports: [r('A', 'outlet', 0), r('B', 'outlet', 200), r('C', 'outlet', 230), r('D', 'wire', 250)],
      actors: [],
    });
    expect(out.level).toBe('breaking');
    expect(out.reasons[0]).toMatch(/B, C, D/);
  });

  it('copies from one source count once; commentary does not count', () => {
    const dup = rateImportance({
      reports: [r('Northwire', 'wire', 0), r('northwire', 'wire', 5), r('Northwire ', 'wire', 10), r('Border Ledger', 'outlet', 12)],
      actors: [],
    });
    expect(dup.level).toBe('notable');
    expect(dup.reasons[0]).toMatch(/^2 independent sources/);
    const blogs = rateImportance({
      reports: [r('Blog One', 'commentary', 0), r('Blog Two', 'commentary', 1), r('Border Ledger', 'outlet', 2)],
      actors: [],
    });
    expect(blogs.level).toBe('routine');
    expect(rateImportance({ reports: [r('Blog', 'commentary', 0)], actors: [] }).reasons).toEqual(['commentary only']);
  });

  it('breaking: official + wire within 30 minutes (inclusive); notable at 31', () => {
    const pair = (gap: number) => rateImportance({ reports: [r('U.S. Department of Justice', 'official', 0), r('Northwire', 'wire', gap)], actors: [] });
    expect(pair(30).level).toBe('breaking');
    expect(pair(30).reasons[0]).toMatch(/official source \(U\.S\. Department of Justice\) and wire \(Northwire\) within 30 min/);
    expect(pair(-30).level).toBe('breaking'); // the wire may run first
    expect(pair(31).level).toBe('notable');
    // Official + outlet is not enough in 30 minutes: two sources are notable.
    expect(rateImportance({ reports: [r('DOJ', 'official', 0), r('Border Ledger', 'outlet', 5)], actors: [] }).level).toBe('notable');
  });

  it('notable: key actors alone; 2 sources however far apart', () => {
    const keyActors = new Set(['claudia-sheinbaum', 'donald-trump']);
    const k = rateImportance({ reports: [r('Border Ledger', 'outlet', 0)], actors: ['claudia-sheinbaum', 'x'], keyActors });
    expect(k).toEqual({ level: 'notable', reasons: ['key actors: claudia-sheinbaum'] });
    expect(rateImportance({ reports: [r('A', 'outlet', 0), r('B', 'outlet', 5000)], actors: [] }).level).toBe('notable');
  });

  it('a burst older than 12 hours before now is no longer breaking', () => {
    const reports = [r('A', 'outlet', 0), r('B', 'wire', 10), r('C', 'outlet', 20)];
    expect(rateImportance({ reports, actors: [], now: at(20 + 12 * 60) }).level).toBe('breaking');
    const old = rateImportance({ reports, actors: [], now: at(21 + 12 * 60) });
    expect(old.level).toBe('notable');
    expect(old.reasons[0]).toMatch(/more than 12 h ago/);
  });

  it('future-dated reports are clamped to now; empty input is routine', () => {
    const out = rateImportance({
      reports: [r('A', 'outlet', 0), r('B', 'outlet', 10), r('C', 'outlet', 60 * 24 * 30)],
      actors: [],
      now: at(15),
    });
    expect(out.level).toBe('breaking');
    expect(rateImportance({ reports: [], actors: [] })).toEqual({ level: 'routine', reasons: ['no reports'] });
  });
});
