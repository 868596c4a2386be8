/**
 * The narrow interface delivery jobs use to post alerts, whatever the platform. Slack and Discord each
 * implement it inside src/chat/<platform>/; no SDK type crosses this boundary. All strings are plain
 * text: the platform adapter escapes them (mrkdwn, Discord markdown) and suppresses every mention.
 */

export type Importance = 'routine' | 'notable' | 'breaking';

export interface AlertSource {
  /** Outlet name, plain text. */
  label: string;
  url: string;
  published: string;
  language?: string;
}

/** The platform-neutral alert for one story, as of now. The parent message is edited to the latest. */
export interface AlertDocument {
  storyId: string;
  headline: string;
  /** Link for the headline (the first or most authoritative source). */
  url: string;
  bullets: Array<{ text: string; links: Array<{ label: string; url: string }> }>;
  actors: string[];
  topics: string[];
  sources: AlertSource[];
  importance: Importance;
  /** Why this is a new channel-level alert rather than a thread update (e.g. 'new story', 'became breaking'). */
  reason?: string;
  updatedAt: string;
}

/** A later report posted under the alert's thread. */
export interface ThreadUpdateDocument {
  storyId: string;
  articleId: string;
  title: string;
  url: string;
  source: string;
  published: string;
  /** What this report adds, plain text (the engine's "what's new"). */
  whatsNew?: string;
  /**
   * A material change (became breaking, an official statement, a new casualty or arrest figure): the
   * update is also shown in the channel, not only in the thread (Slack: reply_broadcast). `reason` says why.
   */
  broadcast?: boolean;
  reason?: string;
}

/** A scheduled roundup for one channel: stories grouped by importance, with counts and links. */
export interface DigestDocument {
  title: string;
  /** Period covered, ISO 8601. */
  from: string;
  to: string;
  total: number;
  groups: Array<{
    importance: Importance;
    count: number;
    stories: Array<{ storyId: string; headline: string; url: string; sources: number; updatedAt: string }>;
  }>;
}

export interface ChannelRef {
  /** 'console': the terminal of `frontera demo` (a channel with no chat account behind it). */
  platform: 'slack' | 'discord' | 'console';
  /** Slack team or Discord guild id. */
  workspaceId: string;
  channelId: string;
}

/** Where a posted message lives: Slack `ts`, Discord message id (and thread id once started). */
export interface MessageRef {
  messageId: string;
  threadId?: string;
}

/**
 * Failure kinds a gateway throws as DeliveryError; deliver.ts decides retries from `kind` alone.
 * - rate-limited: wait `retryAfterMs`, then retry (never counted as a failure)
 * - transient: 5xx, network, timeout; retry with backoff. `uncertain` when the post may have landed.
 * - permanent: channel gone, bot removed, missing permission; pause the subscription with `reason`.
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'rate-limited' | 'transient' | 'permanent',
    message: string,
    readonly opts: {
      retryAfterMs?: number;
      uncertain?: boolean;
      reason?: string;
      /** Permanent for this one post only (its parent was deleted, the message is too long): the channel is fine. */
      scope?: 'post';
    } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface ChatGateway {
  readonly platform: ChannelRef['platform'];
  /** Posts a new alert. `nonce` is stable per (story, channel) so a retry can be recognised. */
  postAlert(channel: ChannelRef, alert: AlertDocument, nonce: string): Promise<MessageRef>;
  /** Edits an alert already posted to the story's current state. */
  updateAlert(channel: ChannelRef, ref: MessageRef, alert: AlertDocument): Promise<void>;
  /** Posts one later report under the alert (starting the Discord thread if needed). */
  postThreadUpdate(channel: ChannelRef, parent: MessageRef, update: ThreadUpdateDocument, nonce: string): Promise<MessageRef>;
  /**
   * After an uncertain failure: looks for a message already posted with this nonce / story id
   * (Slack: recent history with the story's metadata; Discord: enforce_nonce makes a re-post return
   * the first message). Null when none was posted. `parent` is given for thread replies (Slack looks
   * in that thread); digests pass their nonce as `storyId`.
   */
  findPosted(channel: ChannelRef, storyId: string, nonce: string, parent?: MessageRef): Promise<MessageRef | null>;
  /** Posts a digest (optional: without it the digest goes out as plain text through `notify`). */
  postDigest?(channel: ChannelRef, digest: DigestDocument, nonce: string): Promise<MessageRef>;
  /** Plain-text message to a user or channel (admin notices). */
  notify(channel: ChannelRef, text: string): Promise<void>;
}
