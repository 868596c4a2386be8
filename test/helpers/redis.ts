/** A private redis-server per test file (no persistence), and a unique queue prefix per test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startRedisServer, type ManagedRedis } from '../../src/queue/redis-server.ts';

export interface TestRedis extends ManagedRedis {
  dir: string;
}

/** Starts a throwaway redis-server in a temp dir. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-redis-'));
  const r = await startRedisServer(dir, { persist: false });
  return {
    ...r,
    dir,
    async stop() {
      await r.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A queue key prefix no other test uses. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}
