import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Redis } from 'ioredis';
import { silentLogger } from '../../src/log.ts';
import { createQueueRuntime } from '../../src/queue/runtime.ts';
import { POLL_QUEUE, pollJobId, reconcilePolls, schedulePoll } from '../../src/queue/scheduler.ts';
import type { FeedStore } from '../../src/store/feeds.ts';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('managed redis-server', () => {
  it('answers PING on the port it reports', async () => {
    const client = new Redis(redis.url);
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});

describe('queue runtime', () => {
  it('runs a job through a worker with the injected deps', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      rt.work(
        {
          name: 'double', concurrency: 1, attempts: 1, payload: z.object({ n: z.number() }),
          async process(deps: { sink: number[] }, p) {
            deps.sink.push(p.n * 2);
            if (deps.sink.length === 2) resolve();
          },
        },
        { sink: seen },
      );
    });
    await rt.add('double', { n: 2 });
    await rt.add('double', { n: 5 });
    await done;
    expect(seen.sort((a, b) => a - b)).toEqual([4, 10]);
    await rt.close();
  });

  it('fails a malformed payload without retrying it', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    let calls = 0;
    const worker = rt.work(
      { name: 'strict', concurrency: 1, attempts: 5, payload: z.object({ n: z.number() }), async process() { calls++; } },
      {},
    );
    const failed = new Promise<number>((resolve) => worker.on('failed', (job) => resolve(job?.attemptsMade ?? -1)));
    await rt.add('strict', { n: 'not a number' });
    expect(await failed).toBe(1);
    expect(calls).toBe(0);
    await rt.close();
  });

  it('schedules one delayed poll per feed and time, however often it is asked', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    const now = new Date('2026-01-01T00:00:00Z');
    const at = new Date(now.getTime() + 3_600_000);
    await schedulePoll(rt, 7, at, now);
    await schedulePoll(rt, 7, at, now);
    await schedulePoll(rt, 8, at, now);
    const q = rt.queue(POLL_QUEUE);
    const delayed = await q.getDelayed();
    expect(delayed.map((j) => j.id).sort()).toEqual([pollJobId(7, at), pollJobId(8, at)].sort());
    expect(delayed.find((j) => j.id === pollJobId(7, at))?.data).toEqual({ feedId: 7, at: at.getTime() });
    await rt.close();
  });

  it('reconciliation restores lost poll jobs and adds nothing twice', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    const now = new Date();
    const feeds = {
      schedulable: async () => [
        { id: 1, nextPollAt: new Date(now.getTime() + 60_000) },
        { id: 2, nextPollAt: new Date(now.getTime() + 120_000) },
      ],
    } as unknown as FeedStore;
    expect(await reconcilePolls(rt, feeds, now)).toBe(2);
    await reconcilePolls(rt, feeds, now);
    const q = rt.queue(POLL_QUEUE);
    expect(await q.getDelayedCount()).toBe(2);
    await q.obliterate({ force: true });
    expect(await q.getDelayedCount()).toBe(0);
    await reconcilePolls(rt, feeds, now);
    expect(await q.getDelayedCount()).toBe(2);
    await rt.close();
  });

  it('calls the final-failure hook once, after the last attempt', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    let calls = 0;
    const finals: string[] = [];
    const worker = rt.work(
      {
        name: 'flaky', concurrency: 1, attempts: 2, payload: z.object({ n: z.number() }),
        async process() {
          calls++;
          throw new Error(`boom ${calls}`);
        },
        async onFinalFailure(_d, _p, err) {
          finals.push((err as Error).message);
        },
      },
      {},
    );
    const failedForGood = new Promise<void>((resolve) =>
      worker.on('failed', (job) => {
        if (job && job.attemptsMade >= 2) resolve();
      }),
    );
    await rt.add('flaky', { n: 1 }, { attempts: 2 });
    await failedForGood;
    expect(calls).toBe(2);
    expect(finals).toEqual(['boom 2']);
    await rt.close();
  });

  it('reports Redis health', async () => {
    const rt = createQueueRuntime({ redisUrl: redis.url, prefix: uniquePrefix(), logger: silentLogger() });
    expect(await rt.ping()).toBe(true);
    await rt.close();
  });
});

describe('missing redis-server', () => {
  it('names the package to install and the REDIS_URL alternative', async () => {
    const { findRedisServer } = await import('../../src/queue/redis-server.ts');
    expect(() => findRedisServer('/nonexistent/redis-server')).toThrow(/apt-get install redis-server.*REDIS_URL/s);
  });
});
