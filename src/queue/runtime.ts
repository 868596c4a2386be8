/**
 * BullMQ as transport only: queues to add jobs, workers that call the plain job functions.
 * Each feed's next poll is its own delayed job, keyed by feed and time, so adding it twice is harmless.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../errors.ts';
import type { JobDefinition, JobSink } from '../../jobs/types.ts';
import type { Logger } from '../log.ts';
import { connectRedis } from './connection.ts';

export interface QueueRuntimeOptions {
  redisUrl: string;
  /** Key prefix; tests use one per run so queues never collide. */
  prefix?: string;
  logger: Logger;
}

export interface QueueRuntime extends JobSink {
  /** Starts a worker that runs `def.process` with the given deps for each job. */
  work<D, P, R>(def: JobDefinition<D, P, R>, deps: D, opts?: { concurrency?: number; summarize?: (r: R) => unknown }): Worker;
  queue(name: string): Queue;
  /** Adds many jobs in one round trip (scheduler reconciliation). */
  addBulk(name: string, jobs: Array<{ payload: unknown; delayMs?: number; jobId?: string; attempts?: number }>): Promise<void>;
  ping(): Promise<boolean>;
  /** Stops workers (letting running jobs finish) and closes connections. */
  close(): Promise<void>;
}

/** Builds queues and workers over one Redis. */
export function createQueueRuntime(opts: QueueRuntimeOptions): QueueRuntime {
  const producer = connectRedis(opts.redisUrl, 'producer');
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];
  const prefix = opts.prefix ?? 'frontera';

  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: producer,
        prefix,
        defaultJobOptions: {
          // Completed and failed jobs are removed so the same scheduled id can be added again later;
          // outcomes worth keeping live in PostgreSQL, not in Redis.
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1_000 },
        },
      });
      queues.set(name, q);
    }
    return q;
  };

  return {
    queue,
    async add(name, payload, o) {
      await queue(name).add(name, payload, {
        delay: Math.max(0, o?.delayMs ?? 0), jobId: o?.jobId, ...(o?.attempts ? { attempts: o.attempts } : {}),
      });
    },
    async addBulk(name, jobs) {
      if (jobs.length === 0) return;
      await queue(name).addBulk(
        jobs.map((j) => ({
          name, data: j.payload,
          opts: { delay: Math.max(0, j.delayMs ?? 0), jobId: j.jobId, ...(j.attempts ? { attempts: j.attempts } : {}) },
        })),
      );
    },
    work(def, deps, o) {
      const connection = connectRedis(opts.redisUrl, 'worker');
      workerConnections.push(connection);
      const worker = new Worker(
        def.name,
        async (job: Job) => {
          const parsed = def.payload.safeParse(job.data);
          // A malformed payload will never succeed: fail it without retries.
          if (!parsed.success) throw new UnrecoverableError(`bad ${def.name} payload: ${parsed.error.message}`);
          try {
            const result = await def.process(deps, parsed.data);
            return o?.summarize ? o.summarize(result) : null;
          } catch (err) {
            const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
            if (final && def.onFinalFailure) {
              await def.onFinalFailure(deps, parsed.data, err).catch((e) =>
                opts.logger.error({ job: def.name, err: describeError(e) }, 'recording a final failure failed'),
              );
            }
            throw err;
          }
        },
        { connection, prefix, concurrency: o?.concurrency ?? def.concurrency, autorun: true },
      );
      worker.on('failed', (job, err) => {
        opts.logger.error({ job: def.name, id: job?.id, attempts: job?.attemptsMade, err: describeError(err) }, 'job failed');
      });
      worker.on('error', (err) => opts.logger.warn({ job: def.name, err: describeError(err) }, 'worker error'));
      workers.push(worker);
      return worker;
    },
    async ping() {
      try {
        // The producer fails fast while disconnected; give a fresh connection a moment to come up.
        if (producer.status !== 'ready') await waitReady(producer, 2_000);
        return (await producer.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all(workerConnections.map((c) => c.quit().catch(() => c.disconnect())));
      await producer.quit().catch(() => producer.disconnect());
    },
  };
}

function waitReady(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error('Redis not ready'));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
