/**
 * publish-story: for one new report of a story, decides per subscribed channel what happens and stores
 * the decision: a new alert (pending, or deferred by quiet hours), a thread update under the existing
 * alert, a re-alert on a material change, queued for the channel's digest, or filtered with the reason.
 * Decisions are keyed (alert:<story>, thread:<story>:<article>...) so a re-run changes nothing; the
 * deliver job posts what is pending. One alert per story per channel, whatever happens.
 */
import { z } from 'zod';
import { nonceFor } from '../src/chat/channels.ts';
import { filterReason, materialChange, nextState, quietUntil } from '../src/chat/match.ts';
import type { ChannelRef } from '../src/chat/types.ts';
import type { Logger } from '../src/log.ts';
import type { ChatStore, Outcome, Subscription } from '../src/store/chat.ts';
import type { EngineArticle, NewsroomStore, StoryRow } from '../src/store/newsroom.ts';
import type { JobDefinition } from './types.ts';

export interface PublishDeps {
  chat: ChatStore;
  newsroom: NewsroomStore;
  now: () => Date;
  logger: Logger;
  /** Asks for the channel's pending posts to be delivered (after `delayMs` when given). */
  deliver(channel: ChannelRef, delayMs?: number): Promise<void>;
  /** Pack topic id -> display name, so subscriptions may name topics either way. */
  topicNames?: Map<string, string>;
}

export const publishStoryPayload = z.object({
  storyId: z.string().min(1),
  articleId: z.string().regex(/^[0-9a-f]{16}$/),
});
export type PublishStoryPayload = z.infer<typeof publishStoryPayload>;

export interface PublishDecision {
  channel: ChannelRef;
  outcome: Outcome | 'thread-pending' | 'realert-pending';
  reason: string | null;
}

/** Decides and records, per subscription, what this report means for each channel. */
export async function publishStory(deps: PublishDeps, payload: PublishStoryPayload): Promise<PublishDecision[]> {
  const story = await deps.newsroom.story(payload.storyId);
  const [article] = await deps.newsroom.articles([payload.articleId]);
  // Baseline items, copies and off-beat reports never reach a channel.
  if (!story || !article || article.baseline || article.duplicateOf || article.relevant !== true) return [];
  const out: PublishDecision[] = [];
  for (const sub of await deps.chat.subscriptions()) {
    out.push(await decide(deps, sub, story, article));
  }
  await deps.chat.markPublished(article.id);
  return out;
}

async function decide(deps: PublishDeps, sub: Subscription, story: StoryRow, article: EngineArticle): Promise<PublishDecision> {
  const { chat } = deps;
  const channel = sub.channel;
  const now = deps.now();
  const record = async (key: string, kind: 'alert' | 'thread' | 'realert' | 'none', outcome: Outcome, reason: string | null, extra: { notBefore?: Date | null; payload?: Record<string, unknown> } = {}) => {
    const r = await chat.record({ channel, key, kind, storyId: story.id, articleId: article.id, outcome, reason, nonce: nonceFor(channel, key), ...extra });
    return r;
  };
  const filtered = async (reason: string) => {
    await record(`filtered:${story.id}:${article.id}`, 'none', 'filtered', reason);
    return { channel, outcome: 'filtered' as const, reason };
  };

  if (await chat.isMuted(channel, story.id)) return filtered('story muted in this channel');
  const parent = await chat.byKey(channel, `alert:${story.id}`);
  if (parent) {
    // The channel already has (or is about to get) this story's alert: later reports go to its thread.
    if (sub.paused) return filtered(`subscription paused${sub.pausedReason ? `: ${sub.pausedReason}` : ''}`);
    if (parent.outcome === 'failed') return filtered(`the story's alert failed: ${parent.reason ?? 'unknown'}`);
    if (parent.articleId === article.id) return { channel, outcome: parent.outcome, reason: parent.reason };
    // A re-run for a report already decided here (a job retried after a crash) changes nothing.
    const earlier = await chat.decisionsFor(channel, { articleId: article.id });
    const decided = earlier.find((d) => d.kind === 'thread' || d.kind === 'realert');
    if (decided) return { channel, outcome: decided.outcome, reason: decided.reason };
    const prev = await chat.storyState(channel, story.id);
    const next = nextState(prev, story, article);
    const change = prev ? materialChange(prev, next) : null;
    // A material change posts this report once, in the thread and shown in the channel (the realert);
    // otherwise it is an ordinary thread reply. Never both: the channel would read it twice.
    if (change) {
      await record(`realert:${story.id}:${change.key}`, 'realert', 'pending', change.reason, { payload: { reason: change.reason } });
    } else {
      await record(`thread:${story.id}:${article.id}`, 'thread', 'pending', null);
    }
    await chat.saveStoryState(channel, story.id, next);
    await deps.deliver(channel);
    return { channel, outcome: change ? 'realert-pending' : 'thread-pending', reason: change?.reason ?? null };
  }

  const why = filterReason(sub, { story, article, relevance: article.relevance ?? 0, topicNames: deps.topicNames });
  if (why) return filtered(why);
  if (sub.mode !== 'immediate') {
    const r = await record(`digest-item:${story.id}`, 'none', 'queued-digest', null);
    return { channel, outcome: 'queued-digest', reason: r.delivery.reason };
  }
  // Breaking news goes through quiet hours; everything else waits for them to end.
  const quiet = story.importance === 'breaking' ? null : quietUntil(sub, now);
  const { created } = quiet
    ? await record(`alert:${story.id}`, 'alert', 'deferred-quiet-hours', `quiet hours until ${quiet.toISOString()}`, { notBefore: quiet })
    : await record(`alert:${story.id}`, 'alert', 'pending', null);
  if (created) await chat.saveStoryState(channel, story.id, nextState(null, story, article));
  else {
    // Another worker decided this story's alert a moment ago: this report belongs in its thread.
    const winner = await chat.byKey(channel, `alert:${story.id}`);
    if (winner && winner.articleId !== article.id) await record(`thread:${story.id}:${article.id}`, 'thread', 'pending', null);
  }
  await deps.deliver(channel, quiet ? quiet.getTime() - now.getTime() : undefined);
  return { channel, outcome: quiet ? 'deferred-quiet-hours' : 'pending', reason: quiet ? `quiet hours until ${quiet.toISOString()}` : null };
}

export const publishStoryJob: JobDefinition<PublishDeps, PublishStoryPayload, PublishDecision[]> = {
  name: 'publish-story',
  payload: publishStoryPayload,
  concurrency: 1,
  attempts: 5,
  process: publishStory,
};
