/**
 * The chat stages of the pipeline over one App and one queue: publish-story, deliver and digest
 * workers, the sweep that re-enqueues channels with pending posts (nothing is lost with Redis), the
 * digest tick, admin notices and the services the subscription commands use. Platform-neutral: the
 * composition root passes the gateways it built, keyed by platform.
 */
import type { Redis } from 'ioredis';
import { deliverJob, type DeliverDeps, type DeliverPolicy } from '../../jobs/deliver.ts';
import { digestJob, type DigestDeps } from '../../jobs/digest.ts';
import { pollFeed } from '../../jobs/poll-feed.ts';
import { publishStoryJob, type PublishDeps } from '../../jobs/publish-story.ts';
import type { ChatServices, FeedsAdmin } from '../../commands/chat-services.ts';
import type { Analysis } from '../newsroom/engine.ts';
import type { App } from '../main.ts';
import { connectRedis } from '../queue/connection.ts';
import { redisLimits } from '../queue/limits.ts';
import type { QueueRuntime } from '../queue/runtime.ts';
import { createChatStore, type ChatStore } from '../store/chat.ts';
import type { FeedTier } from '../store/feeds.ts';
import { channelKey } from './channels.ts';
import { memoryLocks, memoryRateLimiter } from './limits.ts';
import type { ChannelRef, ChatGateway } from './types.ts';

export type Gateways = Partial<Record<ChannelRef['platform'], ChatGateway>>;

export interface ChatRuntimeOptions {
  app: App;
  queue: QueueRuntime;
  /** Delivery gateways by platform: { slack: createSlackDelivery(...), discord: createDiscordDelivery(...) }. */
  gateways: Gateways;
  /** Rate limits and locks live here (shared by workers); in memory without it. */
  redisUrl?: string;
  queuePrefix?: string;
  policy?: Partial<DeliverPolicy>;
  /** Builds the /feeds add baseline poll (the roles' poll-feed deps). */
  pollDeps?: Parameters<typeof pollFeed>[0];
}

export interface ChatRuntime {
  store: ChatStore;
  gateways: Gateways;
  services: ChatServices;
  /** The process-article hook: queues publish-story for each new on-beat report. */
  publish(analyses: Analysis[]): Promise<void>;
  deliverDeps: DeliverDeps;
  /** Starts the publish, deliver and digest workers; returns their stop functions. */
  startWorkers(): Array<() => Promise<void>>;
  /** Starts the sweep and digest tick; returns the stop function. */
  startScheduler(everyMs?: number): () => void;
  close(): Promise<void>;
}

export function createChatRuntime(o: ChatRuntimeOptions): ChatRuntime {
  const { app, queue } = o;
  const store = createChatStore(app.stores.db);
  const redis: Redis | null = o.redisUrl ? connectRedis(o.redisUrl, 'producer') : null;
  // While Redis is away the limits fall back to memory (src/queue/limits.ts); reconnecting is ioredis's job.
  redis?.on('error', (err) => app.logger.debug({ err: err.message }, 'chat limits: redis error'));
  const limits = redis ? redisLimits(redis, o.queuePrefix ?? 'frontera') : { limiter: memoryRateLimiter(), locks: memoryLocks() };

  const deliver = async (channel: ChannelRef, delayMs?: number) => {
    const payload = { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.channelId };
    await queue.add(deliverJob.name, payload, { delayMs, attempts: deliverJob.attempts });
  };
  const notifyAdmins = async (channel: ChannelRef, text: string) => {
    app.logger.warn({ channel: channelKey(channel) }, text);
    const gw = o.gateways[channel.platform];
    for (const admin of app.config.admins) {
      const [platform, id] = admin.split(':');
      if (platform !== channel.platform || !gw || !id) continue;
      await gw.notify({ ...channel, channelId: id }, text).catch((err) =>
        app.logger.warn({ admin, err: (err as Error).message }, 'could not notify an admin'));
    }
  };
  const topicNames = new Map<string, string>();
  const publishDeps: PublishDeps = { chat: store, newsroom: app.stores.newsroom, now: app.now, logger: app.logger, deliver, topicNames };
  const deliverDeps: DeliverDeps = {
    chat: store, newsroom: app.stores.newsroom, gateways: o.gateways, limiter: limits.limiter, locks: limits.locks,
    logger: app.logger, now: app.now, policy: o.policy, notifyAdmins, deliverLater: deliver, metrics: app.metrics,
  };
  const digestDeps: DigestDeps = { chat: store, newsroom: app.stores.newsroom, now: app.now, deliver: (c) => deliver(c) };

  const feeds: FeedsAdmin = {
    async list() {
      return (await app.stores.feeds.list()).map((f) => ({ id: f.id, url: f.url, name: f.name, status: f.status, tier: f.tier, lastError: f.lastError }));
    },
    async add(url, tier) {
      const { feed, created } = await app.stores.feeds.add({ url, ...(tier ? { tier: tier as FeedTier } : {}) });
      if (!created || !o.pollDeps) return { id: feed.id, created, items: 0 };
      // The first poll is the silent baseline, through the fetcher's SSRF guard.
      const r = await pollFeed(o.pollDeps, { feedId: feed.id });
      if (r.outcome === 'failed') return { id: feed.id, created, items: 0, error: `${r.code}: ${r.message}` };
      return { id: feed.id, created, items: r.outcome === 'changed' ? r.items : 0 };
    },
    remove: (id) => app.stores.feeds.remove(id),
  };

  const services: ChatServices = {
    store,
    deliver: (c) => deliver(c),
    runDigest: async (c) => {
      await queue.add(digestJob.name, { channel: channelKey(c), force: true }, { attempts: digestJob.attempts });
    },
    feeds,
  };

  return {
    store,
    gateways: o.gateways,
    services,
    deliverDeps,
    async publish(analyses) {
      for (const a of analyses) {
        if (!a.relevant || a.duplicateOf || !a.story) continue;
        await queue.add(publishStoryJob.name, { storyId: a.story, articleId: a.id }, { jobId: `pub-${a.id}`, attempts: publishStoryJob.attempts });
      }
    },
    startWorkers() {
      const workers = [
        queue.work(publishStoryJob, publishDeps, { summarize: (r) => ({ channels: r.length }) }),
        queue.work(deliverJob, deliverDeps, { summarize: (r) => r }),
        queue.work(digestJob, digestDeps, { summarize: (r) => ({ sent: r.length }) }),
      ];
      return workers.map((w) => () => w.close());
    },
    startScheduler(everyMs = 15_000) {
      const sweep = setInterval(() => {
        void (async () => {
          // Pending posts whose job was lost (Redis restarted, a crash) are picked up again here.
          for (const c of await store.channelsWithOpen(app.now())) await deliver(c);
          for (const u of await store.unpublished(new Date(app.now().getTime() - 6 * 3_600_000))) {
            await queue.add(publishStoryJob.name, { storyId: u.storyId, articleId: u.articleId }, { jobId: `pub-${u.articleId}`, attempts: publishStoryJob.attempts });
          }
          const minute = Math.floor(app.now().getTime() / 60_000);
          await queue.add(digestJob.name, {}, { jobId: `digest-tick-${minute}`, attempts: 1 });
        })().catch((err) => app.logger.warn({ err: (err as Error).message }, 'chat sweep failed'));
      }, everyMs);
      sweep.unref();
      return () => clearInterval(sweep);
    },
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
