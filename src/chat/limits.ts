/**
 * Rate limits and per-channel locks for delivery, as narrow interfaces. Production keeps them in Redis
 * (src/queue/limits.ts) so several workers share them; the in-memory versions serve one process and tests.
 */

export interface RateLimiter {
  /** Reserves the next slot of `key` (one action per `intervalMs`); resolves to how long to wait for it. */
  reserve(key: string, intervalMs: number): Promise<number>;
  /** Nothing may happen on `key` for `ms` (a platform said Retry-After). */
  block(key: string, ms: number): Promise<void>;
}

export interface Locks {
  /** Takes the lock for `ttlMs`; a token when taken, null when someone else holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Extends a lock this token holds. */
  refresh(key: string, token: string, ttlMs: number): Promise<void>;
  release(key: string, token: string): Promise<void>;
}

/** One-process rate limiter. */
export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const next = new Map<string, number>();
  return {
    async reserve(key, intervalMs) {
      const t = now();
      const at = Math.max(t, next.get(key) ?? 0);
      next.set(key, at + intervalMs);
      return at - t;
    },
    async block(key, ms) {
      next.set(key, Math.max(next.get(key) ?? 0, now() + ms));
    },
  };
}

/** One-process locks. */
export function memoryLocks(now: () => number = Date.now): Locks {
  const held = new Map<string, { token: string; until: number }>();
  let n = 0;
  return {
    async acquire(key, ttlMs) {
      const h = held.get(key);
      if (h && h.until > now()) return null;
      const token = `m${++n}`;
      held.set(key, { token, until: now() + ttlMs });
      return token;
    },
    async refresh(key, token, ttlMs) {
      const h = held.get(key);
      if (h?.token === token) h.until = now() + ttlMs;
    },
    async release(key, token) {
      if (held.get(key)?.token === token) held.delete(key);
    },
  };
}
