-- Search for the lookup commands (/search, /brief, /quotes): a separate table of search documents,
-- filled when articles are analysed, so the ingest insert path on `articles` stays as it is.

-- English and Spanish stemming with accents folded first, so "Mexico" finds "México" and ts_headline
-- can still show the original accented text.
create text search configuration frontera_en (copy = english);
alter text search configuration frontera_en
  alter mapping for hword, hword_part, word with unaccent, english_stem;
create text search configuration frontera_es (copy = spanish);
alter text search configuration frontera_es
  alter mapping for hword, hword_part, word with unaccent, spanish_stem;

create table search_docs (
  -- 'a:<article id>' or 's:<story id>'
  doc_id text primary key,
  kind text not null check (kind in ('article', 'story')),
  ref_id text not null,
  story_id text,
  title text not null,
  -- The text snippets are cut from (clipped; the full body stays in articles).
  body text not null,
  url text,
  outlet text,
  language text,
  importance text,
  published_at timestamptz not null,
  -- Folded canonical names of the actors it mentions (searchable under the 'simple' configuration).
  names text not null default '',
  tsv tsvector not null
);
create index search_docs_tsv on search_docs using gin (tsv);
create index search_docs_published on search_docs (published_at);

-- Where the incremental indexer has got to (one row): everything analysed up to processed_at is indexed.
create table search_state (
  id integer primary key default 1 check (id = 1),
  processed_at timestamptz not null
);

-- Lookups by learned name (trigram similarity: typos, partial names), by topic, and quotes of people the pack does not know.
create index learned_actors_key_trgm on learned_actors using gin (key gin_trgm_ops);
create index learned_roles_actor on learned_roles (actor_id, seen_at desc);
create index stories_topics on stories using gin (topics);
create index stories_first_seen on stories (first_seen);
create index quotes_speaker_name on quotes (lower(speaker), published_at desc) where speaker_id is null;
