/**
 * `frontera ask "<slash command line>" [--json]`: runs one command through the console surface.
 * `--json` prints the DESIGN contract `{"text","ephemeral","reply"}`.
 */
import os from 'node:os';
import { runCommandLine } from '../../commands/index.ts';
import { catchUpSearch } from '../../commands/search.ts';
import type { Caller, CommandDeps } from '../../commands/types.ts';
import { renderReply } from '../chat/console/render.ts';
import type { BeatPack } from '../kb/pack.ts';
import type { App } from '../main.ts';
import type { Out } from './output.ts';

/** Per-query limit for console lookups. */
export const CONSOLE_QUERY_TIMEOUT_MS = 5000;

/** The caller on the console: the operator at the terminal, who administers this install. */
export function consoleCaller(): Caller {
  let user = 'console';
  try {
    user = os.userInfo().username || user;
  } catch {
    // no passwd entry (containers): keep the default
  }
  return { platform: 'console', userId: user, channelId: 'console', workspaceId: 'console', isAdmin: true };
}

/** Command dependencies for the console surface, built from the app. */
export function consoleDeps(app: App, pack: BeatPack): CommandDeps {
  return { stores: app.stores, pack, logger: app.logger, now: app.now, queryTimeoutMs: CONSOLE_QUERY_TIMEOUT_MS };
}

/** Runs one command line; exit status 0, or 2 when the reply is an error. */
export async function runAsk(deps: CommandDeps, line: string, opts: { json: boolean }, out: Out): Promise<number> {
  const indexed = await catchUpSearch(deps);
  if (indexed > 0) out.err(`(indexed ${indexed} newly analysed articles for search)`);
  const reply = await runCommandLine(line, consoleCaller(), deps);
  const text = renderReply(reply);
  if (opts.json) out.line(JSON.stringify({ text, ephemeral: reply.ephemeral, reply }));
  else out.line(text);
  return reply.kind === 'error' ? 2 : 0;
}
