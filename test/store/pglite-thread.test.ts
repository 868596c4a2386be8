/**
 * PGlite in a worker thread (the default for embedded databases): parameters and results across the
 * thread boundary, Postgres errors, transactions and their exclusivity, and a free event loop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';

// Records every Worker db.ts starts, so a test can kill the database thread from outside.
const started = vi.hoisted(() => [] as Worker[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const mod = await importOriginal<typeof import('node:worker_threads')>();
  class RecordedWorker extends mod.Worker {
    constructor(...args: ConstructorParameters<typeof mod.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...mod, Worker: RecordedWorker };
});

describe('PGlite in a worker thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ memory: true, thread: true });
    await db.exec(`create table items (
      id int primary key, name text, at timestamptz, tags text[], n bigint, note text)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('round-trips text, int, timestamptz, arrays and null parameters', async () => {
    const at = new Date('2026-03-04T05:06:07.890Z');
    const ins = await db.query('insert into items (id, name, at, tags, n, note) values ($1, $2, $3, $4, $5, $6)', [
      1, 'Tijuana — Ñuñoa', at, ['border', 'cartels', null], 42, null,
    ]);
    expect(ins.affectedRows).toBe(1);
    const { rows } = await db.query<{ id: number; name: string; at: Date; tags: (string | null)[]; n: number; note: null }>(
      'select id, name, at, tags, n, note from items where id = $1',
      [1],
    );
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.id).toBe(1);
    expect(r.name).toBe('Tijuana — Ñuñoa');
    expect(r.at).toBeInstanceOf(Date);
    expect(r.at.toISOString()).toBe(at.toISOString());
    expect(r.tags).toEqual(['border', 'cartels', null]);
    expect(Number(r.n)).toBe(42);
    expect(r.note).toBeNull();

    const arr = await db.query<{ ids: number[] }>('select array_agg(x order by x) as ids from unnest($1::int[]) x', [[3, 1, 2]]);
    expect(arr.rows[0]!.ids).toEqual([1, 2, 3]);
  });

  it('reports affected rows and runs several statements with exec', async () => {
    await db.exec(`insert into items (id, name) values (100, 'a'); insert into items (id, name) values (101, 'b')`);
    const r = await db.query('update items set note = $1 where id >= $2', ['x', 100]);
    expect(r.affectedRows).toBe(2);
    await db.query('delete from items where id >= 100');
  });

  it('surfaces Postgres errors with their code and fields', async () => {
    await db.query('insert into items (id, name) values ($1, $2)', [2, 'first']);
    const err = await db.query('insert into items (id, name) values ($1, $2)', [2, 'again']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const e = err as Error & { code?: string; constraint?: string; detail?: string; severity?: string };
    expect(e.code).toBe('23505');
    expect(e.constraint).toBe('items_pkey');
    expect(e.detail).toContain('(id)=(2)');
    expect(e.severity).toBe('ERROR');
    expect(e.message).toContain('duplicate key');

    const syntax = (await db.query('selec 1').catch((x: unknown) => x)) as Error & { code?: string; position?: string };
    expect(syntax.code).toBe('42601');
    expect(syntax.position).toBeDefined();
    // The connection is still usable afterwards.
    expect((await db.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
  });

  it('commits a transaction', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query('insert into items (id, name) values ($1, $2)', [10, 'ten']);
      // Nested calls reuse the same transaction.
      await tx.transaction(async (inner) => {
        await inner.query('insert into items (id, name) values ($1, $2)', [11, 'eleven']);
      });
      return 'done';
    });
    expect(out).toBe('done');
    const { rows } = await db.query<{ id: number }>('select id from items where id in (10, 11) order by id');
    expect(rows.map((r) => r.id)).toEqual([10, 11]);
  });

  it('rolls a transaction back when it throws', async () => {
    const err = await db
      .transaction(async (tx) => {
        await tx.query('insert into items (id, name) values ($1, $2)', [20, 'twenty']);
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    // A failing statement inside rolls back too, and surfaces its code.
    const dup = await db
      .transaction(async (tx) => {
        await tx.query('insert into items (id, name) values ($1, $2)', [21, 'twenty-one']);
        await tx.query('insert into items (id, name) values ($1, $2)', [2, 'duplicate']);
      })
      .catch((e: unknown) => e);
    expect((dup as { code?: string }).code).toBe('23505');
    const { rows } = await db.query('select id from items where id in (20, 21)');
    expect(rows).toEqual([]);
  });

  it('refuses queries on a transaction handle after it ended', async () => {
    let kept: Db | null = null;
    await db.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.query('select 1')).rejects.toThrow(/transaction is closed/);
  });

  it('holds queries from outside a running transaction until it ends', async () => {
    const order: string[] = [];
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let proceed!: () => void;
    const gate = new Promise<void>((r) => (proceed = r));

    const txDone = db.transaction(async (tx) => {
      await tx.query('insert into items (id, name) values ($1, $2)', [30, 'in tx']);
      entered();
      await gate; // the transaction holds the lock while the outside query is issued
      await tx.query('update items set note = $1 where id = $2', ['updated in tx', 30]);
      order.push('tx end');
    });
    await inside;
    // Issued while the transaction is open: must run after commit, and so see the committed row.
    const outside = db.query<{ note: string | null }>('select note from items where id = $1', [30]).then((r) => {
      order.push('outside');
      return r.rows;
    });
    // Give the outside query every chance to run early (several event-loop turns) before releasing.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    order.push('release');
    proceed();
    await txDone;
    const rows = await outside;
    expect(order).toEqual(['release', 'tx end', 'outside']);
    expect(rows).toEqual([{ note: 'updated in tx' }]);
  });

  it('runs queued transactions one after the other', async () => {
    const log: string[] = [];
    const run = (name: string) =>
      db.transaction(async (tx) => {
        log.push(`${name} begin`);
        await tx.query('select pg_sleep(0.01)');
        log.push(`${name} end`);
      });
    await Promise.all([run('a'), run('b'), run('c')]);
    expect(log).toEqual(['a begin', 'a end', 'b begin', 'b end', 'c begin', 'c end']);
  });

  it('keeps the event loop free during a long query', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from generate_series(1, 3000000)');
      expect(rows[0]!.n).toBe(3_000_000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('starts with the smaller shared buffer pool', async () => {
    const { rows } = await db.query<{ s: string }>("select current_setting('shared_buffers') as s");
    expect(rows[0]!.s).toBe('8MB');
  });

  it('rejects a parameter that cannot cross the thread boundary without losing the connection', async () => {
    await expect(db.query('select $1', [() => 1])).rejects.toThrow();
    expect((await db.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
  });

  // Last in this block: it takes the shared database down.
  it('fails pending and later queries when the thread reports an uncaught error', async () => {
    const worker = started[0]!; // this block's database, the first opened in this file
    const long = db.query('select count(*) from generate_series(1, 50000000)');
    worker.emit('error', new Error('simulated crash'));
    await expect(long).rejects.toThrow(/PGlite worker thread crashed: simulated crash/);
    await expect(db.query('select 1')).rejects.toThrow(/not running/);
  });
});

describe('PGlite thread lifecycle', () => {
  it('keeps data in a data dir across a close and reopen, with a schema', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-thread-'));
    try {
      const a = await openDb({ dataDir: dir, schema: 'app' });
      await a.exec('create table notes (body text)');
      await a.query('insert into notes values ($1)', ['kept']);
      await a.close();
      await a.close(); // twice is harmless
      await expect(a.query('select 1')).rejects.toThrow(/closed/);

      const b = await openDb({ dataDir: dir, schema: 'app' });
      const { rows } = await b.query<{ body: string; s: string }>('select body, current_schema() as s from notes');
      expect(rows).toEqual([{ body: 'kept', s: 'app' }]);
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects pending and later queries with a clear error when the thread dies', async () => {
    const before = started.length;
    const db = await openDb({ memory: true });
    expect(started.length).toBe(before + 1);
    const worker = started[started.length - 1]!;
    const long = db.query('select count(*) from generate_series(1, 50000000)');
    await worker.terminate();
    await expect(long).rejects.toThrow(/PGlite worker thread exited/);
    await expect(db.query('select 1')).rejects.toThrow(/PGlite worker thread is not running/);
    await expect(db.transaction(async (tx) => tx.query('select 1'))).rejects.toThrow(/not running/);
    await db.close(); // resolves: nothing left to close
  });

  it('can still run in-process with thread: false', async () => {
    const db = await openDb({ memory: true, thread: false });
    const { rows } = await db.query<{ s: string }>("select current_setting('shared_buffers') as s");
    expect(rows[0]!.s).toBe('8MB');
    await db.close();
  });
});
