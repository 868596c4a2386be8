import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryCopy, copyOrInsert } from '../../src/store/copy.ts';
import { openDb, type Db } from '../../src/store/db.ts';

describe('binary COPY', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ memory: true });
    await db.exec(`create table t (s text, n int, b boolean, at timestamptz, list text[])`);
    await db.exec(`create table u (k text primary key, n int)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('writes every supported type, nulls included, as PostgreSQL reads it back', async () => {
    const rows = [
      ['tab\there "q" back\\slash\nline é ñ 😀', -42, true, new Date('1999-12-31T23:59:59.123Z'), ['a,b', '{x}', 'NULL', '', null]],
      [null, null, null, null, null],
      ['', 2 ** 31 - 1, false, new Date('2026-11-22T10:00:00.5Z'), []],
      ['nul\0dropped', 0, false, new Date(0), ['x\0y']],
    ];
    await db.copyIn!('copy t (s, n, b, at, list) from \'/dev/blob\' with (format binary)', binaryCopy(['text', 'int4', 'bool', 'timestamptz', 'text[]'], rows));
    const { rows: got } = await db.query<{ s: string | null; n: number | null; b: boolean | null; at: Date | null; list: Array<string | null> | null }>(
      'select s, n, b, at, list from t order by n nulls last',
    );
    expect(got).toEqual([
      { s: 'tab\there "q" back\\slash\nline é ñ 😀', n: -42, b: true, at: new Date('1999-12-31T23:59:59.123Z'), list: ['a,b', '{x}', 'NULL', '', null] },
      { s: 'nuldropped', n: 0, b: false, at: new Date(0), list: ['xy'] },
      { s: '', n: 2 ** 31 - 1, b: false, at: new Date('2026-11-22T10:00:00.5Z'), list: [] },
      { s: null, n: null, b: null, at: null, list: null },
    ]);
  });

  it('refuses a value that does not fit its column, naming what it got', () => {
    expect(() => binaryCopy(['int4'], [[1.5]])).toThrow(/32-bit integer/);
    expect(() => binaryCopy(['int4'], [[2 ** 31]])).toThrow(/32-bit integer/);
    expect(() => binaryCopy(['timestamptz'], [[new Date('nope')]])).toThrow(/valid Date/);
    expect(() => binaryCopy(['text'], [[7]])).toThrow(/string/);
    expect(() => binaryCopy(['text', 'text'], [['one']])).toThrow(/1 fields, the columns 2/);
  });

  it('copies new rows and leaves rows that meet existing keys to the fallback insert', async () => {
    const insertSql = (rows: Array<[string, number]>) => () =>
      db.query('insert into u (k, n) select * from unnest($1::text[], $2::int[]) on conflict (k) do update set n = excluded.n', [rows.map((r) => r[0]), rows.map((r) => r[1])]);
    const first: Array<[string, number]> = [['a', 1], ['b', 2]];
    expect(await copyOrInsert(db, 'u (k, n)', ['text', 'int4'], first, insertSql(first))).toBe(true);
    const again: Array<[string, number]> = [['b', 20], ['c', 3]];
    expect(await copyOrInsert(db, 'u (k, n)', ['text', 'int4'], again, insertSql(again))).toBe(false);
    const { rows } = await db.query<{ k: string; n: number }>('select k, n from u order by k');
    expect(rows).toEqual([{ k: 'a', n: 1 }, { k: 'b', n: 20 }, { k: 'c', n: 3 }]);
  });

  it('uses the insert alone where the database has no COPY (a PostgreSQL server), and nothing for no rows', async () => {
    const calls: string[] = [];
    expect(await copyOrInsert({}, 'u (k, n)', ['text', 'int4'], [['z', 1]], async () => calls.push('insert'))).toBe(false);
    expect(await copyOrInsert({}, 'u (k, n)', ['text', 'int4'], [], async () => calls.push('never'))).toBe(false);
    expect(calls).toEqual(['insert']);
  });

  it('passes on errors other than a key conflict', async () => {
    await expect(copyOrInsert(db, 'missing_table (k)', ['text'], [['x']], async () => 'unused')).rejects.toThrow(/missing_table/);
  });
});
