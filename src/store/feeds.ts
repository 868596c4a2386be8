/** Feed repository: the feeds we poll, their HTTP validators, schedule and health. */
import type { Db } from './db.ts';

export type FeedTier = 'official' | 'wire' | 'outlet' | 'commentary';
export type FeedStatus = 'active' | 'failing' | 'disabled';

export interface Feed {
  id: number;
  url: string;
  name: string | null;
  siteUrl: string | null;
  language: string | null;
  tier: FeedTier;
  country: string | null;
  topics: string[];
  fullText: boolean;
  status: FeedStatus;
  disabledReason: string | null;
  errorCount: number;
  lastErrorCode: string | null;
  lastError: string | null;
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
  ttlMinutes: number | null;
  entryIntervalSeconds: number | null;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastNewItemsAt: Date | null;
  nextPollAt: Date;
  pollReason: string | null;
  baselineDone: boolean;
  websubHub: string | null;
  websubTopic: string | null;
  websubSecret: string | null;
  websubState: 'pending' | 'active' | 'denied' | 'expired' | null;
  websubLeaseExpiresAt: Date | null;
  websubRenewAt: Date | null;
  itemCount: number;
  createdAt: Date;
}

export interface NewFeed {
  url: string;
  name?: string | null;
  language?: string | null;
  tier?: FeedTier;
  country?: string | null;
  topics?: string[];
  fullText?: boolean;
}

export interface PollSuccess {
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
  nextPollAt: Date;
  pollReason: string;
  newItems: number;
  ttlMinutes?: number | null;
  entryIntervalSeconds?: number | null;
  title?: string | null;
  siteUrl?: string | null;
  language?: string | null;
  baselineDone?: boolean;
}

export interface PollFailure {
  code: string;
  message: string;
  nextPollAt: Date;
  /** Stop polling: 410 Gone, or too many consecutive failures. */
  disable: boolean;
}

const COLUMNS = `id, url, name, site_url, language, tier, country, topics, full_text, status, disabled_reason,
  error_count, last_error_code, last_error, etag, last_modified, body_hash, ttl_minutes, entry_interval_seconds,
  last_polled_at, last_success_at, last_new_items_at, next_poll_at, poll_reason, baseline_done, websub_hub,
  websub_topic, websub_secret, websub_state, websub_lease_expires_at, websub_renew_at, item_count, created_at`;

type Row = Record<string, unknown>;

function toFeed(r: Row): Feed {
  return {
    id: Number(r.id),
    url: r.url as string,
    name: (r.name as string) ?? null,
    siteUrl: (r.site_url as string) ?? null,
    language: (r.language as string) ?? null,
    tier: r.tier as FeedTier,
    country: (r.country as string) ?? null,
    topics: (r.topics as string[]) ?? [],
    fullText: Boolean(r.full_text),
    status: r.status as FeedStatus,
    disabledReason: (r.disabled_reason as string) ?? null,
    errorCount: Number(r.error_count),
    lastErrorCode: (r.last_error_code as string) ?? null,
    lastError: (r.last_error as string) ?? null,
    etag: (r.etag as string) ?? null,
    lastModified: (r.last_modified as string) ?? null,
    bodyHash: (r.body_hash as string) ?? null,
    ttlMinutes: r.ttl_minutes == null ? null : Number(r.ttl_minutes),
    entryIntervalSeconds: r.entry_interval_seconds == null ? null : Number(r.entry_interval_seconds),
    lastPolledAt: (r.last_polled_at as Date) ?? null,
    lastSuccessAt: (r.last_success_at as Date) ?? null,
    lastNewItemsAt: (r.last_new_items_at as Date) ?? null,
    nextPollAt: r.next_poll_at as Date,
    pollReason: (r.poll_reason as string) ?? null,
    baselineDone: Boolean(r.baseline_done),
    websubHub: (r.websub_hub as string) ?? null,
    websubTopic: (r.websub_topic as string) ?? null,
    websubSecret: (r.websub_secret as string) ?? null,
    websubState: (r.websub_state as Feed['websubState']) ?? null,
    websubLeaseExpiresAt: (r.websub_lease_expires_at as Date) ?? null,
    websubRenewAt: (r.websub_renew_at as Date) ?? null,
    itemCount: Number(r.item_count),
    createdAt: r.created_at as Date,
  };
}

/** Creates the feed repository over a database handle. */
export function createFeedStore(db: Db) {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await db.query<Row>(sql, params);
    return rows[0] ? toFeed(rows[0]) : null;
  };

  return {
    /** Adds a feed; if the URL is already there, returns the existing one with created=false. */
    async add(input: NewFeed, now = new Date()): Promise<{ feed: Feed; created: boolean }> {
      const { rows } = await db.query<Row>(
        `insert into feeds (url, name, language, tier, country, topics, full_text, next_poll_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (url) do nothing returning ${COLUMNS}`,
        [input.url, input.name ?? null, input.language ?? null, input.tier ?? 'outlet', input.country ?? null,
          input.topics ?? [], input.fullText ?? false, now],
      );
      if (rows[0]) return { feed: toFeed(rows[0]), created: true };
      const existing = await one(`select ${COLUMNS} from feeds where url = $1`, [input.url]);
      return { feed: existing!, created: false };
    },

    get: (id: number) => one(`select ${COLUMNS} from feeds where id = $1`, [id]),
    getByUrl: (url: string) => one(`select ${COLUMNS} from feeds where url = $1`, [url]),

    /** A feed by numeric id or exact URL, as typed on the command line. */
    async find(ref: string): Promise<Feed | null> {
      if (/^\d+$/.test(ref)) return one(`select ${COLUMNS} from feeds where id = $1`, [Number(ref)]);
      return one(`select ${COLUMNS} from feeds where url = $1`, [ref]);
    },

    async list(): Promise<Feed[]> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from feeds order by id`);
      return rows.map(toFeed);
    },

    async remove(id: number): Promise<boolean> {
      const { affectedRows } = await db.query('delete from feeds where id = $1', [id]);
      return affectedRows > 0;
    },

    /** Feeds whose next poll time has come, soonest first. */
    async due(now: Date, limit = 1000): Promise<Feed[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from feeds where status <> 'disabled' and next_poll_at <= $1
         order by next_poll_at limit $2`,
        [now, limit],
      );
      return rows.map(toFeed);
    },

    /** Every feed still polled, with its next poll time (the scheduler enqueues from this). */
    async schedulable(): Promise<Array<{ id: number; nextPollAt: Date }>> {
      const { rows } = await db.query<Row>(`select id, next_poll_at from feeds where status <> 'disabled'`);
      return rows.map((r) => ({ id: Number(r.id), nextPollAt: r.next_poll_at as Date }));
    },

    async recordSuccess(id: number, s: PollSuccess, now = new Date()): Promise<void> {
      await db.query(
        `update feeds set status = 'active', error_count = 0, last_error_code = null, last_error = null,
           etag = $2, last_modified = $3, body_hash = coalesce($4, body_hash), next_poll_at = $5, poll_reason = $6,
           last_polled_at = $7, last_success_at = $7,
           last_new_items_at = case when $8::int > 0 then $7 else last_new_items_at end,
           item_count = item_count + $8::int,
           ttl_minutes = coalesce($9, ttl_minutes), entry_interval_seconds = coalesce($10, entry_interval_seconds),
           name = coalesce(name, $11), site_url = coalesce($12, site_url), language = coalesce(language, $13),
           baseline_done = baseline_done or $14, updated_at = $7
         where id = $1`,
        [id, s.etag, s.lastModified, s.bodyHash, s.nextPollAt, s.pollReason, now, s.newItems,
          s.ttlMinutes ?? null, s.entryIntervalSeconds ?? null, s.title ?? null, s.siteUrl ?? null,
          s.language ?? null, s.baselineDone ?? false],
      );
    },

    async recordFailure(id: number, f: PollFailure, now = new Date()): Promise<Feed | null> {
      return one(
        `update feeds set error_count = error_count + 1, last_error_code = $2, last_error = $3,
           next_poll_at = $4, poll_reason = 'backoff after ' || $2, last_polled_at = $5, updated_at = $5,
           status = case when $6 then 'disabled' else 'failing' end,
           disabled_reason = case when $6 then $3 else disabled_reason end
         where id = $1 returning ${COLUMNS}`,
        [id, f.code, f.message, f.nextPollAt, now, f.disable],
      );
    },

    /**
     * A permanent redirect moved the feed. If another feed already has the new URL, this one is
     * disabled as a duplicate instead (its articles stay).
     */
    async moveTo(id: number, url: string): Promise<'moved' | 'duplicate'> {
      const clash = await one(`select ${COLUMNS} from feeds where url = $1 and id <> $2`, [url, id]);
      if (clash) {
        await db.query(
          `update feeds set status = 'disabled', disabled_reason = $2, updated_at = now() where id = $1`,
          [id, `moved permanently to ${url}, which is already feed ${clash.id}`],
        );
        return 'duplicate';
      }
      await db.query('update feeds set url = $2, updated_at = now() where id = $1', [id, url]);
      return 'moved';
    },

    /** Re-enables a disabled or failing feed and polls it now. */
    async enable(id: number, now = new Date()): Promise<void> {
      await db.query(
        `update feeds set status = 'active', error_count = 0, disabled_reason = null, next_poll_at = $2
         where id = $1`,
        [id, now],
      );
    },

    async setWebSub(
      id: number,
      w: { hub: string | null; topic: string | null; secret: string | null; state: Feed['websubState'];
        leaseExpiresAt?: Date | null; renewAt?: Date | null },
    ): Promise<void> {
      await db.query(
        `update feeds set websub_hub = $2, websub_topic = $3, websub_secret = $4, websub_state = $5,
           websub_lease_expires_at = $6, websub_renew_at = $7, updated_at = now() where id = $1`,
        [id, w.hub, w.topic, w.secret, w.state, w.leaseExpiresAt ?? null, w.renewAt ?? null],
      );
    },

    /** Feeds whose WebSub lease should be renewed now. */
    async websubRenewalsDue(now: Date): Promise<Feed[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from feeds where websub_hub is not null and status <> 'disabled'
           and websub_state in ('active', 'expired') and websub_renew_at <= $1`,
        [now],
      );
      return rows.map(toFeed);
    },
  };
}

export type FeedStore = ReturnType<typeof createFeedStore>;
