/**
 * The `frontera` command line. Parses global options, loads config, builds the app through the
 * composition root and dispatches to one subcommand. Returns the exit status instead of exiting,
 * so tests can call it in-process.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type ConfigFlags } from './config.ts';
import { ConfigError, describeError, FronteraError } from './errors.ts';
import { createLogger, type Logger } from './log.ts';
import { createApp } from './main.ts';
import { processOut, type Out } from './cli/output.ts';
import { FEEDS_USAGE, runFeeds } from './cli/feeds.ts';
import { runIngest } from './cli/ingest.ts';
import { refreshStatistics } from './store/statistics.ts';
import { runStart } from './cli/start.ts';
import { runDemo } from './cli/demo.ts';
import { runEvalCommand } from './cli/eval.ts';
import { runStories } from './cli/stories.ts';
import { consoleDeps, runAsk } from './cli/ask.ts';
import { runConsole } from './cli/console.ts';
import { runDiscord } from './cli/discord.ts';
import { loadBeatPack } from './kb/pack.ts';
import { buildEngine } from './newsroom/setup.ts';

export const USAGE = `frontera: a newsroom bot for the U.S.–Mexico security beat

Usage:
  frontera demo [--duration 60s]                 offline end-to-end run on bundled sample feeds
  frontera start [--role all|worker|scheduler|chat|web]
  frontera ingest <file|url>... [--json]         fetch or read feeds now, store and analyse their items
  frontera stories [--since 48h|DATE|all] [--limit N] [--json]
  frontera eval [--json]                         the engine against the labelled evaluation set
  frontera ask "<slash command line>" [--json]   run one command: ask "/brief Sheinbaum", ask "/search aranceles"
  frontera console                               interactive prompt for every command (history kept in the data dir)
  frontera feeds add|remove|list|check|enable|import|export ...
  frontera slack manifest                        print the Slack app manifest (commands, scopes, URLs from FRONTERA_PUBLIC_URL)
  frontera discord register [--guild ID]         register the Discord slash commands (only sends when they changed)

Global options:
  --data-dir DIR    where the embedded database and Redis keep their files (default ./data, env FRONTERA_DATA_DIR)
  --json            machine-readable output
  -h, --help        this help

Environment: DATABASE_URL, REDIS_URL, PORT, FRONTERA_ALLOW_PRIVATE_FEEDS=1, LOG_LEVEL (see README).`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
  role: { type: 'string', multiple: true },
  name: { type: 'string' },
  tier: { type: 'string' },
  language: { type: 'string' },
  'full-text': { type: 'boolean' },
  'no-check': { type: 'boolean' },
  out: { type: 'string' },
  duration: { type: 'string' },
  port: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  guild: { type: 'string' },
} as const;

export interface CliEnv {
  env?: NodeJS.ProcessEnv;
  out?: Out;
  logger?: Logger;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: string[], ctx: CliEnv = {}): Promise<number> {
  const out = ctx.out ?? processOut;
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    out.err(`${(err as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const v = args.values;
  const [command, ...rest] = args.positionals;
  if (v.version) {
    out.line('frontera 0.1.0');
    return 0;
  }
  if (!command || v.help || command === 'help') {
    out.line(command === 'feeds' || rest[0] === 'feeds' ? FEEDS_USAGE : USAGE);
    return command || v.help ? 0 : 64;
  }
  const env = ctx.env ?? process.env;
  const flags: ConfigFlags = { dataDir: v['data-dir'] };

  let config;
  try {
    config = loadConfig(command === 'demo' ? { ...env, FRONTERA_ALLOW_PRIVATE_FEEDS: '1' } : env, flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      out.err(err.message);
      return 78;
    }
    throw err;
  }
  // Only `start` logs at info by default; elsewhere the console output is the point, so logs stay quiet.
  const logger = ctx.logger ?? createLogger({ level: command === 'start' ? config.logLevel : env.LOG_LEVEL ?? 'warn' });

  try {
    switch (command) {
      case 'start':
        return await runStart(config, logger, { roles: v.role ?? ['all'] }, out);
      case 'demo':
        return await runDemo(config, logger, { duration: v.duration, port: v.port }, out);
      case 'eval':
        return await runEvalCommand(logger, { json: v.json }, out);
      case 'ingest':
      case 'stories':
      case 'feeds': {
        if (command === 'ingest' && rest.length === 0) {
          out.err('Give at least one feed file or URL: frontera ingest <file|url>... [--json]');
          return 64;
        }
        const app = await createApp(config, logger);
        try {
          if (command === 'stories') {
            const names = new Map(loadBeatPack().actors.map((a) => [a.id, a.name]));
            return await runStories(app, (id) => names.get(id) ?? id, { since: v.since, limit: v.limit, json: v.json }, out);
          }
          if (command === 'ingest') {
            const engine = buildEngine(app.stores.newsroom, logger, config.llm);
            const code = await runIngest(
              { articles: app.stores.articles, feeds: app.stores.feeds, fetcher: app.fetcher, now: app.now, engine },
              rest,
              { json: v.json },
              out,
            );
            // A large file can double the archive: give the planner fresh statistics (see store/statistics.ts).
            await refreshStatistics(app.stores.db).catch((err) => logger.warn({ err: (err as Error).message }, 'statistics refresh failed'));
            return code;
          }
          return await runFeeds(app, {
            sub: rest[0] ?? '', rest: rest.slice(1), json: v.json, name: v.name, tier: v.tier, language: v.language,
            fullText: v['full-text'], noCheck: v['no-check'], out: v.out,
          }, out);
        } finally {
          await app.close();
        }
      }
      case 'ask':
      case 'console': {
        const line = rest.join(' ');
        if (command === 'ask' && !line.trim()) {
          out.err('Give a command line: frontera ask "/brief Sheinbaum" [--json]');
          return 64;
        }
        const app = await createApp(config, logger);
        try {
          const deps = consoleDeps(app, loadBeatPack());
          if (command === 'ask') return await runAsk(deps, line, { json: v.json }, out);
          const historyFile = path.join(config.dataDir, 'console_history');
          return await runConsole(deps, { input: process.stdin, output: process.stdout, historyFile });
        } finally {
          await app.close();
        }
      }
      case 'slack': {
        if (rest[0] !== 'manifest') {
          out.err('Usage: frontera slack manifest   (prints the Slack app manifest; set FRONTERA_PUBLIC_URL first)');
          return 64;
        }
        const { commands } = await import('../commands/index.ts');
        const { slackManifest } = await import('./chat/slack/manifest.ts');
        if (!config.publicUrl && !config.slack.appToken) out.err('FRONTERA_PUBLIC_URL is not set: the manifest uses Socket Mode (set SLACK_APP_TOKEN).');
        out.line(JSON.stringify(slackManifest(commands, { publicUrl: config.publicUrl, socketMode: !config.publicUrl || !!config.slack.appToken }), null, 2));
        return 0;
      }
      case 'discord': {
        const { commands } = await import('../commands/index.ts');
        return await runDiscord(config, { sub: rest[0] ?? '', guild: v.guild, commands }, out);
      }
      default:
        out.err(`Unknown command "${command}".\n\n${USAGE}`);
        return 64;
    }
  } catch (err) {
    const e = describeError(err);
    out.err(err instanceof FronteraError ? `Error (${e.code}): ${e.message}` : `Unexpected error: ${e.message}`);
    if (!(err instanceof FronteraError)) logger.error({ err }, 'unexpected error');
    return 1;
  }
}
