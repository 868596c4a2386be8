/**
 * `frontera discord register [--guild ID]` against the fake: reads the registered commands first and
 * writes only when they differ, printing what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import { main } from '../../../src/cli.ts';
import { runRegister } from '../../../src/chat/discord/index.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord.ts';
import { memoryLogger } from './helpers.ts';

let fake: FakeDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const errs: string[] = [];
  const status = await main(['discord', ...args], {
    env: { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, FRONTERA_DATA_DIR: '/tmp/frontera-discord-test', ...env },
    out: { line: (t) => lines.push(t), err: (t) => errs.push(t) },
    logger: memoryLogger().logger,
  });
  return { status, out: lines.join('\n'), err: errs.join('\n') };
}

describe('frontera discord register', () => {
  it('registers every command the first time and lists them', async () => {
    const r = await cli(['register']);
    expect(r.status).toBe(0);
    expect(fake.commandWrites).toBe(1);
    for (const c of commands) expect(r.out).toContain(`+ /${c.name} (new)`);
    const brief = fake.commands.get('global')!.find((c) => c.name === 'brief');
    expect(brief.options[0]).toMatchObject({ name: 'name', type: 3, required: true, autocomplete: true });
  });

  it('sends nothing when Discord already has the same commands', async () => {
    const before = fake.requests.length;
    const r = await cli(['register']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/up to date globally .*nothing sent/);
    expect(fake.commandWrites).toBe(1);
    expect(fake.requests.slice(before).map((q) => q.method)).toEqual(['GET']);
  });

  it('prints what changed and overwrites once when a description changed and a command was dropped', async () => {
    const registered = fake.commands.get('global')!;
    registered.find((c) => c.name === 'brief').description = 'an older description';
    registered.push({ id: fake.snowflake(), application_id: fake.applicationId, version: '1', type: 1, name: 'oldname', description: 'gone' });
    const r = await cli(['register']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('~ /brief (description)');
    expect(r.out).toContain('- /oldname (no longer in the command list)');
    expect(r.out).not.toContain('/search');
    expect(fake.commandWrites).toBe(2);
    expect(fake.commands.get('global')!.map((c) => c.name)).toEqual(commands.map((c) => c.name));
  });

  it('--guild registers in that guild only', async () => {
    const r = await cli(['register', '--guild', fake.guildId]);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`Registered ${commands.length} commands guild ${fake.guildId}`);
    expect(fake.commands.get(fake.guildId)).toHaveLength(commands.length);
    expect(fake.requests.some((q) => q.method === 'PUT' && q.path === `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`)).toBe(true);
  });

  it('explains what is missing: no token (78), a bad guild id (64), a refused token (1)', async () => {
    const noToken = await cli(['register'], { DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' });
    expect(noToken.status).toBe(78);
    expect(noToken.err).toContain('DISCORD_TOKEN');
    const badGuild = await cli(['register', '--guild', 'newsroom']);
    expect(badGuild.status).toBe(64);
    const refused = await cli(['register'], { DISCORD_TOKEN: 'wrong' });
    expect(refused.status).toBe(1);
    expect(refused.err).toContain('check DISCORD_TOKEN');
    const unknownSub = await cli(['deploy']);
    expect(unknownSub.status).toBe(64);
  });
});

describe('command definitions', () => {
  const custom: Command[] = [
    {
      name: 'feeds', description: 'Manage feeds', usage: '/feeds', adminOnly: true, parse: () => ({}), run: async () => ({ kind: 'empty', title: '', sections: [], ephemeral: true }),
      options: [
        { name: 'limit', description: 'how many', type: 'integer' },
        { name: 'action', description: 'what to do', type: 'string', required: true, choices: [{ name: 'list', value: 'list' }, { name: 'add', value: 'add' }], autocomplete: 'topic' },
      ],
    },
  ];

  it('puts required options first, prefers fixed choices over autocomplete, hides admin commands by default', async () => {
    const guild = '1200000000000000077';
    const r = await runRegister({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, guildId: guild, commands: custom });
    expect(r.written).toBe(true);
    const [feeds] = fake.commands.get(guild)!;
    expect(feeds.options.map((o: { name: string }) => o.name)).toEqual(['action', 'limit']);
    expect(feeds.options[0].choices).toEqual([{ name: 'list', value: 'list' }, { name: 'add', value: 'add' }]);
    expect(feeds.options[0].autocomplete).toBeUndefined();
    expect(feeds.default_member_permissions).toBe('32');
    const again = await runRegister({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, guildId: guild, commands: custom });
    expect(again.written).toBe(false);
  });
});
