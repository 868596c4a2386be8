/** `frontera start [--role ...]`: run the bot until SIGTERM or SIGINT, then drain and stop cleanly. */
import { preferSmallHeap } from '../heap.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp, resolveRedis } from '../main.ts';
import { startRoles, type ChatSurfaceFactory, type Role } from '../roles.ts';
import type { Gateways } from '../chat/wiring.ts';
import { commands, runCommand } from '../../commands/index.ts';
import { adminCheck, createDiscordDelivery, startDiscord } from '../chat/discord/index.ts';
import { completeNames } from '../kb/lookup.ts';
import { createNameIndex } from '../kb/names.ts';
import type { Out } from './output.ts';

const ROLES: Role[] = ['all', 'worker', 'scheduler', 'chat', 'web'];

/** Resolves when a stop signal arrives. */
export function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = () => on('SIGINT');
    const onTerm = () => on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/**
 * Chat platforms beyond Slack (which startRoles builds from the config itself). Discord: REST delivery
 * for every role that delivers, and a gateway connection answering slash commands for the chat role.
 */
export function chatPlatformsFromConfig(config: Config, logger: Logger): { gateways: Gateways; surfaces: ChatSurfaceFactory[] } {
  const gateways: Gateways = {};
  const surfaces: ChatSurfaceFactory[] = [];
  const token = config.discord.token;
  if (token) {
    gateways.discord = createDiscordDelivery({ token, apiUrl: config.discord.apiUrl, logger });
    surfaces.push(async ({ commandDeps }) => {
      const names = createNameIndex(commandDeps.pack);
      const discord = await startDiscord({
        token, applicationId: config.discord.applicationId ?? '', apiUrl: config.discord.apiUrl,
        commands, run: (name, args, caller) => runCommand(name, args, caller, commandDeps),
        complete: async (kind, typed) => completeNames(typed, names, kind),
        isAdmin: adminCheck(config.admins), logger,
      });
      return { platform: 'discord', stop: () => discord.stop() };
    });
  }
  return { gateways, surfaces };
}

/** Starts the requested roles and blocks until a stop signal. */
export async function runStart(config: Config, logger: Logger, opts: { roles: string[] }, out: Out): Promise<number> {
  preferSmallHeap();
  const roles = opts.roles.flatMap((r) => r.split(',')).map((r) => r.trim()) as Role[];
  const bad = roles.filter((r) => !ROLES.includes(r));
  if (bad.length > 0) {
    out.err(`Unknown role(s): ${bad.join(', ')}. Roles: ${ROLES.join(', ')}.`);
    return 64;
  }
  const app = await createApp(config, logger);
  let redis: Awaited<ReturnType<typeof resolveRedis>> | null = null;
  let bot: Awaited<ReturnType<typeof startRoles>> | null = null;
  try {
    redis = await resolveRedis(config, logger);
    const { gateways, surfaces } = chatPlatformsFromConfig(config, logger);
    bot = await startRoles(app, { roles, redisUrl: redis.url, gateways, surfaces });
    if (!config.slack.botToken && !config.discord.token) {
      logger.info('no chat tokens set: running the console and web surfaces only');
    }
    if (config.slack.botToken) logger.info({ slack: config.slack.appToken ? 'socket mode' : `POST /slack/events on port ${bot.web?.port ?? config.port}` }, 'slack enabled');
    logger.info({ roles }, 'frontera started');
    const sig = await waitForStopSignal();
    logger.info({ signal: sig }, 'stopping: draining workers');
    return 0;
  } finally {
    // Also on a failed start (port taken, Redis refused): never leave workers running without the rest.
    await bot?.stop();
    await redis?.managed?.stop();
    await app.close();
    logger.info('stopped');
  }
}
