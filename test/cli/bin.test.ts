import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src/heap.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/frontera.js', import.meta.url);

describe('the frontera command', () => {
  it('starts Node with the options src/heap.ts documents (its shebang repeats them)', () => {
    const shebang = fs.readFileSync(BIN, 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });

  it('runs through its shebang, as npx runs it', async () => {
    const { stdout } = await run(BIN.pathname, ['--help']);
    expect(stdout).toContain('frontera');
  });

  it('keeps the young generation small under churn with those options, where the default grows it', async () => {
    const churn = "const v8 = require('node:v8'); let a = []; for (let i = 0; i < 3e6; i++) { a.push({ i }); if (a.length > 2e5) a = []; }"
      + " console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
    const small = await run(process.execPath, [...NODE_FLAGS, '-e', churn]);
    const plain = await run(process.execPath, ['-e', churn]);
    expect(Number(small.stdout.trim())).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(Number(plain.stdout.trim())).toBeGreaterThan(8 * 1024 * 1024);
  });
});
