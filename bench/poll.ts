/**
 * Poll cycles through the real queue, fetcher and database: 5,000 unchanged feeds answered with
 * 304s, then 500 changed feeds with 20 new items each. The feeds are prepared in the data dir first
 * (as a bot that has polled them before would have them); each cycle runs in a fresh process.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_FLAGS } from '../src/heap.ts';
import { startRedisServer } from '../src/queue/redis-server.ts';
import { openStores } from '../src/store/index.ts';
import { hostFor, startFeedServer, type BenchResult } from './lib.ts';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

async function child(dataDir: string, redisUrl: string, first: number, count: number) {
  // The child starts as the `frontera` command does, with its Node options.
  const { stdout } = await run(process.execPath, [...NODE_FLAGS, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', path.join(here, 'poll-child.ts'), dataDir, redisUrl, String(first), String(count)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { cycleMs: number; stored: number; outcomes: Record<string, number>; peakRssMb: number };
}

export async function benchPollCycles(): Promise<BenchResult[]> {
  const N = 5_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-'));
  const dataDir = path.join(tmp, 'data');
  const redis = await startRedisServer(path.join(tmp, 'redis'), { persist: false });
  const server = await startFeedServer(20);
  try {
    // Feeds as a running bot would have them after earlier polls: validators stored, baseline done.
    const stores = await openStores({ dataDir });
    await stores.db.query(
      `insert into feeds (url, etag, baseline_done, next_poll_at)
       select 'http://' || h || ':' || $1::text || '/f/' || n, '"f' || n || 'v0"', true, now()
       from unnest($2::text[], $3::int[]) as u(h, n)`,
      [server.port, Array.from({ length: N }, (_, n) => hostFor(n)), Array.from({ length: N }, (_, n) => n)],
    );
    const { rows } = await stores.db.query<{ id: number }>('select min(id) as id from feeds');
    const first = Number(rows[0]!.id);
    await stores.db.close();

    const unchanged = await child(dataDir, redis.url, first, N);
    await server.bump();
    const changed = await child(dataDir, redis.url, first, 500);
    return [
      {
        name: 'poll cycle: 5,000 unchanged feeds (304s) through BullMQ workers, fresh process',
        figures: { feeds: N, cycleMs: unchanged.cycleMs, feedsPerSecond: Math.round(N / (unchanged.cycleMs / 1000)), peakRssMb: unchanged.peakRssMb, rssBeforeCycleMb: (unchanged as any).rssBeforeMb, heapAfterMb: (unchanged as any).heapMb, peaksMb: JSON.stringify((unchanged as any).peaksMb), outcomes: JSON.stringify(unchanged.outcomes) },
        target: 'under 30 s, process peak memory under 300 MB',
        pass: unchanged.cycleMs < 30_000 && unchanged.peakRssMb < 300 && unchanged.outcomes.unchanged === N,
      },
      {
        name: 'poll cycle: 500 changed feeds x 20 new items, cycle start to all stored',
        figures: { feeds: 500, newArticles: changed.stored, cycleMs: changed.cycleMs, articlesPerSecond: Math.round(changed.stored / (changed.cycleMs / 1000)), peakRssMb: changed.peakRssMb },
        target: 'under 30 s, all 10,000 new articles stored',
        pass: changed.cycleMs < 30_000 && changed.stored === 10_000,
      },
    ];
  } finally {
    server.stop();
    await redis.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
