/**
 * discord.js REST failures -> DeliveryError, the only error the delivery job reads. "Discord refused"
 * (4xx: permanent, with a reason an admin can act on) is kept apart from "the request failed" (5xx,
 * network, timeout: transient) and from "slow down" (429: rate-limited, with the wait).
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError } from '../types.ts';

/** Discord JSON error codes we name (developer docs, "JSON Error Codes"). */
const PERMANENT_CODES: Record<number, string> = {
  10003: 'unknown-channel',
  10004: 'unknown-guild',
  10008: 'unknown-message',
  50001: 'missing-access',
  50013: 'missing-permissions',
  50083: 'thread-archived',
  160005: 'thread-locked',
};

// Errors raised before any byte left this machine: the post certainly did not land.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Classifies an error from a REST call. `write` says whether the call creates something, so a
 * failure after the request may have reached Discord is marked `uncertain` (reconcile before retrying).
 */
export function toDeliveryError(err: unknown, write: boolean): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    const wait = Math.max(err.retryAfter, err.timeToReset, 0);
    return new DeliveryError('rate-limited', `Discord rate limit on ${err.route}${err.global ? ' (global)' : ''}`, {
      retryAfterMs: Math.ceil(wait),
    });
  }
  if (err instanceof DiscordAPIError) {
    if (err.status === 429) return new DeliveryError('rate-limited', err.message, { retryAfterMs: 1000 });
    if (err.status >= 500) return new DeliveryError('transient', `Discord ${err.status}: ${err.message}`, { uncertain: write });
    const named = typeof err.code === 'number' ? PERMANENT_CODES[err.code] : undefined;
    const reason = named ?? (err.status === 401 ? 'unauthorized' : err.status === 403 ? 'missing-access' : err.status === 404 ? 'not-found' : 'rejected');
    return new DeliveryError('permanent', `Discord refused (${err.status}, code ${err.code}): ${err.message}`, { reason });
  }
  if (err instanceof HTTPError) {
    return new DeliveryError('transient', `Discord ${err.status} ${err.message}`, { uncertain: write });
  }
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (e?.name === 'AbortError') return new DeliveryError('transient', 'Discord request timed out', { uncertain: write });
  return new DeliveryError('transient', `Discord request failed: ${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, {
    uncertain: write && !(code && NOT_SENT.has(code)),
  });
}

/** True when a DiscordAPIError carries this JSON error code. */
export function hasCode(err: unknown, code: number): boolean {
  return err instanceof DiscordAPIError && err.code === code;
}
