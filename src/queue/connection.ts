/**
 * Redis connections set up the way BullMQ recommends for production: workers wait out outages
 * (maxRetriesPerRequest: null), producers fail fast (no offline queue), everything closes on shutdown.
 */
import { Redis } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

/** Opens a Redis connection for the given role. */
export function connectRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: role === 'worker',
    // Reconnect with a capped backoff; losing Redis loses no data (it lives in PostgreSQL).
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    lazyConnect: false,
  });
}
