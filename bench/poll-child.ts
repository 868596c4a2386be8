/**
 * One measured poll cycle in a fresh process, so the figures are this cycle's own: time from
 * enqueueing every feed's poll to the last job done, and the process's own peak RSS.
 * Args: <dataDir> <redisUrl> <first feed id> <count>. Prints one JSON line.
 */
import fs from 'node:fs';
import { pollFeed, pollFeedPayload, type PollFeedDeps } from '../jobs/poll-feed.ts';
import { createFetcher } from '../src/feeds/fetcher.ts';
import { silentLogger } from '../src/log.ts';
import { Metrics } from '../src/metrics.ts';
import { createQueueRuntime } from '../src/queue/runtime.ts';
import { openStores } from '../src/store/index.ts';
import { preferSmallHeap } from '../src/heap.ts';

// The same V8 tuning `frontera start` applies before it opens anything.
preferSmallHeap();

const [dataDir, redisUrl, firstArg, countArg] = process.argv.slice(2);
const first = Number(firstArg);
const count = Number(countArg);
// Polls in flight: the default of FRONTERA_POLL_CONCURRENCY.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const stores = await openStores({ dataDir });
const fetcher = createFetcher({ allowPrivate: true });
const rt = createQueueRuntime({ redisUrl: redisUrl!, prefix: `bench${process.pid}`, logger: silentLogger() });
const outcomes: Record<string, number> = {};
let pending = count;
let done!: () => void;
const finished = new Promise<void>((r) => (done = r));

const deps: PollFeedDeps = {
  feeds: stores.feeds, articles: stores.articles, fetcher, logger: silentLogger(), metrics: new Metrics(),
  now: () => new Date(), polling: { minIntervalMs: 120_000, maxIntervalMs: 6 * 3_600_000, disableAfterFailures: 10 },
  schedulePoll: async () => {}, articlesStored: async () => {},
};
const worker = rt.work(
  {
    name: 'poll-feed', concurrency: CONCURRENCY, attempts: 1, payload: pollFeedPayload,
    process: async (d: PollFeedDeps, p: { feedId: number }) => {
      const r = await pollFeed(d, p);
      const key = r.outcome === 'failed' ? `failed:${r.code}` : r.outcome;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (--pending === 0) done();
      return null;
    },
  },
  deps,
  { concurrency: CONCURRENCY },
);
await worker.waitUntilReady();

const before = await stores.articles.count();
const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
// Where the memory goes: the largest of each part of process.memoryUsage() seen during the cycle.
const peaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peaks) as Array<keyof typeof peaks>) peaks[k] = Math.max(peaks[k], Math.round(m[k] / 1048576));
}, 200);
const t = performance.now();
const ids = Array.from({ length: count }, (_, i) => first + i);
for (let i = 0; i < ids.length; i += 1000) {
  await rt.addBulk('poll-feed', ids.slice(i, i + 1000).map((feedId) => ({ payload: { feedId } })));
}
await finished;
const cycleMs = performance.now() - t;
clearInterval(sampler);
const stored = (await stores.articles.count()) - before;
/**
 * This process's own peak RSS. Not resourceUsage().maxRSS: on Linux that keeps the high-water mark of
 * the image before exec, which is the forked copy of the parent (the benchmark runner, several hundred
 * MB after the ingest benchmark), so it reported the parent's size. VmHWM is this program's own mark.
 */
function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux: the portable figure, with the caveat above
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
console.log(JSON.stringify({ rssBeforeMb, heapMb: Math.round(process.memoryUsage().heapUsed / 1048576), cycleMs: Math.round(cycleMs), stored, peaksMb: peaks, outcomes, peakRssMb: peakRssMb() }));
await rt.close();
await fetcher.close();
await stores.db.close();
process.exit(0);
