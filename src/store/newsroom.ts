/** Newsroom repository: per-article analysis, mentions, quotes, learned names and roles, stories. */
import { copyOrInsert } from './copy.ts';
import type { Db } from './db.ts';

export interface AnalysisRow {
  id: string;
  relevance: number;
  relevant: boolean;
  reasons: string[];
  storyId: string | null;
  duplicateOf: string | null;
  actors: string[];
  topics: string[];
  processedAt: Date;
}

export interface MentionRow { articleId: string; actorId: string; surface: string; count: number }
export interface QuoteRow { articleId: string; speaker: string; speakerId: string | null; text: string; sentence: string; publishedAt: Date }
export interface RoleRow { actorId: string; role: string; articleId: string; sentence: string; seenAt: Date }
export interface LearnedActorRow { key: string; name: string; mentions: number; seenAt: Date }

export interface StoryRow {
  id: string;
  headline: string;
  summary: Array<{ text: string; articleId: string | null }>;
  quote: { text: string; speaker: string; articleId: string } | null;
  whatsNew: string | null;
  covered: string[];
  actors: string[];
  topics: string[];
  importance: 'routine' | 'notable' | 'breaking';
  importanceReasons: string[];
  articleCount: number;
  sourceCount: number;
  languages: string[];
  firstSeen: Date;
  updatedAt: Date;
}

/** An article as the engine and the story views need it. */
export interface EngineArticle {
  id: string;
  feedId: number | null;
  source: string;
  sourceName: string | null;
  tier: 'official' | 'wire' | 'outlet' | 'commentary';
  url: string | null;
  canonicalUrl: string | null;
  title: string;
  text: string;
  language: 'en' | 'es' | null;
  publishedAt: Date;
  baseline: boolean;
  relevance: number | null;
  relevant: boolean | null;
  storyId: string | null;
  duplicateOf: string | null;
  actors: string[];
}

const ARTICLE_COLUMNS = `a.id, a.feed_id, a.source, f.name as source_name, coalesce(f.tier, 'outlet') as tier, a.url,
  a.canonical_url, a.title, a.body, a.language, a.published_at, a.baseline, a.relevance, a.relevant, a.story_id,
  a.duplicate_of, a.actors`;

type Row = Record<string, unknown>;

function toEngineArticle(r: Row): EngineArticle {
  return {
    id: r.id as string,
    feedId: r.feed_id == null ? null : Number(r.feed_id),
    source: r.source as string,
    sourceName: (r.source_name as string) ?? null,
    tier: r.tier as EngineArticle['tier'],
    url: (r.url as string) ?? null,
    canonicalUrl: (r.canonical_url as string) ?? null,
    title: r.title as string,
    text: r.body as string,
    language: (r.language as EngineArticle['language']) ?? null,
    publishedAt: r.published_at as Date,
    baseline: Boolean(r.baseline),
    relevance: r.relevance == null ? null : Number(r.relevance),
    relevant: r.relevant == null ? null : Boolean(r.relevant),
    storyId: (r.story_id as string) ?? null,
    duplicateOf: (r.duplicate_of as string) ?? null,
    actors: (r.actors as string[]) ?? [],
  };
}

function toStory(r: Row): StoryRow {
  return {
    id: r.id as string,
    headline: r.headline as string,
    summary: (r.summary as StoryRow['summary']) ?? [],
    quote: (r.quote as StoryRow['quote']) ?? null,
    whatsNew: (r.whats_new as string) ?? null,
    covered: (r.covered as string[]) ?? [],
    actors: (r.actors as string[]) ?? [],
    topics: (r.topics as string[]) ?? [],
    importance: r.importance as StoryRow['importance'],
    importanceReasons: (r.importance_reasons as string[]) ?? [],
    articleCount: Number(r.article_count),
    sourceCount: Number(r.source_count),
    languages: (r.languages as string[]) ?? [],
    firstSeen: r.first_seen as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** Creates the newsroom repository over a database handle. */
export function createNewsroomStore(db: Db) {
  const json = (rows: unknown[]) => JSON.stringify(rows);

  return {
    /** Articles by id, in the order given. */
    async articles(ids: string[]): Promise<EngineArticle[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<Row>(
        `select ${ARTICLE_COLUMNS} from articles a left join feeds f on f.id = a.feed_id where a.id = any($1::text[])`,
        [ids],
      );
      const byId = new Map(rows.map((r) => [r.id as string, toEngineArticle(r)]));
      return ids.map((id) => byId.get(id)).filter((a): a is EngineArticle => a !== undefined);
    },

    /** Articles not yet analysed, oldest published first (the engine's durable to-do list). */
    async unprocessed(limit = 1000): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `select id from articles where processed_at is null order by published_at, id limit $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },

    /** Published time of the newest analysed article, or null. */
    async newestAnalysed(): Promise<Date | null> {
      const { rows } = await db.query<{ t: Date | null }>('select max(published_at) as t from articles where processed_at is not null');
      return rows[0]?.t ?? null;
    },

    /** Analysed articles published since `since`, for rebuilding the in-memory indexes after a restart. */
    async analysedSince(since: Date): Promise<EngineArticle[]> {
      const { rows } = await db.query<Row>(
        `select ${ARTICLE_COLUMNS} from articles a left join feeds f on f.id = a.feed_id
         where a.processed_at is not null and a.published_at >= $1 order by a.published_at, a.id`,
        [since],
      );
      return rows.map(toEngineArticle);
    },

    /**
     * For the canonical URL of each given article: the earliest analysed article with that URL (possibly
     * the given article itself, once it is analysed). Keyed by canonical URL.
     */
    async firstWithCanonicalUrlsOf(articleIds: string[]): Promise<Map<string, { id: string; publishedAt: Date }>> {
      const out = new Map<string, { id: string; publishedAt: Date }>();
      if (articleIds.length === 0) return out;
      // One index probe per URL. The plain `canonical_url = any(...)` form was planned as a sequential scan
      // whenever the planner had no statistics yet (a fresh archive, or one that grew since the last
      // ANALYZE): 30 ms per batch of 200 on a 20,000-article table, growing with the archive.
      const { rows } = await db.query<{ canonical_url: string; id: string; published_at: Date }>(
        `select u.url as canonical_url, x.id, x.published_at
         from (select distinct canonical_url as url from articles
               where id = any($1::text[]) and canonical_url is not null) as u
         cross join lateral (select id, published_at from articles
           where canonical_url = u.url and processed_at is not null
           order by published_at, id limit 1) as x`,
        [articleIds],
      );
      for (const r of rows) out.set(r.canonical_url, { id: r.id, publishedAt: r.published_at });
      return out;
    },

    async saveAnalyses(rows: AnalysisRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `update articles a set relevance = x.relevance, relevant = x.relevant, relevance_reasons = x.reasons,
           story_id = x.story_id, duplicate_of = x.duplicate_of, actors = x.actors, topics = x.topics,
           processed_at = x.processed_at
         from jsonb_to_recordset($1::jsonb) as x(id text, relevance real, relevant boolean, reasons text[],
           story_id text, duplicate_of text, actors text[], topics text[], processed_at timestamptz)
         where a.id = x.id`,
        [json(rows.map((r) => ({
          id: r.id, relevance: r.relevance, relevant: r.relevant, reasons: r.reasons, story_id: r.storyId,
          duplicate_of: r.duplicateOf, actors: r.actors, topics: r.topics, processed_at: r.processedAt,
        })))],
      );
    },

    async saveMentions(rows: MentionRow[]): Promise<void> {
      if (rows.length === 0) return;
      // An article is analysed once, so its mentions are new rows: copied, unless a retried batch
      // meets the ones it stored before, which the insert then updates.
      await copyOrInsert(db, 'mentions (article_id, actor_id, surface, count)', ['text', 'text', 'text', 'int4'],
        rows.map((r) => [r.articleId, r.actorId, r.surface, r.count]), () => db.query(
        `insert into mentions (article_id, actor_id, surface, count)
         select article_id, actor_id, surface, count from jsonb_to_recordset($1::jsonb)
           as x(article_id text, actor_id text, surface text, count int)
         on conflict (article_id, actor_id) do update set count = excluded.count, surface = excluded.surface`,
        [json(rows.map((r) => ({ article_id: r.articleId, actor_id: r.actorId, surface: r.surface, count: r.count })))],
      ));
    },

    async saveQuotes(rows: QuoteRow[]): Promise<void> {
      if (rows.length === 0) return;
      await copyOrInsert(db, 'quotes (article_id, speaker, speaker_id, text, sentence, published_at)',
        ['text', 'text', 'text', 'text', 'text', 'timestamptz'],
        rows.map((r) => [r.articleId, r.speaker, r.speakerId, r.text, r.sentence, r.publishedAt]), () => db.query(
        `insert into quotes (article_id, speaker, speaker_id, text, sentence, published_at)
         select article_id, speaker, speaker_id, text, sentence, published_at from jsonb_to_recordset($1::jsonb)
           as x(article_id text, speaker text, speaker_id text, text text, sentence text, published_at timestamptz)
         on conflict (article_id, text) do nothing`,
        [json(rows.map((r) => ({ article_id: r.articleId, speaker: r.speaker, speaker_id: r.speakerId, text: r.text, sentence: r.sentence, published_at: r.publishedAt })))],
      ));
    },

    async saveRoles(rows: RoleRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `insert into learned_roles (actor_id, role, article_id, sentence, seen_at)
         select actor_id, role, article_id, sentence, seen_at from jsonb_to_recordset($1::jsonb)
           as x(actor_id text, role text, article_id text, sentence text, seen_at timestamptz)
         on conflict do nothing`,
        [json(rows.map((r) => ({ actor_id: r.actorId, role: r.role, article_id: r.articleId, sentence: r.sentence, seen_at: r.seenAt })))],
      );
    },

    async saveLearnedActors(rows: LearnedActorRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `insert into learned_actors (key, name, mention_count, first_seen, last_seen)
         select key, name, mentions, seen_at, seen_at from jsonb_to_recordset($1::jsonb)
           as x(key text, name text, mentions int, seen_at timestamptz)
         on conflict (key) do update set mention_count = learned_actors.mention_count + excluded.mention_count,
           last_seen = greatest(learned_actors.last_seen, excluded.last_seen),
           first_seen = least(learned_actors.first_seen, excluded.first_seen)`,
        [json(rows.map((r) => ({ key: r.key, name: r.name, mentions: r.mentions, seen_at: r.seenAt })))],
      );
    },

    /** Relevant, analysed articles of these stories, oldest first. */
    async storyArticles(storyIds: string[]): Promise<EngineArticle[]> {
      if (storyIds.length === 0) return [];
      const { rows } = await db.query<Row>(
        `select ${ARTICLE_COLUMNS} from articles a left join feeds f on f.id = a.feed_id
         where a.story_id = any($1::text[]) order by a.published_at, a.id`,
        [storyIds],
      );
      return rows.map(toEngineArticle);
    },

    async quotesFor(articleIds: string[]): Promise<QuoteRow[]> {
      if (articleIds.length === 0) return [];
      const { rows } = await db.query<Row>(
        `select article_id, speaker, speaker_id, text, sentence, published_at from quotes
         where article_id = any($1::text[]) order by published_at, id`,
        [articleIds],
      );
      return rows.map((r) => ({
        articleId: r.article_id as string, speaker: r.speaker as string, speakerId: (r.speaker_id as string) ?? null,
        text: r.text as string, sentence: r.sentence as string, publishedAt: r.published_at as Date,
      }));
    },

    async upsertStories(rows: StoryRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `insert into stories (id, headline, summary, quote, whats_new, covered, actors, topics, importance,
           importance_reasons, article_count, source_count, languages, first_seen, updated_at)
         select id, headline, summary, quote, whats_new, covered, actors, topics, importance, importance_reasons,
           article_count, source_count, languages, first_seen, updated_at
         from jsonb_to_recordset($1::jsonb) as x(id text, headline text, summary jsonb, quote jsonb, whats_new text,
           covered text[], actors text[], topics text[], importance text, importance_reasons text[], article_count int,
           source_count int, languages text[], first_seen timestamptz, updated_at timestamptz)
         on conflict (id) do update set headline = excluded.headline, summary = excluded.summary, quote = excluded.quote,
           whats_new = excluded.whats_new, covered = excluded.covered, actors = excluded.actors, topics = excluded.topics,
           importance = excluded.importance, importance_reasons = excluded.importance_reasons,
           article_count = excluded.article_count, source_count = excluded.source_count, languages = excluded.languages,
           first_seen = least(stories.first_seen, excluded.first_seen), updated_at = excluded.updated_at,
           version = stories.version + 1`,
        [json(rows.map((r) => ({
          id: r.id, headline: r.headline, summary: r.summary, quote: r.quote, whats_new: r.whatsNew, covered: r.covered,
          actors: r.actors, topics: r.topics, importance: r.importance, importance_reasons: r.importanceReasons,
          article_count: r.articleCount, source_count: r.sourceCount, languages: r.languages, first_seen: r.firstSeen,
          updated_at: r.updatedAt,
        })))],
      );
    },

    async story(id: string): Promise<StoryRow | null> {
      const { rows } = await db.query<Row>('select * from stories where id = $1', [id]);
      return rows[0] ? toStory(rows[0]) : null;
    },

    async stories(ids: string[]): Promise<StoryRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<Row>('select * from stories where id = any($1::text[])', [ids]);
      return rows.map(toStory);
    },

    /** Stories updated since `since`, newest first. */
    async recentStories(since: Date, limit: number): Promise<StoryRow[]> {
      const { rows } = await db.query<Row>(
        'select * from stories where updated_at >= $1 order by updated_at desc, id limit $2',
        [since, limit],
      );
      return rows.map(toStory);
    },
  };
}

export type NewsroomStore = ReturnType<typeof createNewsroomStore>;
