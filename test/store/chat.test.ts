import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/chat/types.ts';
import { createChatStore, type ChatStore } from '../../src/store/chat.ts';
import type { Stores } from '../../src/store/index.ts';
import { backends, truncateAll } from '../helpers/db.ts';

const C: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const D: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: '42' };

describe.each(backends())('chat store on $name', (backend) => {
  let s: Stores;
  let chat: ChatStore;
  beforeAll(async () => {
    s = await backend.open();
    chat = createChatStore(s.db);
  });
  afterAll(() => s.db.close());
  beforeEach(() => truncateAll(s));

  it('creates one subscription per channel and patches it', async () => {
    const a = await chat.saveSubscription(C, { actors: ['cjng'], minImportance: 'notable' }, 'U1');
    expect(a.created).toBe(true);
    const b = await chat.saveSubscription(C, { topics: ['fentanyl'], quietStart: 1320, quietEnd: 420, timeZone: 'America/Mexico_City' }, 'U2');
    expect(b.created).toBe(false);
    expect(b.subscription).toMatchObject({
      actors: ['cjng'], topics: ['fentanyl'], minImportance: 'notable', quietStart: 1320, quietEnd: 420,
      timeZone: 'America/Mexico_City', mode: 'immediate', paused: false, createdBy: 'U1',
    });
    await chat.saveSubscription(D, {}, 'U3');
    expect((await chat.subscriptions()).length).toBe(2);
    expect((await chat.subscriptions('discord')).map((x) => x.channel)).toEqual([D]);
    await chat.pause(C, 'channel_not_found');
    expect(await chat.subscription(C)).toMatchObject({ paused: true, pausedReason: 'channel_not_found' });
    expect(await chat.removeSubscription(C)).toBe(true);
    expect(await chat.subscription(C)).toBeNull();
  });

  it('records a decision once per key and keeps its history', async () => {
    const first = await chat.record({ channel: C, key: 'alert:s1', kind: 'alert', storyId: 's1', outcome: 'pending', nonce: 'n1' });
    const again = await chat.record({ channel: C, key: 'alert:s1', kind: 'alert', storyId: 's1', outcome: 'pending', nonce: 'n2' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.delivery.id).toBe(first.delivery.id);
    expect(again.delivery.nonce).toBe('n1');
    await chat.release(first.delivery.id, { outcome: 'rate-limited', reason: 'retry after 2s' });
    await chat.markPosted(first.delivery.id, 'delivered', { messageId: '1.2' });
    const row = await chat.delivery(first.delivery.id);
    expect(row).toMatchObject({ outcome: 'delivered', messageId: '1.2', uncertain: false });
    expect(row!.history.map((h) => h.outcome)).toEqual(['pending', 'rate-limited', 'delivered']);
    expect((await chat.decisionsFor(C, { storyId: 's1' })).length).toBe(1);
  });

  it('claims open decisions in order, thread posts only after their parent, one claimant at a time', async () => {
    const now = new Date();
    await chat.record({ channel: C, key: 'thread:s1:a2', kind: 'thread', storyId: 's1', articleId: 'a2', outcome: 'pending', nonce: 't' });
    await chat.record({ channel: C, key: 'alert:s2', kind: 'alert', storyId: 's2', outcome: 'pending', nonce: 'x' });
    await chat.record({ channel: C, key: 'alert:s3', kind: 'alert', storyId: 's3', outcome: 'deferred-quiet-hours', nonce: 'y', notBefore: new Date(now.getTime() + 3_600_000) });
    // The thread post's parent does not exist yet: the alert for s2 comes first.
    const c1 = await chat.claimNext(C, now, 60_000);
    expect(c1).toMatchObject({ key: 'alert:s2', attempts: 1 });
    expect(await chat.claimNext(C, now, 60_000)).toBeNull();
    await chat.markPosted(c1!.id, 'delivered', { messageId: '9' });
    await chat.record({ channel: C, key: 'alert:s1', kind: 'alert', storyId: 's1', outcome: 'delivered', nonce: 'z' });
    const a1 = await chat.byKey(C, 'alert:s1');
    await chat.markPosted(a1!.id, 'delivered', { messageId: '10' });
    expect(await chat.claimNext(C, now, 60_000)).toMatchObject({ key: 'thread:s1:a2' });
    // An expired claim can be taken again (the worker that held it died).
    expect(await chat.claimNext(C, new Date(now.getTime() + 61_000), 60_000)).toMatchObject({ key: 'thread:s1:a2', attempts: 2 });
    expect((await chat.channelsWithOpen(new Date(now.getTime() + 7_200_000))).length).toBe(1);
    expect(await chat.failOpen(C, 'paused')).toBe(2);
  });

  it('queues digest items, story state and mutes', async () => {
    await chat.record({ channel: C, key: 'digest-item:s1', kind: 'none', storyId: 's1', outcome: 'queued-digest', nonce: 'd1' });
    const q = await chat.digestQueue(C);
    expect(q.length).toBe(1);
    await chat.markDigested(q.map((r) => r.id), 'digest:2026-01-01T10');
    expect(await chat.digestQueue(C)).toEqual([]);
    await chat.saveStoryState(C, 's1', { importance: 'notable', official: false, figures: { killed: 3 } });
    expect(await chat.storyState(C, 's1')).toEqual({ importance: 'notable', official: false, figures: { killed: 3 } });
    await chat.mute(C, 's1', 'U1');
    expect(await chat.isMuted(C, 's1')).toBe(true);
    expect(await chat.isMuted(D, 's1')).toBe(false);
    expect(await chat.unmute(C, 's1')).toBe(true);
  });
});
