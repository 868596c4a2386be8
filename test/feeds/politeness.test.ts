import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPoliteness } from '../../src/feeds/politeness.ts';

/** A task the test finishes by hand; records when it started (fake clock). */
interface Gate {
  host: string;
  startedAt: number | null;
  finish: () => void;
  done: Promise<unknown>;
}

describe('politeness', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Queues a task for `host` that runs until the test calls `finish`. */
  function gated(p: ReturnType<typeof createPoliteness>, host: string, signal?: AbortSignal): Gate {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const gate: Gate = { host, startedAt: null, finish: () => finish(), done: Promise.resolve() };
    gate.done = p.run(
      host,
      async () => {
        gate.startedAt = Date.now();
        await finished;
      },
      signal,
    );
    return gate;
  }

  it('runs at most perHost tasks at once for one host', async () => {
    const p = createPoliteness({ perHost: 2, minSpacingMs: 0 });
    const gates = Array.from({ length: 5 }, () => gated(p, 'a.example'));
    await vi.advanceTimersByTimeAsync(0);
    expect(gates.filter((g) => g.startedAt !== null)).toHaveLength(2);
    expect(p.stats()).toMatchObject({ active: 2, waiting: 3 });
    gates[0].finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(gates.filter((g) => g.startedAt !== null)).toHaveLength(3);
    for (const g of gates) g.finish();
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(gates.map((g) => g.done));
    expect(gates.every((g) => g.startedAt !== null)).toBe(true);
    expect(p.stats()).toEqual({ active: 0, waiting: 0, hosts: 0 });
  });

  it('spaces request starts to one host by minSpacingMs', async () => {
    const p = createPoliteness({ perHost: 10, minSpacingMs: 250 });
    const gates = Array.from({ length: 3 }, () => gated(p, 'a.example'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(gates.map((g) => g.startedAt)).toEqual([0, 250, 500]);
    for (const g of gates) g.finish();
    await Promise.all(gates.map((g) => g.done));
  });

  it('does not space requests to different hosts', async () => {
    const p = createPoliteness({ minSpacingMs: 250 });
    const gates = ['a.example', 'b.example', 'c.example'].map((h) => gated(p, h));
    await vi.advanceTimersByTimeAsync(0);
    expect(gates.map((g) => g.startedAt)).toEqual([0, 0, 0]);
    for (const g of gates) g.finish();
    await Promise.all(gates.map((g) => g.done));
  });

  it('treats host names case-insensitively', async () => {
    const p = createPoliteness({ perHost: 1, minSpacingMs: 0 });
    const a = gated(p, 'News.Example');
    const b = gated(p, 'news.example');
    await vi.advanceTimersByTimeAsync(0);
    expect([a.startedAt, b.startedAt]).toEqual([0, null]);
    a.finish();
    b.finish();
    await Promise.all([a.done, b.done]);
    expect(b.startedAt).toBe(0);
  });

  it('bounds global concurrency across hosts', async () => {
    const p = createPoliteness({ global: 3, minSpacingMs: 0 });
    const gates = Array.from({ length: 10 }, (_, i) => gated(p, `h${i}.example`));
    await vi.advanceTimersByTimeAsync(0);
    expect(gates.filter((g) => g.startedAt !== null)).toHaveLength(3);
    for (const g of gates.slice(0, 3)) g.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(gates.filter((g) => g.startedAt !== null)).toHaveLength(6);
    for (const g of gates) g.finish();
    await Promise.all(gates.map((g) => g.done));
  });

  it('releases the slot when a task fails', async () => {
    const p = createPoliteness({ perHost: 1, minSpacingMs: 0 });
    await expect(p.run('a.example', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(p.run('a.example', async () => 'ok')).resolves.toBe('ok');
    expect(p.stats().active).toBe(0);
  });

  it('drops a waiter whose signal aborts and leaves no timers behind', async () => {
    const p = createPoliteness({ perHost: 1, minSpacingMs: 1000 });
    const first = gated(p, 'a.example');
    const controller = new AbortController();
    const second = gated(p, 'a.example', controller.signal);
    const third = gated(p, 'a.example');
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error('gave up'));
    await expect(second.done).rejects.toThrow('gave up');
    expect(p.stats()).toMatchObject({ active: 1, waiting: 1 });
    first.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(third.startedAt).toBe(1000);
    expect(second.startedAt).toBeNull();
    third.finish();
    await third.done;
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const p = createPoliteness();
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(p.acquire('a.example', controller.signal)).rejects.toThrow('too late');
    expect(p.stats()).toEqual({ active: 0, waiting: 0, hosts: 0 });
  });

  it('makes release idempotent', async () => {
    const p = createPoliteness({ perHost: 1, minSpacingMs: 0 });
    const lease = await p.acquire('a.example');
    lease.release();
    lease.release();
    expect(p.stats().active).toBe(0);
    const again = await p.acquire('a.example');
    expect(p.stats().active).toBe(1);
    again.release();
  });

  it('gives concurrent leases on one host distinct slot indexes and reuses freed ones', async () => {
    const p = createPoliteness({ perHost: 3, minSpacingMs: 0 });
    const [a, b, c] = await Promise.all([p.acquire('a.example'), p.acquire('a.example'), p.acquire('a.example')]);
    expect([a.index, b.index, c.index]).toEqual([0, 1, 2]);
    b.release();
    const d = await p.acquire('a.example');
    expect(d.index).toBe(1);
    const other = await p.acquire('b.example');
    expect(other.index).toBe(0);
    for (const l of [a, c, d, other]) l.release();
  });

  it('handles 5,000 hosts within the global bound and forgets them afterwards', async () => {
    const p = createPoliteness({ global: 32, minSpacingMs: 250 });
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 5000 }, (_, i) =>
      p.run(`feed-${i}.example`, async () => {
        running++;
        peak = Math.max(peak, running);
        await Promise.resolve();
        running--;
        return i;
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    const results = await Promise.all(tasks);
    expect(results).toHaveLength(5000);
    expect(peak).toBeLessThanOrEqual(32);
    expect(peak).toBeGreaterThan(1);
    // Once their spacing windows pass, idle hosts are dropped (the sweep runs as new hosts arrive).
    expect(p.stats().hosts).toBeGreaterThan(1000);
    await vi.advanceTimersByTimeAsync(1000);
    await p.run('late.example', async () => undefined);
    expect(p.stats().hosts).toBeLessThanOrEqual(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
