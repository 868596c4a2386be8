/**
 * The delivery job with the Discord gateway against the fake Discord: the DeliveryError kinds the
 * gateway throws drive deliver.ts's retries, waits, reconciles and pauses as they should. Only Discord
 * is fake: stories, decisions and the outbox are the real stores.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, type DeliverDeps } from '../../../jobs/deliver.ts';
import { publishStory, type PublishDeps } from '../../../jobs/publish-story.ts';
import { createDiscordDelivery } from '../../../src/chat/discord/index.ts';
import { visibleText } from '../../../src/chat/discord/escape.ts';
import { memoryLocks, memoryRateLimiter } from '../../../src/chat/limits.ts';
import type { ChannelRef, ChatGateway } from '../../../src/chat/types.ts';
import { createChatStore, type ChatStore } from '../../../src/store/chat.ts';
import type { Stores } from '../../../src/store/index.ts';
import { backends, truncateAll } from '../../helpers/db.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord.ts';
import { addReport, seedStory } from '../seed.ts';
import { HOSTILE, memoryLogger } from './helpers.ts';

const ADMIN_CHANNEL = '1300000000000000999';
const storyOf = (m: FakeMessage) => /story (\S+)$/.exec(m.embeds[0]?.footer?.text ?? '')?.[1];

describe('Discord delivery through deliver.ts', () => {
  let stores: Stores;
  let chat: ChatStore;
  let fake: FakeDiscord;
  let gateway: ChatGateway;
  let deps: DeliverDeps;
  let publishDeps: PublishDeps;
  let channel: ChannelRef;
  let sleeps: number[];
  let nextChannel = 1300000000000000500n;

  beforeAll(async () => {
    stores = await backends()[0]!.open();
    chat = createChatStore(stores.db);
    fake = await startFakeDiscord();
    fake.addChannel(ADMIN_CHANNEL, 'admins');
  });
  afterAll(async () => {
    await fake.close();
    await stores.db.close();
  });
  beforeEach(async () => {
    await truncateAll(stores);
    const { logger } = memoryLogger();
    // A fresh gateway (own rate-limit state) and channel per test.
    gateway = createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, logger });
    const channelId = String(nextChannel++);
    fake.addChannel(channelId, `alerts-${channelId}`);
    channel = { platform: 'discord', workspaceId: fake.guildId, channelId };
    sleeps = [];
    deps = {
      chat, newsroom: stores.newsroom, gateways: { discord: gateway }, limiter: memoryRateLimiter(), locks: memoryLocks(), logger,
      now: () => new Date(),
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((r) => setTimeout(r, ms));
      },
      policy: { perChannelMs: 0, globalMs: 0, backoffBaseMs: 5, backoffMaxMs: 20, transientRetries: 50 },
      notifyAdmins: (c, text) => gateway.notify({ ...c, channelId: ADMIN_CHANNEL }, text), deliverLater: async () => {},
    };
    publishDeps = { chat, newsroom: stores.newsroom, now: () => new Date(), logger, deliver: async () => {} };
    await chat.saveSubscription(channel, {}, '1500000000000000001');
  });

  async function stories(n: number, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const id = `${prefix}${i}`;
      const a = await seedStory(stores, id, `Story ${id} on the border`);
      await publishStory(publishDeps, { storyId: id, articleId: a });
      ids.push(id);
    }
    return ids;
  }

  it('keeps every alert through a run of 500s and posts them once each, in order', async () => {
    const ids = await stories(4, 'f');
    fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${channel.channelId}/messages$`) }, { status: 500, times: 5 });
    await deliver(deps, channel);
    expect(fake.messages(channel.channelId).map(storyOf)).toEqual(ids);
    // The failures were uncertain: history was read before posting again.
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/channels/${channel.channelId}/messages`)).toBe(true);
    expect((await chat.byKey(channel, 'alert:f1'))!.outcome).toBe('delivered');
  });

  it('waits the whole Retry-After of a 429 before posting again', async () => {
    await stories(2, 'r');
    fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${channel.channelId}/messages$`) }, { status: 429, retryAfter: 1 });
    await deliver(deps, channel);
    expect(fake.messages(channel.channelId).map(storyOf)).toEqual(['r1', 'r2']);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(1000);
    // Had deliver come back early, discord.js would have refused locally: one rate-limited entry only.
    const row = await chat.byKey(channel, 'alert:r1');
    expect(row!.history.map((h) => h.outcome)).toEqual(['pending', 'rate-limited', 'delivered']);
  });

  it('does not post twice when the process dies between posting and recording', async () => {
    await stories(1, 'k');
    const dying: ChatGateway = { ...gateway, postAlert: async (...a) => {
      await gateway.postAlert(...a);
      throw new Error('process killed');
    } };
    await expect(deliver({ ...deps, gateways: { discord: dying } }, channel)).rejects.toThrow('process killed');
    expect(fake.messages(channel.channelId)).toHaveLength(1);
    await deliver(deps, channel);
    expect(fake.messages(channel.channelId)).toHaveLength(1);
    expect(await chat.byKey(channel, 'alert:k1')).toMatchObject({ outcome: 'delivered', messageId: fake.messages(channel.channelId)[0]!.id });
  });

  it('a later report of the story goes into the alert thread, and the alert is edited', async () => {
    const [id] = await stories(1, 't');
    await deliver(deps, channel);
    const [alert] = fake.messages(channel.channelId);
    const later = await addReport(stores, id!, { key: 't1-2', title: 'Second outlet confirms the transfer', feedName: 'Diario Sur', language: 'es' });
    await publishStory(publishDeps, { storyId: id!, articleId: later });
    await deliver(deps, channel);
    expect(fake.messages(channel.channelId)).toHaveLength(1);
    const inThread = fake.messages(alert!.id);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]!.embeds[0].title).toBe('Second outlet confirms the transfer');
    expect(alert!.edited_timestamp).not.toBeNull();
  });

  it('pauses the subscription on missing access and tells the admins', async () => {
    await stories(2, 'p');
    fake.channels.get(channel.channelId)!.denied = true;
    const r = await deliver(deps, channel);
    expect(r.stopped).toBe('paused');
    expect(await chat.subscription(channel)).toMatchObject({ paused: true, pausedReason: 'missing-access' });
    const [notice] = fake.messages(ADMIN_CHANNEL).slice(-1);
    expect(visibleText(notice!.content)).toContain('missing-access');
    expect(notice!.allowedMentions).toEqual({ parse: [] });
  });

  it('shows hostile feed text literally and pings nobody', async () => {
    const title = HOSTILE.replace(/\n/g, ' ');
    const a = await seedStory(stores, 'h1', title, { actors: ['<@999>'], report: { title, feedName: '@everyone Wire' } });
    await publishStory(publishDeps, { storyId: 'h1', articleId: a });
    await deliver(deps, channel);
    const [m] = fake.messages(channel.channelId);
    expect(m!.allowedMentions).toEqual({ parse: [] });
    const raw = JSON.stringify(m!.embeds);
    expect(raw).not.toMatch(/@(everyone|here)|<[@#:t]|\[click here\]\(/);
    expect(visibleText(m!.embeds[0].title)).toBe(title);
  });
});
