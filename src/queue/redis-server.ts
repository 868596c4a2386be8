/**
 * A private redis-server owned by this process, for when REDIS_URL is not set: persistence on
 * (append-only file in the data dir), bound to loopback on a free port, stopped when we stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FronteraError } from '../errors.ts';

export interface ManagedRedis {
  url: string;
  port: number;
  /** Stops the server (SHUTDOWN via SIGTERM, which flushes the append-only file). */
  stop(): Promise<void>;
}

/** Finds the redis-server binary, or explains how to get one. */
export function findRedisServer(bin = process.env.FRONTERA_REDIS_SERVER ?? 'redis-server'): string {
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new FronteraError(
      'redis_missing',
      'No Redis available: REDIS_URL is not set and `redis-server` was not found on PATH. ' +
        'Install the redis-server package (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) ' +
        'or set REDIS_URL=redis://host:6379.',
    );
  }
  return bin;
}

/** Asks the OS for a free TCP port on loopback. (`--port 0` would disable TCP in redis-server.) */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts redis-server with its files under `dir`; resolves once it accepts connections. */
export async function startRedisServer(dir: string, opts: { persist?: boolean } = {}): Promise<ManagedRedis> {
  const bin = findRedisServer();
  fs.mkdirSync(dir, { recursive: true });
  killStale(dir);
  const port = await freePort();
  const persist = opts.persist ?? true;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--pidfile', path.join(dir, 'redis.pid'),
    '--logfile', path.join(dir, 'redis.log'),
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    '--appendonly', persist ? 'yes' : 'no',
    '--save', persist ? '60 1' : '',
    // BullMQ needs keys to never be evicted.
    '--maxmemory-policy', 'noeviction',
  ];
  const child = spawn(bin, args, { stdio: 'ignore' });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    process.off('exit', onExit);
    const log = safeRead(path.join(dir, 'redis.log')).split('\n').slice(-5).join('\n');
    throw new FronteraError('redis_start', `redis-server did not start: ${(err as Error).message}\n${log}`, { cause: err });
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child, onExit),
  };
}

function stopChild(child: ChildProcess, onExit: () => void): Promise<void> {
  process.off('exit', onExit);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// A previous run killed with SIGKILL can leave its private server running on the same files.
function killStale(dir: string): void {
  const pidFile = path.join(dir, 'redis.pid');
  const pid = Number(safeRead(pidFile).trim());
  if (!pid) return;
  try {
    // redis-server rewrites its title but chdirs into --dir, so the cwd tells us it is ours.
    const cmd = safeRead(`/proc/${pid}/cmdline`);
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    if (cmd.includes('redis-server') && path.resolve(cwd) === path.resolve(dir)) process.kill(pid, 'SIGTERM');
  } catch {
    // Not running any more.
  }
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`exited with code ${child.exitCode}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`no answer on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
