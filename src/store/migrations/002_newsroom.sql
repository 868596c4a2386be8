-- What the newsroom engine learns from each article, and the stories it groups them into.

create extension if not exists pg_trgm;
create extension if not exists unaccent;

alter table articles
  add column relevance real,
  add column relevant boolean,
  add column relevance_reasons text[] not null default '{}',
  add column story_id text,
  add column duplicate_of text,
  add column actors text[] not null default '{}',
  add column topics text[] not null default '{}',
  -- MinHash signature and sizes, so the duplicate index can be rebuilt after a restart.
  add column minhash bytea,
  add column shingles integer,
  add column words integer;

create index articles_story on articles (story_id, published_at) where story_id is not null;
create index articles_processed on articles (processed_at desc) where processed_at is not null;

create table stories (
  id text primary key,
  headline text not null,
  summary jsonb not null default '[]',
  quote jsonb,
  whats_new text,
  covered text[] not null default '{}',
  actors text[] not null default '{}',
  topics text[] not null default '{}',
  importance text not null default 'routine' check (importance in ('routine', 'notable', 'breaking')),
  importance_reasons text[] not null default '{}',
  article_count integer not null default 0,
  source_count integer not null default 0,
  languages text[] not null default '{}',
  first_seen timestamptz not null,
  updated_at timestamptz not null,
  -- Bumped only on a material change (the thread/alert logic keys on it).
  version integer not null default 1
);

create index stories_updated on stories (updated_at desc);
create index stories_actors on stories using gin (actors);

-- Actors named in an article: pack ids, or `cand:<key>` for names the pack does not know.
create table mentions (
  article_id text not null references articles (id) on delete cascade,
  actor_id text not null,
  surface text not null,
  count integer not null default 1,
  primary key (article_id, actor_id)
);
create index mentions_actor on mentions (actor_id);

-- Names seen in the news that the beat pack does not know.
create table learned_actors (
  key text primary key,
  name text not null,
  mention_count integer not null default 0,
  first_seen timestamptz not null,
  last_seen timestamptz not null
);

-- Roles as the news states them ("House Judiciary Chairman Jim Jordan"), each with its article.
create table learned_roles (
  actor_id text not null,
  role text not null,
  article_id text not null references articles (id) on delete cascade,
  sentence text not null,
  seen_at timestamptz not null,
  primary key (actor_id, role, article_id)
);

create table quotes (
  id bigint generated always as identity primary key,
  article_id text not null references articles (id) on delete cascade,
  speaker text not null,
  speaker_id text,
  text text not null,
  sentence text not null,
  published_at timestamptz not null,
  unique (article_id, text)
);
create index quotes_speaker on quotes (speaker_id, published_at desc);
