/**
 * One process per data dir. The embedded database and the private redis-server keep their files in the
 * data dir; two processes opening them at once would overwrite each other's writes. The lock file holds
 * the owner's pid; a lock left by a process that no longer runs is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FronteraError } from '../errors.ts';

const held = new Map<string, () => void>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data dir for this process (idempotent within a process); returns the release function. */
export function lockDataDir(dir: string): () => void {
  const abs = path.resolve(dir);
  const existing = held.get(abs);
  if (existing) return existing;
  fs.mkdirSync(abs, { recursive: true });
  const file = path.join(abs, 'frontera.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => {
        held.delete(abs);
        process.off('exit', release);
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      held.set(abs, release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new FronteraError(
          'data_dir_in_use',
          `Another Frontera process (pid ${pid}) is using the data dir ${abs}. Stop it first, or run both against ` +
            'a PostgreSQL server and a Redis server (DATABASE_URL and REDIS_URL) so several processes can share them.',
        );
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new FronteraError('data_dir_in_use', `Could not take the lock on ${abs}.`);
}
