/**
 * The running bot with Discord configured (DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL at the
 * fake), wired the way `frontera start` wires it: a channel subscribes with a slash command through the
 * fake gateway, a feed gains on-beat items, and the alert embed and a report in its thread reach the fake
 * REST API through the queue, the engine and the chat jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPlatformsFromConfig } from '../../../src/cli/start.ts';
import { startRoles } from '../../../src/roles.ts';
import { startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../../fakes/discord.ts';
import { startBotFixture, type BotFixture } from '../../helpers/bot.ts';
import { uniquePrefix } from '../../helpers/redis.ts';

let bot0: BotFixture;
let discord: FakeDiscord;

beforeAll(async () => {
  discord = await startFakeDiscord();
  bot0 = await startBotFixture({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl });
});
afterAll(async () => {
  await bot0.close();
  await discord.close();
});

async function answered(it: FakeInteraction): Promise<string> {
  await discord.waitFor(() => it.responses.some((r) => (r.kind === 'callback' && r.type === 4) || r.kind === 'edit-original' || r.kind === 'followup'), `answer to ${it.id}`);
  return JSON.stringify(it.responses);
}

describe('frontera start with Discord', () => {
  it('answers slash commands over the gateway and posts alerts with threads from a live feed', async () => {
    await bot0.addFeed('Outlet Zero'); // the silent baseline
    const { gateways, surfaces } = chatPlatformsFromConfig(bot0.app.config, bot0.app.logger);
    const bot = await startRoles(bot0.app, { roles: ['all'], redisUrl: bot0.redis.url, queuePrefix: uniquePrefix(), reconcileEveryMs: 500, chatSweepMs: 500, gateways, surfaces });
    try {
      expect(await answered(discord.interact({ command: 'subscribe' }))).toContain('subscribed');
      expect(await answered(discord.interact({ command: 'brief', options: [{ name: 'name', type: 3, value: 'sheinbaun' }] }))).toContain('Sheinbaum');

      // Items 3..5 report one new event (generateBeatFeed: three reports per event).
      bot0.items = 6;
      await discord.waitFor(() => discord.messages().some((m) => m.embeds.length > 0), 'the alert');
      const alerts = discord.messages().filter((m) => m.embeds.length > 0);
      expect(alerts).toHaveLength(1);
      for (const m of discord.messages()) expect(m.allowedMentions).toEqual({ parse: [] });
      const threadId = alerts[0]!.id;
      await discord.waitFor(() => discord.channels.has(threadId) && discord.messages(threadId).length >= 1, 'a report in the thread');
      expect(discord.messages(threadId)[0]!.allowedMentions).toEqual({ parse: [] });
      // The worker indexes analysed reports for /search as it goes, before anyone searches.
      const { rows } = await bot0.app.stores.db.query<{ n: number }>('select count(*)::int as n from search_docs');
      expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
    } finally {
      await bot.stop();
    }
  }, 90_000);
});
