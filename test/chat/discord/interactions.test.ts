/**
 * Slash commands end to end: the real discord.js Client logs in to the fake (REST /gateway/bot, then
 * the WebSocket gateway: HELLO, IDENTIFY, READY, GUILD_CREATE), receives INTERACTION_CREATE and answers
 * through the interaction callback and webhook routes. The real command list and dispatcher answer
 * /brief and /help from the beat pack; a few commands defined here exercise deferral, paging and failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands as realCommands, runCommand } from '../../../commands/index.ts';
import type { Caller, Command, CommandArgs, CommandDeps, Reply } from '../../../commands/types.ts';
import { startDiscord, type DiscordSurface } from '../../../src/chat/discord/index.ts';
import { visibleText } from '../../../src/chat/discord/escape.ts';
import { completeNames } from '../../../src/kb/lookup.ts';
import { createNameIndex } from '../../../src/kb/names.ts';
import { loadBeatPack } from '../../../src/kb/pack.ts';
import type { Stores } from '../../../src/store/index.ts';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../../fakes/discord.ts';
import { backends } from '../../helpers/db.ts';
import { HOSTILE, memoryLogger } from './helpers.ts';

const STRING = 3;
const EPHEMERAL = 64;

/** Releases the `slow` command; set per test. */
let release: (() => void) | null = null;

function command(name: string, run: (args: CommandArgs, caller: Caller) => Promise<Reply> | Reply, options: Command['options'] = []): Command {
  return { name, description: `test ${name}`, usage: `/${name}`, options, parse: () => ({}), run: async (ctx) => run(ctx.args, ctx.caller) };
}

// Commands that exist only in this test, each computing its answer from its input.
const testCommands: Command[] = [
  command('echo', (args) => ({
    kind: 'answer', title: String(args.text), text: String(args.text), ephemeral: args.public !== true,
    sections: [{ heading: 'You said', lines: [{ text: String(args.text), links: [{ label: String(args.text), url: 'https://news.example/a' }] }] }],
  }), [
    { name: 'text', description: 'anything', type: 'string', required: true },
    { name: 'public', description: 'show to the channel', type: 'boolean' },
  ]),
  command('whoami', (_args, caller) => ({
    kind: 'answer', title: 'You', ephemeral: true,
    sections: [{ fields: [{ name: 'admin', value: String(caller.isAdmin) }, { name: 'channel', value: caller.channelId }, { name: 'workspace', value: caller.workspaceId }, { name: 'user', value: caller.userId }] }],
  })),
  command('slow', async (args) => {
    await new Promise<void>((resolve) => (release = resolve));
    return { kind: 'answer', title: 'Finally', text: 'done', ephemeral: args.public !== true, sections: [] };
  }, [{ name: 'public', description: 'show to the channel', type: 'boolean' }]),
  command('long', (args) => {
    const n = Number(args.count);
    const lines = Array.from({ length: n }, (_, i) => ({ text: `Item ${i + 1}: ${'report text '.repeat(20)}`, links: [{ label: `Outlet ${i + 1}`, url: `https://news.example/${i + 1}` }] }));
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i + 1}`, value: i === 0 ? 'v'.repeat(1500) : `value ${i + 1}` }));
    return { kind: 'answer', title: 'A long answer', ephemeral: true, sections: [{ heading: 'Items', lines }, { heading: 'Facts', fields }] };
  }, [{ name: 'count', description: 'how many', type: 'integer', required: true }]),
  command('broken', () => {
    throw new Error('database went away');
  }),
];

let fake: FakeDiscord;
let surface: DiscordSurface;
let stores: Stores;
const log = memoryLogger();

beforeAll(async () => {
  fake = await startFakeDiscord();
  stores = await backends()[0]!.open();
  const pack = loadBeatPack();
  const names = createNameIndex(pack);
  const deps: CommandDeps = { stores, pack, logger: log.logger, now: () => new Date('2026-11-22T08:00:00Z'), queryTimeoutMs: 10_000 };
  const own = new Map(testCommands.map((c) => [c.name, c]));
  surface = await startDiscord({
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    commands: [...realCommands, ...testCommands],
    run: (name, args, caller) => (own.has(name) ? own.get(name)!.run({ args, caller, deps }) : runCommand(name, args, caller, deps)),
    complete: async (kind, prefix) => completeNames(prefix, names, kind),
    logger: log.logger,
    deferAfterMs: 400,
  });
});

afterAll(async () => {
  await surface?.stop();
  await fake?.close();
  await stores?.db.close();
});

/** The answer as the user sees it, whether it came at once or after a deferral. */
async function answer(it: FakeInteraction): Promise<{ embeds: any[]; ephemeral: boolean; deferred: boolean }> {
  await fake.waitFor(() => it.responses.some((r) => r.kind === 'callback' && r.type === 4) || it.responses.some((r) => r.kind === 'edit-original' || r.kind === 'followup'), `answer to ${it.id}`);
  const cb = it.responses.find((r) => r.kind === 'callback')!;
  if (cb.type === 4) return { embeds: cb.data.embeds, ephemeral: (cb.data.flags & EPHEMERAL) !== 0, deferred: false };
  const edit = it.responses.find((r) => r.kind === 'edit-original');
  if (edit) return { embeds: edit.data.embeds, ephemeral: (cb.data.flags & EPHEMERAL) !== 0, deferred: true };
  const follow = it.responses.find((r) => r.kind === 'followup')!;
  return { embeds: follow.data.embeds, ephemeral: (follow.data.flags & EPHEMERAL) !== 0, deferred: true };
}

describe('Discord slash commands', () => {
  it('logs in through /gateway/bot and identifies with the token and the Guilds intent only', () => {
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    expect(fake.gateway.identifies[0]).toMatchObject({ token: fake.token, intents: 1 });
    expect(fake.gateway.connectQueries[0]).toContain('v=10');
  });

  it('answers /brief from the beat pack as an ephemeral embed', async () => {
    const it = fake.interact({ command: 'brief', options: [{ name: 'name', type: STRING, value: 'Sheinbaum' }] });
    const a = await answer(it);
    expect(a.ephemeral).toBe(true);
    expect(a.embeds[0].title).toContain('Sheinbaum');
    expect(a.embeds.length).toBeGreaterThan(0);
  });

  it('autocompletes actor names from the injected resolver', async () => {
    const it = fake.interact({ command: 'brief', autocomplete: true, options: [{ name: 'name', type: STRING, value: 'harfuch', focused: true }] });
    await fake.waitFor(() => it.responses.length > 0, 'autocomplete');
    expect(it.responses[0]).toMatchObject({ kind: 'callback', type: 8 });
    const choices = it.responses[0]!.data.choices as Array<{ name: string; value: string }>;
    expect(choices[0]).toEqual({ name: 'Omar García Harfuch', value: 'Omar García Harfuch' });
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('autocomplete with no resolver match answers an empty list', async () => {
    const it = fake.interact({ command: 'brief', autocomplete: true, options: [{ name: 'name', type: STRING, value: 'zzzzqqq', focused: true }] });
    await fake.waitFor(() => it.responses.length > 0, 'autocomplete');
    expect(it.responses[0]!.data.choices).toEqual([]);
  });

  it('a public answer carries no ephemeral flag; hostile text is shown literally', async () => {
    const it = fake.interact({ command: 'echo', options: [{ name: 'text', type: STRING, value: HOSTILE }, { name: 'public', type: 5, value: true }] });
    const a = await answer(it);
    expect(a.ephemeral).toBe(false);
    const [head, section] = a.embeds;
    expect(visibleText(head.description)).toBe(HOSTILE);
    expect(visibleText(head.title)).toBe(HOSTILE.replace(/\s*\n\s*/g, ' '));
    for (const text of [head.title, head.description, section.description]) {
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/<[@#:t]/);
      expect(text).not.toContain('[click here](');
    }
    // Our own link survives as a masked link, with an escaped label.
    expect(section.description).toContain('](https://news.example/a)');
  });

  it('tells the command who is asking and whether they are an admin (Manage Server)', async () => {
    const asAdmin = await answer(fake.interact({ command: 'whoami' }));
    const asMember = await answer(fake.interact({ command: 'whoami', canManageGuild: false, userId: '1500000000000000002' }));
    const fields = (a: { embeds: any[] }) => Object.fromEntries(a.embeds[0].fields.map((f: any) => [f.name, f.value]));
    expect(fields(asAdmin)).toMatchObject({ admin: 'true', channel: fake.channelId, workspace: fake.guildId });
    expect(fields(asMember)).toMatchObject({ admin: 'false', user: '1500000000000000002' });
  });

  it('defers a slow command, then edits the private answer in', async () => {
    release = null;
    const it = fake.interact({ command: 'slow' });
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'callback'), 'deferral');
    expect(it.responses[0]).toMatchObject({ kind: 'callback', type: 5, data: { flags: EPHEMERAL } });
    release!();
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'edit-original'), 'edit');
    expect(it.responses[1]!.data.embeds[0].title).toBe('Finally');
    expect(it.responses[1]!.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('a slow public answer replaces the private deferral with a public follow-up', async () => {
    release = null;
    const it = fake.interact({ command: 'slow', options: [{ name: 'public', type: 5, value: true }] });
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'callback'), 'deferral');
    release!();
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'followup'), 'follow-up');
    expect(it.responses.map((r) => r.kind)).toEqual(['callback', 'delete-original', 'followup']);
    expect(it.responses[2]!.data.flags ?? 0).toBe(0);
  });

  it('pages a long answer over several messages, each within Discord embed limits', async () => {
    const it = fake.interact({ command: 'long', options: [{ name: 'count', type: 4, value: 25 }] });
    await fake.waitFor(() => it.responses.some((r) => r.kind === 'followup'), 'follow-ups');
    // Give the remaining follow-ups a chance to arrive: wait until the last message ends with the facts.
    await fake.waitFor(() => it.responses.filter((r) => r.kind === 'followup').some((r) => r.data.embeds.some((e: any) => e.fields?.some((f: any) => f.name === 'Field 30'))), 'last page');
    const messages = it.responses.filter((r) => r.type === 4 || r.kind === 'followup').map((r) => r.data);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(m.embeds.length).toBeLessThanOrEqual(10);
      let total = 0;
      for (const e of m.embeds) {
        expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
        expect((e.title ?? '').length).toBeLessThanOrEqual(256);
        expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
        for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
        total += (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.fields ?? []).reduce((s: number, f: any) => s + f.name.length + f.value.length, 0);
      }
      expect(total).toBeLessThanOrEqual(6000);
    }
    const allText = messages.flatMap((m) => m.embeds.map((e: any) => e.description ?? '')).join('\n');
    expect(allText).toContain('Item 1:');
    expect(allText).toContain('Item 25:');
    const first = messages.flatMap((m) => m.embeds.flatMap((e: any) => e.fields ?? [])).find((f: any) => f.name === 'Field 1');
    expect(first.value).toHaveLength(1024);
  });

  it('a command that throws gets a polite private error, and the failure is logged with context', async () => {
    const a = await answer(fake.interact({ command: 'broken' }));
    expect(a.ephemeral).toBe(true);
    expect(a.embeds[0].description).toContain('Something went wrong');
    expect(log.lines.some((l) => l.msg === 'discord: command failed' && l.command === 'broken')).toBe(true);
  });

  it('a registered command this version no longer has says so', async () => {
    const a = await answer(fake.interact({ command: 'oldname' }));
    expect(a.ephemeral).toBe(true);
    expect(a.embeds[0].description).toContain('frontera discord register');
  });

  it('every message the bot posted carried allowed_mentions with nothing to parse', () => {
    const posts = fake.requests.filter(
      (r) => (r.path.endsWith('/callback') && r.body?.type === 4) || (r.path.startsWith('/webhooks/') && (r.method === 'POST' || r.method === 'PATCH')),
    );
    expect(posts.length).toBeGreaterThan(8);
    for (const r of posts) {
      const payload = r.path.endsWith('/callback') ? r.body.data : r.body;
      expect(payload.allowed_mentions).toEqual({ parse: [] });
    }
  });
});

describe('stopping', () => {
  it('stop() closes the gateway connection', async () => {
    const extra = await startFakeDiscord();
    const s = await startDiscord({
      token: extra.token, applicationId: extra.applicationId, apiUrl: extra.apiUrl, commands: testCommands,
      run: async () => ({ kind: 'empty', title: 'x', sections: [], ephemeral: true }), complete: async () => [], logger: memoryLogger().logger,
    });
    expect(extra.gateway.connections).toBe(1);
    await s.stop();
    await extra.waitFor(() => extra.gateway.connections === 0, 'disconnect');
    expect(extra.gateway.connections).toBe(0);
    await extra.close();
  });

  it('a wrong token fails to start with an error instead of hanging', async () => {
    const extra = await startFakeDiscord();
    await expect(
      startDiscord({
        token: 'not-the-token', applicationId: extra.applicationId, apiUrl: extra.apiUrl, commands: [], run: async () => ({ kind: 'empty', title: 'x', sections: [], ephemeral: true }),
        complete: async () => [], logger: memoryLogger().logger,
      }),
    ).rejects.toThrow();
    await extra.close();
  });
});
