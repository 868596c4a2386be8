/** The shape every job file exports: a name, a payload schema and one function over injected deps. */
import type { z } from 'zod';

export interface JobDefinition<Deps, Payload, Result = unknown> {
  name: string;
  payload: z.ZodType<Payload>;
  /** Concurrency a worker gives this job by default. */
  concurrency: number;
  /** Attempts before a job is failed for good (transient errors retry with backoff). */
  attempts: number;
  process(deps: Deps, payload: Payload): Promise<Result>;
  /** Called once when the last attempt failed with an exception, so the failure is recorded somewhere durable. */
  onFinalFailure?(deps: Deps, payload: Payload, err: unknown): Promise<void>;
}

/** Adds jobs; the BullMQ queue in production, a direct call in-process (CLI, tests). */
export interface JobSink {
  add(name: string, payload: unknown, opts?: { delayMs?: number; jobId?: string; attempts?: number }): Promise<void>;
}
