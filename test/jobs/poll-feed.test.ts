import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollFeed, type PollFeedDeps } from '../../jobs/poll-feed.ts';
import { createFetcher } from '../../src/feeds/fetcher.ts';
import { silentLogger } from '../../src/log.ts';
import { Metrics } from '../../src/metrics.ts';
import type { Stores } from '../../src/store/index.ts';
import { backends, truncateAll } from '../helpers/db.ts';
import { rss, type Item } from '../helpers/feeds.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';

const NOW = new Date('2026-01-21T12:00:00Z');

let stores: Stores;
let server: TestServer;
const fetcher = createFetcher({ allowPrivate: true, perHostSpacingMs: 0 });
// What each path serves; tests change it between polls.
const docs = new Map<string, { status?: number; body?: string; headers?: Record<string, string> }>();

beforeAll(async () => {
  stores = await backends()[0]!.open();
  server = await startHttpServer();
  server.route('/', () => {});
});
afterAll(async () => {
  await stores.db.close();
  await server.close();
  await fetcher.close();
});
beforeEach(async () => {
  await truncateAll(stores);
  docs.clear();
});

function serve(path: string, doc: { status?: number; body?: string; headers?: Record<string, string> }) {
  docs.set(path, doc);
  server.route(path, (req, res) => {
    const d = docs.get(path)!;
    const body = d.body ?? '';
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 12)}"`;
    if ((d.status ?? 200) === 200 && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(d.status ?? 200, { 'content-type': 'application/rss+xml', etag, ...(d.headers ?? {}) });
    res.end(body);
  });
}

function deps(over: Partial<PollFeedDeps> = {}) {
  const scheduled: Array<{ feedId: number; at: Date }> = [];
  const stored: string[][] = [];
  const hubs: string[][] = [];
  const d: PollFeedDeps = {
    feeds: stores.feeds,
    articles: stores.articles,
    fetcher,
    logger: silentLogger(),
    metrics: new Metrics(),
    now: () => NOW,
    polling: { minIntervalMs: 120_000, maxIntervalMs: 6 * 3_600_000, disableAfterFailures: 3 },
    schedulePoll: async (feedId, at) => {
      scheduled.push({ feedId, at });
    },
    articlesStored: async (ids) => {
      stored.push(ids);
    },
    hubFound: async (_feed, h) => {
      hubs.push(h);
    },
    ...over,
  };
  return { d, scheduled, stored, hubs };
}

const items = (n: number, from = 1): Item[] =>
  Array.from({ length: n }, (_, i) => ({ guid: `g${from + i}`, title: `Report ${from + i} on the border`, date: new Date(Date.UTC(2026, 0, 20, 10 + i)).toUTCString() }));

describe('poll-feed', () => {
  it('stores the first poll as a baseline that alerts nobody, then only new items', async () => {
    serve('/a.xml', { body: rss(items(3)) });
    const { feed } = await stores.feeds.add({ url: server.url('/a.xml') });
    const { d, scheduled, stored } = deps();

    const first = await pollFeed(d, { feedId: feed.id });
    expect(first.outcome).toBe('changed');
    expect(first.outcome === 'changed' && first.baseline).toBe(true);
    expect(stored).toEqual([]);
    expect(scheduled).toHaveLength(1);
    const after = (await stores.feeds.get(feed.id))!;
    expect(after.baselineDone).toBe(true);
    expect(after.etag).toMatch(/^"/);
    expect(after.name).toBe('Test Desk');
    expect(after.nextPollAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() + 120_000);
    const saved = await stores.articles.recentForFeed(feed.id);
    expect(saved).toHaveLength(3);
    expect(saved.every((a) => a.baseline)).toBe(true);

    // Unchanged: the stored ETag comes back and the server answers 304.
    const second = await pollFeed(d, { feedId: feed.id });
    expect(second).toMatchObject({ outcome: 'unchanged', reason: 'not-modified' });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe(after.etag);

    // One new item: stored, not baseline, handed on.
    docs.set('/a.xml', { body: rss(items(4)) });
    const third = await pollFeed(d, { feedId: feed.id });
    expect(third).toMatchObject({ outcome: 'changed', items: 4, newItems: 1, baseline: false });
    expect(stored).toHaveLength(1);
    const fresh = await stores.articles.byIds(stored[0]!);
    expect(fresh.map((a) => a.title)).toEqual(['Report 4 on the border']);
    expect(fresh[0]!.baseline).toBe(false);
    expect((await stores.feeds.get(feed.id))!.itemCount).toBe(4);
  });

  it('records a failing feed, backs off, and disables it after repeated failures', async () => {
    serve('/down.xml', { status: 503, body: 'busy' });
    const { feed } = await stores.feeds.add({ url: server.url('/down.xml') });
    const { d, scheduled } = deps();
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await pollFeed(d, { feedId: feed.id });
      expect(r).toMatchObject({ outcome: 'failed', code: 'http_5xx', disabled: false });
      delays.push(scheduled.at(-1)!.at.getTime() - NOW.getTime());
    }
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect((await stores.feeds.get(feed.id))!.status).toBe('failing');
    const last = await pollFeed(d, { feedId: feed.id });
    expect(last).toMatchObject({ outcome: 'failed', disabled: true });
    const f = (await stores.feeds.get(feed.id))!;
    expect(f.status).toBe('disabled');
    expect(f.disabledReason).toMatch(/503/);
    expect(f.disabledReason).toMatch(/3 consecutive failures/);
    expect(scheduled).toHaveLength(2);
    expect(await pollFeed(d, { feedId: feed.id })).toMatchObject({ outcome: 'skipped' });
  });

  it('never stores a credential from the feed URL in its error', async () => {
    serve('/private.xml', { status: 500 });
    const { feed } = await stores.feeds.add({ url: server.url('/private.xml?token=hunter2') });
    const { d } = deps();
    await pollFeed(d, { feedId: feed.id });
    const f = (await stores.feeds.get(feed.id))!;
    expect(f.lastError).toBeTruthy();
    expect(f.lastError).not.toContain('hunter2');
  });

  it('disables a feed that answers 410 Gone at once', async () => {
    serve('/gone.xml', { status: 410 });
    const { feed } = await stores.feeds.add({ url: server.url('/gone.xml') });
    const { d, scheduled } = deps();
    expect(await pollFeed(d, { feedId: feed.id })).toMatchObject({ outcome: 'failed', code: 'gone', disabled: true });
    expect(scheduled).toEqual([]);
  });

  it('honours Retry-After on 429', async () => {
    serve('/busy.xml', { status: 429, headers: { 'retry-after': '7200' } });
    const { feed } = await stores.feeds.add({ url: server.url('/busy.xml') });
    const { d, scheduled } = deps();
    expect(await pollFeed(d, { feedId: feed.id })).toMatchObject({ outcome: 'failed', code: 'rate_limited' });
    expect(scheduled[0]!.at.getTime() - NOW.getTime()).toBeGreaterThanOrEqual(7_200_000);
  });

  it('moves the feed on a permanent redirect', async () => {
    serve('/new.xml', { body: rss(items(1)) });
    server.route('/old.xml', (_req, res) => {
      res.writeHead(301, { location: '/new.xml' });
      res.end();
    });
    const { feed } = await stores.feeds.add({ url: server.url('/old.xml') });
    const { d } = deps();
    expect(await pollFeed(d, { feedId: feed.id })).toMatchObject({ outcome: 'changed' });
    expect((await stores.feeds.get(feed.id))!.url).toBe(server.url('/new.xml'));
  });

  it('keeps polling other feeds when one is broken', async () => {
    serve('/html', { body: '<!doctype html><html><head><title>Home</title></head><body>Welcome</body></html>' });
    serve('/ok.xml', { body: rss(items(2)) });
    const bad = (await stores.feeds.add({ url: server.url('/html') })).feed;
    const good = (await stores.feeds.add({ url: server.url('/ok.xml') })).feed;
    const { d } = deps();
    const [r1, r2] = await Promise.all([pollFeed(d, { feedId: bad.id }), pollFeed(d, { feedId: good.id })]);
    expect(r1).toMatchObject({ outcome: 'failed', code: 'not_a_feed' });
    expect(r2).toMatchObject({ outcome: 'changed', items: 2 });
    expect((await stores.feeds.get(bad.id))!.lastError).toBeTruthy();
  });

  it('reports a WebSub hub the feed advertises', async () => {
    const hubLink = '<atom:link rel="hub" href="https://hub.example/"/><atom:link rel="self" href="https://desk.example/feed"/>';
    serve('/hub.xml', { body: rss(items(1), hubLink) });
    const { feed } = await stores.feeds.add({ url: server.url('/hub.xml') });
    const { d, hubs } = deps();
    await pollFeed(d, { feedId: feed.id });
    expect(hubs).toEqual([['https://hub.example/']]);
  });

  it('prefers a hub from the Link header over the document', async () => {
    serve('/linkhub.xml', { body: rss(items(1)), headers: { link: '<https://pubsub.example/>; rel="hub", <https://desk.example/canonical.xml>; rel="self"' } });
    const { feed } = await stores.feeds.add({ url: server.url('/linkhub.xml') });
    const topics: string[] = [];
    const { d, hubs } = deps();
    d.hubFound = async (_f, h, topic) => {
      hubs.push(h);
      topics.push(topic);
    };
    await pollFeed(d, { feedId: feed.id });
    expect(hubs).toEqual([['https://pubsub.example/']]);
    expect(topics).toEqual(['https://desk.example/canonical.xml']);
  });

  it('does nothing when its schedule was superseded, so a feed keeps a single chain of polls', async () => {
    serve('/chain.xml', { body: rss(items(1)) });
    const { feed } = await stores.feeds.add({ url: server.url('/chain.xml') });
    const { d, scheduled } = deps();
    const stale = await pollFeed(d, { feedId: feed.id, at: feed.nextPollAt.getTime() - 60_000 });
    expect(stale).toEqual({ outcome: 'skipped', reason: 'superseded by a newer schedule' });
    expect(scheduled).toEqual([]);
    const current = await pollFeed(d, { feedId: feed.id, at: feed.nextPollAt.getTime() });
    expect(current.outcome).toBe('changed');
  });

  it('records an internal failure on the feed after the last attempt and keeps it scheduled', async () => {
    const { pollFeedJob } = await import('../../jobs/poll-feed.ts');
    const { feed } = await stores.feeds.add({ url: 'https://unused.example/feed' });
    const { d, scheduled } = deps();
    await pollFeedJob.onFinalFailure!(d, { feedId: feed.id }, new Error('database went away'));
    const f = (await stores.feeds.get(feed.id))!;
    expect(f.status).toBe('failing');
    expect(f.lastErrorCode).toBe('internal');
    expect(f.lastError).toMatch(/database went away/);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.at.getTime()).toBe(f.nextPollAt.getTime());
  });

  it('skips a feed that was removed', async () => {
    const { d } = deps();
    expect(await pollFeed(d, { feedId: 999 })).toMatchObject({ outcome: 'skipped' });
  });
});
