/**
 * The slash commands, as one explicit list that Slack, Discord and the console all read, and the one
 * dispatcher they all call: it checks the input, refuses admin commands to others, runs the command
 * under the per-query time limit, and turns any failure into a polite reply (logged), never a throw.
 *
 * To add a command: write commands/<name>.ts exporting a Command, import it here, add it to `commands`.
 */
import type { Caller, Command, CommandArgs, CommandDeps, Reply } from './types.ts';
import type { Db } from '../src/store/db.ts';
import { brief } from './brief.ts';
import { helpCommand } from './help.ts';
import { latest } from './latest.ts';
import { quotes } from './quotes.ts';
import { search } from './search.ts';
import { story } from './story.ts';
import { timeline } from './timeline.ts';
import { subscribe } from './subscribe.ts';
import { unsubscribe } from './unsubscribe.ts';
import { subscriptions } from './subscriptions.ts';
import { why } from './why.ts';
import { digest } from './digest.ts';
import { feeds } from './feeds.ts';
import { editDistance } from '../src/kb/names.ts';
import { errorReply, fitReply } from './util.ts';

export const commands: Command[] = [
  brief,
  timeline,
  quotes,
  latest,
  search,
  story,
  helpCommand(() => commands),
  subscribe,
  unsubscribe,
  subscriptions,
  why,
  digest,
  feeds,
];

/** Longest command line accepted, in characters. */
export const MAX_LINE = 500;

// Control characters (newlines included) and invisible direction overrides that can disguise text.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const MARKUP = /<[^>]*>|<[!@#&]|@(?:everyone|here)\b|\]\(|`|\bjavascript:|\{\{|\}\}/i;
const SQL = new RegExp(
  [
    String.raw`\bselect\s+(?:\*|[\w.]+(?:\s*,\s*[\w.]+)*)\s+from\s+\w`,
    String.raw`\bunion\s+(?:all\s+)?select\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\s+\w+\s*=`,
    String.raw`\b(?:drop|alter|truncate|create)\s+(?:table|database|schema|role|user|extension)\b`,
    String.raw`'\s*(?:or|and)\s+'?\w+'?\s*=`,
    String.raw`;\s*(?:select|drop|delete|insert|update|shutdown)\b`,
    String.raw`--|/\*|\*/`,
    String.raw`\bpg_sleep\b|\bsleep\s*\(`,
  ].join('|'),
  'i',
);

/** Why an argument cannot be used, or null when it is fine. */
export function checkText(text: string): string | null {
  if (text.length > MAX_LINE) return `That is ${text.length} characters; keep it under ${MAX_LINE}.`;
  if (CONTROL.test(text)) return 'It contains control or invisible characters (line breaks, direction marks); type it on one line as plain text.';
  if (MARKUP.test(text)) return 'It contains markup (tags, mentions, links or code marks); give plain names or words.';
  if (SQL.test(text)) return 'It looks like database code; I only need names or words, e.g. /search extradition.';
  return null;
}

const find = (name: string) => commands.find((c) => c.name === name);

function usageFooter(c: Command): string {
  return `Usage: ${c.usage} · /help ${c.name}`;
}

/** Runs one command line as typed ("/brief Sheinbaum", "brief sheinbaum"). Never throws. */
export async function runCommandLine(line: string, caller: Caller, deps: CommandDeps): Promise<Reply> {
  if (typeof line !== 'string' || line.trim() === '') {
    return errorReply('Type a command', 'For example /brief Sheinbaum, /latest, /search extradición. /help lists every command.');
  }
  const text = line.replace(/\t/g, ' ').trim();
  const problem = checkText(text);
  if (problem) return errorReply('I cannot read that command', problem, 'Try /help for examples.');
  const m = /^\/?([A-Za-z][\w-]{0,31})(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) return errorReply('Commands start with a name', 'For example /brief Sheinbaum. /help lists every command.');
  const name = m[1]!.toLowerCase();
  const command = find(name);
  if (!command) {
    const close = commands.filter((c) => editDistance(c.name, name, 2) <= 2).map((c) => `/${c.name}`);
    return errorReply(`No command "/${name}"`, close.length ? `Did you mean ${close.join(' or ')}?` : `Commands: ${commands.map((c) => `/${c.name}`).join(', ')}.`);
  }
  let args: CommandArgs | string;
  try {
    args = command.parse(m[2] ?? '');
  } catch (err) {
    deps.logger.error({ err, command: name }, 'command parse failed');
    return errorReply('Something went wrong reading that', 'Please try again, or see /help.');
  }
  if (typeof args === 'string') return errorReply(`/${name}: ${args}`, '', usageFooter(command));
  return runCommand(name, args, caller, deps);
}

/** Runs a command with typed args (Discord options, or what `parse` returned). Never throws. */
export async function runCommand(name: string, args: CommandArgs, caller: Caller, deps: CommandDeps): Promise<Reply> {
  const command = find(name);
  if (!command) return errorReply(`No command "/${name}"`, `Commands: ${commands.map((c) => `/${c.name}`).join(', ')}.`);
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== 'string') continue;
    const problem = checkText(value);
    if (problem) return errorReply(`/${name}: the ${key} cannot be used`, problem, usageFooter(command));
  }
  if (command.adminOnly && !caller.isAdmin) {
    return errorReply(`/${name} is for admins`, 'Ask an admin of this workspace to run it.');
  }
  const started = Date.now();
  try {
    const reply = await withTimeLimit(deps, (d) => command.run({ args, caller, deps: d }));
    if (reply === 'timeout') {
      deps.logger.warn({ command: name, ms: Date.now() - started }, 'command timed out');
      return errorReply('That took too long', `The lookup did not finish in ${Math.round(deps.queryTimeoutMs / 100) / 10} s. Try a narrower question (a name, a date with "since", fewer words).`);
    }
    return fitReply(reply);
  } catch (err) {
    if (isTimeout(err)) {
      deps.logger.warn({ command: name }, 'command query cancelled by statement_timeout');
      return errorReply('That took too long', 'The lookup was stopped at the time limit. Try a narrower question.');
    }
    deps.logger.error({ err, command: name, caller: { platform: caller.platform, userId: caller.userId } }, 'command failed');
    return errorReply('Sorry, something went wrong', `/${name} could not answer just now. It has been logged; please try again.`);
  }
}

/** PostgreSQL's "canceling statement due to statement timeout". */
function isTimeout(err: unknown): boolean {
  return (err as { code?: string })?.code === '57014';
}

/**
 * Runs `fn` with the per-query time limit. On a PostgreSQL server the command's queries run in one
 * transaction with `statement_timeout`, so a slow one is cancelled by the server; everywhere a timer
 * also answers at the limit (embedded PGlite cannot cancel a running statement: it finishes unseen).
 */
async function withTimeLimit(deps: CommandDeps, fn: (deps: CommandDeps) => Promise<Reply>): Promise<Reply | 'timeout'> {
  const ms = deps.queryTimeoutMs;
  if (!(ms > 0)) return fn(deps);
  const db = deps.stores.db;
  const work =
    db.kind === 'postgres'
      ? db.transaction(async (tx) => {
          await tx.query(`select set_config('statement_timeout', $1, true)`, [String(Math.ceil(ms))]);
          return fn({ ...deps, services: { ...deps.services, queryDb: oneAtATime(tx) } });
        })
      : fn(deps);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms + (db.kind === 'postgres' ? 250 : 0));
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {}); // a late failure after the timeout has already been answered
  }
}

/** A transaction handle that sends one statement at a time (commands run lookups in parallel; a pg client must not). */
function oneAtATime(db: Db): Db {
  let last: Promise<unknown> = Promise.resolve();
  const next = <T>(f: () => Promise<T>): Promise<T> => {
    const p = last.then(f, f);
    last = p.catch(() => {});
    return p;
  };
  return {
    kind: db.kind,
    query: <T>(sql: string, params?: unknown[]) => next(() => db.query<T>(sql, params)),
    exec: (sql: string) => next(() => db.exec(sql)),
    transaction: <T>(fn: (tx: Db) => Promise<T>) => fn(oneAtATime(db)),
    close: () => Promise.resolve(),
  };
}
