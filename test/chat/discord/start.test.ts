/**
 * The running bot with Discord configured (DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL at the
 * fake), wired the way `frontera start` wires it: a channel subscribes with a slash command through the
 * fake gateway, a feed gains on-beat items, and the alert embed and a report in its thread reach the fake
 * REST API through the queue, the engine and the chat jobs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBeatFeed } from '../../../bench/gen.ts';
import { pollFeed } from '../../../jobs/poll-feed.ts';
import { chatPlatformsFromConfig } from '../../../src/cli/start.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/log.ts';
import { createApp, type App } from '../../../src/main.ts';
import { pollFeedDeps, startRoles } from '../../../src/roles.ts';
import { startHttpServer, type TestServer } from '../../fakes/http-server.ts';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../../fakes/discord.ts';
import { startTestRedis, uniquePrefix, type TestRedis } from '../../helpers/redis.ts';

let dir: string;
let app: App;
let redis: TestRedis;
let feeds: TestServer;
let discord: FakeDiscord;
let items = 3;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-discord-start-'));
  discord = await startFakeDiscord();
  const config = loadConfig({
    FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '1s', FRONTERA_POLL_MAX: '1s', FRONTERA_HOST_SPACING: '0ms', PORT: '0',
    DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl,
  }, { dataDir: dir });
  app = await createApp(config, silentLogger());
  redis = await startTestRedis();
  feeds = await startHttpServer({
    'GET /beat.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'no-cache' });
      res.end(generateBeatFeed(0, items));
    },
  });
});
afterAll(async () => {
  await app.close();
  await redis.stop();
  await feeds.close();
  await discord.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function answered(it: FakeInteraction): Promise<string> {
  await discord.waitFor(() => it.responses.some((r) => (r.kind === 'callback' && r.type === 4) || r.kind === 'edit-original' || r.kind === 'followup'), `answer to ${it.id}`);
  return JSON.stringify(it.responses);
}

describe('frontera start with Discord', () => {
  it('answers slash commands over the gateway and posts alerts with threads from a live feed', async () => {
    const { feed } = await app.stores.feeds.add({ url: feeds.url('/beat.xml'), name: 'Outlet Zero' });
    await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id }); // the silent baseline
    const { gateways, surfaces } = chatPlatformsFromConfig(app.config, app.logger);
    const bot = await startRoles(app, { roles: ['all'], redisUrl: redis.url, queuePrefix: uniquePrefix(), reconcileEveryMs: 500, chatSweepMs: 500, gateways, surfaces });
    try {
      expect(await answered(discord.interact({ command: 'subscribe' }))).toContain('subscribed');
      expect(await answered(discord.interact({ command: 'brief', options: [{ name: 'name', type: 3, value: 'sheinbaun' }] }))).toContain('Sheinbaum');

      // Items 3..5 report one new event (generateBeatFeed: three reports per event).
      items = 6;
      await discord.waitFor(() => discord.messages().some((m) => m.embeds.length > 0), 'the alert');
      const alerts = discord.messages().filter((m) => m.embeds.length > 0);
      expect(alerts).toHaveLength(1);
      for (const m of discord.messages()) expect(m.allowedMentions).toEqual({ parse: [] });
      const threadId = alerts[0]!.id;
      await discord.waitFor(() => discord.channels.has(threadId) && discord.messages(threadId).length >= 1, 'a report in the thread');
      expect(discord.messages(threadId)[0]!.allowedMentions).toEqual({ parse: [] });
      // The worker indexes analysed reports for /search as it goes, before anyone searches.
      const { rows } = await app.stores.db.query<{ n: number }>('select count(*)::int as n from search_docs');
      expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
    } finally {
      await bot.stop();
    }
  }, 90_000);
});
