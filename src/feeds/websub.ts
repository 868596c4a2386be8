/**
 * WebSub subscriber: the pure pieces the web server and the scheduler wire together.
 *
 *   discovery     websub-discovery.ts   (Link headers, document links)
 *   subscribe     websub-subscription.ts (form body, POST to the hub)
 *   verification  websub-verification.ts (the hub's GET to our callback)
 *   content       websub-signature.ts   (X-Hub-Signature on pushes)
 *   leases        this file             (when to renew), plus callback paths
 */
export { discoverWebSub, linksFromHeaders, type DiscoverInput, type WebSubDiscovery } from './websub-discovery.ts';
export { parseLinkHeader, headerValues, type LinkValue, type HeaderSource } from './websub-link.ts';
export {
  buildSubscribeRequest,
  sendSubscription,
  type HubPoster,
  type SubscribeRequest,
  type SubscriptionMode,
} from './websub-subscription.ts';
export {
  handleVerification,
  type CallbackQuery,
  type ExpectedIntent,
  type VerificationResult,
} from './websub-verification.ts';
export { verifySignature, generateSecret, type SignatureAlgorithm } from './websub-signature.ts';

/** What we ask hubs for when nobody configured otherwise: ten days, a common hub default. */
export const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;

/** Prefix of every WebSub callback route (DESIGN: callbacks live under /websub/). */
export const CALLBACK_PREFIX = '/websub/';

const HOUR_MS = 3600_000;

/** When a lease granted now for `leaseSeconds` runs out. */
export function leaseExpiry(grantedAt: Date, leaseSeconds: number): Date {
  return new Date(grantedAt.getTime() + leaseSeconds * 1000);
}

/**
 * When to renew a lease: about 85% of the way through it, but at least an hour before expiry when
 * the lease is long enough to allow that, so one failed renewal still leaves time for a retry.
 * @example renewAt(expiresAt, 864000) // 1.5 days before a 10-day lease expires
 */
export function renewAt(expiresAt: Date, leaseSeconds: number): Date {
  if (!Number.isFinite(leaseSeconds) || leaseSeconds <= 0) {
    throw new RangeError(`leaseSeconds must be positive, got ${leaseSeconds}`);
  }
  const leaseMs = leaseSeconds * 1000;
  // Never renew in the first half of a lease, however short: that would only hammer the hub.
  const marginMs = Math.max(0.15 * leaseMs, Math.min(HOUR_MS, 0.5 * leaseMs));
  return new Date(expiresAt.getTime() - marginMs);
}

/**
 * Whether a lease should be renewed now. With `marginSeconds`, due once within that margin of
 * expiry; without it, at renewAt() when the lease length is known, else one hour before expiry.
 */
export function renewalDue(
  lease: { expiresAt: Date; leaseSeconds?: number | null },
  now: Date,
  marginSeconds?: number,
): boolean {
  let due: number;
  if (marginSeconds !== undefined) due = lease.expiresAt.getTime() - marginSeconds * 1000;
  else if (lease.leaseSeconds && lease.leaseSeconds > 0) due = renewAt(lease.expiresAt, lease.leaseSeconds).getTime();
  else due = lease.expiresAt.getTime() - HOUR_MS;
  return now.getTime() >= due;
}

/**
 * The callback path for a feed, under /websub/.
 * @example callbackPath(42) // '/websub/42'
 */
export function callbackPath(feedId: string | number): string {
  const id = String(feedId);
  if (id.length === 0) throw new RangeError('feed id must not be empty');
  return CALLBACK_PREFIX + encodeURIComponent(id);
}

/** The feed id a callback path stands for, or null when the path is not a WebSub callback. */
export function feedIdFromCallbackPath(path: string): string | null {
  const pathname = path.split(/[?#]/, 1)[0]!;
  if (!pathname.startsWith(CALLBACK_PREFIX)) return null;
  const rest = pathname.slice(CALLBACK_PREFIX.length);
  if (rest.length === 0 || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}
