/**
 * Runs a few commands once at start, before the chat surfaces take traffic: the lookup indexes
 * (names, aliases) and the database's first plans are built here rather than inside the first
 * reporter's slash command, which would otherwise hold the event loop for about a second.
 */
import { runCommandLine } from '../../commands/index.ts';
import type { Caller, CommandDeps } from '../../commands/types.ts';

const WARM_CALLER: Caller = { platform: 'console', userId: 'warm-up', channelId: 'console', workspaceId: 'console', isAdmin: false };

export async function warmUp(deps: CommandDeps, lines = ['/help', '/brief Sheinbaum', '/search fentanyl', '/latest']): Promise<void> {
  for (const line of lines) await runCommandLine(line, WARM_CALLER, deps);
}
