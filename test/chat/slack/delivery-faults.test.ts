/**
 * Delivery under faults, through the real Slack gateway against the fake Slack API: 5xx for a while,
 * 429 with Retry-After, a process killed between posting and recording, a permanent error, hostile feed
 * text, and Redis restarted under the running BullMQ workers. Only Slack is fake.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, type DeliverDeps } from '../../../jobs/deliver.ts';
import { publishStory, type PublishDeps } from '../../../jobs/publish-story.ts';
import { memoryLocks, memoryRateLimiter } from '../../../src/chat/limits.ts';
import { createSlackDelivery } from '../../../src/chat/slack/index.ts';
import { visible } from '../../../src/chat/slack/escape.ts';
import type { ChannelRef, ChatGateway } from '../../../src/chat/types.ts';
import { createChatRuntime } from '../../../src/chat/wiring.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import type { App } from '../../../src/main.ts';
import { Metrics } from '../../../src/metrics.ts';
import { findRedisServer, freePort } from '../../../src/queue/redis-server.ts';
import { createQueueRuntime } from '../../../src/queue/runtime.ts';
import { createChatStore, type ChatStore } from '../../../src/store/chat.ts';
import type { Stores } from '../../../src/store/index.ts';
import { backends, truncateAll } from '../../helpers/db.ts';
import { uniquePrefix } from '../../helpers/redis.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.ts';
import { seedStory } from '../seed.ts';

const logger = createLogger({ level: 'silent' });
const C: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'CALERTS' };
const storyOf = (m: { metadata?: { event_payload: Record<string, unknown> } }) => m.metadata?.event_payload.story_id;

describe('Slack delivery under faults', () => {
  let stores: Stores;
  let chat: ChatStore;
  let slack: FakeSlack;
  let gateway: ChatGateway;
  let deps: DeliverDeps;
  let publishDeps: PublishDeps;

  beforeAll(async () => {
    stores = await backends()[0]!.open();
    chat = createChatStore(stores.db);
    slack = await startFakeSlack();
    gateway = createSlackDelivery({ botToken: 'xoxb-test', apiUrl: slack.apiUrl, logger });
  });
  afterAll(async () => {
    await slack.close();
    await stores.db.close();
  });
  beforeEach(async () => {
    await truncateAll(stores);
    slack.reset();
    deps = {
      chat, newsroom: stores.newsroom, gateways: { slack: gateway }, limiter: memoryRateLimiter(), locks: memoryLocks(), logger,
      now: () => new Date(), policy: { perChannelMs: 10, globalMs: 0, backoffBaseMs: 20, backoffMaxMs: 200, transientRetries: 1000 },
      notifyAdmins: (channel, text) => gateway.notify({ ...channel, channelId: 'UADMIN' }, text), deliverLater: async () => {},
    };
    publishDeps = { chat, newsroom: stores.newsroom, now: () => new Date(), logger, deliver: async () => {} };
    await chat.saveSubscription(C, {}, 'U1');
  });

  async function stories(n: number, prefix: string) {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const id = `${prefix}${i}`;
      const a = await seedStory(stores, id, `Story ${id} on the border`);
      await publishStory(publishDeps, { storyId: id, articleId: a });
      ids.push(id);
    }
    return ids;
  }

  it('keeps every alert through a run of 500s and posts them in order after recovery', async () => {
    const ids = await stories(5, 'f');
    slack.failUntilRecovered('chat.postMessage', { status: 500 });
    const running = deliver(deps, C);
    while (slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 500).length < 4) await new Promise((r) => setTimeout(r, 20));
    slack.recover();
    await running;
    const posted = slack.messages('CALERTS');
    expect(posted.map(storyOf)).toEqual(ids);
    // An uncertain failure is reconciled against the channel history before posting again.
    expect(slack.calls.some((c) => c.method === 'conversations.history')).toBe(true);
    const row = await chat.byKey(C, 'alert:f1');
    expect(row!.history.map((h) => h.outcome)).toEqual(['pending', 'pending', 'delivered']);
    expect(row!.history[1]!.reason).toMatch(/^retrying: chat.postMessage/);
    expect(row!.attempts).toBeGreaterThan(1);
  });

  it('honours 429 Retry-After before posting to the channel again', async () => {
    await stories(2, 'r');
    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    await deliver(deps, C);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((p) => p.status)).toEqual([429, 200, 200]);
    // The fake answers 429 again to any call before the Retry-After it gave: there were none.
    expect(slack.retryAfterViolations).toEqual([]);
    const row = await chat.byKey(C, 'alert:r1');
    expect(row!.history.map((h) => h.outcome)).toEqual(['pending', 'rate-limited', 'delivered']);
  });

  it('the fake holds us to Retry-After: a call inside the window counts as a violation', async () => {
    slack.fail('chat.postMessage', { status: 429, retryAfter: 30 });
    await expect(gateway.notify(C, 'one')).rejects.toMatchObject({ kind: 'rate-limited', opts: { retryAfterMs: 30_000 } });
    await expect(gateway.notify(C, 'two')).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(slack.retryAfterViolations).toHaveLength(1);
  });

  it('does not post twice when the process dies between posting and recording', async () => {
    await stories(1, 'k');
    // The post reaches Slack, then the process "dies" before it can record the message.
    const dying: ChatGateway = { ...gateway, postAlert: async (...a) => {
      await gateway.postAlert(...a);
      throw new Error('process killed');
    } };
    await expect(deliver({ ...deps, gateways: { slack: dying } }, C)).rejects.toThrow('process killed');
    expect(slack.messages('CALERTS')).toHaveLength(1);
    // Restart: the intent is there, marked uncertain; the new process finds the post instead of repeating it,
    // even when its first look at the history is rate-limited.
    slack.fail('conversations.history', { status: 429, retryAfter: 1 });
    await deliver(deps, C);
    expect(slack.messages('CALERTS')).toHaveLength(1);
    const row = await chat.byKey(C, 'alert:k1');
    expect(row).toMatchObject({ outcome: 'delivered', messageId: slack.messages('CALERTS')[0]!.ts, reason: expect.stringContaining('found already posted') });
  });

  it('finds an interrupted post further back than one page of channel history', async () => {
    await stories(1, 'deep');
    const dying: ChatGateway = { ...gateway, postAlert: async (...a) => {
      await gateway.postAlert(...a);
      throw new Error('process killed');
    } };
    await expect(deliver({ ...deps, gateways: { slack: dying } }, C)).rejects.toThrow('process killed');
    // The channel is busy while the bot is down.
    for (let i = 0; i < 450; i++) await gateway.notify(C, `chatter ${i}`);
    await deliver(deps, C);
    expect(slack.messages('CALERTS').filter((m) => storyOf(m) === 'deep1')).toHaveLength(1);
    expect(slack.calls.filter((c) => c.method === 'conversations.history').length).toBe(3);
  });

  it('pauses the subscription on a permanent error and tells the admins', async () => {
    await stories(3, 'p');
    slack.fail('chat.postMessage', { error: 'channel_not_found' });
    const r = await deliver(deps, C);
    expect(r.stopped).toBe('paused');
    expect(await chat.subscription(C)).toMatchObject({ paused: true, pausedReason: 'Slack said channel_not_found' });
    expect((await chat.byKey(C, 'alert:p2'))!.outcome).toBe('failed');
    const notice = slack.messages('UADMIN');
    expect(notice).toHaveLength(1);
    expect(visible(notice[0]!.text)).toContain('channel_not_found');
  });

  it('fails one refused post without pausing the channel', async () => {
    await stories(2, 'o');
    slack.fail('chat.postMessage', { error: 'msg_too_long' });
    await deliver(deps, C);
    expect(await chat.byKey(C, 'alert:o1')).toMatchObject({ outcome: 'failed', reason: 'Slack refused this message (msg_too_long)' });
    expect((await chat.byKey(C, 'alert:o2'))!.outcome).toBe('delivered');
    expect((await chat.subscription(C))!.paused).toBe(false);
  });

  it('shows hostile feed text literally and pings no one', async () => {
    const hostile = '@everyone @here <!channel> <!here> <@U123> <@&987> <https://evil.example|click here> *bold* _it_ ~x~ `code` & done';
    const a = await seedStory(stores, 'h1', hostile, { actors: ['<@U999>'], report: { title: hostile, feedName: '<!everyone> Wire' } });
    await publishStory(publishDeps, { storyId: 'h1', articleId: a });
    await deliver(deps, C);
    const [m] = slack.messages('CALERTS');
    const raw = JSON.stringify([m!.text, m!.blocks]);
    expect(raw).not.toMatch(/<!|<@|<https:\/\/evil|(?<![\u2060])@(everyone|here)\b/);
    expect(raw).not.toMatch(/(?<!\\u200b|\u200b)\*bold/);
    expect(visible(m!.text)).toContain(hostile);
    expect(visible(JSON.stringify(m!.blocks))).toContain('<https://evil.example|click here>');
    expect(slack.calls.find((c) => c.method === 'chat.postMessage')!.args.link_names).toBeUndefined();
  });

  it('recovers when Redis restarts mid-run: every alert arrives once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-redis-restart-'));
    const port = await freePort();
    let redis = await startRedis(port, dir);
    const config = loadConfig({});
    const app: App = { config, logger, stores, fetcher: {} as App['fetcher'], metrics: new Metrics(), now: () => new Date(), close: async () => {} };
    const redisUrl = `redis://127.0.0.1:${port}`;
    const prefix = uniquePrefix();
    const queue = createQueueRuntime({ redisUrl, prefix, logger });
    const runtime = createChatRuntime({ app, queue, gateways: { slack: gateway }, redisUrl, queuePrefix: prefix, policy: deps.policy });
    const stops = runtime.startWorkers();
    const stopSweep = runtime.startScheduler(300);
    try {
      const publishAll = async (prefixId: string) => {
        for (let i = 1; i <= 3; i++) {
          const id = `${prefixId}${i}`;
          const a = await seedStory(stores, id, `Story ${id}`);
          // The engine's hand-off; while Redis is down it fails and the sweep repairs it.
          await runtime.publish([{ id: a, relevant: true, score: 0.9, reasons: [], story: id, duplicateOf: null, actors: [], topics: [] }]).catch(() => {});
        }
      };
      await publishAll('x');
      await slack.waitForMessages(3);
      await stopRedis(redis);
      await publishAll('y');
      redis = await startRedis(port, dir);
      await slack.waitForMessages(6, 30_000);
      const ids = slack.messages('CALERTS').map(storyOf);
      expect(new Set(ids).size).toBe(6);
      expect(ids.sort()).toEqual(['x1', 'x2', 'x3', 'y1', 'y2', 'y3']);
      // The last post is recorded (and counted) just after the fake has it.
      const delivered = () => app.metrics.value('frontera_chat_posts_total', { platform: 'slack', outcome: 'delivered' });
      for (let i = 0; i < 100 && delivered() < 6; i++) await new Promise((r) => setTimeout(r, 50));
      expect(delivered()).toBe(6);
    } finally {
      stopSweep();
      for (const s of stops) await s();
      await queue.close();
      await runtime.close();
      await stopRedis(redis);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(findRedisServer(), ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
