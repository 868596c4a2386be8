import { PassThrough, Writable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, runCommand, runCommandLine } from '../../commands/index.ts';
import type { Command, CommandDeps, Reply } from '../../commands/types.ts';
import { dbOf, fitReply } from '../../commands/util.ts';
import { renderReply } from '../../src/chat/console/render.ts';
import { runConsole } from '../../src/cli/console.ts';
import { loadBeatPack } from '../../src/kb/pack.ts';
import { createLogger } from '../../src/log.ts';
import { openDb } from '../../src/store/db.ts';
import { createStores, type Stores } from '../../src/store/index.ts';
import { migrate } from '../../src/store/migrate.ts';
import { caller } from './seed.ts';

let stores: Stores;
let deps: CommandDeps;
const logged: string[] = [];

beforeAll(async () => {
  const db = await openDb({ memory: true });
  await migrate(db);
  stores = createStores(db);
  const sink = new Writable({ write(chunk, _enc, done) { logged.push(String(chunk)); done(); } });
  const logger = createLogger({ level: 'warn', destination: sink as never });
  deps = { stores, pack: loadBeatPack(), logger, now: () => new Date('2026-03-10T12:00:00Z'), queryTimeoutMs: 2000 };
});
afterAll(async () => {
  await stores.db.close();
});

const ask = (line: string) => runCommandLine(line, caller, deps);

/** Runs `fn` with an extra command in the list (admin gate, error boundary, time limit need one). */
async function withCommand<T>(c: Command, fn: () => Promise<T>): Promise<T> {
  commands.push(c);
  try {
    return await fn();
  } finally {
    commands.splice(commands.indexOf(c), 1);
  }
}
const extra = (name: string, run: Command['run'], adminOnly = false): Command => ({
  name, description: name, usage: `/${name}`, options: [], adminOnly, parse: () => ({}), run,
});

describe('bad input gets a helpful reply, never an exception', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /Type a command/],
    ['   ', /Type a command/],
    [`/search ${'a'.repeat(520)}`, /under 500/],
    ['/brief Shein\u0007baum', /control/],
    ['/brief Sheinbaum\nrm -rf', /control/],
    ['/search \u202Eevil', /control/],
    ['/brief <script>alert(1)</script>', /markup/],
    ['/brief @everyone', /markup/],
    ['/search [click](https://evil.example)', /markup/],
    ["/search ' or 1=1 --", /database code/],
    ['/search x; drop table articles', /database code/],
    ['/search select * from articles', /database code/],
    ['/nosuch', /No command/],
    ['/brif Sheinbaum', /Did you mean \/brief/],
    ['/brief', /Tell me who/],
    ['/timeline Sheinbaum page zero', /page number/],
    ['/story ../../etc/passwd', /not a story id/],
    ['%%%', /start with a name/],
  ];
  for (const [line, message] of cases) {
    it(JSON.stringify(line.slice(0, 40)), async () => {
      const r = await ask(line);
      expect(r.kind).toBe('error');
      expect(`${r.title} ${r.text ?? ''}`).toMatch(message);
    });
  }

  it('checks typed arguments too (Discord options skip the line parser)', async () => {
    const r = await runCommand('brief', { name: '<@U123> hi' }, caller, deps);
    expect(r.kind).toBe('error');
    expect(r.text).toMatch(/markup/);
  });

  it('lets ordinary names with apostrophes, accents and dashes through', async () => {
    expect((await ask("/search O'Rourke")).kind).not.toBe('error');
    expect((await ask('/search México-EE.UU. "fuerza de tarea" -drones')).kind).not.toBe('error');
  });
});

describe('dispatcher', () => {
  it('refuses admin-only commands to others and runs them for admins', async () => {
    const c = extra('purge', async () => ({ kind: 'answer', title: 'purged', sections: [], ephemeral: true }), true);
    await withCommand(c, async () => {
      expect((await ask('/purge')).title).toMatch(/for admins/);
      expect((await runCommandLine('/purge', { ...caller, isAdmin: true }, deps)).title).toBe('purged');
    });
  });

  it('turns an unexpected failure into a polite reply and logs it', async () => {
    const c = extra('broken', async ({ deps: d }) => {
      await dbOf(d).query('select * from no_such_table');
      return { kind: 'answer', title: 'unreachable', sections: [], ephemeral: true };
    });
    const r = await withCommand(c, () => ask('/broken'));
    expect(r.kind).toBe('error');
    expect(r.title).toMatch(/Sorry/);
    expect(r.text).not.toMatch(/no_such_table/);
    expect(logged.join('')).toMatch(/command failed/);
  });

  it('cuts a slow query at the time limit with a polite reply', async () => {
    const c = extra('slow', async ({ deps: d }) => {
      await dbOf(d).query('select pg_sleep(0.6)');
      return { kind: 'answer', title: 'too late', sections: [], ephemeral: true };
    });
    const r = await withCommand(c, () => runCommandLine('/slow', caller, { ...deps, queryTimeoutMs: 100 }));
    expect(r.kind).toBe('error');
    expect(r.title).toBe('That took too long');
  });
});

describe('replies respect platform limits', () => {
  it('caps sections, fields and text per section', () => {
    const huge: Reply = {
      kind: 'answer', title: 'x'.repeat(400), ephemeral: true,
      sections: Array.from({ length: 14 }, (_, i) => ({
        heading: `s${i}`,
        fields: Array.from({ length: 5 }, (_, j) => ({ name: `f${j}`, value: 'v'.repeat(2000) })),
        lines: Array.from({ length: 60 }, (_, j) => ({ text: `line ${j} ${'w'.repeat(200)}`, links: [{ url: 'https://example.com/a', label: 'src' }] })),
      })),
    };
    const r = fitReply(huge);
    expect(r.sections).toHaveLength(10);
    expect(r.sections.flatMap((s) => s.fields ?? []).length).toBeLessThanOrEqual(25);
    for (const s of r.sections) {
      const size = (s.lines ?? []).reduce((n, l) => n + l.text.length + (l.links ?? []).reduce((m, k) => m + k.url.length + k.label.length, 0), 0);
      expect(size).toBeLessThanOrEqual(3000);
      expect(s.lines!.at(-1)!.text).toMatch(/more not shown/);
    }
  });
});

describe('console', () => {
  it('renders replies as plain text without terminal control sequences', () => {
    const text = renderReply({
      kind: 'answer', title: 'T\u001b[2J', text: 'lead', ephemeral: true,
      sections: [{ heading: 'H', lines: [{ text: 'a\u001b]0;x\u0007 b', date: '2026-02-22T10:00:00.000Z', links: [{ url: 'javascript:alert(1)', label: 'x' }, { url: 'https://ok.example/', label: 'ok' }], learned: true }] }],
      page: { index: 1, count: 2, next: '/latest page 2' },
    });
    expect(text).not.toMatch(/\u001b|\u0007|javascript:/);
    expect(text).toContain('2026-02-22');
    expect(text).toContain('(learned)');
    expect(text).toContain('<ok: https://ok.example/>');
    expect(text).toContain('next: /latest page 2');
  });

  it('runs commands from a prompt, keeps history in a file, and leaves on exit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-console-'));
    const historyFile = path.join(dir, 'console_history');
    fs.writeFileSync(historyFile, '/help\n');
    const input = new PassThrough();
    let output = '';
    const sink = new Writable({ write(chunk, _enc, done) { output += String(chunk); done(); } });
    const done = runConsole(deps, { input, output: sink, historyFile });
    input.write('/brief mencho\n/nosuch\nexit\n/never run\n');
    expect(await done).toBe(0);
    expect(output).toContain('Nemesio Rubén Oseguera Cervantes');
    expect(output).toContain('No command "/nosuch"');
    expect(output).not.toContain('never run');
    expect(fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean)).toEqual(['/help', '/brief mencho', '/nosuch']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops at the end of input (Ctrl-D) after answering what was typed', async () => {
    const input = new PassThrough();
    let output = '';
    const sink = new Writable({ write(chunk, _enc, done) { output += String(chunk); done(); } });
    const done = runConsole(deps, { input, output: sink, historyFile: null });
    input.end('/help brief\n');
    expect(await done).toBe(0);
    expect(output).toContain('/brief <actor|topic>');
  });
});

describe('frontera ask output', () => {
  it('prints the reply as text, or the JSON contract, and exits 2 for an error reply', async () => {
    const { runAsk } = await import('../../src/cli/ask.ts');
    const lines: string[] = [];
    const out = { line: (t: string) => lines.push(t), err: () => {} };
    expect(await runAsk(deps, '/help', { json: false }, out)).toBe(0);
    expect(lines[0]).toMatch(/^Frontera: what I can answer/);
    expect(await runAsk(deps, '/nosuch', { json: true }, out)).toBe(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ ephemeral: true, reply: { kind: 'error' } });
  });
});
