/**
 * The command list -> Discord application command definitions, and a field-by-field comparison with
 * what Discord has registered, so `frontera discord register` writes only when something changed
 * (command writes are rate-limited; see STYLE.md).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandOption } from '../../../commands/types.ts';
import { plainLine } from './escape.ts';
import { LIMITS } from './limits.ts';

export type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
} as const;

/** Admin commands are hidden from members without Manage Server by default; the dispatcher still checks. */
const ADMIN_PERMISSIONS = PermissionFlagsBits.ManageGuild.toString();

/** The definitions for every command, in list order. */
export function commandDefinitions(commands: readonly Command[]): Definition[] {
  return commands.map((c) => ({
    type: ApplicationCommandType.ChatInput,
    name: c.name,
    description: plainLine(c.description, LIMITS.commandDescription) || c.name,
    // Discord refuses an optional option before a required one; keep each group's order.
    options: [...c.options.filter((o) => o.required), ...c.options.filter((o) => !o.required)].map(optionDefinition),
    default_member_permissions: c.adminOnly ? ADMIN_PERMISSIONS : null,
    contexts: [0],
  }));
}

function optionDefinition(o: CommandOption) {
  const def: Record<string, unknown> = {
    type: OPTION_TYPES[o.type],
    name: o.name,
    description: plainLine(o.description, LIMITS.optionDescription) || o.name,
    required: o.required ?? false,
  };
  // Discord allows choices or autocomplete on an option, not both; fixed choices win.
  if (o.choices?.length) def.choices = o.choices.slice(0, 25).map((ch) => ({ name: ch.name, value: o.type === 'integer' ? Number(ch.value) : ch.value }));
  else if (o.autocomplete && o.type === 'string') def.autocomplete = true;
  return def as unknown as APIApplicationCommandOption;
}

/** What differs between the local list and the registered one. */
export interface CommandDiff {
  added: string[];
  removed: string[];
  /** Command name and the top-level fields that differ ('description', 'options', ...). */
  changed: Array<{ name: string; fields: string[] }>;
}

/** Compares definitions by name, looking only at the fields we set (Discord adds ids, versions and defaults). */
export function diffCommands(local: readonly Definition[], remote: readonly Record<string, unknown>[]): CommandDiff {
  const byName = new Map(remote.map((r) => [String(r.name), r]));
  const diff: CommandDiff = { added: [], removed: [], changed: [] };
  for (const def of local) {
    const r = byName.get(def.name);
    if (!r) {
      diff.added.push(def.name);
      continue;
    }
    byName.delete(def.name);
    const fields = Object.keys(def).filter((k) => !sameValue(normalise(k, (def as unknown as Record<string, unknown>)[k]), normalise(k, r[k])));
    if (fields.length) diff.changed.push({ name: def.name, fields });
  }
  diff.removed.push(...byName.keys());
  return diff;
}

/** True when the diff is empty. */
export function isUnchanged(diff: CommandDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** Fills in what Discord leaves out when a field has its default value, so equal means equal. */
function normalise(key: string, value: unknown): unknown {
  if (key === 'options') return ((value as Record<string, unknown>[] | undefined) ?? []).map(normaliseOption);
  if (key === 'default_member_permissions') return value ?? null;
  if (key === 'contexts') return value ?? null;
  return value;
}

function normaliseOption(o: Record<string, unknown>) {
  return {
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: ((o.choices as Array<{ name: unknown; value: unknown }> | undefined) ?? []).map((c) => ({ name: c.name, value: c.value })),
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Human-readable lines for a diff: "+ brief", "- old", "~ timeline (options)". */
export function describeDiff(diff: CommandDiff): string[] {
  return [
    ...diff.added.map((n) => `+ /${n} (new)`),
    ...diff.changed.map((c) => `~ /${c.name} (${c.fields.join(', ')})`),
    ...diff.removed.map((n) => `- /${n} (no longer in the command list)`),
  ];
}
