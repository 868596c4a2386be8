/**
 * `frontera demo`: the whole pipeline on this machine with no accounts and no network. Serves the
 * bundled sample feeds on loopback, polls them through the real queue (a private redis-server) into
 * the embedded database, and prints every new report as it is stored. Stops on Ctrl-C or --duration.
 */
import { preferSmallHeap } from '../heap.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollFeed } from '../../jobs/poll-feed.ts';
import { parseDuration, type Config } from '../config.ts';
import { startDemoFeedServer, type UpcomingItem } from '../demo/feed-server.ts';
import type { Logger } from '../log.ts';
import { createApp, resolveRedis } from '../main.ts';
import { pollFeedDeps, startRoles } from '../roles.ts';
import { dashboardRoutes } from '../web/dashboard.ts';
import { createConsoleGateway } from '../chat/console/gateway.ts';
import { createChatStore } from '../store/chat.ts';
import type { Out } from './output.ts';
import { waitForStopSignal } from './start.ts';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo');

const TIERS: Record<string, 'official' | 'wire' | 'outlet' | 'commentary'> = {
  'gaceta-seguridad.xml': 'official',
  'capitol-brief.json': 'commentary',
};

export interface DemoOptions {
  duration?: string;
  port?: string;
  /** Seconds between new items appearing (default 4). */
  everyMs?: number;
}

/** Runs the demo; resolves to the exit status. */
export async function runDemo(config: Config, logger: Logger, opts: DemoOptions, out: Out): Promise<number> {
  preferSmallHeap();
  const durationMs = opts.duration ? parseDuration(opts.duration) : null;
  if (opts.duration && durationMs === null) {
    out.err(`--duration "${opts.duration}" is not a duration (try 60s or 2m).`);
    return 64;
  }
  // A fresh temporary data dir: the demo never touches ./data and starts from the same state every time.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-demo-'));
  const demoConfig: Config = {
    ...config,
    dataDir: tmp,
    port: opts.port ? Number(opts.port) : 0,
    fetch: { ...config.fetch, allowPrivate: true, perHostSpacingMs: 0 },
    polling: { ...config.polling, minIntervalMs: 1_000, maxIntervalMs: 3_000 },
  };
  const upcoming = fs
    .readFileSync(path.join(DEMO_DIR, 'upcoming.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as UpcomingItem);
  const feeds = await startDemoFeedServer(path.join(DEMO_DIR, 'feeds'), upcoming);
  const app = await createApp(demoConfig, logger);
  const redis = await resolveRedis(demoConfig, logger);
  const time = () => new Date().toISOString().slice(11, 19);

  out.line(`Frontera demo: ${Object.keys(feeds.feedUrls).length} sample feeds served at ${feeds.baseUrl} (fictional outlets).`);
  let baseline = 0;
  for (const [name, url] of Object.entries(feeds.feedUrls)) {
    const { feed } = await app.stores.feeds.add({ url, tier: TIERS[name] ?? 'outlet' });
    // In-process first poll: the baseline, stored but never alerted (as when a newsroom adds a feed).
    const r = await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id });
    if (r.outcome === 'changed') baseline += r.items;
  }
  out.line(`Baseline: ${baseline} existing items stored without alerts. Watching for new reports...`);

  // The console is subscribed like a newsroom channel: alerts and thread updates reach it through
  // publish-story and deliver, decided and recorded exactly as they would be for Slack or Discord.
  const channel = { platform: 'console', workspaceId: 'demo', channelId: 'newsroom' } as const;
  await createChatStore(app.stores.db).saveSubscription(channel, {}, 'demo');
  const consoleGateway = createConsoleGateway({ write: (l) => out.line(l) });
  let shown = 0;
  const bot = await startRoles(app, {
    roles: ['worker', 'scheduler', 'web'],
    redisUrl: redis.url,
    routes: dashboardRoutes(app.stores, { title: 'Frontera demo' }),
    reconcileEveryMs: 2_000,
    chatSweepMs: 2_000,
    gateways: { console: consoleGateway },
    // What the engine kept out of the channel, shown so the demo explains itself.
    onAnalysed: async (analyses) => {
      for (const an of analyses) {
        const [a] = await app.stores.articles.byIds([an.id]);
        if (!a || a.baseline) continue;
        shown++;
        if (!an.relevant) {
          out.line(`[${time()}] skipped, off the beat (${(an.score * 100).toFixed(0)}%): ${a.title}`);
        } else if (an.duplicateOf) {
          const feed = a.feedId ? await app.stores.feeds.get(a.feedId) : null;
          out.line(`[${time()}] copy of an earlier report, not alerted: ${a.title}\n           ${feed?.name ?? a.source} · ${a.url ?? ''}`);
        }
      }
    },
  });
  out.line(`Web page: ${bot.web?.url}/  ·  health: ${bot.web?.url}/healthz  ·  Ctrl-C to stop.`);

  const timer = setInterval(() => {
    const item = feeds.releaseNext();
    if (!item) clearInterval(timer);
  }, opts.everyMs ?? 4_000);
  const stopBy = durationMs ? new Promise<string>((r) => setTimeout(() => r('duration'), durationMs).unref()) : null;
  const why = await Promise.race([waitForStopSignal(), ...(stopBy ? [stopBy] : [])]);
  clearInterval(timer);
  out.line(`Stopping (${why}): ${shown} new report(s) analysed, ${consoleGateway.posted()} message(s) posted to the console channel, ${feeds.remaining()} still unreleased.`);
  await bot.stop();
  await redis.managed?.stop();
  await app.close();
  await feeds.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  return 0;
}

