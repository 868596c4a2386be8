/**
 * `frontera discord register [--guild ID]`: registers the slash commands once, comparing with what
 * Discord has first, so a deploy that changes nothing sends nothing (command writes are rate-limited).
 */
import type { Command } from '../../commands/types.ts';
import { runRegister } from '../chat/discord/index.ts';
import type { Config } from '../config.ts';
import type { Out } from './output.ts';

export const DISCORD_USAGE = `Usage:
  frontera discord register [--guild ID]   register the slash commands (globally, or in one guild at once)

Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; DISCORD_API_URL overrides the API base (local fakes).`;

export interface DiscordCliOptions {
  sub: string;
  guild?: string;
  commands: readonly Command[];
}

/** Runs a `frontera discord` subcommand; resolves to the exit status. */
export async function runDiscord(config: Config, opts: DiscordCliOptions, out: Out): Promise<number> {
  if (opts.sub !== 'register') {
    out.err(opts.sub ? `Unknown discord subcommand "${opts.sub}".\n\n${DISCORD_USAGE}` : DISCORD_USAGE);
    return 64;
  }
  const { token, applicationId, apiUrl } = config.discord;
  if (!token || !applicationId) {
    out.err('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (from the Discord developer portal) to register commands.');
    return 78;
  }
  if (opts.guild !== undefined && !/^\d+$/.test(opts.guild)) {
    out.err(`--guild must be a numeric guild id, not "${opts.guild}".`);
    return 64;
  }
  const where = opts.guild ? `guild ${opts.guild}` : 'globally';
  const result = await runRegister({ token, applicationId, apiUrl, guildId: opts.guild, commands: opts.commands });
  if (!result.written) {
    out.line(`Discord commands are up to date ${where} (${opts.commands.length} commands); nothing sent.`);
    return 0;
  }
  out.line(`Registered ${opts.commands.length} commands ${where}:`);
  for (const line of result.lines) out.line(`  ${line}`);
  if (!opts.guild) out.line('Global commands can take up to an hour to appear in every server; use --guild ID to try them at once.');
  return 0;
}
