/**
 * Memory tuning for the long-running bot. A poll cycle over thousands of feeds allocates quickly and
 * keeps little: V8's default heap growth lets that garbage pile up to several times the live data
 * before a full collection (a 5,000-feed cycle peaked at about 110 MB of heap with 25 MB live).
 * `--optimize-for-size` makes V8 grow the heap in smaller steps and collect sooner, for a few percent
 * of CPU. Flags set this way apply to heaps V8 sizes from now on, including the database thread's.
 */
import v8 from 'node:v8';

/**
 * Node options the `frontera` command starts with (its shebang, bin/frontera.js, repeats them: they
 * must be given at start-up, and a test keeps the two equal). A 1 MB young generation: V8 otherwise grows
 * it to 16 MB per semi-space under a busy poll cycle, about 30 MB of heap that holds only garbage; a
 * 5,000-feed cycle then peaked between 267 and 330 MB, and with it between 244 and 261 MB. The price is
 * more frequent minor collections: the engine's throughput drops by about 13% under it (measured in
 * BENCHMARKS.md). Run `node bin/frontera.js ...` to start without it.
 */
export const NODE_FLAGS = ['--max-semi-space-size=1'];

let applied = false;

/** Asks V8 to favour a small heap over collection speed. Idempotent; call once at start-up. */
export function preferSmallHeap(): void {
  if (applied || process.env.FRONTERA_V8_DEFAULT_HEAP === '1') return;
  v8.setFlagsFromString('--optimize-for-size');
  applied = true;
}
