/**
 * WebSub wiring: subscribe when a feed advertises a hub, answer the hub's verification, take signed
 * pushes in as if they were polls, and renew leases before they end. Polling goes on as a fallback
 * at a longer interval (see schedule.ts), so a hub that goes quiet loses us nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ArticleStore } from '../store/articles.ts';
import type { Feed, FeedStore } from '../store/feeds.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Route } from '../web/server.ts';
import { storeFeedDocument } from './ingest.ts';
import {
  callbackPath, DEFAULT_LEASE_SECONDS, generateSecret, handleVerification, leaseExpiry, renewAt, sendSubscription,
  verifySignature, type HubPoster,
} from './websub.ts';

export interface PushDeps {
  feeds: FeedStore;
  articles: ArticleStore;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** POSTs to hubs through the SSRF-guarded client (hub URLs come from untrusted feeds). */
  poster: HubPoster;
  /** Public base URL of our web server; without it hubs cannot reach us and we only poll. */
  publicUrl: string | null;
  leaseSeconds?: number;
  /** Newly stored articles from a push go on to the same next stage as polled ones. */
  articlesStored(ids: string[]): Promise<void>;
}

/** Longest lease we accept, whatever a hub (or someone pretending to be one) grants. */
const MAX_LEASE_SECONDS = 30 * 86_400;
const MIN_LEASE_SECONDS = 60;

/**
 * The unguessable part of a feed's callback URL, derived from its subscription secret: without it,
 * anyone who can guess a feed id could confirm or deny subscriptions in our name.
 */
export function callbackToken(secret: string): string {
  return createHmac('sha256', secret).update('websub-callback').digest('hex').slice(0, 32);
}

/** The absolute callback URL for a feed, keeping any path prefix of the public URL (reverse proxies). */
export function callbackUrl(publicUrl: string, feedId: number, secret: string): string {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  return new URL(`${callbackPath(feedId).slice(1)}/${callbackToken(secret)}`, base).toString();
}

/** True while pushes are expected: verified and the lease has not run out. */
export function pushActive(feed: Feed, now: Date): boolean {
  return feed.websubState === 'active' && feed.websubLeaseExpiresAt !== null && feed.websubLeaseExpiresAt > now;
}

/** Asks the feed's hub to push to us. Returns false when there is no public URL to be called back on. */
export async function subscribeToHub(deps: PushDeps, feed: Feed, hubs: string[], topic: string): Promise<boolean> {
  if (!deps.publicUrl || hubs.length === 0) return false;
  const hub = hubs[0]!;
  // A renewal keeps the secret, so the callback URL (and the hub's existing pushes) stay valid meanwhile.
  const secret = feed.websubSecret ?? generateSecret();
  await deps.feeds.setWebSub(feed.id, {
    hub, topic, secret, state: 'pending', leaseExpiresAt: feed.websubLeaseExpiresAt, renewAt: null,
  });
  try {
    await sendSubscription(deps.poster, {
      hub, topic, secret, mode: 'subscribe', leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      callbackUrl: callbackUrl(deps.publicUrl, feed.id, secret),
    });
    deps.logger.info({ feedId: feed.id, hub }, 'WebSub subscription requested');
    return true;
  } catch (err) {
    // Forget the hub so a later poll may try again; polling carries on meanwhile.
    await deps.feeds.setWebSub(feed.id, { hub: null, topic: null, secret: null, state: null });
    throw err;
  }
}

/** Renews every lease that is due; returns how many renewals were requested. */
export async function renewDueSubscriptions(deps: PushDeps): Promise<number> {
  let n = 0;
  for (const feed of await deps.feeds.websubRenewalsDue(deps.now())) {
    try {
      if (await subscribeToHub(deps, feed, [feed.websubHub!], feed.websubTopic ?? feed.url)) n++;
    } catch (err) {
      deps.logger.warn({ feedId: feed.id, err: (err as Error).message }, 'WebSub renewal failed; polling continues');
    }
  }
  return n;
}

/** The callback routes under /websub/<feed id>. */
export function websubRoutes(deps: PushDeps): Route[] {
  const path = /^\/websub\/(?<id>\d+)\/(?<token>[0-9a-f]{32})$/;
  const none = { status: 404, headers: { 'content-type': 'text/plain' }, body: '' };
  const feedFor = async (params: Record<string, string>): Promise<Feed | null> => {
    const feed = await deps.feeds.get(Number(params.id));
    if (!feed?.websubSecret) return null;
    const want = Buffer.from(callbackToken(feed.websubSecret));
    const got = Buffer.from(params.token ?? '');
    return got.length === want.length && timingSafeEqual(got, want) ? feed : null;
  };
  return [
    {
      method: 'GET',
      path,
      async handler(req) {
        const feed = await feedFor(req.params);
        if (!feed?.websubTopic) return none;
        // Only a request we actually sent can be confirmed; denials are accepted at any time.
        const r = handleVerification(req.query, {
          topic: feed.websubTopic,
          mode: 'subscribe',
          pending: feed.websubState === 'pending',
        });
        if (r.kind === 'verified') {
          const lease = Math.min(MAX_LEASE_SECONDS, Math.max(MIN_LEASE_SECONDS, r.leaseSeconds ?? DEFAULT_LEASE_SECONDS));
          const expires = leaseExpiry(deps.now(), lease);
          await deps.feeds.setWebSub(feed.id, {
            hub: feed.websubHub, topic: feed.websubTopic, secret: feed.websubSecret, state: 'active',
            leaseExpiresAt: expires, renewAt: renewAt(expires, lease),
          });
          deps.logger.info({ feedId: feed.id, leaseSeconds: lease }, 'WebSub subscription verified');
          return { status: 200, headers: { 'content-type': r.contentType }, body: r.body };
        }
        if (r.kind === 'denied') {
          await deps.feeds.setWebSub(feed.id, {
            hub: feed.websubHub, topic: feed.websubTopic, secret: null, state: 'denied',
          });
          deps.logger.warn({ feedId: feed.id, reason: r.reason }, 'WebSub hub denied the subscription');
          return { status: 200, body: '' };
        }
        deps.logger.warn({ feedId: feed.id, why: r.why }, 'WebSub verification refused');
        return none;
      },
    },
    {
      method: 'POST',
      path,
      async handler(req) {
        const feed = await feedFor(req.params);
        // 'pending' too: during a renewal the hub still pushes on the current subscription.
        if (!feed || !['active', 'pending'].includes(feed.websubState ?? '') || feed.status === 'disabled') return none;
        // WebSub asks for a 2xx even when the signature is wrong, so a forger learns nothing; we drop the body.
        if (!verifySignature(feed.websubSecret, req.headers['x-hub-signature'], req.body)) {
          deps.metrics.inc('frontera_websub_pushes_total', { outcome: 'bad_signature' });
          deps.logger.warn({ feedId: feed.id }, 'WebSub push with a bad signature ignored');
          return { status: 202, body: '' };
        }
        try {
          const { items } = await storeFeedDocument(deps.articles, {
            bytes: req.body, contentType: (req.headers['content-type'] as string) ?? null, url: feed.url,
            feedId: feed.id, sourceKey: `feed:${feed.id}`, source: feed.url, baseline: false, seenAt: deps.now(),
          });
          const fresh = items.filter((i) => i.isNew).map((i) => i.id);
          deps.metrics.inc('frontera_websub_pushes_total', { outcome: 'stored' });
          if (fresh.length > 0) await deps.articlesStored(fresh);
        } catch (err) {
          deps.metrics.inc('frontera_websub_pushes_total', { outcome: 'unreadable' });
          deps.logger.warn({ feedId: feed.id, err: (err as Error).message }, 'WebSub push could not be read');
        }
        return { status: 202, body: '' };
      },
    },
  ];
}
