/**
 * Chat repository: every delivery decision (the outbox the deliver job drains), plus the channels'
 * subscriptions, story state and mutes (src/store/chat-subscriptions.ts). Built from `stores.db`:
 *
 *   const chat = createChatStore(stores.db);
 */
import type { ChannelRef } from '../chat/types.ts';
import { ch, createChannelPrefs, WHERE_CH, type Row } from './chat-subscriptions.ts';
import type { Db } from './db.ts';

export type { DeliveryMode, StoryState, Subscription, SubscriptionPatch } from './chat-subscriptions.ts';

/** Every outcome a decision can have; `pending` is a recorded intent not yet posted. */
export const OUTCOMES = [
  'pending', 'delivered', 'thread-update', 'filtered', 'deferred-quiet-hours', 'queued-digest', 'rate-limited', 'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type DeliveryKind = 'alert' | 'thread' | 'realert' | 'digest' | 'none';

export interface Delivery {
  id: number;
  channel: ChannelRef;
  key: string;
  kind: DeliveryKind;
  storyId: string | null;
  articleId: string | null;
  outcome: Outcome;
  reason: string | null;
  nonce: string;
  payload: Record<string, unknown> | null;
  messageId: string | null;
  threadId: string | null;
  attempts: number;
  uncertain: boolean;
  notBefore: Date | null;
  history: Array<{ at: string; outcome: Outcome; reason: string | null }>;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDecision {
  channel: ChannelRef;
  key: string;
  kind: DeliveryKind;
  storyId?: string | null;
  articleId?: string | null;
  outcome: Outcome;
  reason?: string | null;
  nonce: string;
  payload?: Record<string, unknown> | null;
  notBefore?: Date | null;
}

/** Outcomes the deliver job still has to act on. */
export const OPEN_OUTCOMES: Outcome[] = ['pending', 'deferred-quiet-hours', 'rate-limited'];


function toDelivery(r: Row): Delivery {
  return {
    id: Number(r.id),
    channel: { platform: r.platform as ChannelRef['platform'], workspaceId: r.workspace_id as string, channelId: r.channel_id as string },
    key: r.key as string,
    kind: r.kind as DeliveryKind,
    storyId: (r.story_id as string) ?? null,
    articleId: (r.article_id as string) ?? null,
    outcome: r.outcome as Outcome,
    reason: (r.reason as string) ?? null,
    nonce: r.nonce as string,
    payload: (r.payload as Record<string, unknown>) ?? null,
    messageId: (r.message_id as string) ?? null,
    threadId: (r.thread_id as string) ?? null,
    attempts: Number(r.attempts),
    uncertain: Boolean(r.uncertain),
    notBefore: (r.not_before as Date) ?? null,
    history: (r.history as Delivery['history']) ?? [],
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** Appends one entry to a row's history (SQL fragment; $n is the outcome, $m the reason). */
const appendHistory = (o: string, r: string) =>
  `history = history || jsonb_build_array(jsonb_build_object('at', now(), 'outcome', ${o}::text, 'reason', ${r}::text))`;

/** Creates the chat repository over a database handle. */
export function createChatStore(db: Db) {
  return {
    ...createChannelPrefs(db),

    /** Records a decision once per (channel, key); returns the stored row and whether this call created it. */
    async record(d: NewDecision): Promise<{ delivery: Delivery; created: boolean }> {
      const { rows } = await db.query<Row>(
        `insert into chat_deliveries (platform, workspace_id, channel_id, key, kind, story_id, article_id, outcome, reason,
           nonce, payload, not_before, history)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
           jsonb_build_array(jsonb_build_object('at', now(), 'outcome', $8::text, 'reason', $9::text)))
         on conflict (platform, workspace_id, channel_id, key) do nothing returning *`,
        [...ch(d.channel), d.key, d.kind, d.storyId ?? null, d.articleId ?? null, d.outcome, d.reason ?? null, d.nonce,
          d.payload ? JSON.stringify(d.payload) : null, d.notBefore ?? null],
      );
      if (rows[0]) return { delivery: toDelivery(rows[0]), created: true };
      return { delivery: (await this.byKey(d.channel, d.key))!, created: false };
    },

    async byKey(channel: ChannelRef, key: string): Promise<Delivery | null> {
      const { rows } = await db.query<Row>(`select * from chat_deliveries where ${WHERE_CH} and key = $4`, [...ch(channel), key]);
      return rows[0] ? toDelivery(rows[0]) : null;
    },

    async delivery(id: number): Promise<Delivery | null> {
      const { rows } = await db.query<Row>('select * from chat_deliveries where id = $1', [id]);
      return rows[0] ? toDelivery(rows[0]) : null;
    },

    /**
     * Claims the channel's oldest open decision that may be acted on now: due, not claimed by a live
     * worker, and (for thread posts) whose parent alert exists. Bumps `attempts`; the claim lasts `leaseMs`.
     */
    async claimNext(channel: ChannelRef, now: Date, leaseMs: number): Promise<Delivery | null> {
      for (let tries = 0; tries < 5; tries++) {
        const { rows } = await db.query<{ id: number }>(
          `select d.id from chat_deliveries d
           where d.platform = $1 and d.workspace_id = $2 and d.channel_id = $3
             and d.outcome in ('pending', 'deferred-quiet-hours', 'rate-limited')
             and (d.not_before is null or d.not_before <= $4) and (d.claimed_until is null or d.claimed_until < $4)
             and (d.kind not in ('thread', 'realert') or exists (select 1 from chat_deliveries p
               where p.platform = d.platform and p.workspace_id = d.workspace_id and p.channel_id = d.channel_id
                 and p.key = 'alert:' || d.story_id and p.message_id is not null))
           order by d.id limit 1`,
          [...ch(channel), now],
        );
        if (!rows[0]) return null;
        const { rows: claimed } = await db.query<Row>(
          `update chat_deliveries set claimed_until = $2, attempts = attempts + 1, updated_at = now()
           where id = $1 and (claimed_until is null or claimed_until < $3)
             and outcome in ('pending', 'deferred-quiet-hours', 'rate-limited') returning *`,
          [rows[0].id, new Date(now.getTime() + leaseMs), now],
        );
        if (claimed[0]) return toDelivery(claimed[0]);
      }
      return null;
    },

    /** Sets the uncertain flag before a post, so a crash mid-post is reconciled on the next claim. */
    async markAttempting(id: number): Promise<void> {
      await db.query('update chat_deliveries set uncertain = true, updated_at = now() where id = $1', [id]);
    },

    /** The post landed (or was found already posted): final outcome and message reference. */
    async markPosted(id: number, outcome: 'delivered' | 'thread-update', ref: { messageId: string; threadId?: string }, reason: string | null = null): Promise<void> {
      await db.query(
        `update chat_deliveries set outcome = $2, reason = $5, message_id = $3, thread_id = $4, uncertain = false,
           claimed_until = null, updated_at = now(), ${appendHistory('$2', '$5')} where id = $1`,
        [id, outcome, ref.messageId, ref.threadId ?? null, reason],
      );
    },

    /** Gives the claim back with an outcome for users to see (rate-limited, pending with a retry reason). */
    async release(id: number, o: { outcome: Outcome; reason: string | null; notBefore?: Date | null; uncertain?: boolean }): Promise<void> {
      await db.query(
        `update chat_deliveries set outcome = $2, reason = $3, not_before = coalesce($4, not_before),
           uncertain = coalesce($5, uncertain), claimed_until = null, updated_at = now(),
           history = case when outcome = $2 and reason is not distinct from $3 then history else
             history || jsonb_build_array(jsonb_build_object('at', now(), 'outcome', $2::text, 'reason', $3::text)) end
         where id = $1`,
        [id, o.outcome, o.reason, o.notBefore ?? null, o.uncertain ?? null],
      );
    },

    /** Fails every open decision of a channel (its subscription was paused for a permanent error). */
    async failOpen(channel: ChannelRef, reason: string): Promise<number> {
      const r = await db.query(
        `update chat_deliveries set outcome = 'failed', reason = $4, claimed_until = null, updated_at = now(),
           ${appendHistory("'failed'", '$4')}
         where ${WHERE_CH} and outcome in ('pending', 'deferred-quiet-hours', 'rate-limited')`,
        [...ch(channel), reason],
      );
      return r.affectedRows;
    },

    /** Fails the open thread posts of a story whose alert failed (they have nothing to go under). */
    async failOpenThreads(channel: ChannelRef, storyId: string, reason: string): Promise<number> {
      const r = await db.query(
        `update chat_deliveries set outcome = 'failed', reason = $5, claimed_until = null, updated_at = now(),
           ${appendHistory("'failed'", '$5')}
         where ${WHERE_CH} and story_id = $4 and kind in ('thread', 'realert')
           and outcome in ('pending', 'deferred-quiet-hours', 'rate-limited')`,
        [...ch(channel), storyId, reason],
      );
      return r.affectedRows;
    },

    /** Channels with open decisions due by `now` (the sweep re-enqueues their deliver jobs). */
    async channelsWithOpen(now: Date): Promise<ChannelRef[]> {
      const { rows } = await db.query<Row>(
        `select distinct platform, workspace_id, channel_id from chat_deliveries
         where outcome in ('pending', 'deferred-quiet-hours', 'rate-limited') and (not_before is null or not_before <= $1)`,
        [now],
      );
      return rows.map((r) => ({ platform: r.platform as ChannelRef['platform'], workspaceId: r.workspace_id as string, channelId: r.channel_id as string }));
    },

    /** Decisions for a channel about a story or an article, oldest first (for /why). */
    async decisionsFor(channel: ChannelRef, q: { storyId?: string | null; articleId?: string | null }): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(
        `select * from chat_deliveries where ${WHERE_CH} and (story_id = $4 or article_id = $5) order by id`,
        [...ch(channel), q.storyId ?? null, q.articleId ?? null],
      );
      return rows.map(toDelivery);
    },

    /** Every decision of a channel, newest first. */
    async recentDecisions(channel: ChannelRef, limit = 50): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(`select * from chat_deliveries where ${WHERE_CH} order by id desc limit $4`, [...ch(channel), limit]);
      return rows.map(toDelivery);
    },

    /** Stories queued for the channel's next digest and not yet included in one. */
    async digestQueue(channel: ChannelRef): Promise<Delivery[]> {
      const { rows } = await db.query<Row>(
        `select * from chat_deliveries where ${WHERE_CH} and outcome = 'queued-digest' and reason is null order by id`, ch(channel),
      );
      return rows.map(toDelivery);
    },

    /** Notes on queued rows which digest took them. */
    async markDigested(ids: number[], digestKey: string): Promise<void> {
      if (ids.length === 0) return;
      await db.query(
        `update chat_deliveries set reason = $2, updated_at = now(), ${appendHistory("'queued-digest'", '$2')} where id = any($1::bigint[])`,
        [ids, `included in ${digestKey}`],
      );
    },

    /** Marks a report as decided for every channel. */
    async markPublished(articleId: string): Promise<void> {
      await db.query('insert into chat_published (article_id) values ($1) on conflict do nothing', [articleId]);
    },

    /** On-beat, analysed, non-baseline originals processed since `since` that publish-story has not decided yet. */
    async unpublished(since: Date, limit = 500): Promise<Array<{ articleId: string; storyId: string }>> {
      const { rows } = await db.query<{ id: string; story_id: string }>(
        `select a.id, a.story_id from articles a
         where a.processed_at >= $1 and a.relevant and a.story_id is not null and a.duplicate_of is null and not a.baseline
           and not exists (select 1 from chat_published p where p.article_id = a.id)
         order by a.processed_at, a.id limit $2`,
        [since, limit],
      );
      return rows.map((r) => ({ articleId: r.id, storyId: r.story_id }));
    },

  };
}

export type ChatStore = ReturnType<typeof createChatStore>;
