/**
 * poll-feed: one conditional fetch of one feed, then parse, normalize and store what is new, and
 * decide when to poll it next. Feed errors are recorded on the feed (with backoff), never thrown:
 * one broken feed never stops the others. Only infrastructure errors (database down) throw, so the
 * queue retries the job; after the last attempt the failure is recorded on the feed too.
 *
 * Retrying is safe: inserts are idempotent, and a stored article that is not part of a baseline
 * keeps `processed_at` null until the next stage has handled it, so a hand-off lost to a crash is
 * found again by that stage's sweep rather than by this job.
 *
 * A job carries the poll time it was scheduled for; when the feed's next_poll_at has moved since
 * (re-enabled, polled by hand, or a duplicate job), the job is superseded and does nothing. That
 * keeps exactly one chain of polls per feed.
 */
import { z } from 'zod';
import { describeError, FetchError } from '../src/errors.ts';
import { observedEntryInterval, storeFeedDocument, type StoredItem } from '../src/feeds/ingest.ts';
import { nextPollDelay } from '../src/feeds/schedule.ts';
import { oneLine } from '../src/feeds/normalize.ts';
import { redactUrl, redactUrlsIn } from '../src/feeds/redact.ts';
import { pushActive } from '../src/feeds/push.ts';
import { discoverWebSub } from '../src/feeds/websub.ts';
import { POLL_ATTEMPTS } from '../src/queue/scheduler.ts';
import type { CacheHints, Fetcher } from '../src/feeds/types.ts';
import type { Logger } from '../src/log.ts';
import type { Metrics } from '../src/metrics.ts';
import type { ArticleStore } from '../src/store/articles.ts';
import type { Feed, FeedStore } from '../src/store/feeds.ts';
import type { JobDefinition } from './types.ts';

export interface PollFeedDeps {
  feeds: FeedStore;
  articles: ArticleStore;
  fetcher: Fetcher;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  polling: { minIntervalMs: number; maxIntervalMs: number; disableAfterFailures: number };
  /** Schedules this feed's next poll (a delayed job in production). */
  schedulePoll(feedId: number, at: Date): Promise<void>;
  /** Hands newly stored, non-baseline articles to the next stage. */
  articlesStored(ids: string[]): Promise<void>;
  /** Called when the feed advertises a WebSub hub we are not subscribed to. */
  hubFound?(feed: Feed, hubs: string[], topic: string): Promise<void>;
  /** Fetches full text for feeds with fullText on. */
  fullText?(articleId: string, url: string): Promise<void>;
}

export const pollFeedPayload = z.object({
  feedId: z.number().int().positive(),
  /** The next_poll_at (ms) this job was scheduled for; absent for one-off polls. */
  at: z.number().int().optional(),
});
export type PollFeedPayload = z.infer<typeof pollFeedPayload>;

export type PollResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'unchanged'; reason: string; nextPollAt: Date }
  | { outcome: 'changed'; items: number; newItems: number; baseline: boolean; nextPollAt: Date; stored: StoredItem[] }
  | { outcome: 'failed'; code: string; message: string; disabled: boolean; nextPollAt: Date };

/** Polls one feed now. */
export async function pollFeed(deps: PollFeedDeps, payload: PollFeedPayload): Promise<PollResult> {
  let feed = await deps.feeds.get(payload.feedId);
  if (!feed) return { outcome: 'skipped', reason: 'feed was removed' };
  if (feed.status === 'disabled') return { outcome: 'skipped', reason: `feed is disabled: ${feed.disabledReason ?? ''}` };
  if (payload.at !== undefined && payload.at !== feed.nextPollAt.getTime()) {
    return { outcome: 'skipped', reason: 'superseded by a newer schedule' };
  }
  const now = deps.now();
  const websubActive = pushActive(feed, deps.now());
  const bounds = { minMs: deps.polling.minIntervalMs, maxMs: deps.polling.maxIntervalMs };

  let result: PollResult;
  try {
    const res = await deps.fetcher.fetchFeed(feed.url, {
      etag: feed.etag,
      lastModified: feed.lastModified,
      bodyHash: feed.bodyHash,
    });
    if (res.permanentUrl && res.permanentUrl !== feed.url) {
      const moved = await deps.feeds.moveTo(feed.id, res.permanentUrl);
      deps.logger.info({ feedId: feed.id, from: redactUrl(feed.url), to: redactUrl(res.permanentUrl), moved }, 'feed moved permanently');
      if (moved === 'duplicate') return { outcome: 'skipped', reason: `moved to ${res.permanentUrl}, already a feed` };
      feed = { ...feed, url: res.permanentUrl };
    }
    if (res.kind === 'unchanged') {
      const next = schedule(res.hints, feed.ttlMinutes, feed.entryIntervalSeconds, 0, null, websubActive, bounds, now);
      await deps.feeds.recordSuccess(feed.id, {
        etag: res.etag ?? feed.etag,
        lastModified: res.lastModified ?? feed.lastModified,
        bodyHash: null,
        nextPollAt: next.at,
        pollReason: next.reason,
        newItems: 0,
      }, now);
      deps.metrics.inc('frontera_polls_total', { outcome: 'unchanged' }, 1, 'Feed polls by outcome');
      result = { outcome: 'unchanged', reason: res.reason, nextPollAt: next.at };
    } else {
      const baseline = !feed.baselineDone;
      const { parsed, items } = await storeFeedDocument(deps.articles, {
        bytes: res.body,
        contentType: res.contentType,
        url: res.finalUrl,
        feedId: feed.id,
        sourceKey: `feed:${feed.id}`,
        source: feed.url,
        baseline,
        seenAt: now,
      });
      const fresh = items.filter((i) => i.isNew);
      const interval = observedEntryInterval(items.map((i) => i.article));
      const next = schedule(res.hints, parsed.ttlMinutes, interval ?? feed.entryIntervalSeconds, 0, null, websubActive, bounds, now);
      await deps.feeds.recordSuccess(feed.id, {
        etag: res.etag,
        lastModified: res.lastModified,
        bodyHash: res.bodyHash,
        nextPollAt: next.at,
        pollReason: next.reason,
        newItems: fresh.length,
        ttlMinutes: parsed.ttlMinutes,
        entryIntervalSeconds: interval,
        title: parsed.title ? oneLine(parsed.title).slice(0, 300) || null : null,
        siteUrl: parsed.link,
        language: parsed.language,
        baselineDone: true,
      }, now);
      deps.metrics.inc('frontera_polls_total', { outcome: 'changed' }, 1, 'Feed polls by outcome');
      deps.metrics.inc('frontera_articles_stored_total', {}, fresh.length, 'Articles stored');
      if (feed.fullText && deps.fullText && !baseline) {
        for (const item of fresh) {
          if (!item.article.url) continue;
          await deps.fullText(item.id, item.article.url).catch((err) =>
            deps.logger.warn({ feedId: feed!.id, url: redactUrl(item.article.url!), err: describeError(err).code }, 'full text failed'),
          );
        }
      }
      if (!baseline && fresh.length > 0) await deps.articlesStored(fresh.map((i) => i.id));
      // Link headers first, then what the document itself declares (W3C WebSub discovery order).
      const push = deps.hubFound && !feed.websubHub
        ? discoverWebSub({ headers: res.headers, feedUrl: res.finalUrl, parsedHubs: parsed.hubs, parsedSelf: parsed.selfUrl })
        : null;
      if (push && deps.hubFound) {
        await deps.hubFound(feed, push.hubs, push.topic).catch((err) =>
          deps.logger.warn({ feedId: feed!.id, err: describeError(err) }, 'WebSub subscription failed'),
        );
      }
      result = { outcome: 'changed', items: items.length, newItems: fresh.length, baseline, nextPollAt: next.at, stored: items };
    }
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    const errorCount = feed.errorCount + 1;
    const disable = err.code === 'gone' || errorCount >= deps.polling.disableAfterFailures;
    const next = schedule(
      { retryAfterSeconds: err.retryAfterSeconds }, feed.ttlMinutes, feed.entryIntervalSeconds, errorCount, err.code,
      websubActive, bounds, now,
    );
    const base = redactUrlsIn(err.message);
    const message = disable && err.code !== 'gone' ? `${base} (disabled after ${errorCount} consecutive failures)` : base;
    await deps.feeds.recordFailure(feed.id, { code: err.code, message, nextPollAt: next.at, disable }, now);
    deps.metrics.inc('frontera_polls_total', { outcome: 'failed' }, 1, 'Feed polls by outcome');
    deps.metrics.inc('frontera_poll_errors_total', { code: err.code }, 1, 'Feed poll errors by class');
    deps.logger.warn({ feedId: feed.id, url: redactUrl(feed.url), code: err.code, errorCount, disabled: disable }, message);
    result = { outcome: 'failed', code: err.code, message, disabled: disable, nextPollAt: next.at };
  }
  if (!(result.outcome === 'failed' && result.disabled)) {
    await deps.schedulePoll(feed.id, result.nextPollAt);
  }
  return result;
}

function schedule(
  hints: CacheHints,
  ttlMinutes: number | null,
  entryIntervalSeconds: number | null,
  errorCount: number,
  errorCode: string | null,
  websubActive: boolean,
  bounds: { minMs: number; maxMs: number },
  now: Date,
): { at: Date; reason: string } {
  const d = nextPollDelay({ hints, ttlMinutes, entryIntervalSeconds, errorCount, errorCode, websubActive, bounds });
  return { at: new Date(now.getTime() + d.delayMs), reason: d.reason };
}

/** After the last attempt failed on our side, record it on the feed and keep its schedule alive. */
async function recordInternalFailure(deps: PollFeedDeps, payload: PollFeedPayload, err: unknown): Promise<void> {
  const feed = await deps.feeds.get(payload.feedId);
  if (!feed || feed.status === 'disabled') return;
  const now = deps.now();
  const errorCount = feed.errorCount + 1;
  const next = schedule({}, feed.ttlMinutes, feed.entryIntervalSeconds, errorCount, 'internal', false,
    { minMs: deps.polling.minIntervalMs, maxMs: deps.polling.maxIntervalMs }, now);
  const message = `Frontera failed while processing this feed: ${redactUrlsIn(describeError(err).message)}`;
  await deps.feeds.recordFailure(feed.id, { code: 'internal', message, nextPollAt: next.at, disable: false }, now);
  await deps.schedulePoll(feed.id, next.at);
}

export const pollFeedJob: JobDefinition<PollFeedDeps, PollFeedPayload, PollResult> = {
  name: 'poll-feed',
  payload: pollFeedPayload,
  concurrency: 32,
  attempts: POLL_ATTEMPTS,
  process: pollFeed,
  onFinalFailure: recordInternalFailure,
};
