/**
 * The running bot with Slack configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL at the fake):
 * a channel subscribes with a signed slash command on /slack/events, a feed gains on-beat items, and the
 * alert and its thread reply reach the fake Slack API through the queue, the engine and the chat jobs.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoles } from '../../../src/roles.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';
import { startBotFixture, type BotFixture } from '../../helpers/bot.ts';
import { uniquePrefix } from '../../helpers/redis.ts';

const SECRET = 'start-secret';
let bot0: BotFixture;
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack();
  bot0 = await startBotFixture({
    SLACK_BOT_TOKEN: 'xoxb-start', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl.replace(/\/$/, ''), FRONTERA_ADMINS: 'slack:UADMIN',
  });
});
afterAll(async () => {
  await bot0.close();
  await slack.close();
});

describe('frontera start with Slack', () => {
  it('answers on /slack/events and posts alerts with threads from a live feed', async () => {
    await bot0.addFeed('Outlet Zero'); // the silent baseline
    const bot = await startRoles(bot0.app, { roles: ['all'], redisUrl: bot0.redis.url, queuePrefix: uniquePrefix(), reconcileEveryMs: 500, chatSweepMs: 500 });
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
      bot0.items = 6;
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
