/**
 * Database backends for repository tests: embedded PGlite always, and a PostgreSQL server when
 * TEST_DATABASE_URL is set. Each test file gets its own in-memory PGlite or its own server schema.
 */
import { randomBytes } from 'node:crypto';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createStores, type Stores } from '../../src/store/index.ts';

export interface Backend {
  name: string;
  open(): Promise<Stores>;
}

/** The backends this run can test. */
export function backends(): Backend[] {
  const list: Backend[] = [
    {
      name: 'pglite',
      async open() {
        const db = await openDb({ memory: true });
        await migrate(db);
        return createStores(db);
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push({
      name: 'postgres',
      async open() {
        const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
        const db = await openDb({ databaseUrl: url, schema });
        await migrate(db);
        const stores = createStores(db);
        const close = db.close.bind(db);
        // Drop the schema on close so runs leave nothing behind on the shared server.
        stores.db.close = async () => {
          await db.query(`drop schema if exists "${schema}" cascade`);
          await close();
        };
        return stores;
      },
    });
  }
  return list;
}

/** Empties every table between tests. */
export async function truncateAll(stores: Stores): Promise<void> {
  const { rows } = await stores.db.query<{ tablename: string }>(
    `select tablename from pg_tables where schemaname = current_schema() and tablename <> 'schema_migrations'`,
  );
  if (rows.length === 0) return;
  await stores.db.exec(`truncate ${rows.map((r) => `"${r.tablename}"`).join(', ')} restart identity cascade`);
}
