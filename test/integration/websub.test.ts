import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/feeds/fetcher.ts';
import { renewDueSubscriptions, subscribeToHub, websubRoutes, type PushDeps } from '../../src/feeds/push.ts';
import { silentLogger } from '../../src/log.ts';
import { Metrics } from '../../src/metrics.ts';
import type { Stores } from '../../src/store/index.ts';
import { startWebServer, type WebServer } from '../../src/web/server.ts';
import { FakeWebSubHub } from '../fakes/websub-hub.ts';
import { backends } from '../helpers/db.ts';
import { rss } from '../helpers/feeds.ts';

let stores: Stores;
let web: WebServer;
let hub: FakeWebSubHub;
let hubUrl: string;
const pushed: string[][] = [];
let deps: PushDeps;
const fetcher = createFetcher({ allowPrivate: true, perHostSpacingMs: 0 });
let clock = new Date('2026-02-01T00:00:00Z');

beforeAll(async () => {
  stores = await backends()[0]!.open();
  hub = new FakeWebSubHub();
  hubUrl = await hub.start();
  deps = {
    feeds: stores.feeds, articles: stores.articles, logger: silentLogger(), metrics: new Metrics(), now: () => clock,
    poster: { post: (url, body) => fetcher.postForm(url, body) }, publicUrl: null, leaseSeconds: 86_400,
    articlesStored: async (ids) => {
      pushed.push(ids);
    },
  };
  web = await startWebServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), routes: websubRoutes(deps) });
  deps.publicUrl = web.url;
});
afterAll(async () => {
  await web.close();
  await hub.close();
  await fetcher.close();
  await stores.db.close();
});

describe('WebSub end to end', () => {
  it('subscribes, is verified, stores signed pushes and ignores forged ones', async () => {
    const topic = 'https://desk.example/feed.xml';
    const { feed } = await stores.feeds.add({ url: topic });
    expect(await subscribeToHub(deps, feed, [hubUrl], topic)).toBe(true);
    const sub = hub.lastSubscription!;
    expect(sub.callback).toMatch(new RegExp(`^${web.url}/websub/${feed.id}/[0-9a-f]{32}$`));
    expect(sub.secret).toMatch(/^[0-9a-f]{64}$/);
    const outcome = await sub.verification;
    expect(outcome.verified).toBe(true);
    let f = (await stores.feeds.get(feed.id))!;
    expect(f.websubState).toBe('active');
    expect(f.websubLeaseExpiresAt!.getTime()).toBe(clock.getTime() + 86_400_000);
    expect(f.websubRenewAt!.getTime()).toBeLessThan(f.websubLeaseExpiresAt!.getTime());

    const doc = rss([{ guid: 'push-1', title: 'Pushed: transfer of prisoners announced' }]);
    const [res] = await hub.publish(topic, doc, { algo: 'sha256', contentType: 'application/rss+xml' });
    expect(res!.status).toBe(202);
    expect(pushed).toHaveLength(1);
    const [article] = await stores.articles.byIds(pushed[0]!);
    expect(article!.title).toBe('Pushed: transfer of prisoners announced');
    expect(article!.feedId).toBe(feed.id);

    // A forged push (wrong secret) still gets a 2xx, but nothing is stored.
    const forged = rss([{ guid: 'push-2', title: 'Forged item' }]);
    const [bad] = await hub.publish(topic, forged, { secret: 'not-the-secret', algo: 'sha1' });
    expect(bad!.status).toBe(202);
    expect(pushed).toHaveLength(1);
    expect(await stores.articles.count()).toBe(1);

    // Renewal: once due, a new subscription request goes to the hub.
    clock = new Date(f.websubRenewAt!.getTime() + 1000);
    const before = hub.requests.length;
    expect(await renewDueSubscriptions(deps)).toBe(1);
    expect(hub.requests.length).toBe(before + 1);
    await hub.lastSubscription!.verification;
    f = (await stores.feeds.get(feed.id))!;
    expect(f.websubState).toBe('active');
  });

  it('refuses callbacks without the right token, for topics we never asked for, and confirmations nobody requested', async () => {
    const topic = 'https://other.example/feed.xml';
    const { feed } = await stores.feeds.add({ url: topic });
    await subscribeToHub(deps, feed, [hubUrl], topic);
    const callback = hub.lastSubscription!.callback;
    await hub.lastSubscription!.verification;
    const q = (t: string, mode = 'subscribe') => `?hub.mode=${mode}&hub.topic=${encodeURIComponent(t)}&hub.challenge=abc&hub.lease_seconds=999999999`;
    // Guessing the feed id is not enough.
    expect((await fetch(`${web.url}/websub/${feed.id}/${'0'.repeat(32)}${q(topic, 'denied')}`)).status).toBe(404);
    expect((await fetch(`${web.url}/websub/${feed.id}${q(topic)}`)).status).toBe(404);
    // Right token, wrong topic.
    expect((await fetch(`${callback}${q('https://evil.example/')}`)).status).toBe(404);
    // Right token and topic, but we have no pending request: a replayed confirmation cannot stretch the lease.
    expect((await fetch(`${callback}${q(topic)}`)).status).toBe(404);
    const f = (await stores.feeds.get(feed.id))!;
    expect(f.websubState).toBe('active');
    expect(f.websubLeaseExpiresAt!.getTime() - clock.getTime()).toBeLessThanOrEqual(30 * 86_400_000);
  });

  it('keeps a path prefix of the public URL in the callback', async () => {
    const { callbackUrl } = await import('../../src/feeds/push.ts');
    expect(callbackUrl('https://news.example/frontera', 3, 'secret')).toMatch(/^https:\/\/news\.example\/frontera\/websub\/3\/[0-9a-f]{32}$/);
    expect(callbackUrl('https://news.example/', 3, 'secret')).toMatch(/^https:\/\/news\.example\/websub\/3\//);
  });

  it('does not subscribe without a public URL', async () => {
    const { feed } = await stores.feeds.add({ url: 'https://third.example/feed.xml' });
    expect(await subscribeToHub({ ...deps, publicUrl: null }, feed, [hubUrl], feed.url)).toBe(false);
  });
});
