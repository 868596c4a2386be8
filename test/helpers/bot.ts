/**
 * A bot as `frontera start` builds it, for the chat end-to-end tests: an App on a temporary data dir
 * with polls every second, a private redis-server, and one local on-beat feed whose length the test
 * controls (generateBeatFeed: three reports per event, so raising it from 3 to 6 adds one story).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateBeatFeed } from '../../bench/gen.ts';
import { pollFeed } from '../../jobs/poll-feed.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createApp, type App } from '../../src/main.ts';
import { pollFeedDeps } from '../../src/roles.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';
import { startTestRedis, type TestRedis } from './redis.ts';

export interface BotFixture {
  app: App;
  redis: TestRedis;
  /** How many items the feed lists now. */
  items: number;
  /** Adds the feed and runs its silent baseline poll, as `feeds add` does. */
  addFeed(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds the fixture with the chat settings in `env` (tokens, API URLs at the fakes). */
export async function startBotFixture(env: Record<string, string>): Promise<BotFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-bot-'));
  const config = loadConfig({
    FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '1s', FRONTERA_POLL_MAX: '1s', FRONTERA_HOST_SPACING: '0ms', PORT: '0', ...env,
  }, { dataDir: dir });
  const app = await createApp(config, silentLogger());
  const redis = await startTestRedis();
  const fixture: BotFixture = {
    app,
    redis,
    items: 3,
    async addFeed(name) {
      const { feed } = await app.stores.feeds.add({ url: feeds.url('/beat.xml'), name });
      await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id });
    },
    async close() {
      await app.close();
      await redis.stop();
      await feeds.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const feeds: TestServer = await startHttpServer({
    'GET /beat.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'no-cache' });
      res.end(generateBeatFeed(0, fixture.items));
    },
  });
  return fixture;
}
