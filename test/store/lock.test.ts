import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/store/lock.ts';

describe('data dir lock', () => {
  it('refuses a second live process and takes over a stale lock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-lock-'));
    // A live process "owns" the dir.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, 'frontera.lock'), String(child.pid));
    expect(() => lockDataDir(dir)).toThrow(/Another Frontera process \(pid \d+\).*DATABASE_URL and REDIS_URL/s);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Its owner is gone: the lock is taken over, and released on request.
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'frontera.lock'), 'utf8')).toBe(String(process.pid));
    expect(lockDataDir(dir)).toBe(release);
    release();
    expect(fs.existsSync(path.join(dir, 'frontera.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
