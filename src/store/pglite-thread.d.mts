/** Types for pglite-thread.mjs (plain JavaScript so a worker thread can load it without tsx). */
import type { PGlite } from '@electric-sql/pglite';

export declare const EXTRA_START_PARAMS: string[];
export declare const WORKER_TAG: string;

/** Opens PGlite (pg_trgm, unaccent; shared_buffers=32MB) in `dir`, or in memory without it. */
export declare function createPglite(opts?: { dir?: string; schema?: string }): Promise<PGlite>;

export interface SerializedError {
  message: string;
  stack?: string;
  name?: string;
  code?: string;
  [field: string]: string | number | undefined;
}

export declare function serializeError(err: unknown): SerializedError;
