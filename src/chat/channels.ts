/** Channel keys and stable nonces: the same decision always gets the same nonce (retries are recognisable). */
import { createHash } from 'node:crypto';
import type { ChannelRef } from './types.ts';

/** "slack:T123:C456" */
export const channelKey = (c: ChannelRef) => `${c.platform}:${c.workspaceId}:${c.channelId}`;

/** Parses a channel key; null when malformed. */
export function parseChannelKey(key: string): ChannelRef | null {
  const [platform, workspaceId, ...rest] = key.split(':');
  if ((platform !== 'slack' && platform !== 'discord') || !workspaceId || rest.length === 0) return null;
  return { platform, workspaceId, channelId: rest.join(':') };
}

/** 25 characters (Discord's nonce limit), derived from the channel and the decision key. */
export function nonceFor(c: ChannelRef, key: string): string {
  return createHash('sha256').update(`${channelKey(c)}|${key}`).digest('base64url').slice(0, 25);
}
