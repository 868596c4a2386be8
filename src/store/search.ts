/**
 * Full-text search over analysed articles and stories, English and Spanish. Documents live in
 * search_docs (migration 003), never as columns or triggers on `articles`, so ingest pays nothing for
 * search. They are written by `indexForSearch` for the articles and stories an analysis batch touched,
 * and `syncSearchIndex` catches up on anything analysed since the last run (another process, a restart).
 */
import type { Db } from './db.ts';
import { fold } from '../newsroom/text.ts';

/** An article's outlet: its feed's name, else the host of its link. */
const OUTLET = `coalesce(f.name, substring(coalesce(a.url, a.source) from '^https?://(?:www\\.)?([^/:]+)'))`;

/** Characters of body text kept per document for snippets. */
const BODY_CLIP = 4000;
/** Articles indexed per statement by the catch-up. */
const SYNC_BATCH = 2000;

/** Canonical name of an actor id (pack id or `cand:<key>`), used to make names searchable. */
export type NameOf = (actorId: string) => string;

const defaultName: NameOf = (id) => (id.startsWith('cand:') ? id.slice(5) : id.replace(/-/g, ' '));

/**
 * (Re)indexes these articles (relevant, original copies only) and stories.
 * @example await indexForSearch(db, ['a1b2...'], ['s-12'], (id) => pack names.get(id) ?? id)
 */
export async function indexForSearch(db: Db, articleIds: string[], storyIds: string[], nameOf: NameOf = defaultName): Promise<void> {
  if (articleIds.length > 0) {
    const { rows } = await db.query<{ id: string; actors: string[] }>(
      'select id, actors from articles where id = any($1::text[]) and relevant and duplicate_of is null',
      [articleIds],
    );
    if (rows.length > 0) {
      const names = rows.map((r) => ({ id: r.id, names: r.actors.map((a) => fold(nameOf(a))).join(' ') }));
      await db.query(
        `insert into search_docs (doc_id, kind, ref_id, story_id, title, body, url, outlet, language, published_at, names, tsv)
         select 'a:' || a.id, 'article', a.id, a.story_id, a.title, left(a.body, ${BODY_CLIP}), coalesce(a.url, a.canonical_url),
           ${OUTLET}, a.language, a.published_at, x.names,
           setweight(to_tsvector('frontera_en', a.title), 'A') || setweight(to_tsvector('frontera_es', a.title), 'A') ||
           setweight(to_tsvector('simple', x.names), 'A') ||
           setweight(to_tsvector('frontera_en', left(a.body, 20000)), 'B') || setweight(to_tsvector('frontera_es', left(a.body, 20000)), 'B')
         from jsonb_to_recordset($1::jsonb) as x(id text, names text)
         join articles a on a.id = x.id left join feeds f on f.id = a.feed_id
         on conflict (doc_id) do update set story_id = excluded.story_id, title = excluded.title, body = excluded.body,
           url = excluded.url, outlet = excluded.outlet, language = excluded.language, published_at = excluded.published_at,
           names = excluded.names, tsv = excluded.tsv`,
        [JSON.stringify(names)],
      );
    }
  }
  if (storyIds.length > 0) {
    const { rows } = await db.query<{ id: string; actors: string[] }>('select id, actors from stories where id = any($1::text[])', [storyIds]);
    if (rows.length === 0) return;
    const names = rows.map((r) => ({ id: r.id, names: r.actors.map((a) => fold(nameOf(a))).join(' ') }));
    await db.query(
      `insert into search_docs (doc_id, kind, ref_id, story_id, title, body, url, outlet, language, importance, published_at, names, tsv)
       select 's:' || s.id, 'story', s.id, s.id, s.headline, left(y.body, ${BODY_CLIP}), first.url, first.outlet,
         s.languages[1], s.importance, s.updated_at, x.names,
         setweight(to_tsvector('frontera_en', s.headline), 'A') || setweight(to_tsvector('frontera_es', s.headline), 'A') ||
         setweight(to_tsvector('simple', x.names), 'A') ||
         setweight(to_tsvector('frontera_en', y.body), 'B') || setweight(to_tsvector('frontera_es', y.body), 'B')
       from jsonb_to_recordset($1::jsonb) as x(id text, names text)
       join stories s on s.id = x.id
       cross join lateral (select coalesce(string_agg(b->>'text', ' '), '') as body from jsonb_array_elements(s.summary) b) y
       left join lateral (select coalesce(a.url, a.canonical_url) as url, ${OUTLET} as outlet from articles a
         left join feeds f on f.id = a.feed_id where a.story_id = s.id order by a.published_at, a.id limit 1) first on true
       on conflict (doc_id) do update set title = excluded.title, body = excluded.body, url = excluded.url,
         outlet = excluded.outlet, language = excluded.language, importance = excluded.importance,
         published_at = excluded.published_at, names = excluded.names, tsv = excluded.tsv`,
      [JSON.stringify(names)],
    );
  }
}

/**
 * Indexes what was analysed since the last call, oldest first: about `limit` articles per call (a whole
 * analysis batch at most, since a batch shares one processed_at). Cheap when nothing is new: one probe
 * of the processed_at index.
 */
export async function syncSearchIndex(db: Db, nameOf: NameOf = defaultName, limit = SYNC_BATCH): Promise<number> {
  const state = (await db.query<{ processed_at: Date }>('select processed_at from search_state where id = 1')).rows[0];
  const since = state?.processed_at ?? new Date(0);
  const probe = await db.query<{ processed_at: Date }>(
    `select processed_at from articles where processed_at > $1 order by processed_at limit $2`,
    [since, limit],
  );
  const upTo = probe.rows.at(-1)?.processed_at;
  if (!upTo) return 0;
  const { rows } = await db.query<{ id: string; story_id: string | null }>(
    'select id, story_id from articles where processed_at > $1 and processed_at <= $2',
    [since, upTo],
  );
  const stories = [...new Set(rows.map((r) => r.story_id).filter((s): s is string => !!s))];
  await indexForSearch(db, rows.map((r) => r.id), stories, nameOf);
  await db.query(
    `insert into search_state (id, processed_at) values (1, $1)
     on conflict (id) do update set processed_at = greatest(search_state.processed_at, excluded.processed_at)`,
    [upTo],
  );
  return rows.length;
}

export interface SearchHit {
  kind: 'article' | 'story';
  id: string;
  storyId: string | null;
  title: string;
  snippet: string;
  url: string | null;
  outlet: string | null;
  language: string | null;
  importance: string | null;
  publishedAt: Date;
  rank: number;
}

/** Matching documents ranked per query: the newest this many are ranked, so a common word stays fast. */
const CANDIDATES = 300;
/** The first, narrower pass looks at this many days back from the newest document. */
const RECENT_DAYS = 30;

/**
 * Ranked search: English and Spanish full text (either stemming may match, accents ignored), plus the
 * canonical names in `names` (folded), which callers resolve from misspelt or partial names so that
 * "sheinbaun" finds what mentions Claudia Sheinbaum. The newest 300 matches are ranked (text rank, then
 * recency). Returns `limit + 1` rows at most so callers know whether a next page exists.
 */
export async function searchDocs(db: Db, query: string, opts: { limit: number; offset: number; names?: string[] }): Promise<SearchHit[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `with q0 as (
       select websearch_to_tsquery('frontera_en', $1) as en, websearch_to_tsquery('frontera_es', $1) as es,
         (select string_agg('(' || plainto_tsquery('simple', n)::text || ')', ' | ') from unnest($4::text[]) n
          where plainto_tsquery('simple', n)::text <> '') as byname
     ), q as (
       select en, es, case when byname is null then en || es else en || es || byname::tsquery end as tq from q0
     ), recent as (
       -- Most queries find enough in the latest weeks: the date range narrows the heap reads.
       select d.doc_id, d.published_at from search_docs d, q
       where d.tsv @@ q.tq and d.published_at >= (select max(published_at) from search_docs) - interval '${RECENT_DAYS} days'
       order by d.published_at desc limit ${CANDIDATES}
     ), cand as (
       select doc_id from recent
       union all
       (select d.doc_id from search_docs d, q
        where (select count(*) from recent) < ${CANDIDATES} and d.tsv @@ q.tq
          and d.published_at < (select max(published_at) from search_docs) - interval '${RECENT_DAYS} days'
        order by d.published_at desc limit ${CANDIDATES})
     ), hits as (
       select d.*, q.en, q.es,
         ts_rank_cd(d.tsv, q.tq, 1) + 0.1 / (1 + extract(epoch from (now() - d.published_at)) / 86400 / 365) as rank
       from cand join search_docs d using (doc_id), q
       order by rank desc, d.published_at desc
       limit $2 offset $3
     )
     select kind, ref_id, story_id, title, url, outlet, language, importance, published_at, rank,
       ts_headline(case when language = 'es' then 'frontera_es' else 'frontera_en' end::regconfig, body,
         case when language = 'es' then es else en end,
         'StartSel="",StopSel="",MaxWords=28,MinWords=12,MaxFragments=2,FragmentDelimiter=" … "') as snippet
     from hits order by rank desc, published_at desc`,
    [query, opts.limit + 1, opts.offset, opts.names ?? []],
  );
  return rows.map((r) => ({
    kind: r.kind as SearchHit['kind'],
    id: r.ref_id as string,
    storyId: (r.story_id as string) ?? null,
    title: r.title as string,
    snippet: String(r.snippet ?? '').replace(/\s+/g, ' ').trim(),
    url: (r.url as string) ?? null,
    outlet: (r.outlet as string) ?? null,
    language: (r.language as string) ?? null,
    importance: (r.importance as string) ?? null,
    publishedAt: r.published_at as Date,
    rank: Number(r.rank),
  }));
}
