import { describe, expect, it } from 'vitest';
import { feedHealth, nextPollDelay, RETRY_AFTER_CEILING_MS, shouldDisable } from '../../src/feeds/schedule.ts';
import { FetchError } from '../../src/errors.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.parse('2026-03-10T12:00:00Z');

/** Item times every `gapMs`, the newest at `NOW - offsetMs`. */
function itemsEvery(gapMs: number, count = 10, offsetMs = 0): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(NOW - offsetMs - i * gapMs));
}

describe('nextPollDelay', () => {
  it('uses the default interval for a feed it knows nothing about', () => {
    expect(nextPollDelay({ now: NOW })).toEqual({ delayMs: 15 * MIN, reason: 'default' });
    expect(nextPollDelay({ now: NOW, defaultMs: 20 * MIN })).toEqual({ delayMs: 20 * MIN, reason: 'default' });
  });

  it('polls a feed posting every 10 minutes more often than a weekly one', () => {
    const busy = nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(10 * MIN) });
    const weekly = nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(7 * 24 * HOUR) });
    expect(busy).toEqual({ delayMs: 5 * MIN, reason: 'entry-frequency' });
    expect(weekly).toEqual({ delayMs: 6 * HOUR, reason: 'max-bound' });
    expect(busy.delayMs).toBeLessThan(weekly.delayMs);
  });

  it('accepts the average interval between items instead of item times', () => {
    expect(nextPollDelay({ now: NOW, entryIntervalSeconds: 2400 })).toEqual({ delayMs: 20 * MIN, reason: 'entry-frequency' });
  });

  it('slows down for a feed that has gone quiet', () => {
    const active = nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(10 * MIN) });
    const quiet = nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(10 * MIN, 10, 6 * HOUR) });
    expect(quiet.delayMs).toBe(30 * MIN); // silent 6 h => treated as posting hourly at most
    expect(quiet.delayMs).toBeGreaterThan(active.delayMs);
  });

  it('never polls faster than the min bound', () => {
    expect(nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(30_000) })).toEqual({ delayMs: 2 * MIN, reason: 'min-bound' });
    expect(nextPollDelay({ now: NOW, recentItemTimes: itemsEvery(30_000), bounds: { minMs: 5 * MIN } }).delayMs).toBe(5 * MIN);
  });

  it('never polls faster than Cache-Control max-age, Expires or the RSS ttl allow', () => {
    const items = itemsEvery(10 * MIN);
    expect(nextPollDelay({ now: NOW, recentItemTimes: items, hints: { maxAgeSeconds: 1800 } })).toEqual({ delayMs: 30 * MIN, reason: 'max-age' });
    expect(nextPollDelay({ now: NOW, recentItemTimes: items, hints: { expires: new Date(NOW + 45 * MIN) } })).toEqual({
      delayMs: 45 * MIN,
      reason: 'expires',
    });
    expect(nextPollDelay({ now: NOW, recentItemTimes: items, ttlMinutes: 60 })).toEqual({ delayMs: 60 * MIN, reason: 'ttl' });
  });

  it('caps server hints at the max bound', () => {
    expect(nextPollDelay({ now: NOW, hints: { maxAgeSeconds: 86_400 } })).toEqual({ delayMs: 6 * HOUR, reason: 'max-bound' });
    expect(nextPollDelay({ now: NOW, ttlMinutes: 1440, bounds: { maxMs: 2 * HOUR } })).toEqual({ delayMs: 2 * HOUR, reason: 'max-bound' });
  });

  it('ignores a zero max-age (no-cache) and an Expires in the past', () => {
    expect(nextPollDelay({ now: NOW, hints: { maxAgeSeconds: 0, expires: new Date(NOW - HOUR) } })).toEqual({ delayMs: 15 * MIN, reason: 'default' });
  });

  it('honours Retry-After above the max bound, up to 24 hours', () => {
    expect(nextPollDelay({ now: NOW, hints: { retryAfterSeconds: 600 } })).toEqual({ delayMs: 15 * MIN, reason: 'default' });
    expect(nextPollDelay({ now: NOW, hints: { retryAfterSeconds: 3600 } })).toEqual({ delayMs: HOUR, reason: 'retry-after' });
    expect(nextPollDelay({ now: NOW, hints: { retryAfterSeconds: 10 * 3600 } })).toEqual({ delayMs: 10 * HOUR, reason: 'retry-after' });
    expect(nextPollDelay({ now: NOW, hints: { retryAfterSeconds: 7 * 86_400 } })).toEqual({ delayMs: RETRY_AFTER_CEILING_MS, reason: 'retry-after' });
  });

  it("honours a failed poll's Retry-After (a FetchError's retryAfterSeconds) over the backoff", () => {
    const err = new FetchError('rate_limited', 'slow down', { status: 429, retryAfterSeconds: 7200 });
    const input = { now: NOW, errorCount: 1, errorCode: err.code, hints: { retryAfterSeconds: err.retryAfterSeconds } };
    expect(nextPollDelay(input)).toEqual({ delayMs: 2 * HOUR, reason: 'retry-after' });
  });

  it('backs off exponentially and deterministically on consecutive errors', () => {
    const base = { now: NOW, recentItemTimes: itemsEvery(10 * MIN), errorCode: 'http_5xx' };
    const delays = [1, 2, 3, 4, 5].map((n) => nextPollDelay({ ...base, errorCount: n }));
    expect(delays.map((d) => d.delayMs)).toEqual([5 * MIN, 10 * MIN, 20 * MIN, 40 * MIN, 80 * MIN]);
    expect(delays.every((d) => d.reason === 'backoff')).toBe(true);
    expect(nextPollDelay({ ...base, errorCount: 12 })).toEqual({ delayMs: 6 * HOUR, reason: 'max-bound' });
    expect(nextPollDelay({ ...base, errorCount: 2 })).toEqual(nextPollDelay({ ...base, errorCount: 2 }));
  });

  it('waits the max bound after a permanent error', () => {
    for (const code of ['gone', 'blocked_address', 'bad_url']) {
      expect(nextPollDelay({ now: NOW, errorCount: 1, errorCode: code })).toEqual({ delayMs: 6 * HOUR, reason: 'permanent-error' });
    }
  });

  it('polls at a longer fallback interval while WebSub pushes are active', () => {
    const items = itemsEvery(10 * MIN);
    expect(nextPollDelay({ now: NOW, recentItemTimes: items, websubActive: true })).toEqual({ delayMs: 30 * MIN, reason: 'websub' });
    expect(nextPollDelay({ now: NOW, websubActive: true })).toEqual({ delayMs: 90 * MIN, reason: 'websub' });
    expect(nextPollDelay({ now: NOW, websubActive: true, ttlMinutes: 120 })).toEqual({ delayMs: 6 * HOUR, reason: 'max-bound' });
  });

  it('adds jitter only upwards and within the bound', () => {
    const plain = nextPollDelay({ now: NOW, entryIntervalSeconds: 2400 });
    expect(nextPollDelay({ now: NOW, entryIntervalSeconds: 2400, jitter: 0.1, random: () => 0 }).delayMs).toBe(plain.delayMs);
    expect(nextPollDelay({ now: NOW, entryIntervalSeconds: 2400, jitter: 0.1, random: () => 0.5 }).delayMs).toBe(21 * MIN);
    expect(nextPollDelay({ now: NOW, hints: { maxAgeSeconds: 86_400 }, jitter: 0.5, random: () => 0.99 }).delayMs).toBe(6 * HOUR);
  });

  it('ignores garbage numbers instead of producing NaN', () => {
    const out = nextPollDelay({ now: NOW, ttlMinutes: Number.NaN, entryIntervalSeconds: -5, hints: { maxAgeSeconds: Number.POSITIVE_INFINITY } });
    expect(out).toEqual({ delayMs: 15 * MIN, reason: 'default' });
  });
});

describe('feedHealth / shouldDisable', () => {
  it('is ok without errors, failing after the first, disabled at the threshold', () => {
    expect(feedHealth(0)).toBe('ok');
    expect(feedHealth(1, 'timeout')).toBe('failing');
    expect(feedHealth(9, 'timeout')).toBe('failing');
    expect(feedHealth(10, 'timeout')).toBe('disabled');
    expect(feedHealth(3, 'http_5xx', 3)).toBe('disabled');
    expect(shouldDisable(9, 'network')).toBe(false);
    expect(shouldDisable(10, 'network')).toBe(true);
  });

  it('disables a gone (410) feed at once', () => {
    expect(feedHealth(1, 'gone')).toBe('disabled');
    expect(shouldDisable(1, 'gone')).toBe(true);
  });
});
