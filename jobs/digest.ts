/**
 * digest: for every channel in hourly or daily mode whose period has come, gathers the stories queued
 * for it, groups them by importance (breaking first) with counts and links, and records one digest
 * post (key digest:<period>, so a re-run or a second scheduler never sends it twice). The deliver job
 * posts it like any alert.
 */
import { z } from 'zod';
import { nonceFor } from '../src/chat/channels.ts';
import { buildAlert } from '../src/chat/documents.ts';
import { importanceRank, localMinutes } from '../src/chat/match.ts';
import type { ChannelRef, DigestDocument, Importance } from '../src/chat/types.ts';
import type { ChatStore, Subscription } from '../src/store/chat.ts';
import type { NewsroomStore } from '../src/store/newsroom.ts';
import type { JobDefinition } from './types.ts';

export interface DigestDeps {
  chat: ChatStore;
  newsroom: NewsroomStore;
  now: () => Date;
  deliver(channel: ChannelRef): Promise<void>;
}

export const digestPayload = z.object({
  /** Only this channel ("platform:workspace:channel"); all due channels when absent. */
  channel: z.string().optional(),
  /** Send now even if the period has not come (the /digest command's "send now"). */
  force: z.boolean().optional(),
});
export type DigestPayload = z.infer<typeof digestPayload>;

/** The period a digest at `at` belongs to, in the channel's time zone: "2026-01-05T14" or "2026-01-05". */
export function periodKey(sub: Pick<Subscription, 'mode' | 'timeZone'>, at: Date): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: sub.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return sub.mode === 'hourly' ? `${day}T${parts.hour}` : day;
}

/** Whether the channel's digest is due at `now`. */
export function digestDue(sub: Subscription, now: Date): boolean {
  if (sub.paused || sub.mode === 'immediate') return false;
  if (sub.mode === 'daily' && localMinutes(now, sub.timeZone) < sub.digestAt) return false;
  return !sub.lastDigestAt || periodKey(sub, sub.lastDigestAt) !== periodKey(sub, now);
}

/** Builds the digest document over stories; null when there is nothing to say. */
export async function buildDigest(newsroom: NewsroomStore, storyIds: string[], title: string, from: Date, to: Date): Promise<DigestDocument | null> {
  const groups = new Map<Importance, DigestDocument['groups'][number]>();
  for (const id of [...new Set(storyIds)]) {
    const alert = await buildAlert(newsroom, id);
    if (!alert) continue;
    const g = groups.get(alert.importance) ?? { importance: alert.importance, count: 0, stories: [] };
    g.count++;
    g.stories.push({ storyId: id, headline: alert.headline, url: alert.url, sources: alert.sources.length, updatedAt: alert.updatedAt });
    groups.set(alert.importance, g);
  }
  const list = [...groups.values()].sort((a, b) => importanceRank(b.importance) - importanceRank(a.importance));
  for (const g of list) g.stories.sort((a, b) => b.sources - a.sources || b.updatedAt.localeCompare(a.updatedAt));
  const total = list.reduce((n, g) => n + g.count, 0);
  return total === 0 ? null : { title, from: from.toISOString(), to: to.toISOString(), total, groups: list };
}

/** Records the due digests; returns the channels that got one. */
export async function runDigests(deps: DigestDeps, payload: DigestPayload): Promise<string[]> {
  const now = deps.now();
  const sent: string[] = [];
  for (const sub of await deps.chat.subscriptions()) {
    const key = `${sub.channel.platform}:${sub.channel.workspaceId}:${sub.channel.channelId}`;
    if (payload.channel && payload.channel !== key) continue;
    if (!(payload.force ? !sub.paused : digestDue(sub, now))) continue;
    const queued = await deps.chat.digestQueue(sub.channel);
    const period = payload.force ? now.toISOString() : periodKey(sub, now);
    const digestKey = `digest:${period}`;
    const from = sub.lastDigestAt ?? queued[0]?.createdAt ?? now;
    const title = sub.mode === 'hourly' ? 'Hourly digest' : sub.mode === 'daily' ? 'Daily digest' : 'Digest';
    const doc = await buildDigest(deps.newsroom, queued.map((q) => q.storyId!).filter(Boolean), title, from, now);
    if (doc) {
      await deps.chat.record({ channel: sub.channel, key: digestKey, kind: 'digest', outcome: 'pending', nonce: nonceFor(sub.channel, digestKey), payload: doc as unknown as Record<string, unknown> });
      await deps.chat.markDigested(queued.map((q) => q.id), digestKey);
      await deps.deliver(sub.channel);
      sent.push(key);
    }
    await deps.chat.markDigestSent(sub.channel, now);
  }
  return sent;
}

export const digestJob: JobDefinition<DigestDeps, DigestPayload, string[]> = {
  name: 'digest',
  payload: digestPayload,
  concurrency: 1,
  attempts: 3,
  process: runDigests,
};
