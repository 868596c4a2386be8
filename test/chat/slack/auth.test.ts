/**
 * Bolt checks the bot token with auth.test. Slack being unreachable or failing when the bot starts must
 * not end the process: the check happens on the first request (which goes unanswered if it fails) and
 * is tried again on the next one.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, runCommandLine } from '../../../commands/index.ts';
import { createSlackSurface, type SlackSurface } from '../../../src/chat/slack/index.ts';
import { loadBeatPack } from '../../../src/kb/pack.ts';
import { createLogger } from '../../../src/log.ts';
import type { Stores } from '../../../src/store/index.ts';
import { startWebServer, type WebServer } from '../../../src/web/server.ts';
import { backends } from '../../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';

const logger = createLogger({ level: 'silent' });

describe('Slack token check', () => {
  let stores: Stores;
  let slack: FakeSlack;
  let surface: SlackSurface;
  let web: WebServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => void unhandled.push(err);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    stores = await backends()[0]!.open();
    slack = await startFakeSlack();
    slack.failUntilRecovered('auth.test', { status: 500 });
    const deps = { stores, pack: loadBeatPack(), logger, now: () => new Date(), queryTimeoutMs: 5000 };
    surface = createSlackSurface({
      botToken: 'xoxb-test', signingSecret: 'sec', apiUrl: slack.apiUrl, commands, logger,
      run: (line, caller) => runCommandLine(line, caller, deps), isAdmin: () => false,
    });
    web = await startWebServer({ port: 0, host: '127.0.0.1', logger, routes: surface.routes });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await web.close();
    await slack.close();
    await stores.db.close();
  });

  async function help() {
    const responseUrl = slack.responseUrl();
    const body = new URLSearchParams({ team_id: 'T1', channel_id: 'C1', user_id: 'U1', command: '/help', text: '', response_url: responseUrl, trigger_id: 't', api_app_id: 'A', token: 'x' }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${web.url}/slack/events`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${createHmac('sha256', 'sec').update(`v0:${ts}:${body}`).digest('hex')}` },
    });
    return { res, responseUrl };
  }

  it('does not call Slack at start, drops one request while auth.test fails, and recovers', async () => {
    expect(slack.calls).toEqual([]);
    // Bolt acks a request it could not authorize and runs no listener: that one command goes unanswered.
    const first = await help();
    expect(first.res.status).toBe(200);
    slack.recover();
    const second = await help();
    expect(second.res.status).toBe(200);
    expect((await slack.waitForResponse(second.responseUrl)).response_type).toBe('ephemeral');
    expect(slack.calls.filter((c) => c.method === 'auth.test').map((c) => c.status)).toEqual([500, 200]);
    await help();
    // Cached after it worked once.
    expect(slack.calls.filter((c) => c.method === 'auth.test')).toHaveLength(2);
    expect(unhandled).toEqual([]);
  });
});
