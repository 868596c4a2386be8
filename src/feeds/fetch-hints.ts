/**
 * Reading the caching headers of a response into CacheHints (see types.ts), for the poll scheduler.
 * Dates are taken relative to the server's own Date header when it sends one, so a server whose clock
 * is off by an hour does not make us poll an hour too early or too late.
 */
import type { CacheHints } from './types.ts';

/** All three HTTP date formats (IMF-fixdate, RFC 850, asctime) carry a month name and hh:mm:ss. */
const HTTP_DATE_SHAPE = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b.*\d\d:\d\d:\d\d|\d\d:\d\d:\d\d.*\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i;

/**
 * Parses a header date; NaN when unreadable. The shape check matters: Date.parse alone accepts junk
 * such as "0" (as the year 2000), and "Expires: 0" is common.
 */
function parseHttpDate(value: string | undefined): number {
  if (!value || !HTTP_DATE_SHAPE.test(value)) return NaN;
  return Date.parse(value.trim());
}

/** Cache-Control max-age (falling back to s-maxage) in seconds; 0 for no-cache/no-store; undefined if absent. */
export function parseMaxAge(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  let maxAge: number | undefined;
  let sMaxAge: number | undefined;
  for (const part of cacheControl.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'no-cache' || name === 'no-store') return 0;
    if (!/^\d+$/.test(value)) continue;
    if (name === 'max-age') maxAge = Number(value);
    else if (name === 's-maxage') sMaxAge = Number(value);
  }
  return maxAge ?? sMaxAge;
}

/**
 * Retry-After in seconds from now: a delay in seconds, or an HTTP date measured against the response's
 * Date header (or `now` without one). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, dateHeader: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = parseHttpDate(v);
  if (Number.isNaN(at)) return undefined;
  const serverNow = parseHttpDate(dateHeader);
  const ref = Number.isNaN(serverNow) ? now : serverNow;
  return Math.max(0, Math.ceil((at - ref) / 1000));
}

/** Builds CacheHints from lowercase response headers; `now` is the local time the response arrived. */
export function parseCacheHints(headers: Record<string, string>, now: number): CacheHints {
  const hints: CacheHints = {};
  const maxAge = parseMaxAge(headers['cache-control']);
  if (maxAge !== undefined) hints.maxAgeSeconds = maxAge;
  if (headers['expires'] !== undefined) {
    const expires = parseHttpDate(headers['expires']);
    const serverNow = parseHttpDate(headers['date']);
    if (Number.isNaN(expires)) {
      // RFC 9111: an unreadable Expires (often "0" or "-1") means "already expired".
      hints.expires = new Date(now);
    } else {
      hints.expires = new Date(Number.isNaN(serverNow) ? expires : now + (expires - serverNow));
    }
  }
  const retryAfter = parseRetryAfter(headers['retry-after'], headers['date'], now);
  if (retryAfter !== undefined) hints.retryAfterSeconds = retryAfter;
  return hints;
}
