/**
 * Poll scheduling. Every feed has its own next-poll time in the database and one delayed job for
 * that time; there is no batch tick. A periodic reconciliation re-adds the job for any feed that lost
 * its job (Redis flushed or restarted without persistence): job ids include the time, so re-adding
 * an existing job is a no-op.
 */
import type { FeedStore } from '../store/feeds.ts';
import type { Logger } from '../log.ts';
import type { QueueRuntime } from './runtime.ts';

export const POLL_QUEUE = 'poll-feed';
/** Attempts for one poll; feed errors never throw, so these only cover our own infrastructure failing. */
export const POLL_ATTEMPTS = 3;

/** The job id for one feed's poll at one time. */
export function pollJobId(feedId: number, at: Date): string {
  return `poll-${feedId}-${at.getTime()}`;
}

/** Schedules one feed's next poll. */
export async function schedulePoll(rt: QueueRuntime, feedId: number, at: Date, now = new Date()): Promise<void> {
  await rt.add(POLL_QUEUE, { feedId, at: at.getTime() }, {
    delayMs: at.getTime() - now.getTime(), jobId: pollJobId(feedId, at), attempts: POLL_ATTEMPTS,
  });
}

/** Makes sure every polled feed has its job; returns how many feeds were looked at. */
export async function reconcilePolls(rt: QueueRuntime, feeds: FeedStore, now = new Date()): Promise<number> {
  const all = await feeds.schedulable();
  const CHUNK = 500;
  for (let i = 0; i < all.length; i += CHUNK) {
    await rt.addBulk(
      POLL_QUEUE,
      all.slice(i, i + CHUNK).map((f) => ({
        payload: { feedId: f.id, at: f.nextPollAt.getTime() },
        delayMs: f.nextPollAt.getTime() - now.getTime(),
        jobId: pollJobId(f.id, f.nextPollAt),
        attempts: POLL_ATTEMPTS,
      })),
    );
  }
  return all.length;
}

/** Runs reconciliation now and then every `everyMs`; returns a stop function. */
export function startScheduler(
  rt: QueueRuntime,
  feeds: FeedStore,
  logger: Logger,
  everyMs = 60_000,
): () => void {
  let stopped = false;
  const run = async () => {
    try {
      const n = await reconcilePolls(rt, feeds);
      logger.debug({ feeds: n }, 'poll schedule reconciled');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'poll schedule reconciliation failed; will retry');
    }
  };
  void run();
  const timer = setInterval(() => {
    if (!stopped) void run();
  }, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
