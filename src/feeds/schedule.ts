/**
 * When to poll a feed next, and when to give up on it. Pure functions: the poll job passes in what it
 * knows, stores `now + delayMs` as next_poll_at, and logs `reason`.
 */
import type { FetchErrorCode } from '../errors.ts';
import type { CacheHints } from './types.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Retry-After is honoured above the max bound, but never beyond this. */
export const RETRY_AFTER_CEILING_MS = 24 * HOUR;

/** Why nextPollDelay chose its delay: the factor that decided it. */
export type PollDelayReason =
  | 'default'
  | 'entry-frequency'
  | 'max-age'
  | 'expires'
  | 'ttl'
  | 'backoff'
  | 'permanent-error'
  | 'websub'
  | 'min-bound'
  | 'max-bound'
  | 'retry-after';

/** Inputs of nextPollDelay; every field is optional. */
export interface PollDelayInput {
  /** Cache hints of the last response (FetchOutcome.hints); after a failure, { retryAfterSeconds } of the FetchError. */
  hints?: CacheHints;
  /** RSS <ttl>, minutes. */
  ttlMinutes?: number | null;
  /** The feed's average interval between items, seconds (observed over recent items). */
  entryIntervalSeconds?: number | null;
  /** Published times of recent items, any order; when two or more are given they replace entryIntervalSeconds. */
  recentItemTimes?: ReadonlyArray<Date | number>;
  /** Failures in a row, counting the latest poll (0 after a success). */
  errorCount?: number;
  /** Code of the latest failure (FetchError.code). */
  errorCode?: FetchErrorCode | string | null;
  /** WebSub push is active, so polling is only a safety net. */
  websubActive?: boolean;
  /** Bounds, ms: min default 2 minutes, max default 6 hours. Only Retry-After may exceed max. */
  bounds?: { minMs?: number; maxMs?: number };
  /** Interval when nothing is known about the feed, ms (default 15 minutes). */
  defaultMs?: number;
  /** The current time (default Date.now()); used for Expires and for spotting a feed gone quiet. */
  now?: Date | number;
  /** Adds up to this fraction of the delay at random to spread polls (default 0: deterministic). */
  jitter?: number;
  /** Random source in [0, 1) for jitter (default Math.random). */
  random?: () => number;
}

/** Errors that say "this URL will not work as given": polling again soon cannot help. */
const PERMANENT_CODES = new Set(['gone', 'blocked_address', 'bad_url']);

/** Polls per expected item: with 2, a new item waits at most half its feed's usual gap before we see it. */
const POLLS_PER_ITEM = 2;
/** A feed silent for T is treated as posting at most every T / QUIET_DIVISOR. */
const QUIET_DIVISOR = 6;
/** Item times used for the rate estimate. */
const RATE_SAMPLE = 20;

function finite(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** Estimated ms between items, or null when unknown. */
function postingInterval(input: PollDelayInput, now: number): number | null {
  const times = (input.recentItemTimes ?? [])
    .map((t) => (typeof t === 'number' ? t : t.getTime()))
    .filter((t) => Number.isFinite(t) && t <= now)
    .sort((a, b) => b - a)
    .slice(0, RATE_SAMPLE);
  let interval: number | null = null;
  if (times.length >= 2) interval = (times[0] - times[times.length - 1]) / (times.length - 1);
  else if (finite(input.entryIntervalSeconds) && input.entryIntervalSeconds > 0) interval = input.entryIntervalSeconds * 1000;
  if (interval === null) return null;
  // A feed that has gone quiet for far longer than its usual gap is slowing down: stretch the estimate.
  if (times.length > 0) interval = Math.max(interval, (now - times[0]) / QUIET_DIVISOR);
  return interval;
}

/**
 * Delay until the next poll of a feed, with the factor that decided it. The rule, in order:
 *
 * 1. Healthy base: half the feed's observed interval between items (from `recentItemTimes`, else
 *    `entryIntervalSeconds`; stretched when the feed has been silent much longer than usual), or `defaultMs`
 *    when unknown. A feed posting every 10 minutes is polled every 5; a weekly one rests at the max bound.
 * 2. Never faster than the server allows: at least Cache-Control max-age, Expires, and RSS ttl.
 * 3. Errors: a permanent error (gone, blocked_address, bad_url) waits the max bound; otherwise the delay
 *    doubles per consecutive failure after the first (exponential backoff, deterministic).
 * 4. WebSub active and healthy: pushes deliver news, so polling is a fallback at 6x the delay.
 * 5. Clamp to [minMs, maxMs].
 * 6. Retry-After (hints.retryAfterSeconds) is always honoured, even above maxMs, up to 24 hours.
 * 7. Optional jitter only ever adds time, so no bound or server hint is undercut by it.
 */
export function nextPollDelay(input: PollDelayInput = {}): { delayMs: number; reason: PollDelayReason } {
  const now = input.now === undefined ? Date.now() : typeof input.now === 'number' ? input.now : input.now.getTime();
  const minMs = finite(input.bounds?.minMs) ? input.bounds.minMs : 2 * MINUTE;
  const maxMs = Math.max(minMs, finite(input.bounds?.maxMs) ? input.bounds.maxMs : 6 * HOUR);
  const hints = input.hints ?? {};

  // 1. healthy base
  const interval = postingInterval(input, now);
  let delay = interval !== null ? interval / POLLS_PER_ITEM : finite(input.defaultMs) ? input.defaultMs : 15 * MINUTE;
  let reason: PollDelayReason = interval !== null ? 'entry-frequency' : 'default';

  // 2. server floors
  const floors: Array<[number | undefined, PollDelayReason]> = [
    [finite(hints.maxAgeSeconds) ? hints.maxAgeSeconds * 1000 : undefined, 'max-age'],
    [hints.expires && Number.isFinite(hints.expires.getTime()) ? hints.expires.getTime() - now : undefined, 'expires'],
    [finite(input.ttlMinutes) ? input.ttlMinutes * MINUTE : undefined, 'ttl'],
  ];
  for (const [floor, why] of floors) {
    if (floor !== undefined && floor > delay) {
      delay = floor;
      reason = why;
    }
  }

  // 3. errors
  const errors = finite(input.errorCount) ? Math.floor(input.errorCount) : 0;
  if (errors > 0 && input.errorCode && PERMANENT_CODES.has(input.errorCode)) {
    delay = maxMs;
    reason = 'permanent-error';
  } else if (errors > 0) {
    delay = Math.max(delay, minMs) * 2 ** Math.min(errors - 1, 30);
    reason = 'backoff';
  } else if (input.websubActive) {
    // 4. push is the main channel
    delay *= 6;
    reason = 'websub';
  }

  // 5. bounds
  if (delay < minMs) {
    delay = minMs;
    reason = 'min-bound';
  } else if (delay > maxMs) {
    delay = maxMs;
    if (reason !== 'permanent-error') reason = 'max-bound';
  }

  // 6. Retry-After
  const retryAfterSeconds = finite(hints.retryAfterSeconds) ? hints.retryAfterSeconds : 0;
  const retryAfterMs = Math.min(retryAfterSeconds * 1000, RETRY_AFTER_CEILING_MS);
  if (retryAfterMs > delay) {
    delay = retryAfterMs;
    reason = 'retry-after';
  }

  // 7. jitter, upwards only, within the ceiling that applied
  if (finite(input.jitter) && input.jitter > 0) {
    const r = (input.random ?? Math.random)();
    const ceiling = Math.max(maxMs, retryAfterMs);
    delay = Math.min(ceiling, delay * (1 + input.jitter * Math.min(Math.max(r, 0), 1)));
  }
  return { delayMs: Math.round(delay), reason };
}

/** Health of a feed after a poll: 'ok', 'failing' after an error, 'disabled' when polling should stop. */
export type FeedHealth = 'ok' | 'failing' | 'disabled';

/** Default number of consecutive failures after which a feed is disabled. */
export const DEFAULT_DISABLE_THRESHOLD = 10;

/**
 * Health after `consecutiveErrors` failures in a row (counting the latest): 'failing' from the first,
 * 'disabled' at `threshold`, or at once on `gone` (HTTP 410: the publisher removed the feed for good).
 */
export function feedHealth(consecutiveErrors: number, code?: FetchErrorCode | string | null, threshold = DEFAULT_DISABLE_THRESHOLD): FeedHealth {
  if (!(consecutiveErrors > 0)) return 'ok';
  if (code === 'gone' || consecutiveErrors >= Math.max(1, threshold)) return 'disabled';
  return 'failing';
}

/** True when a feed should stop being polled (see feedHealth). */
export function shouldDisable(consecutiveErrors: number, code?: FetchErrorCode | string | null, threshold = DEFAULT_DISABLE_THRESHOLD): boolean {
  return feedHealth(consecutiveErrors, code, threshold) === 'disabled';
}
