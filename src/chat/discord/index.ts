/**
 * The Discord surface, for the composition root. No discord.js type leaves this folder.
 *
 *   const discord = await startDiscord({ token, applicationId, apiUrl, commands, run, complete, logger });
 *   discord.gateway.postAlert(...);   // ChatGateway for jobs/deliver.ts
 *   await discord.stop();             // on SIGTERM: waits for answers in flight, closes the gateway
 *
 * Processes that only deliver (the `worker` role) need no gateway connection: createDiscordDelivery.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { ChatGateway } from '../types.ts';
import { createDiscordGateway } from './gateway.ts';
import { adminCheck, handleInteraction, type Complete, type DiscordMember, type InteractionDeps, type RunCommand } from './interactions.ts';
import { createDeliveryRest, interactionRestOptions } from './rest.ts';
import { NO_MENTIONS } from './gateway.ts';

export type { Complete, DiscordMember, RunCommand };
export { adminCheck };
export { runRegister } from './register.ts';

/** What the surface needs: the interaction handler's deps plus how to reach Discord. */
export interface DiscordSettings extends InteractionDeps {
  token: string;
  applicationId: string;
  /** DISCORD_API_URL; default https://discord.com/api. */
  apiUrl?: string | null;
}

export interface DiscordSurface {
  gateway: ChatGateway;
  stop(): Promise<void>;
}

/** ChatGateway without a gateway connection (REST only). */
export function createDiscordDelivery(s: { token: string; apiUrl?: string | null; logger: Logger }): ChatGateway {
  return createDiscordGateway(createDeliveryRest(s), { logger: s.logger });
}

/** Connects to the Discord gateway, answers slash commands, and returns the delivery gateway. */
export async function startDiscord(s: DiscordSettings): Promise<DiscordSurface> {
  const logger = s.logger.child({ chat: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    rest: interactionRestOptions({ apiUrl: s.apiUrl }),
  });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    const p = handleInteraction(interaction, { ...s, logger }).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'discord: client error'));
  client.on(Events.ShardDisconnect, (ev, shard) => logger.warn({ code: ev.code, shard }, 'discord: gateway disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(s.token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw err;
  }
  if (client.application?.id && client.application.id !== s.applicationId) {
    logger.warn({ configured: s.applicationId, actual: client.application.id }, 'discord: DISCORD_APPLICATION_ID does not match the token\'s application');
  }
  logger.info({ guilds: client.guilds.cache.size, user: client.user?.tag }, 'discord: connected');

  return {
    gateway: createDiscordDelivery({ token: s.token, apiUrl: s.apiUrl, logger }),
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
  };
}
