-- Fewer indexes on the ingest insert path.
-- articles_published served no query: lookups by time go through stories, search documents, or the
-- analysed-articles index. The unprocessed sweep reads `order by published_at, id`, so its partial
-- index now holds exactly that order (it was on first_seen_at, which the sweep never sorts by).
drop index if exists articles_published;
drop index if exists articles_unprocessed;
create index articles_unprocessed on articles (published_at, id) where processed_at is null;
