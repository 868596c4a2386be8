/** Benchmark helpers: timing, peak memory sampling, a child-process feed server, result printing. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Samples this process's RSS every 50 ms; `stop()` returns the peak in MB. */
export function peakMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round(peak / 1024 / 1024);
    },
  };
}

/** Starts bench/feed-server.ts in a child process; resolves with its port. */
export async function startFeedServer(itemsPerFeed: number): Promise<{ port: number; child: ChildProcess; bump(): Promise<void>; stop(): void }> {
  const child = fork(path.join(here, 'feed-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_ITEMS: String(itemsPerFeed) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`feed server exited with ${code}`)));
  });
  return {
    port,
    child,
    bump: async () => {
      await fetch(`http://127.0.0.1:${port}/bump`);
    },
    stop: () => child.kill(),
  };
}

/** A host name for feed n: a distinct loopback alias per feed, so per-host politeness applies as it would on the web. */
export function hostFor(n: number): string {
  return `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export interface BenchResult {
  name: string;
  figures: Record<string, string | number>;
  target: string;
  pass: boolean;
}

/** Prints one result in a fixed format (also parsed into BENCHMARKS.md by hand). */
export function report(r: BenchResult): void {
  const figs = Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join('  ');
  console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.name}\n      ${figs}\n      target: ${r.target}`);
}
