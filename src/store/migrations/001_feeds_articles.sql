-- Feeds we poll and the articles they gave us.

create table feeds (
  id integer generated always as identity primary key,
  url text not null unique,
  name text,
  site_url text,
  language text,
  tier text not null default 'outlet' check (tier in ('official', 'wire', 'outlet', 'commentary')),
  country text,
  topics text[] not null default '{}',
  full_text boolean not null default false,
  -- active: polling normally; failing: last poll(s) failed, backing off; disabled: no more polls until re-enabled.
  status text not null default 'active' check (status in ('active', 'failing', 'disabled')),
  disabled_reason text,
  error_count integer not null default 0,
  last_error_code text,
  last_error text,
  etag text,
  last_modified text,
  body_hash text,
  ttl_minutes integer,
  entry_interval_seconds integer,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_new_items_at timestamptz,
  next_poll_at timestamptz not null default now(),
  poll_reason text,
  -- The first successful poll stores the feed's current items as seen, alerting nobody.
  baseline_done boolean not null default false,
  websub_hub text,
  websub_topic text,
  websub_secret text,
  websub_state text check (websub_state in ('pending', 'active', 'denied', 'expired')),
  websub_lease_expires_at timestamptz,
  websub_renew_at timestamptz,
  item_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index feeds_next_poll on feeds (next_poll_at) where status <> 'disabled';

create table articles (
  -- Stable across runs: a hash of the source and the item's identity, so replays are idempotent.
  id text primary key,
  feed_id integer references feeds (id) on delete set null,
  -- The feed URL or file path the article came from, as first seen.
  source text not null,
  identity text not null,
  identity_source text not null,
  guid text,
  url text,
  canonical_url text,
  title text not null,
  html text not null,
  body text not null,
  author text,
  categories text[] not null default '{}',
  language text,
  published_at timestamptz not null,
  published_estimated boolean not null default false,
  first_seen_at timestamptz not null default now(),
  -- Part of a feed's first-run baseline: stored and analysed, never alerted.
  baseline boolean not null default false,
  full_text boolean not null default false,
  processed_at timestamptz
);

create index articles_feed on articles (feed_id, published_at desc);
create index articles_canonical_url on articles (canonical_url);
create index articles_published on articles (published_at desc);
create index articles_unprocessed on articles (first_seen_at) where processed_at is null;
