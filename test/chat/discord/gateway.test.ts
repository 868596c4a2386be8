/**
 * The Discord ChatGateway through the real discord.js REST client against the local fake: alerts,
 * threads, edits, exactly-once nonces, and how every failure reaches the delivery job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/chat/discord/index.ts';
import { visibleText } from '../../../src/chat/discord/escape.ts';
import { DeliveryError, type ChatGateway } from '../../../src/chat/types.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord.ts';
import { channelRef, HOSTILE, memoryLogger, sampleAlert, sampleUpdate } from './helpers.ts';

let fake: FakeDiscord;
let nextChannel = 1300000000000000100n;

beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

/** A fresh channel and a fresh gateway (own REST client, own rate-limit state) per test. */
function setup(opts: { denied?: boolean } = {}): { gateway: ChatGateway; channelId: string } {
  const channelId = String(nextChannel++);
  fake.addChannel(channelId, `news-${channelId}`, opts);
  const gateway = createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, logger: memoryLogger().logger });
  return { gateway, channelId };
}

async function deliveryError(fn: () => Promise<unknown>): Promise<DeliveryError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }
  throw new Error('expected a DeliveryError');
}

function writesTo(channelId: string) {
  return fake.requests.filter((r) => r.method !== 'GET' && r.path.startsWith(`/channels/${channelId}`));
}

describe('alerts and threads', () => {
  it('posts an alert as an embed with a nonce, no mentions, and starts a thread named after the headline', async () => {
    const { gateway, channelId } = setup();
    const ref = await gateway.postAlert(channelRef(channelId), sampleAlert(), 'nonce-alert-1');

    const [msg] = fake.messages(channelId);
    expect(ref).toEqual({ messageId: msg!.id, threadId: msg!.id });
    const post = writesTo(channelId).find((r) => r.method === 'POST' && r.path.endsWith('/messages'))!;
    expect(post.body.nonce).toBe('nonce-alert-1');
    expect(post.body.enforce_nonce).toBe(true);
    expect(post.body.allowed_mentions).toEqual({ parse: [] });

    const embed = msg!.embeds[0];
    expect(embed.title).toBe('Mexico extradites cartel figures to the United States');
    expect(embed.url).toBe('https://news.example/extraditions');
    expect(embed.author.name).toBe('Notable · new story');
    expect(embed.description).toContain('• Mexico sent 26 prisoners to U.S. custody on Tuesday. · [Wire One](https://news.example/extraditions)');
    expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['Actors', 'Topics', 'Sources (2)']);
    expect(embed.footer.text).toBe('Frontera · story st-42');
    expect(embed.timestamp).toBe('2026-11-20T10:06:00.000Z');
    expect(msg!.thread?.name).toBe('Mexico extradites cartel figures to the United States');
  });

  it('edits the parent to the current summary and posts later reports in its thread', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const ref = await gateway.postAlert(channel, sampleAlert(), 'nonce-alert-2');
    await gateway.updateAlert(channel, ref, sampleAlert({ importance: 'breaking', reason: 'became breaking', headline: 'Mexico sends 26 more cartel figures' }));
    const update = await gateway.postThreadUpdate(channel, ref, sampleUpdate(), 'nonce-update-1');

    const [parent] = fake.messages(channelId);
    expect(fake.messages(channelId)).toHaveLength(1);
    expect(parent!.embeds[0].title).toBe('Mexico sends 26 more cartel figures');
    expect(parent!.embeds[0].author.name).toBe('BREAKING · became breaking');
    expect(parent!.edited_timestamp).not.toBeNull();
    const patch = writesTo(channelId).find((r) => r.method === 'PATCH')!;
    expect(patch.body.allowed_mentions).toEqual({ parse: [] });

    const inThread = fake.messages(ref.threadId!);
    expect(update).toEqual({ messageId: inThread[0]!.id, threadId: ref.threadId });
    expect(inThread[0]!.embeds[0].title).toBe('Prosecutors name the 26 transferred');
    expect(inThread[0]!.embeds[0].description).toContain('The list includes two former plaza bosses.');
    expect(inThread[0]!.allowedMentions).toEqual({ parse: [] });
    expect(inThread[0]!.nonce).toBe('nonce-update-1');
  });

  it('starts the thread on the first report when the alert has none, and reuses one that already exists', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    fake.failNext({ method: 'POST', path: /\/threads$/ }, { status: 500 });
    const ref = await gateway.postAlert(channel, sampleAlert(), 'nonce-alert-3');
    expect(ref.threadId).toBeUndefined();

    const first = await gateway.postThreadUpdate(channel, { messageId: ref.messageId }, sampleUpdate(), 'nonce-update-2');
    expect(first.threadId).toBe(ref.messageId);
    // Again without a thread id (a caller that lost it): Discord says the thread exists; we use it.
    const second = await gateway.postThreadUpdate(channel, { messageId: ref.messageId }, sampleUpdate({ articleId: 'a-8' }), 'nonce-update-3');
    expect(second.threadId).toBe(ref.messageId);
    expect(fake.messages(ref.messageId)).toHaveLength(2);
  });

  it('shows hostile feed text literally and pings nobody', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const alert = sampleAlert({ headline: `Breaking ${HOSTILE}`.replace(/\n/g, ' '), bullets: [{ text: HOSTILE, links: [] }], actors: ['@everyone'] });
    const ref = await gateway.postAlert(channel, alert, 'nonce-hostile');
    await gateway.postThreadUpdate(channel, ref, sampleUpdate({ title: HOSTILE, whatsNew: HOSTILE, source: '@here' }), 'nonce-hostile-2');
    await gateway.notify(channel, `Paused: ${HOSTILE}`);

    const posted = [...fake.messages(channelId), ...fake.messages(ref.threadId!)];
    expect(posted).toHaveLength(3);
    for (const m of posted) {
      expect(m.allowedMentions).toEqual({ parse: [] });
      const texts = [m.content, ...m.embeds.flatMap((e: any) => [e.title, e.description, e.author?.name, e.footer?.text, ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value])])]
        .filter((t): t is string => typeof t === 'string');
      for (const t of texts) {
        expect(t).not.toMatch(/@(everyone|here)/);
        expect(t).not.toMatch(/<[@#:t]/);
        expect(t).not.toContain('[click here](');
      }
    }
    const embed = fake.messages(channelId)[0]!.embeds[0];
    expect(visibleText(embed.description)).toBe(`• ${HOSTILE}`);
    expect(visibleText(fake.messages(channelId)[1]!.content)).toBe(`Paused: ${HOSTILE}`);
  });
});

describe('exactly once', () => {
  it('after a lost answer, findPosted finds the alert and a re-post with the nonce returns it instead of a copy', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${channelId}/messages$`) }, { status: 502, afterHandling: true });

    const err = await deliveryError(() => gateway.postAlert(channel, sampleAlert(), 'nonce-lost-1'));
    expect(err.kind).toBe('transient');
    expect(err.opts.uncertain).toBe(true);
    expect(fake.messages(channelId)).toHaveLength(1);

    const found = await gateway.findPosted(channel, 'st-42', 'nonce-lost-1');
    expect(found).toEqual({ messageId: fake.messages(channelId)[0]!.id });
    const again = await gateway.postAlert(channel, sampleAlert(), 'nonce-lost-1');
    expect(again.messageId).toBe(found!.messageId);
    expect(fake.messages(channelId)).toHaveLength(1);
  });

  it('findPosted is null when nothing was posted, and ignores other authors and other stories', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    await gateway.postAlert(channel, sampleAlert({ storyId: 'st-7' }), 'nonce-other-story');
    fake.messages(channelId).push({
      id: fake.snowflake(), channel_id: channelId, author: { id: '1500000000000000001', username: 'someone' }, content: '',
      embeds: [{ footer: { text: 'Frontera · story st-42' } }], flags: 0, edited_timestamp: null, allowedMentions: null,
    });
    expect(await gateway.findPosted(channel, 'st-42', 'nonce-never')).toBeNull();
    expect(await gateway.findPosted(channel, 'st-7', 'nonce-other-story')).toMatchObject({ messageId: fake.messages(channelId)[0]!.id });
  });

  it('hashes nonces longer than Discord allows to a stable 25 characters', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const long = `discord:${fake.guildId}:${channelId}|story:st-42|alert`;
    const a = await gateway.postAlert(channel, sampleAlert(), long);
    const b = await gateway.postAlert(channel, sampleAlert(), long);
    expect(b.messageId).toBe(a.messageId);
    const nonce = fake.messages(channelId)[0]!.nonce!;
    expect(nonce).toHaveLength(25);
  });
});

describe('reports after the alert, re-alerts and digests', () => {
  it('after a lost answer to a thread report, findPosted with the parent finds it in the thread', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const parent = await gateway.postAlert(channel, sampleAlert(), 'nonce-parent');
    expect(await gateway.findPosted(channel, 'st-42', 'nonce-report', parent)).toBeNull();
    fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${parent.threadId}/messages$`) }, { status: 500, afterHandling: true });
    const err = await deliveryError(() => gateway.postThreadUpdate(channel, parent, sampleUpdate(), 'nonce-report'));
    expect(err.opts.uncertain).toBe(true);
    const found = await gateway.findPosted(channel, 'st-42', 'nonce-report', parent);
    expect(found).toEqual({ messageId: fake.messages(parent.threadId!)[0]!.id, threadId: parent.threadId });
    // A different report of the same story is not mistaken for it.
    expect(await gateway.findPosted(channel, 'st-42', 'nonce-report-2', parent)).toBeNull();
  });

  it('a material change is posted in the channel as a reply to the alert, and copied into the thread', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const parent = await gateway.postAlert(channel, sampleAlert(), 'nonce-parent-b');
    const ref = await gateway.postThreadUpdate(channel, parent, sampleUpdate({ broadcast: true, reason: 'became breaking' }), 'nonce-broadcast');

    const [, reply] = fake.messages(channelId);
    expect(ref).toEqual({ messageId: reply!.id });
    expect(reply!.embeds[0].author.name).toBe('Update · became breaking');
    const post = fake.requests.find((r) => r.method === 'POST' && r.body?.nonce === 'nonce-broadcast')!;
    expect(post.body.message_reference).toMatchObject({ message_id: parent.messageId, fail_if_not_exists: false });
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    expect(fake.messages(parent.threadId!)).toHaveLength(1);
    expect(fake.messages(parent.threadId!)[0]!.allowedMentions).toEqual({ parse: [] });
    // Reconcile finds it, and posting it again changes nothing.
    expect(await gateway.findPosted(channel, 'st-42', 'nonce-broadcast', parent)).not.toBeNull();
    await gateway.postThreadUpdate(channel, parent, sampleUpdate({ broadcast: true, reason: 'became breaking' }), 'nonce-broadcast');
    expect(fake.messages(channelId)).toHaveLength(2);
    expect(fake.messages(parent.threadId!)).toHaveLength(1);
  });

  it('a locked thread or a deleted alert sends the report to the channel as a reply, without failing the subscription', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const parent = await gateway.postAlert(channel, sampleAlert(), 'nonce-parent-locked');
    fake.channels.get(parent.threadId!)!.locked = true;
    const ref = await gateway.postThreadUpdate(channel, parent, sampleUpdate(), 'nonce-locked');
    const reply = fake.messages(channelId)[1]!;
    expect(ref).toEqual({ messageId: reply.id });
    expect(reply.replyTo).toBe(parent.messageId);
    expect(await gateway.findPosted(channel, 'st-42', 'nonce-locked', parent)).toEqual({ messageId: reply.id });

    const other = await gateway.postAlert(channel, sampleAlert({ storyId: 'st-44' }), 'nonce-parent-deleted');
    const msgs = fake.messages(channelId);
    msgs.splice(msgs.findIndex((m) => m.id === other.messageId), 1);
    const ref2 = await gateway.postThreadUpdate(channel, { messageId: other.messageId }, sampleUpdate({ storyId: 'st-44' }), 'nonce-deleted');
    expect(fake.messages(channelId).at(-1)).toMatchObject({ id: ref2.messageId, replyTo: other.messageId });
  });

  it('posts a digest as one embed grouped by importance, found again by its nonce', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const digest = {
      title: 'Daily digest: U.S.–Mexico security', from: '2026-11-21T08:00:00Z', to: '2026-11-22T08:00:00Z', total: 3,
      groups: [
        { importance: 'breaking' as const, count: 1, stories: [{ storyId: 's1', headline: 'Strike @everyone', url: 'https://news.example/1', sources: 4, updatedAt: '2026-11-21T09:00:00Z' }] },
        { importance: 'routine' as const, count: 2, stories: [
          { storyId: 's2', headline: 'Tariff talks', url: 'https://news.example/2', sources: 1, updatedAt: '2026-11-21T10:00:00Z' },
          { storyId: 's3', headline: 'Border crossings', url: 'https://news.example/3', sources: 2, updatedAt: '2026-11-21T11:00:00Z' },
        ] },
      ],
    };
    const ref = await gateway.postDigest!(channel, digest, 'digest-nonce-1');
    const [msg] = fake.messages(channelId);
    expect(ref).toEqual({ messageId: msg!.id });
    expect(msg!.allowedMentions).toEqual({ parse: [] });
    const embed = msg!.embeds[0];
    expect(embed.fields.map((f: any) => f.name)).toEqual(['BREAKING (1)', 'Routine (2)']);
    expect(embed.fields[0].value).toContain('](https://news.example/1) · 4 sources');
    expect(embed.fields[0].value).not.toMatch(/@everyone/);
    expect(await gateway.findPosted(channel, 'digest-nonce-1', 'digest-nonce-1')).toEqual({ messageId: msg!.id });
  });
});

describe('failures as DeliveryError', () => {
  it('429: rate-limited with the Retry-After wait, nothing posted, no retry inside the call', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const path = new RegExp(`^/channels/${channelId}/messages$`);
    const posts = () => fake.requests.filter((r) => r.method === 'POST' && path.test(r.path)).length;
    await gateway.postAlert(channel, sampleAlert({ storyId: 'st-1' }), 'nonce-before-429');
    fake.failNext({ method: 'POST', path }, { status: 429, retryAfter: 3 });

    const err = await deliveryError(() => gateway.postAlert(channel, sampleAlert(), 'nonce-429'));
    expect(err.kind).toBe('rate-limited');
    expect(err.opts.retryAfterMs).toBeGreaterThanOrEqual(3000);
    expect(err.opts.retryAfterMs).toBeLessThan(4000);
    expect(fake.messages(channelId)).toHaveLength(1);
    expect(posts()).toBe(2);

    // discord.js now knows the bucket is empty: the next post is refused here, without a request.
    const again = await deliveryError(() => gateway.postAlert(channel, sampleAlert(), 'nonce-429'));
    expect(again.kind).toBe('rate-limited');
    expect(again.opts.retryAfterMs).toBeGreaterThan(0);
    expect(again.opts.retryAfterMs).toBeLessThanOrEqual(3100);
    expect(posts()).toBe(2);
  });

  it('5xx: transient on the first failure (no hidden retries); uncertain only for writes', async () => {
    const { gateway, channelId } = setup();
    const channel = channelRef(channelId);
    const ref = await gateway.postAlert(channel, sampleAlert(), 'nonce-5xx');
    const path = new RegExp(`^/channels/${channelId}/messages`);
    const before = fake.requests.length;

    fake.failNext({ method: 'POST', path }, { status: 503 });
    const post = await deliveryError(() => gateway.postAlert(channel, sampleAlert({ storyId: 'st-43' }), 'nonce-5xx-2'));
    expect(post).toMatchObject({ kind: 'transient', opts: { uncertain: true } });

    fake.failNext({ method: 'PATCH', path }, { status: 500 });
    const edit = await deliveryError(() => gateway.updateAlert(channel, ref, sampleAlert()));
    expect(edit).toMatchObject({ kind: 'transient', opts: { uncertain: false } });
    expect(fake.requests.length - before).toBe(2);
  });

  it('permanent with a reason: missing access, unknown channel, deleted message, bad token', async () => {
    const denied = setup({ denied: true });
    const e1 = await deliveryError(() => denied.gateway.postAlert(channelRef(denied.channelId), sampleAlert(), 'n-denied'));
    expect(e1).toMatchObject({ kind: 'permanent', opts: { reason: 'missing-access' } });

    const { gateway } = setup();
    const e2 = await deliveryError(() => gateway.postAlert(channelRef('1399999999999999999'), sampleAlert(), 'n-unknown'));
    expect(e2).toMatchObject({ kind: 'permanent', opts: { reason: 'unknown-channel' } });

    const ok = setup();
    const e3 = await deliveryError(() => ok.gateway.updateAlert(channelRef(ok.channelId), { messageId: '1499999999999999999' }, sampleAlert()));
    expect(e3).toMatchObject({ kind: 'permanent', opts: { reason: 'unknown-message' } });

    const badToken = createDiscordDelivery({ token: 'wrong', apiUrl: fake.apiUrl, logger: memoryLogger().logger });
    const e4 = await deliveryError(() => badToken.notify(channelRef(ok.channelId), 'hello'));
    expect(e4).toMatchObject({ kind: 'permanent', opts: { reason: 'unauthorized' } });
  });

  it('sends an admin notice to a user id as a direct message, escaped and pinging nobody', async () => {
    const { gateway } = setup();
    const admin = '1288000000000000042';
    fake.users.add(admin);
    await gateway.notify(channelRef(admin), 'Paused #news: missing access @everyone');
    const dm = fake.messages(`9${admin}`);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.allowedMentions).toEqual({ parse: [] });
    expect(dm[0]!.content).toContain('missing access');
    expect(dm[0]!.content).not.toMatch(/(^|[^\u200b])@everyone/);
    // An id that is neither a channel nor a user the bot can reach stays a permanent error.
    const err = await deliveryError(() => gateway.notify(channelRef('1288000000000000099'), 'hello'));
    expect(err.kind).toBe('permanent');
  });

  it('network failure before sending: transient and certain (nothing can have landed)', async () => {
    const closed = await startFakeDiscord();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const gateway = createDiscordDelivery({ token: fake.token, apiUrl, logger: memoryLogger().logger });
    const err = await deliveryError(() => gateway.postAlert(channelRef('1300000000000000001'), sampleAlert(), 'n-net'));
    expect(err.kind).toBe('transient');
    expect(err.opts.uncertain).toBe(false);
  });
});
