/**
 * The database handle every repository uses: the same SQL over embedded PGlite (the default,
 * files in the data dir) or a PostgreSQL server through `pg` (when DATABASE_URL is set).
 */
import path from 'node:path';
import type { SerializedError } from './pglite-thread.mjs';

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
  /**
   * Embedded PGlite only: runs `COPY <table> (<columns>) FROM '/dev/blob' ...` over `data` (in the
   * format the statement names; see copy.ts). Bulk loads read several times faster this way than as
   * parameters. Returns the rows copied.
   */
  copyIn?(sql: string, data: Uint8Array | string): Promise<number>;
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
  /**
   * PGlite only: run the database in a worker thread (the default) so queries do not block the
   * event loop. `false` runs it on the calling thread; so does FRONTERA_PGLITE_THREAD=0.
   */
  thread?: boolean;
}

/** Opens the configured database. PGlite takes a few seconds to start: open one and share it. */
export async function openDb(opts: OpenDbOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.schema);
  const dir = opts.memory ? undefined : path.join(opts.dataDir ?? './data', 'pg');
  const thread = opts.thread ?? !['0', 'false'].includes(process.env.FRONTERA_PGLITE_THREAD ?? '');
  if (thread) {
    try {
      return await openPgliteThread(dir, opts.schema);
    } catch (err) {
      // Only when the thread itself could not run (no database was opened): fall back in-process.
      if (!(err instanceof ThreadGoneError)) throw err;
      process.emitWarning(`PGlite worker thread failed to start (${err.message}); running PGlite in-process`);
    }
  }
  return openPglite(dir, opts.schema);
}

/** In-process PGlite: every query runs on the calling thread. */
async function openPglite(dir: string | undefined, schema: string | undefined): Promise<Db> {
  const { createPglite } = await import('./pglite-thread.mjs');
  const pg = await createPglite({ dir, schema });

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
    async copyIn(sql: string, data: Uint8Array | string) {
      const r = await q.query(sql, [], { blob: new Blob([data as BlobPart]) });
      return r.affectedRows ?? 0;
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

/** The worker thread itself failed (crashed or exited); raised by openDb only before the database was open. */
class ThreadGoneError extends Error {}

/** A FIFO async mutex; `held` tells whether anyone holds it (waiters imply held). */
class Mutex {
  held = false;
  #waiters: Array<() => void> = [];
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

type Op = 'query' | 'exec' | 'copy' | 'begin' | 'commit' | 'rollback' | 'close';
interface ThreadResponse {
  id: number;
  ready?: boolean;
  rows?: unknown[];
  affectedRows?: number;
  error?: SerializedError;
}

/** An Error rebuilt from the worker's copy, carrying the Postgres fields (code, detail, hint, position...). */
function rebuildError(s: SerializedError): Error {
  const err = new Error(s.message) as Error & Record<string, unknown>;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'message' || k === 'stack' || v === undefined) continue;
    if (k === 'name') err.name = String(v);
    else err[k] = v;
  }
  return err;
}

/**
 * PGlite in a worker thread (src/store/pglite-thread.mjs), so a long query or a big insert leaves
 * the event loop free and parsing can overlap with storing.
 *
 * The worker runs requests strictly one at a time in the order they were posted. Transactions are
 * made exclusive here on the main thread with a FIFO mutex: `transaction()` holds it from 'begin' to
 * 'commit'/'rollback', and the `tx` handle posts directly; a query on the outer handle posts at once
 * when the mutex is free, and otherwise waits its turn behind the transaction (and behind any
 * transaction queued before it). Holding the lock only as long as it takes to post keeps ordinary
 * queries pipelined: several can be queued in the worker while the main thread keeps parsing.
 * As with in-process PGlite, code inside `fn` must use `tx`: a query on the outer handle there
 * would wait for the transaction that is waiting for it.
 */
async function openPgliteThread(dir: string | undefined, schema: string | undefined): Promise<Db> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
    // The entry is plain JavaScript: no loader (tsx) needed in the thread, whatever the main thread runs with.
    execArgv: [],
    workerData: { tag: 'frontera-pglite-thread', dir, schema },
  });

  const pending = new Map<number, { resolve(r: ThreadResponse): void; reject(e: Error): void }>();
  let nextId = 1;
  let dead: Error | null = null;
  let closed = false;
  let closing: Promise<void> | null = null;
  const lock = new Mutex();

  // The thread keeps the process alive only while an answer is awaited: a forgotten close() must not
  // hang the process at exit, any more than in-process PGlite would.
  const track = (id: number, entry: { resolve(r: ThreadResponse): void; reject(e: Error): void }) => {
    if (pending.size === 0) worker.ref();
    pending.set(id, entry);
  };
  const untrack = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return entry;
  };

  const fail = (err: Error) => {
    if (dead) return;
    dead = err;
    for (const id of [...pending.keys()]) untrack(id)!.reject(err);
    void worker.terminate().catch(() => {});
  };

  worker.on('message', (msg: ThreadResponse) => {
    const entry = untrack(msg.id);
    if (!entry) return;
    if (msg.error) entry.reject(rebuildError(msg.error));
    else entry.resolve(msg);
  });
  worker.on('error', (err) => {
    // An uncaught exception in the thread: it is gone, so is the database.
    fail(new ThreadGoneError(`PGlite worker thread crashed: ${err.message}`, { cause: err }));
  });
  worker.on('messageerror', (err) => {
    fail(new Error(`PGlite worker thread sent an unreadable message: ${err.message}`, { cause: err }));
  });
  worker.on('exit', (code) => {
    if (!closed) fail(new ThreadGoneError(`PGlite worker thread exited (code ${code})`));
    // Closed on purpose: anything still unanswered is refused, never left hanging.
    else for (const id of [...pending.keys()]) untrack(id)!.reject(new Error('database is closed'));
  });

  // Start-up: the worker answers id 0 once the database is open (or could not be opened).
  try {
    await new Promise<ThreadResponse>((resolve, reject) => track(0, { resolve, reject }));
  } catch (err) {
    closed = true;
    await worker.terminate().catch(() => {});
    throw err;
  }
  // After start-up, a dead thread is an ordinary error for callers (no fallback mid-run).
  const deadError = () => new Error(`PGlite worker thread is not running: ${dead!.message}`, { cause: dead });

  /** Posts one request now; resolves with its answer. */
  const post = (op: Op, sql?: string, params?: unknown[]): Promise<ThreadResponse> => {
    if (dead) return Promise.reject(deadError());
    if (closed) return Promise.reject(new Error('database is closed'));
    const id = nextId++;
    return new Promise<ThreadResponse>((resolve, reject) => {
      track(id, { resolve, reject });
      try {
        worker.postMessage({ id, op, sql, params });
        if (op === 'close') closed = true; // whatever is posted after it is refused
      } catch (err) {
        // A parameter structured clone cannot copy (a function, a symbol...).
        untrack(id);
        reject(err as Error);
      }
    });
  };

  /** Posts from outside a transaction: at once if none holds the lock, else after it (FIFO). */
  const send = (op: Op, sql?: string, params?: unknown[]): Promise<ThreadResponse> => {
    if (!lock.held) return post(op, sql, params);
    return lock.acquire().then(() => {
      try {
        return post(op, sql, params);
      } finally {
        lock.release();
      }
    });
  };

  type Send = typeof send;
  const wrap = (sendFn: Send, tx: { open: boolean } | null): Db => ({
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await sendFn('query', sql, params);
      return { rows: r.rows as T[], affectedRows: r.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await sendFn('exec', sql);
    },
    async copyIn(sql: string, data: Uint8Array | string) {
      const r = await sendFn('copy', sql, [data]);
      return r.affectedRows ?? 0;
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (tx) return fn(wrap(sendFn, tx));
      await lock.acquire();
      try {
        await post('begin');
        const state = { open: true };
        const txPost: Send = (op, sql, params) =>
          state.open ? post(op, sql, params) : Promise.reject(new Error('transaction is closed'));
        let out: T;
        try {
          out = await fn(wrap(txPost, state));
        } catch (err) {
          state.open = false;
          await post('rollback').catch(() => {});
          throw err;
        }
        state.open = false;
        await post('commit');
        return out;
      } finally {
        lock.release();
      }
    },
    close() {
      if (tx) return Promise.resolve();
      closing ??= (async () => {
        try {
          // Through the lock: a running transaction finishes first; earlier queries are answered first.
          await send('close');
        } catch (err) {
          if (!dead) throw err; // a dead thread has nothing left to close
        } finally {
          closed = true;
          await worker.terminate().catch(() => {});
        }
      })();
      return closing;
    },
  });
  return wrap(send, null);
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
  // An idle connection dropped by the server (restart, failover, idle timeout) is replaced on next use;
  // without a listener, the pool's 'error' event would crash the process.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL connection lost (${err.message}); it will be replaced on next use`, 'FronteraDbWarning');
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
