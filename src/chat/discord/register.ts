/**
 * Registering slash commands, once per change rather than on every start: read what Discord has,
 * compare, and overwrite the whole list only when it differs.
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { FronteraError } from '../../errors.ts';
import type { Command } from '../../../commands/types.ts';
import { commandDefinitions, describeDiff, diffCommands, isUnchanged, type CommandDiff } from './definitions.ts';
import { interactionRestOptions } from './rest.ts';

export interface RegisterSettings {
  token: string;
  applicationId: string;
  apiUrl?: string | null;
  /** Register in one guild (visible at once, good for testing) instead of globally. */
  guildId?: string;
  commands: readonly Command[];
}

export interface RegisterResult {
  diff: CommandDiff;
  /** Whether the list was sent to Discord. */
  written: boolean;
  /** What changed, one line each, for the terminal. */
  lines: string[];
}

/** Compares the command list with Discord's and PUTs it only when something differs. */
export async function runRegister(s: RegisterSettings): Promise<RegisterResult> {
  const rest = new REST(interactionRestOptions({ apiUrl: s.apiUrl })).setToken(s.token);
  const route = s.guildId ? Routes.applicationGuildCommands(s.applicationId, s.guildId) : Routes.applicationCommands(s.applicationId);
  const local = commandDefinitions(s.commands);
  try {
    const remote = (await rest.get(route)) as Record<string, unknown>[];
    const diff = diffCommands(local, remote);
    if (isUnchanged(diff)) return { diff, written: false, lines: [] };
    await rest.put(route, { body: local });
    return { diff, written: true, lines: describeDiff(diff) };
  } catch (err) {
    throw new FronteraError('discord', describeFailure(err), { cause: err });
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) return 'Discord refused the token (401): check DISCORD_TOKEN.';
    if (err.status === 403 || err.status === 404) {
      return `Discord refused (${err.status}): check DISCORD_APPLICATION_ID, and for --guild that the bot was invited there with the applications.commands scope. (${err.message})`;
    }
    return `Discord refused the commands (${err.status}): ${err.message}`;
  }
  return `Could not reach Discord: ${(err as Error).message}`;
}
