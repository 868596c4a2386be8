-- What the engine writes per article (mentions, quotes, learned roles) no longer carries a foreign key
-- to articles. Each checked row ran a lookup that also locked its article's row (FOR KEY SHARE), which
-- doubled the cost of the engine's bulk COPY of these rows (534 vs 270 ms for 18,000 mentions on
-- embedded PGlite). The engine is their only writer and writes them for articles it has just read, and
-- articles are never deleted, so the cascade had nothing to do; a retention job, if one is added, must
-- delete these rows with their article.
alter table mentions drop constraint if exists mentions_article_id_fkey;
alter table quotes drop constraint if exists quotes_article_id_fkey;
alter table learned_roles drop constraint if exists learned_roles_article_id_fkey;
