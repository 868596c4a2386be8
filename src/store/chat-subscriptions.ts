/**
 * What each channel asked for: its subscription (filters, quiet hours, digest schedule, paused state),
 * what it last heard about each story (for material changes) and the stories it muted. Part of the chat
 * repository (src/store/chat.ts builds both halves over one database handle).
 */
import type { ChannelRef, Importance } from '../chat/types.ts';
import type { Db } from './db.ts';

export type DeliveryMode = 'immediate' | 'hourly' | 'daily';

export interface Subscription {
  id: number;
  channel: ChannelRef;
  topics: string[];
  actors: string[];
  keywords: string[];
  sources: string[];
  languages: string[];
  minImportance: Importance;
  minRelevance: number;
  /** Minutes after local midnight, both set or both null. */
  quietStart: number | null;
  quietEnd: number | null;
  timeZone: string;
  mode: DeliveryMode;
  /** Daily digest time, minutes after local midnight. */
  digestAt: number;
  lastDigestAt: Date | null;
  paused: boolean;
  pausedReason: string | null;
  createdBy: string;
  createdAt: Date;
}

export type SubscriptionPatch = Partial<Omit<Subscription, 'id' | 'channel' | 'createdBy' | 'createdAt' | 'lastDigestAt'>>;

export interface StoryState {
  importance: Importance;
  official: boolean;
  figures: Record<string, number>;
}

export type Row = Record<string, unknown>;
export const ch = (c: ChannelRef) => [c.platform, c.workspaceId, c.channelId];
export const WHERE_CH = 'platform = $1 and workspace_id = $2 and channel_id = $3';

function toSubscription(r: Row): Subscription {
  return {
    id: Number(r.id),
    channel: { platform: r.platform as ChannelRef['platform'], workspaceId: r.workspace_id as string, channelId: r.channel_id as string },
    topics: (r.topics as string[]) ?? [],
    actors: (r.actors as string[]) ?? [],
    keywords: (r.keywords as string[]) ?? [],
    sources: (r.sources as string[]) ?? [],
    languages: (r.languages as string[]) ?? [],
    minImportance: r.min_importance as Importance,
    minRelevance: Number(r.min_relevance),
    quietStart: r.quiet_start == null ? null : Number(r.quiet_start),
    quietEnd: r.quiet_end == null ? null : Number(r.quiet_end),
    timeZone: r.time_zone as string,
    mode: r.mode as DeliveryMode,
    digestAt: Number(r.digest_at),
    lastDigestAt: (r.last_digest_at as Date) ?? null,
    paused: Boolean(r.paused),
    pausedReason: (r.paused_reason as string) ?? null,
    createdBy: r.created_by as string,
    createdAt: r.created_at as Date,
  };
}

const SUB_COLUMNS: Record<keyof SubscriptionPatch, string> = {
  topics: 'topics', actors: 'actors', keywords: 'keywords', sources: 'sources', languages: 'languages',
  minImportance: 'min_importance', minRelevance: 'min_relevance', quietStart: 'quiet_start', quietEnd: 'quiet_end',
  timeZone: 'time_zone', mode: 'mode', digestAt: 'digest_at', paused: 'paused', pausedReason: 'paused_reason',
};

/** Subscriptions, story state and mutes over a database handle. */
export function createChannelPrefs(db: Db) {
  return {
    async subscription(channel: ChannelRef): Promise<Subscription | null> {
      const { rows } = await db.query<Row>(`select * from chat_subscriptions where ${WHERE_CH}`, ch(channel));
      return rows[0] ? toSubscription(rows[0]) : null;
    },

    /** Creates the channel's subscription or changes the given fields; returns it and whether it is new. */
    async saveSubscription(channel: ChannelRef, patch: SubscriptionPatch, by: string): Promise<{ subscription: Subscription; created: boolean }> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<Row>(
          `insert into chat_subscriptions (platform, workspace_id, channel_id, created_by) values ($1, $2, $3, $4)
           on conflict (platform, workspace_id, channel_id) do nothing returning id`,
          [...ch(channel), by],
        );
        const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as Array<[keyof SubscriptionPatch, unknown]>;
        if (entries.length > 0) {
          const sets = entries.map(([k], i) => `${SUB_COLUMNS[k]} = $${i + 4}`).join(', ');
          await tx.query(`update chat_subscriptions set ${sets}, updated_at = now() where ${WHERE_CH}`, [...ch(channel), ...entries.map(([, v]) => v)]);
        }
        const { rows: out } = await tx.query<Row>(`select * from chat_subscriptions where ${WHERE_CH}`, ch(channel));
        return { subscription: toSubscription(out[0]!), created: rows.length > 0 };
      });
    },

    async removeSubscription(channel: ChannelRef): Promise<boolean> {
      const r = await db.query(`delete from chat_subscriptions where ${WHERE_CH}`, ch(channel));
      return r.affectedRows > 0;
    },

    /** Every subscription (paused ones too), optionally of one platform. */
    async subscriptions(platform?: ChannelRef['platform']): Promise<Subscription[]> {
      const { rows } = await db.query<Row>(
        `select * from chat_subscriptions where ($1::text is null or platform = $1) order by id`, [platform ?? null],
      );
      return rows.map(toSubscription);
    },

    async pause(channel: ChannelRef, reason: string): Promise<void> {
      await db.query(`update chat_subscriptions set paused = true, paused_reason = $4, updated_at = now() where ${WHERE_CH}`, [...ch(channel), reason]);
    },

    async markDigestSent(channel: ChannelRef, at: Date): Promise<void> {
      await db.query(`update chat_subscriptions set last_digest_at = $4 where ${WHERE_CH}`, [...ch(channel), at]);
    },

    async storyState(channel: ChannelRef, storyId: string): Promise<StoryState | null> {
      const { rows } = await db.query<Row>(`select * from chat_story_state where ${WHERE_CH} and story_id = $4`, [...ch(channel), storyId]);
      const r = rows[0];
      return r ? { importance: r.importance as Importance, official: Boolean(r.official), figures: (r.figures as Record<string, number>) ?? {} } : null;
    },

    async saveStoryState(channel: ChannelRef, storyId: string, s: StoryState): Promise<void> {
      await db.query(
        `insert into chat_story_state (platform, workspace_id, channel_id, story_id, importance, official, figures)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (platform, workspace_id, channel_id, story_id) do update set importance = excluded.importance,
           official = excluded.official, figures = excluded.figures, updated_at = now()`,
        [...ch(channel), storyId, s.importance, s.official, JSON.stringify(s.figures)],
      );
    },

    async mute(channel: ChannelRef, storyId: string, by: string): Promise<void> {
      await db.query(
        `insert into chat_muted_stories (platform, workspace_id, channel_id, story_id, muted_by) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        [...ch(channel), storyId, by],
      );
    },

    async unmute(channel: ChannelRef, storyId: string): Promise<boolean> {
      const r = await db.query(`delete from chat_muted_stories where ${WHERE_CH} and story_id = $4`, [...ch(channel), storyId]);
      return r.affectedRows > 0;
    },

    async isMuted(channel: ChannelRef, storyId: string): Promise<boolean> {
      const { rows } = await db.query(`select 1 from chat_muted_stories where ${WHERE_CH} and story_id = $4`, [...ch(channel), storyId]);
      return rows.length > 0;
    },
  };
}
