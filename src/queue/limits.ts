/**
 * Rate-limit slots and short-lived locks in Redis, shared by every worker. When Redis is unreachable
 * they fall back to this process's memory: delivery slows or serialises per process, and the database
 * claim on each delivery still prevents a double post. Losing Redis loses no data.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { memoryLocks, memoryRateLimiter, type Locks, type RateLimiter } from '../chat/limits.ts';

const RESERVE = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[1], at + interval, 'PX', at + interval - now + 1000)
return at - now`;

const BLOCK = `
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nxt then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[2]) + 1000) end
return 1`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** Redis-backed rate limiter and locks under `prefix`. */
export function redisLimits(redis: Redis, prefix: string): { limiter: RateLimiter; locks: Locks } {
  const memLimiter = memoryRateLimiter();
  const memLocks = memoryLocks();
  const k = (key: string) => `${prefix}:chat:${key}`;
  const up = () => redis.status === 'ready';
  return {
    limiter: {
      async reserve(key, intervalMs) {
        if (!up()) return memLimiter.reserve(key, intervalMs);
        try {
          return Number(await redis.eval(RESERVE, 1, k(`rate:${key}`), Date.now(), intervalMs));
        } catch {
          return memLimiter.reserve(key, intervalMs);
        }
      },
      async block(key, ms) {
        await memLimiter.block(key, ms);
        if (up()) await redis.eval(BLOCK, 1, k(`rate:${key}`), Date.now(), Math.ceil(ms)).catch(() => {});
      },
    },
    locks: {
      async acquire(key, ttlMs) {
        if (!up()) return memLocks.acquire(key, ttlMs);
        const token = randomBytes(8).toString('hex');
        try {
          return (await redis.set(k(`lock:${key}`), token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
        } catch {
          return memLocks.acquire(key, ttlMs);
        }
      },
      async refresh(key, token, ttlMs) {
        if (token.startsWith('m')) return memLocks.refresh(key, token, ttlMs);
        await redis.eval(REFRESH, 1, k(`lock:${key}`), token, ttlMs).catch(() => {});
      },
      async release(key, token) {
        if (token.startsWith('m')) return memLocks.release(key, token);
        await redis.eval(RELEASE, 1, k(`lock:${key}`), token).catch(() => {});
      },
    },
  };
}
