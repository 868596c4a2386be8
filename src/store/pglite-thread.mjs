/**
 * Embedded PGlite, opened the same way in-process and in a worker thread.
 *
 * Plain JavaScript on purpose: a worker_threads Worker does not inherit the tsx loader that
 * bin/frontera.js registers on the main thread, so this file imports packages only, never .ts.
 *
 * Imported from the main thread it only exports `createPglite` (the in-process mode). Started as a
 * worker by src/store/db.ts it opens the database from `workerData` and answers requests
 * {id, op: 'query'|'exec'|'copy'|'begin'|'commit'|'rollback'|'close', sql, params} with {id, rows, affectedRows}
 * or {id, error}, one at a time in arrival order. The first message it sends is {id: 0, ready: true}
 * or {id: 0, error} when the database could not be opened.
 */
import fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** Added to PGlite's defaults: a small shared buffer pool (8 MB; its 128MB default is sized for a server, and the pool is resident memory). */
export const EXTRA_START_PARAMS = ['-c', 'shared_buffers=8MB'];

/** Marks the workerData db.ts sends, so importing this file anywhere else never starts the loop. */
export const WORKER_TAG = 'frontera-pglite-thread';

/**
 * Opens PGlite with the extensions the schema uses. `dir` is the data directory (created if
 * missing); without it the database lives in memory. With `schema`, every table goes there.
 */
export async function createPglite({ dir, schema } = {}) {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir, {
    extensions: { pg_trgm, unaccent },
    startParams: [...PGlite.defaultStartParams, ...EXTRA_START_PARAMS],
  });
  if (schema) {
    const q = `"${String(schema).replace(/"/g, '""')}"`;
    await pg.exec(`create schema if not exists ${q}; set search_path to ${q}, public`);
  }
  return pg;
}

// Postgres error fields (pg-protocol's DatabaseError) worth carrying across the thread boundary.
const ERROR_FIELDS = [
  'name', 'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine', 'query',
];

/** A structured-clone-safe copy of an error: message, stack and the Postgres fields that are set. */
export function serializeError(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const out = { message: err.message, stack: err.stack };
  for (const k of ERROR_FIELDS) {
    const v = err[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

async function serve(port, opts) {
  let pg;
  try {
    pg = await createPglite(opts);
  } catch (err) {
    port.postMessage({ id: 0, error: serializeError(err) });
    port.close();
    return;
  }
  port.postMessage({ id: 0, ready: true });

  async function handle(req) {
    const { id, op } = req;
    try {
      switch (op) {
        case 'query': {
          const r = await pg.query(req.sql, req.params);
          port.postMessage({ id, rows: r.rows, affectedRows: r.affectedRows ?? 0 });
          return;
        }
        case 'copy': {
          // COPY ... FROM '/dev/blob' reads the blob; params carry the data as one string.
          const r = await pg.query(req.sql, [], { blob: new Blob([req.params[0]]) });
          port.postMessage({ id, rows: [], affectedRows: r.affectedRows ?? 0 });
          return;
        }
        case 'exec':
          await pg.exec(req.sql);
          break;
        case 'begin':
        case 'commit':
        case 'rollback':
          await pg.exec(op);
          break;
        case 'close':
          await pg.close();
          port.postMessage({ id, rows: [], affectedRows: 0 });
          port.close();
          return;
        default:
          throw new Error(`unknown op ${String(op)}`);
      }
      port.postMessage({ id, rows: [], affectedRows: 0 });
    } catch (err) {
      // Also reached when a result cannot be cloned: the caller still gets an answer.
      port.postMessage({ id, error: serializeError(err) });
    }
  }

  // Strictly one request at a time, in the order they were posted: the main thread relies on it
  // (a query posted before 'begin' runs before the transaction starts).
  let chain = Promise.resolve();
  port.on('message', (req) => {
    chain = chain.then(() => handle(req));
  });
}

if (!isMainThread && parentPort && workerData?.tag === WORKER_TAG) {
  await serve(parentPort, { dir: workerData.dir, schema: workerData.schema });
}
