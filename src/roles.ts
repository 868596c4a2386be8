/**
 * Starts the long-running roles of `frontera start` over an App: workers (poll feeds), the
 * scheduler (per-feed delayed polls, WebSub renewals) and the web server. SIGTERM drains them.
 */
import { pollFeedJob, type PollFeedDeps, type PollResult } from '../jobs/poll-feed.ts';
import { processArticleJob } from '../jobs/process-article.ts';
import type { Analysis } from './newsroom/engine.ts';
import { buildEngine } from './newsroom/setup.ts';
import { commands, runCommandLine } from '../commands/index.ts';
import type { DeliverPolicy } from '../jobs/deliver.ts';
import { createSlackDelivery, createSlackSurface } from './chat/slack/index.ts';
import { createChatRuntime, type ChatRuntime, type Gateways } from './chat/wiring.ts';
import { warmUp } from './chat/warm-up.ts';
import { loadBeatPack } from './kb/pack.ts';
import { createNameIndex } from './kb/names.ts';
import { searchNameOf } from '../commands/search.ts';
import { syncSearchIndex } from './store/search.ts';
import { refreshStatistics } from './store/statistics.ts';
import type { CommandDeps } from '../commands/types.ts';
import type { ChannelRef, ChatGateway } from './chat/types.ts';
import { fetchFullText } from './feeds/fulltext.ts';
import { renewDueSubscriptions, subscribeToHub, websubRoutes, type PushDeps } from './feeds/push.ts';
import type { App } from './main.ts';
import { createQueueRuntime, type QueueRuntime } from './queue/runtime.ts';
import { schedulePoll, startScheduler } from './queue/scheduler.ts';
import { healthRoutes } from './web/health.ts';
import { startWebServer, type Route, type WebServer } from './web/server.ts';

export type Role = 'all' | 'worker' | 'scheduler' | 'chat' | 'web';

export interface RunningBot {
  queue: QueueRuntime;
  web: WebServer | null;
  /** Subscriptions, deliveries and the delivery gateways. */
  chat: ChatRuntime;
  /** Stops every role: workers finish their current jobs first. */
  stop(): Promise<void>;
}

export interface StartOptions {
  roles: Role[];
  redisUrl: string;
  /** Queue key prefix (tests isolate runs with it). */
  queuePrefix?: string;
  /** Extra web routes (WebSub callbacks, dashboard). */
  routes?: Route[];
  /** Called with the ids of newly stored articles (the newsroom engine hooks in here). */
  onArticles?: (ids: string[]) => Promise<void>;
  /** Called after each poll (the demo prints from it). */
  onPoll?: (feedId: number, result: PollResult) => void;
  /** Called with the engine's decisions on each batch of new articles. */
  onAnalysed?: (analyses: Analysis[]) => Promise<void>;
  /** Reconciliation period for poll jobs. */
  reconcileEveryMs?: number;
  /**
   * Delivery gateways by platform, over the ones built from the config (Slack when SLACK_BOT_TOKEN is
   * set). The Discord surface plugs in here: { discord: createDiscordDelivery(...) }.
   */
  gateways?: Gateways;
  /** Delivery spacing and retry policy (tests and benchmarks shorten it). */
  chatPolicy?: Partial<DeliverPolicy>;
  /** How often pending posts are re-enqueued and digests checked. */
  chatSweepMs?: number;
  /**
   * Command surfaces of other chat platforms, started by the `chat` role after Slack's. For Discord:
   *   async ({ app, chat, commandDeps }) => {
   *     const d = await startDiscord({ ..., run: (n, a, c) => runCommand(n, a, c, commandDeps), ... });
   *     return { platform: 'discord', gateway: d.gateway, stop: () => d.stop() };
   *   }
   */
  surfaces?: ChatSurfaceFactory[];
  /** How often the scheduler checks planner statistics (default 5 minutes). */
  statisticsEveryMs?: number;
}

/** Starts one platform's command surface over the shared command deps and chat services. */
export type ChatSurfaceFactory = (ctx: { app: App; chat: ChatRuntime; commandDeps: CommandDeps }) => Promise<{
  platform: ChannelRef['platform'];
  /** Delivery for this platform, if `gateways` did not already name one. */
  gateway?: ChatGateway;
  /** Routes for the web server (Slack's /slack/events). */
  routes?: Route[];
  stop(): Promise<void>;
}>;

/** Slack from the config: Bolt on POST /slack/events, or Socket Mode with SLACK_APP_TOKEN. */
const slackSurface: ChatSurfaceFactory = async ({ app, chat, commandDeps }) => {
  const slack = createSlackSurface({
    botToken: app.config.slack.botToken!, signingSecret: app.config.slack.signingSecret, appToken: app.config.slack.appToken,
    apiUrl: app.config.slack.apiUrl, commands, logger: app.logger,
    run: (line, caller) => runCommandLine(line, caller, commandDeps),
    isAdmin: (userId) => app.config.admins.includes(`slack:${userId}`),
    mute: (channel, storyId, userId) => chat.store.mute(channel, storyId, userId),
    unmute: async (channel, storyId) => void (await chat.store.unmute(channel, storyId)),
  });
  await slack.start();
  return { platform: 'slack', routes: slack.routes, stop: () => slack.stop() };
};

/**
 * Builds the poll-feed dependencies over an app. `schedule` stores the next poll as a delayed job;
 * one-off polls from the command line pass a no-op (the time is still saved on the feed row).
 */
export function pollFeedDeps(
  app: App,
  schedule: (feedId: number, at: Date) => Promise<void>,
  onArticles?: (ids: string[]) => Promise<void>,
  push?: PushDeps,
): PollFeedDeps {
  return {
    feeds: app.stores.feeds,
    articles: app.stores.articles,
    fetcher: app.fetcher,
    logger: app.logger,
    metrics: app.metrics,
    now: app.now,
    polling: app.config.polling,
    schedulePoll: schedule,
    articlesStored: async (ids) => {
      await onArticles?.(ids);
    },
    fullText: async (articleId, url) => {
      const ft = await fetchFullText(app.fetcher, url);
      if (ft && ft.text.length > 200) await app.stores.articles.setFullText(articleId, ft.html, ft.text);
    },
    hubFound: push
      ? async (feed, hubs, topic) => {
          await subscribeToHub(push, feed, hubs, topic);
        }
      : undefined,
  };
}

/** Queues articles for the engine in batches; a batch id makes a re-sent batch a no-op while it waits. */
export async function enqueueProcessing(queue: QueueRuntime, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    await queue.add(processArticleJob.name, { articleIds: batch }, { jobId: `proc-${batch[0]}-${batch.length}`, attempts: processArticleJob.attempts });
  }
}

/** WebSub dependencies over an app. */
export function pushDeps(app: App, onArticles?: (ids: string[]) => Promise<void>): PushDeps {
  return {
    feeds: app.stores.feeds,
    articles: app.stores.articles,
    logger: app.logger,
    metrics: app.metrics,
    now: app.now,
    poster: { post: (url, body) => app.fetcher.postForm(url, body) },
    publicUrl: app.config.publicUrl,
    articlesStored: async (ids) => {
      await onArticles?.(ids);
    },
  };
}

/** Starts the requested roles. */
export async function startRoles(app: App, opts: StartOptions): Promise<RunningBot> {
  const has = (r: Role) => opts.roles.includes('all') || opts.roles.includes(r);
  const queue = createQueueRuntime({ redisUrl: opts.redisUrl, prefix: opts.queuePrefix, logger: app.logger });
  const stops: Array<() => Promise<void> | void> = [];
  const push = pushDeps(app, opts.onArticles);
  const slackToken = app.config.slack.botToken;
  const gateways: Gateways = {
    ...(slackToken ? { slack: createSlackDelivery({ botToken: slackToken, apiUrl: app.config.slack.apiUrl, logger: app.logger }) } : {}),
    ...opts.gateways,
  };
  const chat = createChatRuntime({
    app, queue, gateways, redisUrl: opts.redisUrl, queuePrefix: opts.queuePrefix, policy: opts.chatPolicy,
    pollDeps: pollFeedDeps(app, (feedId, at) => schedulePoll(queue, feedId, at, app.now()), (ids) => enqueueProcessing(queue, ids), push),
  });
  stops.push(() => chat.close());

  try {
    return await startEach();
  } catch (err) {
    // A later role failed to start (e.g. the port is taken): stop the ones already running.
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => {});
    await queue.close().catch(() => {});
    throw err;
  }

  async function startEach(): Promise<RunningBot> {
  if (has('worker')) {
    const engine = buildEngine(app.stores.newsroom, app.logger, app.config.llm);
    // Search documents follow each analysed batch, so /search finds a report as soon as it is analysed
    // (/search and the console also catch up on their own; this keeps a busy bot from falling behind).
    const searchName = searchNameOf(createNameIndex(loadBeatPack()));
    const analysed = async (analyses: Analysis[]) => {
      await opts.onAnalysed?.(analyses);
      await chat.publish(analyses);
      try {
        while ((await syncSearchIndex(app.stores.db, searchName, 2_000)) > 0);
      } catch (err) {
        app.logger.warn({ err: (err as Error).message }, 'search index catch-up failed; /search will retry');
      }
    };
    const processor = queue.work(processArticleJob, { engine, analysed }, {
      concurrency: 1,
      summarize: (r) => ({ analysed: r.length, relevant: r.filter((a) => a.relevant).length }),
    });
    stops.push(() => processor.close());
    stops.push(...chat.startWorkers());
  }
  if (has('worker')) {
    const handOff = async (ids: string[]) => {
      await opts.onArticles?.(ids);
      await enqueueProcessing(queue, ids);
    };
    const deps = pollFeedDeps(app, (feedId, at) => schedulePoll(queue, feedId, at, app.now()), handOff, push);
    const worker = queue.work(
      { ...pollFeedJob, process: async (d: PollFeedDeps, p) => {
        const r = await pollFeedJob.process(d, p);
        opts.onPoll?.(p.feedId, r);
        return r;
      } },
      deps,
      {
        concurrency: app.config.polling.concurrency,
        // Keep Redis small: store a summary, never the articles.
        summarize: (r) => ({ outcome: r.outcome, ...(r.outcome === 'changed' ? { items: r.items, newItems: r.newItems } : {}) }),
      },
    );
    stops.push(() => worker.close());
  }
  if (has('scheduler')) {
    stops.push(startScheduler(queue, app.stores.feeds, app.logger, opts.reconcileEveryMs));
    stops.push(chat.startScheduler(opts.chatSweepMs));
    // The durable to-do list of the engine: anything stored but not analysed (a lost hand-off) is re-enqueued.
    const sweep = setInterval(() => {
      void app.stores.newsroom.unprocessed(2000).then((ids) => enqueueProcessing(queue, ids)).catch((err) =>
        app.logger.warn({ err: (err as Error).message }, 'unprocessed sweep failed'));
    }, opts.reconcileEveryMs ?? 60_000);
    sweep.unref();
    stops.push(() => clearInterval(sweep));
    // Planner statistics for the growing tables (PGlite has no autovacuum): checked every few minutes,
    // analysed only when a table has doubled since its last ANALYZE.
    const stats = setInterval(() => {
      void refreshStatistics(app.stores.db)
        .then((tables) => tables.length && app.logger.info({ tables }, 'planner statistics refreshed'))
        .catch((err) => app.logger.warn({ err: (err as Error).message }, 'statistics refresh failed'));
    }, opts.statisticsEveryMs ?? 5 * 60_000);
    stats.unref();
    stops.push(() => clearInterval(stats));
    if (app.config.publicUrl) {
      const timer = setInterval(() => void renewDueSubscriptions(push).catch(() => {}), 10 * 60_000);
      timer.unref();
      stops.push(() => clearInterval(timer));
    }
  }
  // Chat surfaces, keyed by platform: Slack is built from the config (POST /slack/events or Socket Mode);
  // other platforms come in through `opts.surfaces` with the same command deps and chat services.
  const chatRoutes: Route[] = [];
  const surfaces = [...(slackToken ? [slackSurface] : []), ...(opts.surfaces ?? [])];
  if (has('chat') && surfaces.length > 0) {
    const commandDeps: CommandDeps = {
      stores: app.stores, pack: loadBeatPack(), logger: app.logger, now: app.now, queryTimeoutMs: 2_500, services: { chat: chat.services },
    };
    await warmUp(commandDeps);
    for (const make of surfaces) {
      const surface = await make({ app, chat, commandDeps });
      // A surface's own gateway delivers for its platform unless one was given (delivery-only processes).
      if (surface.gateway && !gateways[surface.platform]) gateways[surface.platform] = surface.gateway;
      chatRoutes.push(...(surface.routes ?? []));
      stops.push(() => surface.stop());
    }
  }
  let web: WebServer | null = null;
  if (has('web') || chatRoutes.length > 0) {
    web = await startWebServer({
      port: app.config.port,
      logger: app.logger,
      routes: [
        ...healthRoutes({ db: app.stores.db, metrics: app.metrics, redisPing: () => queue.ping() }),
        ...websubRoutes(push),
        ...(opts.routes ?? []),
        ...chatRoutes,
      ],
    });
    app.logger.info({ url: web.url }, 'web server listening');
    const w = web;
    stops.push(() => w.close());
  }
  return {
    queue,
    web,
    chat,
    async stop() {
      for (const s of stops.reverse()) await s();
      await queue.close();
    },
  };
  }
}
