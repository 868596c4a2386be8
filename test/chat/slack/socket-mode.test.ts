/**
 * Socket Mode (SLACK_APP_TOKEN): the real Bolt app connects to the fake's apps.connections.open URL,
 * receives a slash command envelope, acks it over the socket and answers through response_url.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, runCommandLine } from '../../../commands/index.ts';
import { createSlackSurface, type SlackSurface } from '../../../src/chat/slack/index.ts';
import { visible } from '../../../src/chat/slack/escape.ts';
import { loadBeatPack } from '../../../src/kb/pack.ts';
import { createLogger } from '../../../src/log.ts';
import type { Stores } from '../../../src/store/index.ts';
import { backends } from '../../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';

const logger = createLogger({ level: 'silent' });

describe('Slack Socket Mode', () => {
  let stores: Stores;
  let slack: FakeSlack;
  let surface: SlackSurface;

  beforeAll(async () => {
    stores = await backends()[0]!.open();
    slack = await startFakeSlack();
    const deps = { stores, pack: loadBeatPack(), logger, now: () => new Date(), queryTimeoutMs: 5000 };
    surface = createSlackSurface({
      botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: slack.apiUrl, commands, logger,
      run: (line, caller) => runCommandLine(line, caller, deps), isAdmin: () => false,
    });
    expect(surface.routes).toEqual([]);
    await surface.start();
    await slack.socket.connected();
  });
  afterAll(async () => {
    await surface.stop();
    await slack.close();
    await stores.db.close();
  });

  it('acks a slash command envelope over the socket and answers with Block Kit', async () => {
    const responseUrl = slack.responseUrl();
    slack.socket.send({
      envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true,
      payload: { team_id: 'T1', channel_id: 'C1', user_id: 'U1', command: '/frontera', text: 'help', response_url: responseUrl, trigger_id: 't', api_app_id: 'A1', token: 'x' },
    });
    expect((await slack.socket.ack('env-1')).envelope_id).toBe('env-1');
    const a = await slack.waitForResponse(responseUrl);
    expect(a.response_type).toBe('ephemeral');
    expect(visible(JSON.stringify(a.blocks))).toContain('/brief');
    expect(slack.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
  });
});
