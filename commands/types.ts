/**
 * The platform-neutral contract between slash commands and the chat surfaces (console, Slack, Discord).
 *
 * A command never formats for a platform: it returns a Reply document whose strings are plain text
 * (feed text included, unescaped). Each renderer escapes text for its own markup, turns links into its
 * own link syntax, and splits or pages to its platform's limits. Nothing here imports a chat SDK.
 */
import type { Logger } from '../src/log.ts';
import type { BeatPack } from '../src/kb/pack.ts';
import type { Stores } from '../src/store/index.ts';

/** A link shown beside a line or in a footer. `url` is http(s) only; renderers drop anything else. */
export interface ReplyLink {
  url: string;
  /** Short label, e.g. the outlet name ("Reuters") or "source". Plain text. */
  label: string;
}

/** One bullet line: plain text, optionally dated and linked. */
export interface ReplyLine {
  text: string;
  /** ISO 8601 date or date-time the line is about (an event date, a quote's publication time). */
  date?: string;
  links?: ReplyLink[];
  /** True when the fact was learned from the news rather than curated in the beat pack. */
  learned?: boolean;
}

/** A short name/value pair (role, since, aliases...). At most 25 per reply (Discord's embed limit). */
export interface ReplyField {
  name: string;
  value: string;
  inline?: boolean;
}

/** A titled block of the reply. Renderers keep each section's text within ~3,000 characters. */
export interface ReplySection {
  heading?: string;
  text?: string;
  fields?: ReplyField[];
  lines?: ReplyLine[];
}

/** A choice offered when a name is ambiguous or unknown: `command` is the full command line to run it. */
export interface ReplyChoice {
  label: string;
  command: string;
}

export interface Reply {
  /** What kind of answer this is; renderers may colour errors differently. */
  kind: 'answer' | 'choices' | 'error' | 'empty';
  title: string;
  /** Link for the title (a story's first source, an actor's source). */
  url?: string;
  /** Lead paragraph under the title. */
  text?: string;
  sections: ReplySection[];
  choices?: ReplyChoice[];
  footer?: string;
  /** Lookups are ephemeral (only the caller sees them) unless the caller shares them. */
  ephemeral: boolean;
  /** When the answer is longer than one page: which page this is and the command line for the next. */
  page?: { index: number; count: number; next?: string };
}

/** One typed option, as Discord declares them; Slack and the console parse the same from text. */
export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  required?: boolean;
  /** What Discord autocompletes for this option. */
  autocomplete?: 'actor' | 'topic' | 'actor-or-topic';
  choices?: Array<{ name: string; value: string }>;
}

export type CommandArgs = Record<string, string | number | boolean | undefined>;

/** Who is asking, and where. */
export interface Caller {
  platform: 'console' | 'slack' | 'discord';
  userId: string;
  /** Channel the command was run in ('console' on the console). */
  channelId: string;
  /** Workspace (Slack team) or guild id; 'console' on the console. */
  workspaceId: string;
  /** Whether the caller is a configured admin (user id or role). */
  isAdmin: boolean;
  /** IANA time zone of the caller or channel when known. */
  timeZone?: string;
}

/**
 * Services commands may use. Optional members are present when the surface that runs the command has
 * them (the console has no subscriptions store until the chat issue lands, for example).
 */
export interface CommandDeps {
  stores: Stores;
  pack: BeatPack;
  logger: Logger;
  now: () => Date;
  /** Per-query time limit in milliseconds; a slower lookup gets a polite reply, not an error. */
  queryTimeoutMs: number;
  /** Extra services keyed by name (subscriptions, feeds admin...), added by the chat issue. */
  services?: Record<string, unknown>;
}

export interface CommandContext {
  args: CommandArgs;
  caller: Caller;
  deps: CommandDeps;
}

export interface Command {
  /** Lower-case name without the slash: 'brief'. */
  name: string;
  description: string;
  /** One-line usage shown by /help: '/brief <actor|topic>'. */
  usage: string;
  options: CommandOption[];
  /** Admin-only commands are refused for non-admins by the dispatcher, before run. */
  adminOnly?: boolean;
  /**
   * Turns the free text after the command name (console, Slack) into typed args. Returns a string
   * when the text cannot be understood: the dispatcher replies with it and the usage.
   */
  parse(text: string): CommandArgs | string;
  run(ctx: CommandContext): Promise<Reply>;
}
