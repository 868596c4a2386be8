/**
 * Planner statistics for the growing tables. PGlite runs PostgreSQL in single-user mode, where autovacuum
 * never runs, so nothing gathers statistics: the planner then guesses table sizes and picks sequential
 * scans (on a 100,000-article archive a canonical-URL lookup scanned the whole table, 250 ms per batch).
 *
 * ANALYZE reads a sample of the table, which is not free (a second or more on a large archive in
 * WebAssembly), so it runs off the ingest path: the scheduler calls this every few minutes and
 * `frontera ingest` once at the end. A table is analysed when it has no statistics yet and holds a few
 * thousand pages' worth of rows, or has doubled in size on disk since its last ANALYZE. On a PostgreSQL
 * server autovacuum does the same on its own schedule; this only anticipates it.
 */
import type { Db } from './db.ts';

const TABLES = ['articles', 'mentions', 'quotes', 'stories', 'search_docs'];
/** Pages (8 KiB) a table must reach before its first ANALYZE: smaller tables plan well on guesses. */
const MIN_PAGES = 256;

/** Analyses the tables that need it; returns their names. */
export async function refreshStatistics(db: Db, opts: { minPages?: number } = {}): Promise<string[]> {
  const minPages = opts.minPages ?? MIN_PAGES;
  const { rows } = await db.query<{ name: string; relpages: number; pages: number }>(
    `select c.relname as name, c.relpages::int as relpages,
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages
     from pg_class c where c.oid = any(array(select to_regclass(t) from unnest($1::text[]) t where to_regclass(t) is not null))`,
    [TABLES],
  );
  const due = rows.filter((r) => r.pages >= minPages && r.pages >= 2 * Math.max(r.relpages, 1)).map((r) => r.name);
  for (const table of due) await db.query(`analyze ${table}`);
  return due;
}
