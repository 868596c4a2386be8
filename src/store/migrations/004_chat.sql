-- Chat: which channels want which part of the beat, and every delivery decision made for them.

-- One subscription per channel. Empty filter arrays mean "any".
create table chat_subscriptions (
  id bigint generated always as identity primary key,
  platform text not null check (platform in ('slack', 'discord')),
  workspace_id text not null,
  channel_id text not null,
  topics text[] not null default '{}',
  actors text[] not null default '{}',
  keywords text[] not null default '{}',
  sources text[] not null default '{}',
  languages text[] not null default '{}',
  min_importance text not null default 'routine' check (min_importance in ('routine', 'notable', 'breaking')),
  min_relevance real not null default 0,
  -- Quiet hours as minutes after local midnight in the channel's time zone (null: none).
  quiet_start integer check (quiet_start between 0 and 1439),
  quiet_end integer check (quiet_end between 0 and 1439),
  time_zone text not null default 'UTC',
  mode text not null default 'immediate' check (mode in ('immediate', 'hourly', 'daily')),
  -- Daily digests: minutes after local midnight.
  digest_at integer not null default 480 check (digest_at between 0 and 1439),
  last_digest_at timestamptz,
  paused boolean not null default false,
  paused_reason text,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (platform, workspace_id, channel_id)
);

-- Every decision about a story (or a digest) for a channel. `key` makes each decision once-only:
-- alert:<story>, thread:<story>:<article>, realert:<story>:<change>, filtered:<story>:<article>,
-- digest-item:<story>, digest:<period>, backfill:<subscription>:<time>.
-- Posts are recorded here (intent) before they are attempted; `nonce` is stable across retries.
create table chat_deliveries (
  id bigint generated always as identity primary key,
  platform text not null,
  workspace_id text not null,
  channel_id text not null,
  key text not null,
  kind text not null check (kind in ('alert', 'thread', 'realert', 'digest', 'none')),
  story_id text,
  article_id text,
  outcome text not null check (outcome in ('pending', 'delivered', 'thread-update', 'filtered',
    'deferred-quiet-hours', 'queued-digest', 'rate-limited', 'failed')),
  reason text,
  nonce text not null,
  payload jsonb,
  message_id text,
  thread_id text,
  attempts integer not null default 0,
  -- The last attempt may have reached the platform (uncertain failure or a crash mid-post).
  uncertain boolean not null default false,
  not_before timestamptz,
  claimed_until timestamptz,
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (platform, workspace_id, channel_id, key)
);
create index chat_deliveries_open on chat_deliveries (platform, workspace_id, channel_id, id)
  where outcome in ('pending', 'deferred-quiet-hours', 'rate-limited');
create index chat_deliveries_story on chat_deliveries (story_id, channel_id);
create index chat_deliveries_article on chat_deliveries (article_id) where article_id is not null;

-- What the channel last heard about a story, to tell a material change from a routine update.
create table chat_story_state (
  platform text not null,
  workspace_id text not null,
  channel_id text not null,
  story_id text not null,
  importance text not null,
  official boolean not null default false,
  figures jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (platform, workspace_id, channel_id, story_id)
);

create table chat_muted_stories (
  platform text not null,
  workspace_id text not null,
  channel_id text not null,
  story_id text not null,
  muted_by text not null,
  muted_at timestamptz not null default now(),
  primary key (platform, workspace_id, channel_id, story_id)
);

-- Reports publish-story has decided for every channel. A sweep re-enqueues recent on-beat reports
-- missing here, so a hand-off lost with Redis is repaired rather than lost.
create table chat_published (
  article_id text primary key,
  published_at timestamptz not null default now()
);
