import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createApp, type App } from '../../src/main.ts';
import { startRoles } from '../../src/roles.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';
import { rss, type Item } from '../helpers/feeds.ts';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.ts';

let dir: string;
let app: App;
let redis: TestRedis;
let server: TestServer;
let feedItems: Item[] = [{ guid: 'b1', title: 'First report from the border' }];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-bot-'));
  const config = loadConfig(
    { FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '1s', FRONTERA_POLL_MAX: '2s', FRONTERA_HOST_SPACING: '0ms', PORT: '0' },
    { dataDir: dir },
  );
  app = await createApp(config, silentLogger());
  redis = await startTestRedis();
  server = await startHttpServer({
    'GET /live.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'max-age=1' });
      res.end(rss(feedItems));
    },
  });
});
afterAll(async () => {
  await app.close();
  await redis.stop();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function waitFor<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      const v = await check();
      if (v) return resolve(v);
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 100);
    };
    void tick();
  });
}

describe('the running bot', () => {
  it('polls each feed on its own schedule through the queue, serves health and metrics, and stops cleanly', async () => {
    const { feed } = await app.stores.feeds.add({ url: server.url('/live.xml') });
    const newIds: string[] = [];
    const bot = await startRoles(app, {
      roles: ['all'], redisUrl: redis.url, queuePrefix: uniquePrefix(), reconcileEveryMs: 500,
      onArticles: async (ids) => {
        newIds.push(...ids);
      },
    });
    try {
      // The first poll is the baseline.
      await waitFor(async () => (await app.stores.feeds.get(feed.id))?.baselineDone);
      expect(newIds).toEqual([]);

      // A new item appears; the next scheduled poll picks it up and hands it on.
      feedItems = [{ guid: 'b2', title: 'Second report: troops arrive' }, ...feedItems];
      await waitFor(async () => newIds.length === 1);
      const [a] = await app.stores.articles.byIds(newIds);
      expect(a!.title).toBe('Second report: troops arrive');

      const web = bot.web!;
      expect(await (await fetch(`${web.url}/healthz`)).text()).toBe('ok\n');
      const ready = await fetch(`${web.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: { database: true, redis: true } });
      const metrics = await (await fetch(`${web.url}/metrics`)).text();
      expect(metrics).toMatch(/frontera_polls_total\{outcome="changed"\} [1-9]/);
      expect(metrics).toMatch(/frontera_feeds\{status="active"\} 1/);
      expect(metrics).toMatch(/frontera_articles 2/);
      expect((await fetch(`${web.url}/nope`)).status).toBe(404);
    } finally {
      await bot.stop();
    }
    // Stopped: the web server no longer answers.
    await expect(fetch(`${bot.web!.url}/healthz`)).rejects.toThrow();
  });
});
