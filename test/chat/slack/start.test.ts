/**
 * The running bot with Slack configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL at the fake):
 * a channel subscribes with a signed slash command on /slack/events, a feed gains on-beat items, and the
 * alert and its thread reply reach the fake Slack API through the queue, the engine and the chat jobs.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBeatFeed } from '../../../bench/gen.ts';
import { pollFeed } from '../../../jobs/poll-feed.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/log.ts';
import { createApp, type App } from '../../../src/main.ts';
import { pollFeedDeps, startRoles } from '../../../src/roles.ts';
import { startHttpServer, type TestServer } from '../../fakes/http-server.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';
import { startTestRedis, uniquePrefix, type TestRedis } from '../../helpers/redis.ts';

const SECRET = 'start-secret';
let dir: string;
let app: App;
let redis: TestRedis;
let feeds: TestServer;
let slack: FakeSlack;
let items = 3;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-slack-start-'));
  slack = await startFakeSlack();
  const config = loadConfig({
    FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '1s', FRONTERA_POLL_MAX: '1s', FRONTERA_HOST_SPACING: '0ms', PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-start', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl.replace(/\/$/, ''), FRONTERA_ADMINS: 'slack:UADMIN',
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
  await slack.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('frontera start with Slack', () => {
  it('answers on /slack/events and posts alerts with threads from a live feed', async () => {
    const { feed } = await app.stores.feeds.add({ url: feeds.url('/beat.xml'), name: 'Outlet Zero' });
    await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id }); // the silent baseline
    const bot = await startRoles(app, { roles: ['all'], redisUrl: redis.url, queuePrefix: uniquePrefix(), reconcileEveryMs: 500, chatSweepMs: 500 });
    try {
      const slash = async (command: string, text: string, user = 'UREPORTER') => {
        const responseUrl = slack.responseUrl();
        const body = new URLSearchParams({ team_id: 'T1', channel_id: 'CDESK', user_id: user, command, text, response_url: responseUrl, trigger_id: 't', api_app_id: 'A', token: 'x' }).toString();
        const ts = Math.floor(Date.now() / 1000);
        const res = await fetch(`${bot.web!.url}/slack/events`, {
          method: 'POST', body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}` },
        });
        expect(res.status).toBe(200);
        return slack.waitForResponse(responseUrl);
      };
      expect(JSON.stringify(await slash('/subscribe', ''))).toContain('This channel is subscribed');
      expect(JSON.stringify(await slash('/feeds', 'list'))).toContain('is for admins');
      expect(JSON.stringify(await slash('/feeds', 'list', 'UADMIN'))).toContain('Outlet Zero');

      // Items 3..5 report one new event (generateBeatFeed: three reports per event).
      items = 6;
      await slack.waitForMessages(2, 30_000);
      const alerts = slack.messages('CDESK');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.metadata?.event_type).toBe('frontera_alert');
      await slack.waitForMessages(3, 30_000);
      expect(slack.messages('CDESK')).toHaveLength(1);
      expect(slack.replies('CDESK', alerts[0]!.ts).length).toBeGreaterThanOrEqual(2);
    } finally {
      await bot.stop();
    }
  }, 90_000);
});
