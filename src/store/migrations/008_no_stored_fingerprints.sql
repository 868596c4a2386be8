-- The engine no longer stores each article's MinHash signature and sizes: it computes them again from
-- the title and text when it rebuilds its duplicate index at start (about 25 µs an article, half a
-- second for 20,000). Writing the 512-byte signature, as hex inside the JSON of the analysis update,
-- made that update take 2.1 s instead of 1.2 s per 20,000 articles on embedded PGlite.
alter table articles drop column if exists minhash;
alter table articles drop column if exists shingles;
alter table articles drop column if exists words;
