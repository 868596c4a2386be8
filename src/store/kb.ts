/**
 * Read-only queries behind the lookup commands: stories, quotes and learned facts about an actor or a
 * topic, each row with the link and outlet of the article it came from. Built over any Db handle
 * (`createKbStore(stores.db)`, or a transaction that carries a statement timeout).
 */
import type { Db } from './db.ts';

/** A story as a lookup line needs it: with its first report's link and outlet. */
export interface KbStory {
  id: string;
  headline: string;
  summary: Array<{ text: string; articleId: string | null }>;
  importance: 'routine' | 'notable' | 'breaking';
  articleCount: number;
  actors: string[];
  topics: string[];
  firstSeen: Date;
  updatedAt: Date;
  url: string | null;
  outlet: string | null;
}

export interface KbQuote {
  speaker: string;
  speakerId: string | null;
  text: string;
  sentence: string;
  publishedAt: Date;
  articleId: string;
  title: string;
  url: string | null;
  outlet: string | null;
}

export interface KbRole {
  role: string;
  sentence: string;
  seenAt: Date;
  articleId: string;
  url: string | null;
  outlet: string | null;
}

export interface LearnedActor {
  key: string;
  name: string;
  mentions: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Word similarity of the query to the name (1 = contains it exactly). */
  similarity: number;
}

export interface KbArticle {
  id: string;
  title: string;
  url: string | null;
  outlet: string | null;
  language: string | null;
  publishedAt: Date;
  duplicateOf: string | null;
}

/** Which stories: about an actor (pack id or `cand:<key>`), a topic, or all; optionally since a time. */
export interface StoryFilter {
  actor?: string;
  topic?: string;
  since?: Date | null;
}

type Row = Record<string, unknown>;

const OUTLET = `coalesce(f.name, substring(coalesce(a.url, a.source) from '^https?://(?:www\\.)?([^/:]+)'), a.source)`;

function toStory(r: Row): KbStory {
  return {
    id: r.id as string,
    headline: r.headline as string,
    summary: (r.summary as KbStory['summary']) ?? [],
    importance: r.importance as KbStory['importance'],
    articleCount: Number(r.article_count),
    actors: (r.actors as string[]) ?? [],
    topics: (r.topics as string[]) ?? [],
    firstSeen: r.first_seen as Date,
    updatedAt: r.updated_at as Date,
    url: (r.url as string) ?? null,
    outlet: (r.outlet as string) ?? null,
  };
}

function where(filter: StoryFilter, params: unknown[]): string {
  const parts: string[] = [];
  if (filter.actor?.startsWith('cand:')) {
    params.push(filter.actor);
    parts.push(`s.id in (select a.story_id from mentions m join articles a on a.id = m.article_id
      where m.actor_id = $${params.length} and a.story_id is not null)`);
  } else if (filter.actor) {
    params.push([filter.actor]);
    parts.push(`s.actors @> $${params.length}::text[]`);
  }
  if (filter.topic) {
    params.push([filter.topic]);
    parts.push(`s.topics @> $${params.length}::text[]`);
  }
  if (filter.since) {
    params.push(filter.since);
    parts.push(`s.updated_at >= $${params.length}`);
  }
  return parts.length ? `where ${parts.join(' and ')}` : '';
}

/** Creates the lookup repository over a database handle. */
export function createKbStore(db: Db) {
  return {
    /** Stories matching the filter, newest update first (or by first report when `order` is 'first'). */
    async stories(filter: StoryFilter, opts: { limit: number; offset?: number; order?: 'updated' | 'first' }): Promise<KbStory[]> {
      const params: unknown[] = [];
      const w = where(filter, params);
      params.push(opts.limit, opts.offset ?? 0);
      const order = opts.order === 'first' ? 's.first_seen desc, s.id desc' : 's.updated_at desc, s.id desc';
      const { rows } = await db.query<Row>(
        `select s.id, s.headline, s.summary, s.importance, s.article_count, s.actors, s.topics, s.first_seen, s.updated_at,
           first.url, first.outlet
         from (select s.* from stories s ${w} order by ${order} limit $${params.length - 1} offset $${params.length}) s
         left join lateral (select coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet
           from articles a left join feeds f on f.id = a.feed_id
           where a.story_id = s.id order by a.published_at, a.id limit 1) first on true
         order by ${order}`,
        params,
      );
      return rows.map(toStory);
    },

    /** How many stories match the filter (for paging). */
    async countStories(filter: StoryFilter): Promise<number> {
      const params: unknown[] = [];
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from stories s ${where(filter, params)}`, params);
      return Number(rows[0]?.n ?? 0);
    },

    /** One story with its first report's link, or null. */
    async story(id: string): Promise<KbStory | null> {
      const { rows } = await db.query<Row>(
        `select s.*, first.url, first.outlet from stories s
         left join lateral (select coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet
           from articles a left join feeds f on f.id = a.feed_id
           where a.story_id = s.id order by a.published_at, a.id limit 1) first on true
         where s.id = $1`,
        [id],
      );
      return rows[0] ? toStory(rows[0]) : null;
    },

    /** Every report of a story, oldest first. */
    async storyArticles(storyId: string): Promise<KbArticle[]> {
      const { rows } = await db.query<Row>(
        `select a.id, a.title, coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet, a.language, a.published_at, a.duplicate_of
         from articles a left join feeds f on f.id = a.feed_id where a.story_id = $1 order by a.published_at, a.id`,
        [storyId],
      );
      return rows.map((r) => ({
        id: r.id as string, title: r.title as string, url: (r.url as string) ?? null, outlet: (r.outlet as string) ?? null,
        language: (r.language as string) ?? null, publishedAt: r.published_at as Date, duplicateOf: (r.duplicate_of as string) ?? null,
      }));
    },

    /**
     * Quotes by a speaker, newest first: a pack actor by id, or a learned name by its spelling. `about`
     * words must all appear (accents and case ignored) in the quote or its sentence.
     */
    async quotes(speaker: { id?: string; name?: string }, opts: { limit: number; offset?: number; about?: string[] }): Promise<KbQuote[]> {
      const params: unknown[] = [];
      let w: string;
      if (speaker.id) {
        params.push(speaker.id);
        w = `q.speaker_id = $1`;
      } else {
        params.push((speaker.name ?? '').toLowerCase());
        w = `q.speaker_id is null and lower(q.speaker) = $1`;
      }
      for (const word of opts.about ?? []) {
        params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        w += ` and lower(unaccent(q.text || ' ' || q.sentence)) like $${params.length}`;
      }
      params.push(opts.limit, opts.offset ?? 0);
      const { rows } = await db.query<Row>(
        `select q.speaker, q.speaker_id, q.text, q.sentence, q.published_at, q.article_id, a.title,
           coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet
         from (select * from quotes q where ${w} order by q.published_at desc, q.id desc
               limit $${params.length - 1} offset $${params.length}) q
         join articles a on a.id = q.article_id left join feeds f on f.id = a.feed_id
         order by q.published_at desc, q.id desc`,
        params,
      );
      return rows.map((r) => ({
        speaker: r.speaker as string, speakerId: (r.speaker_id as string) ?? null, text: r.text as string,
        sentence: r.sentence as string, publishedAt: r.published_at as Date, articleId: r.article_id as string,
        title: r.title as string, url: (r.url as string) ?? null, outlet: (r.outlet as string) ?? null,
      }));
    },

    /** Roles the news states for an actor (pack id or `cand:<key>`), newest first, one per distinct role. */
    async learnedRoles(actorId: string, limit: number): Promise<KbRole[]> {
      const { rows } = await db.query<Row>(
        `select x.role, x.sentence, x.seen_at, x.article_id, coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet
         from (select * from (
                 select distinct on (lower(r.role)) r.role, r.sentence, r.seen_at, r.article_id
                 from learned_roles r where r.actor_id = $1 order by lower(r.role), r.seen_at desc) d
               order by seen_at desc limit $2) x
         join articles a on a.id = x.article_id left join feeds f on f.id = a.feed_id
         order by x.seen_at desc`,
        [actorId, limit],
      );
      return rows.map((r) => ({
        role: r.role as string, sentence: r.sentence as string, seenAt: r.seen_at as Date, articleId: r.article_id as string,
        url: (r.url as string) ?? null, outlet: (r.outlet as string) ?? null,
      }));
    },

    /** Learned names that contain or resemble the (folded) query, best first. */
    async findLearned(folded: string, limit = 5): Promise<LearnedActor[]> {
      if (!folded) return [];
      const { rows } = await db.query<Row>(
        `select key, name, mention_count, first_seen, last_seen, word_similarity($1, key) as sim
         from learned_actors where $1 <% key
         order by (key = $1) desc, sim desc, mention_count desc limit $2`,
        [folded, limit],
      );
      return rows.map((r) => ({
        key: r.key as string, name: r.name as string, mentions: Number(r.mention_count), firstSeen: r.first_seen as Date,
        lastSeen: r.last_seen as Date, similarity: Number(r.sim),
      }));
    },

    /** A learned actor by key. */
    async learnedActor(key: string): Promise<LearnedActor | null> {
      const { rows } = await db.query<Row>('select key, name, mention_count, first_seen, last_seen from learned_actors where key = $1', [key]);
      const r = rows[0];
      return r ? { key, name: r.name as string, mentions: Number(r.mention_count), firstSeen: r.first_seen as Date, lastSeen: r.last_seen as Date, similarity: 1 } : null;
    },

    /** Names of learned actors by key (for listing a story's actors). */
    async learnedNames(keys: string[]): Promise<Map<string, string>> {
      if (keys.length === 0) return new Map();
      const { rows } = await db.query<{ key: string; name: string }>('select key, name from learned_actors where key = any($1::text[])', [keys]);
      return new Map(rows.map((r) => [r.key, r.name]));
    },
  };
}

export type KbStore = ReturnType<typeof createKbStore>;
