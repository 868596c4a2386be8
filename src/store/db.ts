/**
 * The database handle every repository uses: the same SQL over embedded PGlite (the default,
 * files in the data dir) or a PostgreSQL server through `pg` (when DATABASE_URL is set).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface QueryResult<T> {
  rows: T[];
  affectedRows: number;
}

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** One parameterized statement ($1, $2, ...). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction; rolls back if it throws. Nested calls reuse the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL server URL; when absent, PGlite in `dataDir/pg`. */
  databaseUrl?: string | null;
  dataDir?: string;
  /** In-memory PGlite (tests, benchmarks). */
  memory?: boolean;
  /** With a server: put every table in this schema (tests isolate runs this way). */
  schema?: string;
}

/** Opens the configured database. PGlite takes a few seconds to start: open one and share it. */
export async function openDb(opts: OpenDbOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.schema);
  return openPglite(opts);
}

async function openPglite(opts: OpenDbOptions): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  let dir: string | undefined;
  if (!opts.memory) {
    dir = path.join(opts.dataDir ?? './data', 'pg');
    fs.mkdirSync(dir, { recursive: true });
  }
  const pg = await PGlite.create(dir, { extensions: { pg_trgm, unaccent } });
  if (opts.schema) await pg.exec(`create schema if not exists ${ident(opts.schema)}; set search_path to ${ident(opts.schema)}, public`);

  type Tx = { query: typeof pg.query; exec: typeof pg.exec };
  const wrap = (q: Tx, inTx: boolean): Db => ({
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params as unknown[] | undefined);
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      if (inTx) return fn(wrap(q, true));
      return pg.transaction((tx) => fn(wrap(tx as unknown as Tx, true)));
    },
    async close() {
      if (!inTx) await pg.close();
    },
  });
  return wrap(pg, false);
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  const { default: pgmod } = await import('pg');
  if (schema) {
    const setup = new pgmod.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`create schema if not exists ${ident(schema)}`);
    } finally {
      await setup.end();
    }
  }
  // The search path is a connection option, so every pooled connection has it from its first query.
  const pool = new pgmod.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  type Q = { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }> };
  const wrap = (q: Q, inTx: boolean): Db => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await q.query(sql, params);
      return { rows: r.rows as T[], affectedRows: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await q.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      if (inTx) return fn(wrap(q, true));
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn(wrap(client as unknown as Q, true));
        await client.query('commit');
        return out;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (!inTx) await pool.end();
    },
  });
  return wrap(pool as unknown as Q, false);
}

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
