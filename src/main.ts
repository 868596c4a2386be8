/**
 * Composition root: the one place that builds clients and stores from the configuration and hands
 * narrow interfaces down. Nothing else constructs its own database, Redis or HTTP client.
 */
import path from 'node:path';
import type { Config } from './config.ts';
import { createFetcher } from './feeds/fetcher.ts';
import type { Fetcher } from './feeds/types.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { startRedisServer, type ManagedRedis } from './queue/redis-server.ts';
import { openStores, type Stores } from './store/index.ts';
import { lockDataDir } from './store/lock.ts';

export interface App {
  config: Config;
  logger: Logger;
  stores: Stores;
  fetcher: Fetcher;
  metrics: Metrics;
  now: () => Date;
  /** Closes everything this app opened, in reverse order. */
  close(): Promise<void>;
}

/** Builds the database, fetcher and metrics: what every command needs. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  // The embedded database lives in the data dir: one process at a time (see store/lock.ts).
  const release = config.databaseUrl ? null : lockDataDir(config.dataDir);
  let stores: Stores;
  try {
    stores = await openStores({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    release?.();
    throw err;
  }
  const fetcher = createFetcher({
    allowPrivate: config.fetch.allowPrivate,
    userAgent: config.fetch.userAgent ?? undefined,
    totalTimeoutMs: config.fetch.totalTimeoutMs,
    connectTimeoutMs: config.fetch.connectTimeoutMs,
    maxBodyBytes: config.fetch.maxBodyBytes,
    maxRedirects: config.fetch.maxRedirects,
    perHostConcurrency: config.fetch.perHostConcurrency,
    perHostSpacingMs: config.fetch.perHostSpacingMs,
  });
  const closers: Array<() => Promise<void>> = [async () => release?.(), () => stores.db.close()];
  if ('close' in fetcher && typeof fetcher.close === 'function') closers.push(() => (fetcher as { close(): Promise<void> }).close());
  return {
    config,
    logger,
    stores,
    fetcher,
    metrics: new Metrics(),
    now: () => new Date(),
    async close() {
      for (const c of closers.reverse()) await c().catch((err) => logger.warn({ err: (err as Error).message }, 'close failed'));
    },
  };
}

/** The Redis URL to use: REDIS_URL, or a private redis-server with its files in the data dir. */
export async function resolveRedis(config: Config, logger: Logger): Promise<{ url: string; managed: ManagedRedis | null }> {
  if (config.redisUrl) return { url: config.redisUrl, managed: null };
  lockDataDir(config.dataDir);
  const managed = await startRedisServer(path.join(config.dataDir, 'redis'));
  logger.info({ url: managed.url }, 'started a private redis-server (set REDIS_URL to use your own)');
  return { url: managed.url, managed };
}
