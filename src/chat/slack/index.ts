/**
 * The Slack surface, for the composition root. The only folder that imports @slack/bolt; no Slack type
 * leaves it.
 *
 *   const slack = createSlackSurface({ botToken, signingSecret, commands, run, ... });
 *   web.addRoutes(slack.routes);          // POST /slack/events (empty in Socket Mode)
 *   await slack.start();                  // Socket Mode connects here
 *   slack.gateway.postAlert(...)          // ChatGateway for jobs/deliver.ts
 *
 * Processes that only deliver (the `worker` role) need no Bolt app: createSlackDelivery.
 */
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Command, Caller, Reply } from '../../../commands/types.ts';
import type { Logger } from '../../log.ts';
import type { Route } from '../../web/server.ts';
import type { ChannelRef, ChatGateway } from '../types.ts';
import { ACTIONS, replyBlocks, replyText } from './blocks.ts';
import { mrkdwn } from './escape.ts';
import { createSlackGateway, type SlackApi } from './gateway.ts';
import { SlackRouteReceiver } from './receiver.ts';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode (required unless appToken is set). */
  signingSecret?: string | null;
  /** Socket Mode when set. */
  appToken?: string | null;
  /** SLACK_API_URL (a local fake in tests); default https://slack.com/api/. */
  apiUrl?: string | null;
  commands: readonly Command[];
  /** Runs one command line ("/brief Sheinbaum") for a caller; never throws (commands/index.ts). */
  run(line: string, caller: Caller): Promise<Reply>;
  isAdmin(userId: string, teamId: string): boolean;
  /** The "Mute this story" button, and its "Undo". */
  mute?(channel: ChannelRef, storyId: string, userId: string): Promise<void>;
  unmute?(channel: ChannelRef, storyId: string): Promise<void>;
  logger: Logger;
  /** Clock for the signature window (tests). */
  now?: () => number;
}

export interface SlackSurface {
  gateway: ChatGateway;
  routes: Route[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** SLACK_API_URL with the trailing slash the Web API client needs. */
export function slackApiUrl(apiUrl?: string | null): string {
  const u = apiUrl ?? 'https://slack.com/api/';
  return u.endsWith('/') ? u : `${u}/`;
}

// Delivery handles 429 and 5xx itself (jobs/deliver.ts): the client must not sleep or retry on its own.
const clientOptions = (apiUrl?: string | null) => ({ slackApiUrl: slackApiUrl(apiUrl), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 15_000 });

/** ChatGateway over the Web API only. */
export function createSlackDelivery(s: { botToken: string; apiUrl?: string | null; logger: Logger }): ChatGateway {
  const client = new webApi.WebClient(s.botToken, { ...clientOptions(s.apiUrl), logger: boltLogger(s.logger), logLevel: LogLevel.ERROR });
  return createSlackGateway(client as unknown as SlackApi);
}

/** Builds the Bolt app (HTTP receiver on our server, or Socket Mode) with every command and button. */
export function createSlackSurface(s: SlackSettings): SlackSurface {
  const logger = s.logger.child({ chat: 'slack' });
  const socket = !!s.appToken;
  if (!socket && !s.signingSecret) throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)');
  const receiver = socket ? null : new SlackRouteReceiver({ signingSecret: s.signingSecret!, logger, now: s.now });
  // Built here rather than by Bolt so SLACK_API_URL also applies to apps.connections.open.
  const socketReceiver = socket
    ? new SocketModeReceiver({ appToken: s.appToken!, logger: boltLogger(logger), logLevel: LogLevel.WARN, installerOptions: { clientOptions: { slackApiUrl: slackApiUrl(s.apiUrl) } } })
    : null;
  const app = new App({
    authorize: botAuthorization(s.botToken, s.apiUrl, logger),
    receiver: socketReceiver ?? receiver!,
    clientOptions: clientOptions(s.apiUrl),
    logger: boltLogger(logger),
    logLevel: LogLevel.WARN,
  });

  const callerOf = (b: { user_id?: string; channel_id?: string; team_id?: string; user?: { id?: string }; channel?: { id?: string }; team?: { id?: string } | null }): Caller => {
    const userId = b.user_id ?? b.user?.id ?? '';
    const teamId = b.team_id ?? b.team?.id ?? '';
    return { platform: 'slack', userId, channelId: b.channel_id ?? b.channel?.id ?? '', workspaceId: teamId, isAdmin: s.isAdmin(userId, teamId) };
  };
  const answer = (reply: Reply, line: string, shared = false) => ({
    response_type: reply.ephemeral && !shared ? 'ephemeral' as const : 'in_channel' as const,
    replace_original: false,
    text: replyText(reply),
    blocks: replyBlocks(shared ? { ...reply, ephemeral: false } : reply, line),
  });

  // Every command under its own name, and all of them under /frontera <command> ...
  for (const c of s.commands) {
    app.command(`/${c.name}`, async ({ command, ack, respond }) => {
      await ack();
      const line = `/${c.name} ${command.text ?? ''}`.trim();
      await respond(answer(await s.run(line, callerOf(command)), line));
    });
  }
  app.command('/frontera', async ({ command, ack, respond }) => {
    await ack();
    const text = (command.text ?? '').trim();
    const line = text ? `/${text.replace(/^\//, '')}` : '/help';
    await respond(answer(await s.run(line, callerOf(command)), line));
  });

  app.action(ACTIONS.share, async ({ ack, body, action, respond }) => {
    await ack();
    const line = (action as { value?: string }).value ?? '';
    const reply = await s.run(line, callerOf(body as never));
    await respond(answer(reply, line, true));
  });
  app.action(new RegExp(`^${ACTIONS.run}_`), async ({ ack, body, action, respond }) => {
    await ack();
    const line = (action as { value?: string }).value ?? '';
    await respond(answer(await s.run(line, callerOf(body as never)), line));
  });
  app.action(ACTIONS.sources, async ({ ack, body, action, respond }) => {
    await ack();
    const line = `/story ${(action as { value?: string }).value ?? ''}`;
    await respond(answer(await s.run(line, callerOf(body as never)), line));
  });
  app.action(ACTIONS.mute, async ({ ack, body, action, respond }) => {
    await ack();
    const storyId = (action as { value?: string }).value ?? '';
    const caller = callerOf(body as never);
    if (!s.mute) return;
    await s.mute({ platform: 'slack', workspaceId: caller.workspaceId, channelId: caller.channelId }, storyId, caller.userId);
    const text = mrkdwn(`Muted story ${storyId} in this channel: its later reports will not be posted here.`);
    await respond({
      response_type: 'ephemeral', replace_original: false, text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Undo' }, action_id: ACTIONS.unmute, value: storyId.slice(0, 2000) }] },
      ],
    });
  });
  app.action(ACTIONS.unmute, async ({ ack, body, action, respond }) => {
    await ack();
    const storyId = (action as { value?: string }).value ?? '';
    const caller = callerOf(body as never);
    if (!s.unmute) return;
    await s.unmute({ platform: 'slack', workspaceId: caller.workspaceId, channelId: caller.channelId }, storyId);
    await respond({ response_type: 'ephemeral', replace_original: true, text: mrkdwn(`Story ${storyId} is no longer muted in this channel.`) });
  });
  app.error(async (err) => {
    logger.error({ err: err.message, code: (err as { code?: string }).code }, 'slack: unhandled error');
  });

  return {
    gateway: createSlackDelivery({ botToken: s.botToken, apiUrl: s.apiUrl, logger }),
    routes: receiver ? [receiver.route()] : [],
    async start() {
      if (socket) await app.start();
    },
    async stop() {
      if (socket) await app.stop();
    },
  };
}

/**
 * Bolt's authorization for our single bot token. Given `token`, Bolt calls auth.test in its constructor
 * and an unreachable Slack at start becomes an unhandled rejection that ends the process; here auth.test
 * runs on the first request, is cached, and is tried again on the next request if it failed.
 */
function botAuthorization(botToken: string, apiUrl: string | null | undefined, logger: Logger) {
  const client = new webApi.WebClient(botToken, { ...clientOptions(apiUrl), logger: boltLogger(logger), logLevel: LogLevel.ERROR });
  let identity: Promise<{ botId: string; botUserId: string }> | null = null;
  return async () => {
    identity ??= client.auth.test().then((r) => ({ botId: String(r.bot_id ?? ''), botUserId: String(r.user_id ?? '') }));
    const mine = identity;
    try {
      return { botToken, ...(await mine) };
    } catch (err) {
      if (identity === mine) identity = null;
      throw err;
    }
  };
}

/** Bolt's logger interface over pino. */
function boltLogger(logger: Logger) {
  let level = LogLevel.WARN;
  return {
    debug: (...m: unknown[]) => logger.debug({ slack: m.map(String).join(' ') }),
    info: (...m: unknown[]) => logger.info({ slack: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => logger.warn({ slack: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ slack: m.map(String).join(' ') }),
    setLevel: (l: typeof level) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
