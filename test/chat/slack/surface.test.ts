/**
 * The real Bolt app behind Frontera's web server, driven by signed requests like Slack sends, answering
 * through the fake Slack API (response_url and Web API). Only Slack is fake.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, runCommandLine } from '../../../commands/index.ts';
import type { ChatServices } from '../../../commands/chat-services.ts';
import { createSlackSurface, type SlackSurface } from '../../../src/chat/slack/index.ts';
import { visible } from '../../../src/chat/slack/escape.ts';
import { loadBeatPack } from '../../../src/kb/pack.ts';
import { createLogger } from '../../../src/log.ts';
import { createChatStore, type ChatStore } from '../../../src/store/chat.ts';
import type { Stores } from '../../../src/store/index.ts';
import { startWebServer, type WebServer } from '../../../src/web/server.ts';
import { backends, truncateAll } from '../../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';

const SECRET = 'test-signing-secret';
const logger = createLogger({ level: 'silent' });

function sign(body: string, ts = Math.floor(Date.now() / 1000), secret = SECRET) {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) };
}

describe('Slack surface', () => {
  let stores: Stores;
  let chat: ChatStore;
  let slack: FakeSlack;
  let surface: SlackSurface;
  let web: WebServer;
  const delivered: string[] = [];

  beforeAll(async () => {
    stores = await backends()[0]!.open();
    chat = createChatStore(stores.db);
    slack = await startFakeSlack();
    const services: ChatServices = { store: chat, deliver: async (c) => void delivered.push(c.channelId) };
    const deps = { stores, pack: loadBeatPack(), logger, now: () => new Date(), queryTimeoutMs: 5000, services: { chat: services } };
    surface = createSlackSurface({
      botToken: 'xoxb-test', signingSecret: SECRET, apiUrl: slack.apiUrl, commands, logger,
      run: (line, caller) => runCommandLine(line, caller, deps),
      isAdmin: (u) => u === 'UADMIN',
      mute: (channel, storyId, userId) => chat.mute(channel, storyId, userId),
      unmute: async (channel, storyId) => void (await chat.unmute(channel, storyId)),
    });
    web = await startWebServer({ port: 0, host: '127.0.0.1', logger, routes: surface.routes });
  });
  afterAll(async () => {
    await web.close();
    await surface.stop();
    await slack.close();
    await stores.db.close();
  });
  beforeEach(async () => {
    await truncateAll(stores);
    slack.reset();
  });

  async function slash(command: string, text: string, o: { user?: string; headers?: Record<string, string> } = {}) {
    const responseUrl = slack.responseUrl();
    const body = new URLSearchParams({
      token: 'x', team_id: 'T1', team_domain: 'news', channel_id: 'CNEWS', channel_name: 'news', user_id: o.user ?? 'UREPORTER',
      user_name: 'reporter', command, text, api_app_id: 'A1', response_url: responseUrl, trigger_id: '1.2.3',
    }).toString();
    const res = await fetch(`${web.url}/slack/events`, {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body), ...o.headers },
    });
    return { res, responseUrl };
  }

  const answer = (url: string) => slack.waitForResponse(url);

  async function click(actionId: string, value: string) {
    const responseUrl = slack.responseUrl();
    const payload = JSON.stringify({
      type: 'block_actions', team: { id: 'T1' }, user: { id: 'UREPORTER' }, channel: { id: 'CNEWS' }, api_app_id: 'A1', token: 'x',
      response_url: responseUrl, trigger_id: '1.2.3', container: { type: 'message' },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
    });
    const body = new URLSearchParams({ payload }).toString();
    const res = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) } });
    return { res, responseUrl };
  }

  it('answers a slash command with Block Kit, ephemeral with a Share in channel button', async () => {
    const { res, responseUrl } = await slash('/help', '');
    expect(res.status).toBe(200);
    const a = await answer(responseUrl);
    expect(a.response_type).toBe('ephemeral');
    const blocks = a.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    expect(blocks[0]!.type).toBe('section');
    const share = blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === 'frontera_share')!;
    expect(share.value).toBe('/help');
    expect(visible(JSON.stringify(blocks))).toContain('/subscribe');

    // Sharing re-runs the command and posts it for the whole channel.
    const shared = await click('frontera_share', '/help');
    expect(shared.res.status).toBe(200);
    expect((await answer(shared.responseUrl)).response_type).toBe('in_channel');
  });

  it('runs every command under the umbrella /frontera too', async () => {
    const { responseUrl } = await slash('/frontera', 'help subscribe');
    const a = await answer(responseUrl);
    expect(visible(JSON.stringify(a.blocks))).toContain('/subscribe');
  });

  it('refuses a bad signature and a stale timestamp with 401', async () => {
    const body = 'command=%2Fhelp&text=&team_id=T1&channel_id=C1&user_id=U1&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fx';
    const bad = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body, undefined, 'wrong-secret') } });
    expect(bad.status).toBe(401);
    const stale = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body, Math.floor(Date.now() / 1000) - 600) } });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsigned.status).toBe(401);
  });

  it('answers url_verification', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...sign(body) } });
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('subscribes the channel, lists it, and keeps other channels for admins', async () => {
    const { responseUrl } = await slash('/subscribe', 'CJNG fentanilo importance:notable quiet:22:00-07:00 tz:America/Mexico_City');
    const a = await answer(responseUrl);
    expect(a.response_type).toBe('in_channel');
    const sub = await chat.subscription({ platform: 'slack', workspaceId: 'T1', channelId: 'CNEWS' });
    expect(sub).toMatchObject({ minImportance: 'notable', quietStart: 22 * 60, quietEnd: 7 * 60, timeZone: 'America/Mexico_City' });
    expect(sub!.actors.length + sub!.topics.length).toBeGreaterThan(0);
    const list = await slash('/subscriptions', '');
    expect(visible(JSON.stringify((await answer(list.responseUrl)).blocks))).toContain('America/Mexico_City');
    const other = await slash('/subscribe', 'channel:COTHER');
    expect(visible(JSON.stringify(await answer(other.responseUrl)))).toContain('Only admins');
    const admin = await slash('/subscriptions', 'all', { user: 'UADMIN' });
    expect(visible(JSON.stringify(await answer(admin.responseUrl)))).toContain('slack:T1:CNEWS');
  });

  it('mutes a story from its alert button', async () => {
    const { res, responseUrl } = await click('frontera_mute', 'story-1');
    expect(res.status).toBe(200);
    const muted = await answer(responseUrl);
    expect(await chat.isMuted({ platform: 'slack', workspaceId: 'T1', channelId: 'CNEWS' }, 'story-1')).toBe(true);
    expect(JSON.stringify(muted.blocks)).toContain('frontera_unmute');
    const undo = await click('frontera_unmute', 'story-1');
    await answer(undo.responseUrl);
    expect(await chat.isMuted({ platform: 'slack', workspaceId: 'T1', channelId: 'CNEWS' }, 'story-1')).toBe(false);
  });

  it('shows hostile command text literally, pinging no one', async () => {
    const { responseUrl } = await slash('/frontera', 'nosuch <!channel> @everyone <@U123>');
    const a = await answer(responseUrl);
    const raw = JSON.stringify(a);
    expect(raw).not.toMatch(/<!channel>|<@U123>|(?<!\u2060)@everyone|<https?:/);
  });
});
