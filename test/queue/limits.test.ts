import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/queue/connection.ts';
import { redisLimits } from '../../src/queue/limits.ts';
import { startTestRedis, uniquePrefix, type TestRedis } from '../helpers/redis.ts';

describe('rate limits and locks in Redis', () => {
  let redis: TestRedis;
  let client: ReturnType<typeof connectRedis>;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = connectRedis(redis.url, 'worker');
    await client.ping();
  });
  afterAll(async () => {
    await client.quit();
    await redis.stop();
  });

  it('spaces reservations per key and honours a block', async () => {
    const { limiter } = redisLimits(client, uniquePrefix());
    expect(await limiter.reserve('c1', 1000)).toBe(0);
    const second = await limiter.reserve('c1', 1000);
    expect(second).toBeGreaterThan(900);
    expect(await limiter.reserve('c2', 1000)).toBe(0);
    await limiter.block('c2', 5000);
    expect(await limiter.reserve('c2', 1000)).toBeGreaterThan(4000);
    // The keys live in Redis: another process sharing the prefix sees the same slots.
    expect(await client.keys('*:chat:rate:*')).toHaveLength(2);
  });

  it('gives a lock to one holder at a time', async () => {
    const prefix = uniquePrefix();
    const a = redisLimits(client, prefix).locks;
    const b = redisLimits(client, prefix).locks;
    const t = await a.acquire('deliver:x', 10_000);
    expect(t).toMatch(/^[0-9a-f]{16}$/);
    expect(await b.acquire('deliver:x', 10_000)).toBeNull();
    await b.release('deliver:x', 'not-the-token');
    expect(await b.acquire('deliver:x', 10_000)).toBeNull();
    await a.refresh('deliver:x', t!, 20_000);
    expect(await client.pttl(`${prefix}:chat:lock:deliver:x`)).toBeGreaterThan(10_000);
    await a.release('deliver:x', t!);
    expect(await b.acquire('deliver:x', 10_000)).not.toBeNull();
  });
});
