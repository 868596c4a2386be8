/** `frontera start [--role ...]`: run the bot until SIGTERM or SIGINT, then drain and stop cleanly. */
import { preferSmallHeap } from '../heap.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createApp, resolveRedis } from '../main.ts';
import { startRoles, type ChatSurfaceFactory, type Role } from '../roles.ts';
import type { Gateways } from '../chat/wiring.ts';
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
    // Chat platforms beyond Slack (built from the config inside startRoles) plug in here, keyed by platform:
    // delivery in `gateways` ({ discord: createDiscordDelivery(...) }, for worker-only processes) and the
    // command surface in `surfaces` (a ChatSurfaceFactory around startDiscord; see StartOptions.surfaces).
    const gateways: Gateways = {};
    const surfaces: ChatSurfaceFactory[] = [];
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
