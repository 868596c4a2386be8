/**
 * ChatGateway for Discord, over REST only (delivery needs no gateway connection): alerts as embeds,
 * a thread started on each alert for its later reports, the parent edited to the current summary,
 * exactly-once posts through message nonces with `enforce_nonce` (Discord remembers them for a few
 * minutes) plus markers in embed footers that findPosted reads back from history after that, every
 * failure as a DeliveryError.
 */
import { createHash } from 'node:crypto';
import { Routes, type APIEmbed, type APIMessage, type REST } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { AlertDocument, ChannelRef, ChatGateway, DigestDocument, MessageRef, ThreadUpdateDocument } from '../types.ts';
import { alertFooter, refMarker, renderAlert, renderDigest, renderThreadUpdate, threadName } from './alerts.ts';
import { escapeText, truncate } from './escape.ts';
import { hasCode, toDeliveryError } from './errors.ts';
import { LIMITS } from './limits.ts';

/** Nothing the bot posts may ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] };

/** Threads on alerts archive after a week without reports (Discord allows 60, 1440, 4320, 10080 minutes). */
const THREAD_ARCHIVE_MINUTES = 10080;
/** Error code Discord returns when a thread already exists for the message. */
const THREAD_ALREADY_CREATED = 160004;
const UNKNOWN_CHANNEL = 10003;
/** Thread gone (10003), alert deleted (10008), thread archived (50083) or locked (160005). */
const THREAD_UNUSABLE = [UNKNOWN_CHANNEL, 10008, 50083, 160005];

export interface DiscordGatewayOptions {
  logger: Logger;
  /** How many recent channel messages findPosted reads (Discord allows at most 100). */
  historyLimit?: number;
}

/**
 * Discord accepts nonces of at most 25 characters; longer ones (ours are "story:channel" keys) are
 * hashed to 25 characters, stable for the same input.
 *   discordNonce('s-123:c-456')  // 's-123:c-456'
 */
export function discordNonce(nonce: string): string {
  if (nonce.length <= LIMITS.nonce) return nonce;
  return createHash('sha256').update(nonce).digest('base64url').slice(0, LIMITS.nonce);
}

/** Builds the Discord ChatGateway on a delivery REST client (see rest.ts for why it never retries). */
export function createDiscordGateway(rest: REST, opts: DiscordGatewayOptions): ChatGateway {
  let botUserId: Promise<string> | null = null;
  const selfId = () => (botUserId ??= (rest.get(Routes.user('@me')) as Promise<{ id: string }>).then((u) => u.id).catch((err) => {
    botUserId = null;
    throw err;
  }));

  async function call<T>(write: boolean, fn: () => Promise<unknown>): Promise<T> {
    try {
      return (await fn()) as T;
    } catch (err) {
      throw toDeliveryError(err, write);
    }
  }

  async function startThread(channelId: string, messageId: string, name: string): Promise<string> {
    try {
      const thread = (await rest.post(Routes.threads(channelId, messageId), {
        body: { name: threadName(name), auto_archive_duration: THREAD_ARCHIVE_MINUTES },
      })) as { id: string };
      return thread.id;
    } catch (err) {
      // A thread started from a message has the message's id; a retry after a lost answer lands here.
      if (hasCode(err, THREAD_ALREADY_CREATED)) return messageId;
      throw err;
    }
  }

  /** Creates a message exactly once per nonce (enforce_nonce: a repeat within minutes returns the first). */
  function rawPost(channelId: string, body: Record<string, unknown>, nonce: string): Promise<APIMessage> {
    return rest.post(Routes.channelMessages(channelId), {
      body: { ...body, allowed_mentions: NO_MENTIONS, nonce, enforce_nonce: true },
    }) as Promise<APIMessage>;
  }

  function post(channelId: string, body: Record<string, unknown>, nonce: string): Promise<APIMessage> {
    return call<APIMessage>(true, () => rawPost(channelId, body, nonce));
  }

  /** A reply to the alert in the channel itself; still fine if the alert was deleted meanwhile. */
  function replyToAlert(channel: ChannelRef, parent: MessageRef, embed: APIEmbed, nonce: string): Promise<APIMessage> {
    const reference = { message_id: parent.messageId, channel_id: channel.channelId, fail_if_not_exists: false };
    return post(channel.channelId, { embeds: [embed], message_reference: reference }, nonce);
  }

  /** Our recent messages in a channel or thread, newest first; a thread that does not exist has none. */
  async function recent(channelId: string, missingIsEmpty: boolean): Promise<APIMessage[]> {
    const limit = String(Math.min(opts.historyLimit ?? 100, 100));
    try {
      return (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit }) })) as APIMessage[];
    } catch (err) {
      if (missingIsEmpty && hasCode(err, UNKNOWN_CHANNEL)) return [];
      throw toDeliveryError(err, false);
    }
  }

  /**
   * A material change: Discord has no "also send to channel", so the report goes to the channel as a
   * reply to the alert (one message, one nonce: exactly once), then a copy into the thread so the
   * thread stays the whole record. The copy is best effort: the channel post is what counted.
   */
  async function broadcast(channel: ChannelRef, parent: MessageRef, update: ThreadUpdateDocument, embed: APIEmbed, nonce: string): Promise<MessageRef> {
    const message = await replyToAlert(channel, parent, embed, nonce);
    try {
      const threadId = parent.threadId ?? (await startThread(channel.channelId, parent.messageId, update.title));
      await post(threadId, { embeds: [embed] }, discordNonce(`${nonce}:thread`));
    } catch (err) {
      opts.logger.warn({ err: toDeliveryError(err, true).message, channelId: channel.channelId, story: update.storyId }, 'discord: could not copy the update into the alert thread');
    }
    return { messageId: message.id };
  }

  return {
    platform: 'discord',

    async postAlert(channel: ChannelRef, alert: AlertDocument, nonce: string): Promise<MessageRef> {
      const message = await post(channel.channelId, { embeds: [renderAlert(alert)] }, discordNonce(nonce));
      const ref: MessageRef = { messageId: message.id };
      // The alert is posted whatever happens next: a failed thread start must not make the job re-post.
      // postThreadUpdate starts the thread later if this one did not.
      try {
        ref.threadId = message.thread?.id ?? (await startThread(channel.channelId, message.id, alert.headline));
      } catch (err) {
        opts.logger.warn({ err: toDeliveryError(err, true).message, channelId: channel.channelId, messageId: message.id }, 'discord: could not start the alert thread; will retry with the next report');
      }
      return ref;
    },

    async updateAlert(channel: ChannelRef, ref: MessageRef, alert: AlertDocument): Promise<void> {
      await call(false, () =>
        rest.patch(Routes.channelMessage(channel.channelId, ref.messageId), {
          body: { embeds: [renderAlert(alert)], allowed_mentions: NO_MENTIONS },
        }),
      );
    },

    async postThreadUpdate(channel: ChannelRef, parent: MessageRef, update: ThreadUpdateDocument, nonce: string): Promise<MessageRef> {
      const n = discordNonce(nonce);
      const embed = renderThreadUpdate(update, n);
      if (update.broadcast) return broadcast(channel, parent, update, embed, n);
      try {
        const threadId = parent.threadId ?? (await startThread(channel.channelId, parent.messageId, update.title));
        const message = await rawPost(threadId, { embeds: [embed] }, n);
        return { messageId: message.id, threadId };
      } catch (err) {
        // One story's thread being locked, archived for good, or deleted with its alert must not pause
        // the whole channel's subscription: the report goes to the channel instead.
        if (!THREAD_UNUSABLE.some((code) => hasCode(err, code))) throw toDeliveryError(err, true);
        opts.logger.info({ channelId: channel.channelId, story: update.storyId, err: (err as Error).message }, 'discord: alert thread unusable; report posted in the channel');
        const message = await replyToAlert(channel, parent, embed, n);
        return { messageId: message.id };
      }
    },

    async findPosted(channel: ChannelRef, storyId: string, nonce: string, parent?: MessageRef): Promise<MessageRef | null> {
      const me = await call<string>(false, selfId);
      const ref = refMarker(discordNonce(nonce));
      const ours = (m: APIMessage) => m.author.id === me;
      const hasRef = (m: APIMessage) => m.embeds.some((e) => e.footer?.text?.endsWith(ref));
      if (parent) {
        // A report: in the alert's thread, or (a broadcast) in the channel as a reply to the alert.
        const threadId = parent.threadId ?? parent.messageId;
        const inThread = (await recent(threadId, true)).find((m) => ours(m) && hasRef(m));
        if (inThread) return { messageId: inThread.id, threadId };
        const inChannel = (await recent(channel.channelId, false)).find((m) => ours(m) && hasRef(m));
        return inChannel ? { messageId: inChannel.id } : null;
      }
      const footer = alertFooter(storyId);
      const found = (await recent(channel.channelId, false)).find(
        (m) => ours(m) && (m.embeds.some((e) => e.footer?.text === footer) || hasRef(m)),
      );
      if (!found) return null;
      return found.thread ? { messageId: found.id, threadId: found.thread.id } : { messageId: found.id };
    },

    async postDigest(channel: ChannelRef, digest: DigestDocument, nonce: string): Promise<MessageRef> {
      const n = discordNonce(nonce);
      const message = await post(channel.channelId, { embeds: [renderDigest(digest, n)] }, n);
      return { messageId: message.id };
    },

    /**
     * Posts a plain notice. Admin notices name a user (FRONTERA_ADMINS=discord:<user id>), not a
     * channel: when the id is not a channel, the notice goes to that user's direct messages.
     */
    async notify(channel: ChannelRef, text: string): Promise<void> {
      const body = { content: truncate(escapeText(text), LIMITS.content), allowed_mentions: NO_MENTIONS };
      await call(true, async () => {
        try {
          return await rest.post(Routes.channelMessages(channel.channelId), { body });
        } catch (err) {
          if (!hasCode(err, UNKNOWN_CHANNEL)) throw err;
          const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: channel.channelId } })) as { id: string };
          return rest.post(Routes.channelMessages(dm.id), { body });
        }
      });
    },
  };
}
