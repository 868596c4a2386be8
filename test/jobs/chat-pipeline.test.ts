/**
 * publish-story -> deliver -> digest over the real store and the real Slack gateway (Bolt's Web API
 * client) against the fake Slack API. Only Slack is fake.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, type DeliverDeps } from '../../jobs/deliver.ts';
import { runDigests } from '../../jobs/digest.ts';
import { publishStory, type PublishDeps } from '../../jobs/publish-story.ts';
import { runCommandLine } from '../../commands/index.ts';
import { memoryLocks, memoryRateLimiter } from '../../src/chat/limits.ts';
import { createSlackDelivery } from '../../src/chat/slack/index.ts';
import { visible } from '../../src/chat/slack/escape.ts';
import type { ChannelRef } from '../../src/chat/types.ts';
import { loadBeatPack } from '../../src/kb/pack.ts';
import { createLogger } from '../../src/log.ts';
import { createChatStore, type ChatStore } from '../../src/store/chat.ts';
import type { Stores } from '../../src/store/index.ts';
import { backends, truncateAll } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { addReport, saveStory, seedStory } from '../chat/seed.ts';

const logger = createLogger({ level: 'silent' });
const C: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'CNEWS' };
const pack = loadBeatPack();

describe.each(backends())('chat pipeline on $name', (backend) => {
  let stores: Stores;
  let chat: ChatStore;
  let slack: FakeSlack;
  let now: Date;
  let publishDeps: PublishDeps;
  let deliverDeps: DeliverDeps;

  beforeAll(async () => {
    stores = await backend.open();
    chat = createChatStore(stores.db);
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
    await stores.db.close();
  });
  beforeEach(async () => {
    await truncateAll(stores);
    slack.reset();
    now = new Date();
    const gateway = createSlackDelivery({ botToken: 'xoxb-test', apiUrl: slack.apiUrl, logger });
    deliverDeps = {
      chat, newsroom: stores.newsroom, gateways: { slack: gateway }, limiter: memoryRateLimiter(), locks: memoryLocks(), logger,
      now: () => now, policy: { perChannelMs: 10, globalMs: 0, backoffBaseMs: 20, backoffMaxMs: 100, transientRetries: 100 },
      notifyAdmins: (channel, text) => gateway.notify({ ...channel, channelId: 'UADMIN' }, text), deliverLater: async () => {},
    };
    // publish-story hands channels to deliver directly (in production: a deliver job per channel).
    publishDeps = { chat, newsroom: stores.newsroom, now: () => now, logger, deliver: async () => {} };
  });

  const publish = (storyId: string, articleId: string) => publishStory(publishDeps, { storyId, articleId });
  const run = () => deliver(deliverDeps, C);

  it('posts one alert per story with metadata, later reports in its thread, and edits the parent', async () => {
    await chat.saveSubscription(C, {}, 'U1');
    const a1 = await seedStory(stores, 's1', 'Marines seize fentanyl lab in Sinaloa');
    await publish('s1', a1);
    await run();
    const [alert] = slack.messages('CNEWS');
    expect(alert!.metadata).toMatchObject({ event_type: 'frontera_alert', event_payload: { story_id: 's1' } });
    expect(alert!.blocks.length).toBeGreaterThan(1);
    expect(JSON.stringify(alert!.blocks)).toContain('Mute this story');

    const a2 = await addReport(stores, 's1', { key: 's1-2', title: 'Second outlet confirms the Sinaloa lab seizure', feedName: 'Diario' });
    await saveStory(stores, { id: 's1', headline: 'Marines seize fentanyl lab in Sinaloa, second outlet confirms', articleCount: 2 });
    await publish('s1', a2);
    await publish('s1', a2); // a re-delivered job changes nothing
    await run();
    expect(slack.messages('CNEWS')).toHaveLength(1);
    const replies = slack.replies('CNEWS', alert!.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.reply_broadcast).toBeUndefined();
    expect(visible(replies[0]!.text)).toContain('Second outlet confirms');
    expect(alert!.edits).toBe(1);
    expect(visible(alert!.text)).toContain('second outlet confirms');
    expect((await chat.byKey(C, 'thread:s1:' + a2))!.outcome).toBe('thread-update');
  });

  it('re-alerts the channel only on a material change: an official statement, a new casualty figure, becoming breaking', async () => {
    await chat.saveSubscription(C, {}, 'U1');
    const a1 = await seedStory(stores, 's2', 'Clash near Culiacán', { importance: 'notable', report: { text: 'Three people were killed in a clash.' } });
    await publish('s2', a1);
    const a2 = await addReport(stores, 's2', { key: 's2-2', title: 'Another outlet on the clash', text: 'Three people were killed.' });
    await publish('s2', a2);
    const a3 = await addReport(stores, 's2', { key: 's2-3', title: 'Toll rises', text: 'At least 7 people were killed, officials said.' });
    await publish('s2', a3);
    const a4 = await addReport(stores, 's2', { key: 's2-4', title: 'Security cabinet statement', tier: 'official', feedName: 'Gabinete' });
    await saveStory(stores, { id: 's2', headline: 'Clash near Culiacán', importance: 'breaking' });
    await publish('s2', a4);
    await run();
    const [alert] = slack.messages('CNEWS');
    const replies = slack.replies('CNEWS', alert!.ts);
    // a2 is a plain thread update; a3 (new figure) and a4 (breaking + official) are re-alerts: each is
    // posted once, in the thread and shown in the channel, never also as a plain reply.
    expect(replies.filter((r) => !r.reply_broadcast)).toHaveLength(1);
    expect(replies).toHaveLength(3);
    const broadcasts = replies.filter((r) => r.reply_broadcast).map((r) => visible(r.text));
    expect(broadcasts).toHaveLength(2);
    expect(broadcasts[0]).toContain('new killed figure: 7');
    expect(broadcasts[1]).toContain('became breaking');

    // publish-story retried for reports already decided (a crash before it finished): nothing new.
    await publish('s2', a3);
    await publish('s2', a4);
    await run();
    expect(slack.replies('CNEWS', alert!.ts)).toHaveLength(3);
  });

  it('records why a story was filtered, held for quiet hours or queued for the digest, and /why shows it', async () => {
    await chat.saveSubscription(C, { minImportance: 'breaking' }, 'U1');
    const a1 = await seedStory(stores, 's3', 'Routine border statistics', { importance: 'routine' });
    const [d] = await publish('s3', a1);
    expect(d).toMatchObject({ outcome: 'filtered', reason: expect.stringContaining('below the channel\'s minimum (breaking)') });
    const caller = { platform: 'slack' as const, userId: 'U1', channelId: C.channelId, workspaceId: C.workspaceId, isAdmin: false };
    const deps = { stores, pack, logger, now: () => now, queryTimeoutMs: 5000, services: { chat: { store: chat, deliver: async () => {} } } };
    const why = await runCommandLine('/why s3', caller, deps);
    expect(JSON.stringify(why)).toContain('below the channel');
    const byUrl = await runCommandLine('/why https://news.example/s3-1', caller, deps);
    expect(byUrl.title).toBe('Why: Routine border statistics');
    expect(JSON.stringify(byUrl)).toContain('below the channel');

    // Quiet hours around now in UTC: held, then posted once they end.
    const m = now.getUTCHours() * 60 + now.getUTCMinutes();
    await chat.saveSubscription(C, { minImportance: 'routine', quietStart: (m + 1440 - 30) % 1440, quietEnd: (m + 30) % 1440, timeZone: 'UTC' }, 'U1');
    const a2 = await seedStory(stores, 's4', 'Overnight checkpoint report', { importance: 'notable' });
    expect((await publish('s4', a2))[0]!.outcome).toBe('deferred-quiet-hours');
    await run();
    expect(slack.messages('CNEWS')).toHaveLength(0);
    now = new Date(now.getTime() + 31 * 60_000);
    await run();
    expect(slack.messages('CNEWS')).toHaveLength(1);
    const row = await chat.byKey(C, 'alert:s4');
    expect(row!.history.map((h) => h.outcome)).toEqual(['deferred-quiet-hours', 'delivered']);

    // Breaking news is not held.
    now = new Date(now.getTime() - 31 * 60_000);
    const a3 = await seedStory(stores, 's5', 'Breaking: extradition flight lands', { importance: 'breaking' });
    expect((await publish('s5', a3))[0]!.outcome).toBe('pending');
  });

  it('hourly digests group queued stories by importance with counts and links', async () => {
    await chat.saveSubscription(C, { mode: 'hourly' }, 'U1');
    for (const [id, imp] of [['d1', 'breaking'], ['d2', 'routine'], ['d3', 'notable'], ['d4', 'routine']] as const) {
      const a = await seedStory(stores, id, `Story ${id}`, { importance: imp });
      expect((await publish(id, a))[0]!.outcome).toBe('queued-digest');
    }
    expect(await runDigests({ chat, newsroom: stores.newsroom, now: () => now, deliver: async () => {} }, {})).toEqual(['slack:T1:CNEWS']);
    // Same hour again: nothing new is sent.
    expect(await runDigests({ chat, newsroom: stores.newsroom, now: () => now, deliver: async () => {} }, {})).toEqual([]);
    await run();
    const [msg] = slack.messages('CNEWS');
    expect(msg!.metadata?.event_type).toBe('frontera_digest');
    const text = visible(JSON.stringify(msg!.blocks));
    expect(text).toContain('4 stories');
    expect(text.indexOf('breaking (1)')).toBeLessThan(text.indexOf('notable (1)'));
    expect(text.indexOf('notable (1)')).toBeLessThan(text.indexOf('routine (2)'));
    expect(text).toContain('https://news.example/d2-1');
  });

  it('a new subscription does not flood: existing stories stay unposted unless backfill shows the last N once', async () => {
    for (const id of ['b1', 'b2', 'b3']) await seedStory(stores, id, `Earlier story ${id}`);
    const caller = { platform: 'slack' as const, userId: 'U1', channelId: C.channelId, workspaceId: C.workspaceId, isAdmin: false };
    const deps = { stores, pack, logger, now: () => now, queryTimeoutMs: 5000, services: { chat: { store: chat, deliver: async () => {} } } };
    const first = await runCommandLine('/subscribe', caller, deps);
    expect(first.text).toContain('not posted');
    await run();
    expect(slack.all()).toHaveLength(0);
    const again = await runCommandLine('/subscribe backfill:2', caller, deps);
    expect(again.text).toContain('The last 2 matching stories will be posted once');
    await run();
    const posted = slack.messages('CNEWS');
    expect(posted).toHaveLength(1);
    expect(visible(JSON.stringify(posted[0]!.blocks))).toMatch(/Latest 2 stories/);
  });

  it('muted stories and paused subscriptions post nothing', async () => {
    await chat.saveSubscription(C, {}, 'U1');
    await chat.mute(C, 'm1', 'U1');
    const a = await seedStory(stores, 'm1', 'Muted story');
    expect((await publish('m1', a))[0]).toMatchObject({ outcome: 'filtered', reason: 'story muted in this channel' });
    await run();
    expect(slack.all()).toHaveLength(0);
  });
});
