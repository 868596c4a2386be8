/**
 * deliver: posts a channel's pending decisions, one message at a time, oldest first.
 *
 * - One worker per channel at a time (a short lock), and a database claim on each decision, so two
 *   workers never post the same thing and a channel's alerts arrive in order.
 * - The decision row is the intent, recorded before posting; `uncertain` is set while a post is in
 *   flight. A claim that finds it set (a crash mid-post, a timeout) asks the platform first
 *   (`findPosted`) and records what it finds instead of posting again: exactly one alert per story.
 * - Per-channel and global spacing (Slack: about one message per second per channel); a 429 blocks the
 *   channel for Retry-After, never less; 5xx and network errors back off and retry, keeping the order;
 *   permanent errors (channel gone, bot removed, no permission) pause the subscription with the reason
 *   and tell the admins.
 */
import { z } from 'zod';
import { buildAlert, threadUpdateFrom } from '../src/chat/documents.ts';
import { channelKey } from '../src/chat/channels.ts';
import type { Locks, RateLimiter } from '../src/chat/limits.ts';
import { DeliveryError, type ChannelRef, type ChatGateway, type DigestDocument, type MessageRef } from '../src/chat/types.ts';
import type { Logger } from '../src/log.ts';
import type { ChatStore, Delivery } from '../src/store/chat.ts';
import type { NewsroomStore } from '../src/store/newsroom.ts';
import type { JobDefinition } from './types.ts';

export interface DeliverPolicy {
  /** Minimum spacing between posts to one channel. */
  perChannelMs: number;
  /** Minimum spacing between posts on one platform, all channels together. */
  globalMs: number;
  /** How long a claim (and the channel lock) lasts before another worker may take over. */
  leaseMs: number;
  /** Transient failures retried inside one job before it gives up (BullMQ and the sweep retry later). */
  transientRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Longer Retry-After waits end the job and schedule a later one instead of sleeping. */
  maxInlineWaitMs: number;
}

export const DEFAULT_POLICY: DeliverPolicy = {
  perChannelMs: 1_000, globalMs: 50, leaseMs: 120_000, transientRetries: 6, backoffBaseMs: 500, backoffMaxMs: 30_000, maxInlineWaitMs: 60_000,
};

export interface DeliverDeps {
  chat: ChatStore;
  newsroom: NewsroomStore;
  gateways: Partial<Record<ChannelRef['platform'], ChatGateway>>;
  limiter: RateLimiter;
  locks: Locks;
  logger: Logger;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  policy?: Partial<DeliverPolicy>;
  /** Tells the configured admins (a paused subscription). Failures here are logged, never fatal. */
  notifyAdmins(channel: ChannelRef, text: string): Promise<void>;
  /** Schedules another deliver job for the channel (after a long Retry-After). */
  deliverLater(channel: ChannelRef, delayMs: number): Promise<void>;
  /** Counts outcomes: frontera_chat_posts_total{platform,outcome}. */
  metrics?: { inc(name: string, labels: Record<string, string>): void };
}

export const deliverPayload = z.object({
  platform: z.enum(['slack', 'discord', 'console']),
  workspaceId: z.string().min(1),
  channelId: z.string().min(1),
});
export type DeliverPayload = z.infer<typeof deliverPayload>;

export interface DeliverResult {
  posted: number;
  stopped?: 'no-gateway' | 'locked' | 'rate-limited' | 'paused';
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Drains the channel's pending posts. Throws after repeated transient failures (the job is retried). */
export async function deliver(deps: DeliverDeps, channel: DeliverPayload): Promise<DeliverResult> {
  const gw = deps.gateways[channel.platform];
  if (!gw) return { posted: 0, stopped: 'no-gateway' };
  const policy = { ...DEFAULT_POLICY, ...deps.policy };
  const lockKey = `deliver:${channelKey(channel)}`;
  let posted = 0;
  // A job that found the lock taken returns at once; the holder makes one more pass after releasing,
  // so a decision recorded while it was finishing is never left behind.
  for (let pass = 0; ; pass++) {
    const token = await deps.locks.acquire(lockKey, policy.leaseMs);
    if (!token) return { posted, stopped: 'locked' };
    let result: PassResult;
    try {
      result = await drain(deps, gw, channel, policy, () => deps.locks.refresh(lockKey, token, policy.leaseMs));
    } finally {
      await deps.locks.release(lockKey, token);
    }
    posted += result.posted;
    if (result.stopped) return { posted, stopped: result.stopped };
    if (result.posted === 0 && pass > 0) return { posted };
  }
}

interface PassResult {
  posted: number;
  stopped?: 'rate-limited' | 'paused';
}

async function drain(deps: DeliverDeps, gw: ChatGateway, channel: ChannelRef, policy: DeliverPolicy, keepLock: () => Promise<void>): Promise<PassResult> {
  const sleep = deps.sleep ?? defaultSleep;
  const count = (outcome: string) => deps.metrics?.inc('frontera_chat_posts_total', { platform: channel.platform, outcome });
  let posted = 0;
  let transient = 0;
  for (;;) {
    await keepLock();
    const row = await deps.chat.claimNext(channel, deps.now(), policy.leaseMs);
    if (!row) return { posted };
    try {
      await postOne(deps, gw, row, policy, sleep);
      count(row.kind === 'thread' ? 'thread-update' : 'delivered');
      posted++;
      transient = 0;
    } catch (err) {
      if (!(err instanceof DeliveryError)) {
        // Our own failure (database, a bug) or a crash stand-in: keep `uncertain` as it is and let the
        // job retry; the next claim reconciles with the platform before posting again.
        await deps.chat.release(row.id, { outcome: 'pending', reason: `retrying: ${(err as Error).message}` }).catch(() => {});
        throw err;
      }
      count(err.kind === 'permanent' ? 'failed' : err.kind === 'rate-limited' ? 'rate-limited' : 'retry');
      if (err.kind === 'rate-limited') {
        const wait = Math.max(err.opts.retryAfterMs ?? 1_000, 1);
        await deps.limiter.block(channelKey(channel), wait);
        await deps.chat.release(row.id, {
          outcome: 'rate-limited', reason: `the platform asked to wait ${Math.ceil(wait / 1000)} s`,
          notBefore: new Date(deps.now().getTime() + wait),
        });
        if (wait > policy.maxInlineWaitMs) {
          await deps.deliverLater(channel, wait);
          return { posted, stopped: 'rate-limited' };
        }
        await sleep(wait);
        continue;
      }
      if (err.kind === 'transient') {
        // `uncertain` is only ever cleared by a recorded post: a failed lookup or a refused post leaves it as it was.
        await deps.chat.release(row.id, { outcome: 'pending', reason: `retrying: ${err.message}`, ...(err.opts.uncertain ? { uncertain: true } : {}) });
        transient++;
        if (transient > policy.transientRetries) throw err;
        await sleep(Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (transient - 1)));
        continue;
      }
      const reason = err.opts.reason ?? err.message;
      await deps.chat.release(row.id, { outcome: 'failed', reason, uncertain: false });
      if (err.opts.scope === 'post') {
        deps.logger.warn({ channel: channelKey(channel), key: row.key, reason }, 'one post refused for good');
        if (row.kind === 'alert' && row.storyId) await deps.chat.failOpenThreads(channel, row.storyId, `the story's alert failed: ${reason}`);
        continue;
      }
      await deps.chat.pause(channel, reason);
      const failed = await deps.chat.failOpen(channel, `subscription paused: ${reason}`);
      deps.logger.warn({ channel: channelKey(channel), reason, failed }, 'delivery failed for good: subscription paused');
      await deps.notifyAdmins(channel, `Frontera paused the subscription of ${channelKey(channel)}: ${reason}. ` +
        `${failed + 1} pending post(s) were not delivered. Fix the cause, then run /subscribe in that channel to resume.`)
        .catch((e) => deps.logger.warn({ err: (e as Error).message }, 'could not notify admins'));
      return { posted, stopped: 'paused' };
    }
  }
}

async function waitForSlot(deps: DeliverDeps, channel: ChannelRef, policy: DeliverPolicy, sleep: (ms: number) => Promise<void>) {
  const a = await deps.limiter.reserve(channelKey(channel), policy.perChannelMs);
  const b = await deps.limiter.reserve(`global:${channel.platform}`, policy.globalMs);
  const wait = Math.max(a, b);
  if (wait > 0) await sleep(wait);
}

/** Posts one claimed decision and records the result; throws DeliveryError as the gateway did. */
async function postOne(deps: DeliverDeps, gw: ChatGateway, row: Delivery, policy: DeliverPolicy, sleep: (ms: number) => Promise<void>): Promise<void> {
  const { chat } = deps;
  const channel = row.channel;
  const parent = row.kind === 'thread' || row.kind === 'realert' ? await chat.byKey(channel, `alert:${row.storyId}`) : null;
  const parentRef: MessageRef | undefined = parent?.messageId ? { messageId: parent.messageId, ...(parent.threadId ? { threadId: parent.threadId } : {}) } : undefined;
  const outcome = row.kind === 'thread' ? 'thread-update' as const : 'delivered' as const;

  // A previous attempt may have reached the platform: look before posting again.
  if (row.uncertain) {
    const found = await gw.findPosted(channel, row.kind === 'digest' ? row.nonce : row.storyId ?? '', row.nonce, parentRef);
    if (found) {
      await chat.markPosted(row.id, outcome, found, 'found already posted after an interrupted attempt');
      return;
    }
  }

  if (row.kind === 'digest') {
    const digest = row.payload as unknown as DigestDocument;
    await waitForSlot(deps, channel, policy, sleep);
    await chat.markAttempting(row.id);
    const ref = gw.postDigest
      ? await gw.postDigest(channel, digest, row.nonce)
      : await gw.notify(channel, digestText(digest)).then(() => ({ messageId: `notify:${row.nonce}` }));
    await chat.markPosted(row.id, 'delivered', ref);
    return;
  }

  const alert = await buildAlert(deps.newsroom, row.storyId ?? '', row.kind === 'realert' ? (row.reason ?? undefined) : undefined);
  if (!alert) {
    await chat.release(row.id, { outcome: 'failed', reason: 'story no longer exists', uncertain: false });
    return;
  }
  if (row.kind === 'alert') {
    await waitForSlot(deps, channel, policy, sleep);
    await chat.markAttempting(row.id);
    const ref = await gw.postAlert(channel, { ...alert, reason: alert.reason ?? 'new story' }, row.nonce);
    await chat.markPosted(row.id, 'delivered', ref);
    return;
  }
  if (!parentRef) throw new DeliveryError('transient', 'the alert this belongs under is not posted yet');
  const story = await deps.newsroom.story(alert.storyId);
  const [article] = await deps.newsroom.articles(row.articleId ? [row.articleId] : []);
  if (!story || !article) {
    await chat.release(row.id, { outcome: 'failed', reason: 'report no longer exists', uncertain: false });
    return;
  }
  const update = threadUpdateFrom(story, article);
  await waitForSlot(deps, channel, policy, sleep);
  await chat.markAttempting(row.id);
  const ref = await gw.postThreadUpdate(channel, parentRef,
    row.kind === 'realert' ? { ...update, broadcast: true, reason: row.reason ?? 'material change' } : update, row.nonce);
  await chat.markPosted(row.id, outcome, ref, row.kind === 'realert' ? row.reason : null);
  // The parent shows the story as it is now. Editing is best effort: the report is already posted.
  // Edits have their own budget (Slack's chat.update allows ~50 a minute), apart from new messages.
  try {
    const wait = await deps.limiter.reserve(`${channelKey(channel)}:edit`, policy.perChannelMs);
    if (wait > 0) await sleep(wait);
    await gw.updateAlert(channel, parentRef, alert);
  } catch (err) {
    deps.logger.warn({ channel: channelKey(channel), story: alert.storyId, err: (err as Error).message }, 'could not edit the alert');
  }
}

/** Plain-text digest for gateways without a digest layout. */
export function digestText(d: DigestDocument): string {
  const lines = [`${d.title} (${d.total} stor${d.total === 1 ? 'y' : 'ies'})`];
  for (const g of d.groups) {
    lines.push('', `${g.importance.toUpperCase()} (${g.count})`);
    for (const s of g.stories) lines.push(`• ${s.headline} ${s.url}`);
  }
  return lines.join('\n');
}

export const deliverJob: JobDefinition<DeliverDeps, DeliverPayload, DeliverResult> = {
  name: 'deliver',
  payload: deliverPayload,
  concurrency: 8,
  attempts: 10,
  process: deliver,
};
