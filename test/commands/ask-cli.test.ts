import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { Out } from '../../src/cli/output.ts';
import { silentLogger } from '../../src/log.ts';

function capture(): Out & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, line: (t) => lines.push(t), err: (t) => errs.push(t) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-ask-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('frontera ask', () => {
  it('--json prints {"text","ephemeral","reply"} for any command line', async () => {
    const out = capture();
    const code = await main(['ask', '/brief sheinbaun', '--json', '--data-dir', dir], { env: {}, out, logger: silentLogger() });
    expect(code).toBe(0);
    expect(out.lines).toHaveLength(1);
    const doc = JSON.parse(out.lines[0]!);
    expect(Object.keys(doc)).toEqual(['text', 'ephemeral', 'reply']);
    expect(doc.ephemeral).toBe(true);
    expect(doc.reply).toMatchObject({ kind: 'answer', title: 'Claudia Sheinbaum Pardo' });
    expect(doc.text).toContain('Claudia Sheinbaum Pardo');
    expect(doc.text).toContain('President of Mexico');
  });

  it('asks for a command line when none is given', async () => {
    const out = capture();
    expect(await main(['ask', '--data-dir', dir], { env: {}, out, logger: silentLogger() })).toBe(64);
    expect(out.errs.join('\n')).toMatch(/frontera ask "\/brief Sheinbaum"/);
  });
});
