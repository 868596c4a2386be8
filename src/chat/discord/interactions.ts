/**
 * Slash commands and autocomplete from the gateway. The command list and the `run` function are
 * injected, so this file knows nothing about what a command does: it turns Discord options into typed
 * args and a Caller, runs, and renders the Reply as embeds. This is the one error boundary for
 * interactions: whatever fails, the user gets an answer and the log gets the context.
 */
import {
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { Caller, Command, CommandArgs, Reply } from '../../../commands/types.ts';
import type { Logger } from '../../log.ts';
import { plainLine, truncate } from './escape.ts';
import { NO_MENTIONS } from './gateway.ts';
import { LIMITS } from './limits.ts';
import { renderReply } from './reply.ts';

/** Runs one command by name with typed args (commands/index.ts `runCommand` with its deps bound). */
export type RunCommand = (name: string, args: CommandArgs, caller: Caller) => Promise<Reply>;
/** Names starting with (or containing) `prefix`, best first. */
export type Complete = (kind: 'actor' | 'topic' | 'actor-or-topic', prefix: string) => Promise<string[]>;

/** Who is asking, as far as admin checks need to know. */
export interface DiscordMember {
  userId: string;
  guildId: string | null;
  roleIds: string[];
  /** The member has Manage Server (or Administrator) in this guild. */
  canManageGuild: boolean;
}

export interface InteractionDeps {
  commands: readonly Command[];
  run: RunCommand;
  complete: Complete;
  logger: Logger;
  /** Admin check; default: members with Manage Server. */
  isAdmin?: (member: DiscordMember) => boolean;
  /** Answer with a deferral when the command has not finished by then (default 1,500 ms; Discord allows 3 s). */
  deferAfterMs?: number;
}

/**
 * The admin check from FRONTERA_ADMINS entries (`discord:<user id>`, `discord-role:<role id>`; others
 * ignored). With no Discord entries, members with Manage Server are the admins of their server.
 *   adminCheck(['discord:123', 'discord-role:456', 'slack:U1'])
 */
export function adminCheck(admins: readonly string[]): (member: DiscordMember) => boolean {
  const users = new Set(admins.filter((a) => a.startsWith('discord:')).map((a) => a.slice('discord:'.length)));
  const roles = new Set(admins.filter((a) => a.startsWith('discord-role:')).map((a) => a.slice('discord-role:'.length)));
  if (users.size === 0 && roles.size === 0) return (m) => m.canManageGuild;
  return (m) => users.has(m.userId) || m.roleIds.some((r) => roles.has(r));
}

/** Handles one interaction; never throws. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await autocomplete(interaction, deps);
    else if (interaction.isChatInputCommand()) await command(interaction, deps);
  } catch (err) {
    deps.logger.warn(
      { err, interaction: interaction.id, command: interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : undefined, guild: interaction.guildId, user: interaction.user.id },
      'discord: could not answer an interaction',
    );
  }
}

async function autocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const option = deps.commands.find((c) => c.name === interaction.commandName)?.options.find((o) => o.name === focused.name);
  let names: string[] = [];
  if (option?.autocomplete) {
    try {
      names = await withinAutocompleteTime(deps.complete(option.autocomplete, String(focused.value ?? '')));
    } catch (err) {
      // An empty list is a fine answer; Discord shows "no options" rather than an error.
      deps.logger.warn({ err, command: interaction.commandName, option: focused.name }, 'discord: autocomplete failed');
    }
  }
  const seen = new Set<string>();
  const choices = [];
  for (const name of names) {
    const value = truncate(name, LIMITS.choiceValue);
    if (seen.has(value)) continue;
    seen.add(value);
    choices.push({ name: plainLine(name, LIMITS.choiceName), value });
    if (choices.length === LIMITS.choicesPerAutocomplete) break;
  }
  await interaction.respond(choices);
}

/** Discord drops autocomplete answers after 3 s; a slow resolver gives an empty list instead of a failed answer. */
async function withinAutocompleteTime(work: Promise<string[]>, ms = 2000): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}

async function command(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const caller = callerOf(interaction, deps);
  const args: CommandArgs = {};
  for (const o of interaction.options.data) {
    if (o.value !== undefined && o.value !== null) args[o.name] = o.value;
  }
  const outcome = deps.commands.some((c) => c.name === interaction.commandName)
    ? deps.run(interaction.commandName, args, caller).then(
        (reply) => reply,
        (err: unknown) => {
          deps.logger.error({ err, command: interaction.commandName, guild: caller.workspaceId, user: caller.userId }, 'discord: command failed');
          return failure('Something went wrong while answering. The error was logged; please try again.');
        },
      )
    : Promise.resolve(failure(`/${interaction.commandName} is not a Frontera command any more. An admin should run: frontera discord register`));

  const deferred = await deferIfSlow(interaction, outcome, deps.deferAfterMs ?? 1500);
  const reply = await outcome;
  await send(interaction, reply, deferred);
}

/** Defers (ephemerally: the answer may be private) when `work` is still running after `ms`. */
async function deferIfSlow(interaction: ChatInputCommandInteraction, work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), ms);
  });
  const first = await Promise.race([work.then(() => 'done' as const), slow]);
  clearTimeout(timer);
  if (first === 'done') return false;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return true;
}

async function send(interaction: ChatInputCommandInteraction, reply: Reply, deferred: boolean): Promise<void> {
  const [first, ...rest] = renderReply(reply);
  const flags = reply.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
  if (!deferred) {
    await interaction.reply({ embeds: first, allowedMentions: NO_MENTIONS, ...flags });
  } else if (reply.ephemeral) {
    await interaction.editReply({ embeds: first, allowedMentions: NO_MENTIONS });
  } else {
    // The deferral was private; a public answer replaces it.
    await interaction.deleteReply();
    await interaction.followUp({ embeds: first, allowedMentions: NO_MENTIONS });
  }
  for (const embeds of rest) await interaction.followUp({ embeds, allowedMentions: NO_MENTIONS, ...flags });
}

function callerOf(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Caller {
  const member = interaction.member;
  const roleIds = !member ? [] : Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const who: DiscordMember = {
    userId: interaction.user.id,
    guildId: interaction.guildId,
    roleIds,
    canManageGuild: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
  return {
    platform: 'discord',
    userId: who.userId,
    channelId: interaction.channelId,
    workspaceId: interaction.guildId ?? 'dm',
    isAdmin: deps.isAdmin ? deps.isAdmin(who) : who.canManageGuild,
  };
}

function failure(text: string): Reply {
  return { kind: 'error', title: 'Sorry', text, sections: [], ephemeral: true };
}
