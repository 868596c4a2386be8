/**
 * Payloads the fake Discord sends, shaped like Discord's (developer docs: Guild, Interaction, Message),
 * with only what discord.js reads filled in.
 */
import type { FakeMessage } from './discord.ts';

export const ALL_PERMISSIONS = '2251799813685247';

export function botUser(id: string) {
  return { id, username: 'frontera', discriminator: '0', global_name: 'Frontera', avatar: null, bot: true };
}

/** GUILD_CREATE for one guild with its text channels. */
export function guildPayload(guildId: string, channels: Array<{ id: string; name: string }>) {
  return {
    id: guildId,
    name: 'Newsroom',
    icon: null,
    owner_id: '1500000000000000009',
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: guildId, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '1071698660929', managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_flags: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2026-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [],
    channels: channels.map((c, i) => ({ id: c.id, type: 0, name: c.name, position: i, permission_overwrites: [], guild_id: guildId })),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface InteractionInput {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channel: { id: string; type: number; name: string };
  userId: string;
  permissions: string;
  autocomplete: boolean;
  commandId: string;
  command: string;
  options: unknown[];
}

/** INTERACTION_CREATE data: a slash command (type 2) or an autocomplete request (type 4). */
export function interactionPayload(i: InteractionInput) {
  return {
    id: i.id,
    application_id: i.applicationId,
    type: i.autocomplete ? 4 : 2,
    token: i.token,
    version: 1,
    guild_id: i.guildId,
    channel_id: i.channel.id,
    channel: { id: i.channel.id, type: i.channel.type, name: i.channel.name, guild_id: i.guildId, permissions: ALL_PERMISSIONS, flags: 0 },
    member: {
      user: { id: i.userId, username: 'reporter', discriminator: '0', global_name: 'Reporter', avatar: null },
      roles: [],
      permissions: i.permissions,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: ALL_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': i.guildId },
    context: 0,
    data: { id: i.commandId, name: i.command, type: 1, guild_id: i.guildId, options: i.options },
  };
}

/** A message as Discord returns it; like Discord, only the create response echoes the nonce. */
export function publicMessage(m: FakeMessage, withNonce = false) {
  return {
    id: m.id, channel_id: m.channel_id, author: m.author, content: m.content, embeds: m.embeds, flags: m.flags, type: 0,
    ...(withNonce && m.nonce ? { nonce: m.nonce } : {}), timestamp: new Date().toISOString(), edited_timestamp: m.edited_timestamp, attachments: [], components: [],
    mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false,
    ...(m.thread ? { thread: { id: m.thread.id, name: m.thread.name, type: 11 } } : {}),
  };
}

/** A message created through the interaction webhook (original response or follow-up). */
export function webhookMessage(id: string, channelId: string, applicationId: string, author: unknown, data: any) {
  return {
    id, channel_id: channelId, author, content: data?.content ?? '', embeds: data?.embeds ?? [],
    flags: data?.flags ?? 0, type: 20, timestamp: new Date().toISOString(), edited_timestamp: null, attachments: [], components: [],
    mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, webhook_id: applicationId, application_id: applicationId,
  };
}
