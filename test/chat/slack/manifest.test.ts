import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { main } from '../../../src/cli.ts';
import { silentLogger } from '../../../src/log.ts';

async function manifest(env: Record<string, string>) {
  const lines: string[] = [];
  const errs: string[] = [];
  const status = await main(['slack', 'manifest'], { env, out: { line: (t) => lines.push(t), err: (t) => errs.push(t) }, logger: silentLogger() });
  return { status, manifest: JSON.parse(lines.join('\n')) as Record<string, any>, errs };
}

describe('frontera slack manifest', () => {
  it('lists every command and the umbrella with the public URL, and the bot scopes', async () => {
    const { status, manifest: m } = await manifest({ FRONTERA_PUBLIC_URL: 'https://bot.example.org/' });
    expect(status).toBe(0);
    const names = m.features.slash_commands.map((c: { command: string }) => c.command);
    expect(names).toEqual([...commands.map((c) => `/${c.name}`), '/frontera']);
    for (const c of m.features.slash_commands) {
      expect(c.url).toBe('https://bot.example.org/slack/events');
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://bot.example.org/slack/events' });
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'channels:history']));
  });

  it('uses Socket Mode without a public URL', async () => {
    const { manifest: m, errs } = await manifest({});
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.features.slash_commands[0].url).toBeUndefined();
    expect(errs.join('\n')).toContain('FRONTERA_PUBLIC_URL');
  });
});
