/**
 * Politeness limits for outgoing requests: at most `perHost` requests in flight to one host, at least
 * `minSpacingMs` between the starts of two requests to the same host, and at most `global` in flight overall.
 *
 * Built for poll cycles over thousands of hosts: every operation is O(1) amortized, a timer exists only
 * while some waiter is held back by spacing, and per-host state is forgotten once a host is idle and its
 * spacing window has passed (so memory follows the number of busy hosts, not every host ever seen).
 */

/** Options for `createPoliteness`. */
export interface PolitenessOptions {
  /** Requests in flight per host (default 2). */
  perHost?: number;
  /** Minimum milliseconds between request starts to one host (default 250). */
  minSpacingMs?: number;
  /** Requests in flight across all hosts (default 32). */
  global?: number;
  /** Clock in milliseconds; injectable for tests (default Date.now). */
  now?: () => number;
}

/** A held slot for one host. */
export interface Lease {
  /**
   * Which of the host's `perHost` slots this is, 0-based; no two leases held at once for one host share
   * an index. The fetcher keeps one connection per (host, index), so per-host limits hold at socket level.
   */
  index: number;
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

/** Gate for requests, keyed by host name (case-insensitive). */
export interface Politeness {
  /** Waits for a slot for `host`. Rejects with the signal's reason if `signal` aborts while waiting. */
  acquire(host: string, signal?: AbortSignal): Promise<Lease>;
  /** Runs `task` inside a slot for `host` and releases the slot when it settles. */
  run<T>(host: string, task: (lease: Lease) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Counts for metrics and tests: requests in flight, requests waiting, hosts with remembered state. */
  stats(): { active: number; waiting: number; hosts: number };
}

/** Minimum time between time-triggered sweeps of idle host state. */
const SWEEP_EVERY_MS = 1000;

interface Waiter {
  resolve: (lease: Lease) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface HostState {
  key: string;
  active: number;
  /** Bit i set while slot index i is leased. */
  slots: number;
  lastStart: number;
  waiters: Waiter[];
  timer: ReturnType<typeof setTimeout> | null;
  /** True while the host sits in the ready queue (so it is queued at most once). */
  inReady: boolean;
}

/** FIFO with O(1) shift (Array#shift is O(n) on long arrays). */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Creates a politeness gate; share one per process so all fetchers respect the same limits. */
export function createPoliteness(opts: PolitenessOptions = {}): Politeness {
  // Slot indexes live in a 31-bit mask; more than 31 connections to one host would not be polite anyway.
  const perHost = Math.min(31, Math.max(1, opts.perHost ?? 2));
  const spacing = Math.max(0, opts.minSpacingMs ?? 250);
  const maxGlobal = Math.max(1, opts.global ?? 32);
  const now = opts.now ?? Date.now;

  const hosts = new Map<string, HostState>();
  // Hosts that have a waiter and may start one now, in arrival order: gives round-robin fairness.
  const ready = new Fifo<HostState>();
  let globalActive = 0;
  let waiting = 0;
  let sweepAt = 1024;
  let lastSweep = now();

  function hostState(key: string): HostState {
    let h = hosts.get(key);
    if (!h) {
      if (hosts.size >= sweepAt || (hosts.size >= 256 && now() - lastSweep >= SWEEP_EVERY_MS)) sweep();
      h = { key, active: 0, slots: 0, lastStart: -Infinity, waiters: [], timer: null, inReady: false };
      hosts.set(key, h);
    }
    return h;
  }

  function idle(h: HostState): boolean {
    return h.active === 0 && h.waiters.length === 0 && h.timer === null && !h.inReady;
  }

  /** Drops a host's state once nothing about it matters any more. */
  function maybeForget(h: HostState): void {
    if (idle(h) && now() - h.lastStart >= spacing && hosts.get(h.key) === h) hosts.delete(h.key);
  }

  // Hosts released inside their spacing window stay in the map; an occasional sweep drops them so the
  // map does not grow with every host ever polled. Sweeps run when a new host arrives and the map has
  // doubled or a second has passed, so their cost is amortized O(1) per host and O(hosts) per second.
  function sweep(): void {
    for (const h of hosts.values()) maybeForget(h);
    sweepAt = Math.max(1024, hosts.size * 2);
    lastSweep = now();
  }

  /** Puts a host in the ready queue, or arms its spacing timer, if it has a waiter it could start. */
  function evaluate(h: HostState): void {
    if (h.inReady || h.timer !== null || h.waiters.length === 0 || h.active >= perHost) return;
    const wait = h.lastStart + spacing - now();
    if (wait > 0) {
      h.timer = setTimeout(() => {
        h.timer = null;
        evaluate(h);
        pump();
        maybeForget(h);
      }, wait);
      return;
    }
    h.inReady = true;
    ready.push(h);
  }

  function start(h: HostState): void {
    const w = h.waiters.shift()!;
    waiting--;
    if (w.onAbort) w.signal!.removeEventListener('abort', w.onAbort);
    h.active++;
    globalActive++;
    h.lastStart = now();
    let index = 0;
    while (h.slots & (1 << index)) index++;
    h.slots |= 1 << index;
    let released = false;
    w.resolve({
      index,
      release: () => {
        if (released) return;
        released = true;
        h.slots &= ~(1 << index);
        h.active--;
        globalActive--;
        evaluate(h);
        pump();
        maybeForget(h);
      },
    });
  }

  function pump(): void {
    while (globalActive < maxGlobal) {
      const h = ready.shift();
      if (!h) return;
      h.inReady = false;
      if (h.waiters.length === 0 || h.active >= perHost || h.lastStart + spacing > now()) {
        // Something changed since it was queued (an abort, a clock step): re-judge it.
        evaluate(h);
        maybeForget(h);
        continue;
      }
      start(h);
      evaluate(h);
    }
  }

  function acquire(host: string, signal?: AbortSignal): Promise<Lease> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const h = hostState(host.toLowerCase());
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = h.waiters.indexOf(w);
          if (i < 0) return;
          h.waiters.splice(i, 1);
          waiting--;
          if (h.waiters.length === 0 && h.timer !== null) {
            clearTimeout(h.timer);
            h.timer = null;
          }
          maybeForget(h);
          reject(signal.reason);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      h.waiters.push(w);
      waiting++;
      evaluate(h);
      pump();
    });
  }

  return {
    acquire,
    async run<T>(host: string, task: (lease: Lease) => Promise<T>, signal?: AbortSignal): Promise<T> {
      const lease = await acquire(host, signal);
      try {
        return await task(lease);
      } finally {
        lease.release();
      }
    },
    stats: () => ({ active: globalActive, waiting, hosts: hosts.size }),
  };
}
