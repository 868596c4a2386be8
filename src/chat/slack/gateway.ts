/**
 * ChatGateway over the Slack Web API. Alerts carry message metadata (event type frontera_alert with the
 * story id and the nonce), so after an uncertain failure `findPosted` can recognise our own post in the
 * channel's recent history (or in the alert's thread for thread replies) instead of posting twice.
 * Web API failures become DeliveryErrors: 429 -> rate-limited (Retry-After), 5xx and network ->
 * transient (uncertain: the post may have landed), channel gone / bot removed / no permission -> permanent.
 */
import { DeliveryError, type ChatGateway, type ChannelRef, type DigestDocument, type MessageRef } from '../types.ts';
import { alertBlocks, alertText, digestBlocks, threadBlocks, threadText } from './blocks.ts';
import { mrkdwn } from './escape.ts';

/** The one Web API call the gateway needs (Bolt's WebClient has it); tests may pass any client. */
export interface SlackApi {
  apiCall(method: string, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export const METADATA = { alert: 'frontera_alert', update: 'frontera_update', digest: 'frontera_digest' } as const;

// Platform errors that no retry will fix: the channel, the bot's access or its permissions are gone.
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived', 'account_inactive', 'invalid_auth',
  'token_revoked', 'token_expired', 'not_authed', 'missing_scope', 'restricted_action', 'no_permission',
  'team_access_not_granted', 'access_denied', 'ekm_access_denied', 'org_login_required', 'team_not_found',
]);
// Refusals of one message that say nothing about the channel: fail that post, keep the subscription.
const ONE_POST = new Set([
  'thread_not_found', 'message_not_found', 'cant_update_message', 'msg_too_long', 'invalid_blocks', 'invalid_blocks_format',
  'no_text', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'too_many_attachments',
]);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Turns a Web API client error into a DeliveryError. */
export function toDeliveryError(err: unknown, method: string): DeliveryError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  const what = `${method}: ${e.message ?? String(err)}`;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('rate-limited', what, { retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 });
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return new DeliveryError('rate-limited', what, { retryAfterMs: 1000 });
      if (TRANSIENT.has(code)) return new DeliveryError('transient', what, { uncertain: true });
      if (ONE_POST.has(code)) return new DeliveryError('permanent', what, { reason: `Slack refused this message (${code})`, scope: 'post' });
      return new DeliveryError('permanent', what, { reason: PERMANENT.has(code) ? `Slack said ${code}` : `Slack refused the message (${code})` });
    }
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 500) >= 500 || e.statusCode === 408
        ? new DeliveryError('transient', what, { uncertain: true })
        : new DeliveryError('permanent', what, { reason: `Slack answered HTTP ${e.statusCode}` });
    default:
      // Network errors and timeouts: the request may have been processed.
      return new DeliveryError('transient', what, { uncertain: true });
  }
}

/** Creates the Slack gateway over a Web API client. */
export function createSlackGateway(api: SlackApi): ChatGateway {
  const call = async (method: string, options: Record<string, unknown>) => {
    try {
      return await api.apiCall(method, options);
    } catch (err) {
      throw toDeliveryError(err, method);
    }
  };
  const post = async (options: Record<string, unknown>): Promise<MessageRef> => {
    const r = await call('chat.postMessage', { unfurl_links: false, unfurl_media: false, ...options });
    return { messageId: String(r.ts) };
  };
  const matches = (m: Record<string, unknown>, storyId: string, nonce: string) => {
    const md = m.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
    if (!md?.event_payload) return false;
    return md.event_payload.nonce === nonce || (md.event_type === METADATA.alert && md.event_payload.story_id === storyId && !!storyId);
  };

  return {
    platform: 'slack',
    postAlert(channel, alert, nonce) {
      return post({
        channel: channel.channelId, text: alertText(alert), blocks: alertBlocks(alert),
        metadata: { event_type: METADATA.alert, event_payload: { story_id: alert.storyId, nonce } },
      });
    },
    async updateAlert(channel, ref, alert) {
      await call('chat.update', {
        channel: channel.channelId, ts: ref.messageId, text: alertText(alert), blocks: alertBlocks(alert),
        metadata: { event_type: METADATA.alert, event_payload: { story_id: alert.storyId } },
      });
    },
    async postThreadUpdate(channel, parent, update, nonce) {
      const ref = await post({
        channel: channel.channelId, thread_ts: parent.messageId, text: threadText(update), blocks: threadBlocks(update),
        ...(update.broadcast ? { reply_broadcast: true } : {}),
        metadata: { event_type: METADATA.update, event_payload: { story_id: update.storyId, article_id: update.articleId, nonce } },
      });
      return { messageId: ref.messageId, threadId: parent.messageId };
    },
    async findPosted(channel, storyId, nonce, parent) {
      // A few pages back is enough: the lookup follows a failed attempt by seconds or minutes.
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const r = parent
          ? await call('conversations.replies', { channel: channel.channelId, ts: parent.messageId, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) })
          : await call('conversations.history', { channel: channel.channelId, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) });
        const found = ((r.messages as Array<Record<string, unknown>>) ?? []).find((m) => matches(m, parent ? '' : storyId, nonce));
        if (found) return parent ? { messageId: String(found.ts), threadId: parent.messageId } : { messageId: String(found.ts) };
        cursor = (r.response_metadata as { next_cursor?: string } | undefined)?.next_cursor || undefined;
        if (!r.has_more || !cursor) return null;
      }
      return null;
    },
    async postDigest(channel: ChannelRef, digest: DigestDocument, nonce: string) {
      return post({
        channel: channel.channelId, text: mrkdwn(`${digest.title}: ${digest.total} stories`), blocks: digestBlocks(digest),
        metadata: { event_type: METADATA.digest, event_payload: { nonce } },
      });
    },
    async notify(channel, text) {
      await post({ channel: channel.channelId, text: mrkdwn(text) });
    },
  };
}
