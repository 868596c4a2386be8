/**
 * `/subscribe [filters]`: this channel gets alerts for part of the beat. Filters add up; a new
 * subscription never floods the channel (existing stories are not posted; `backfill:5` shows the last
 * five matching stories once, as one message).
 *
 *   /subscribe CJNG fentanyl importance:notable quiet:22:00-07:00 tz:America/Mexico_City
 *   /subscribe actors:"Omar García Harfuch" languages:es mode:daily@08:00 backfill:5
 */
import { nonceFor } from '../src/chat/channels.ts';
import { filterReason } from '../src/chat/match.ts';
import { buildDigest } from '../jobs/digest.ts';
import type { Subscription } from '../src/store/chat.ts';
import type { Command, CommandDeps } from './types.ts';
import { channelFor, chatOf, type ChatServices, describeSubscription, errorOf, isReply, parseFilters, uniq } from './chat-services.ts';

export const subscribe: Command = {
  name: 'subscribe',
  description: 'Get alerts in this channel for topics, actors, keywords or sources',
  usage: '/subscribe [topic|actor|keyword]... [importance:notable] [languages:en,es] [quiet:22:00-07:00 tz:Zone] [mode:immediate|hourly|daily@08:00] [backfill:N]',
  options: [{ name: 'filters', description: 'e.g. CJNG fentanyl importance:notable quiet:22:00-07:00', type: 'string' }],
  parse: (text) => ({ filters: text.trim() }),
  async run({ args, caller, deps }) {
    const chat = chatOf(deps);
    if (isReply(chat)) return chat;
    const spec = parseFilters(String(args.filters ?? ''), deps.pack);
    if (typeof spec === 'string') return errorOf('/subscribe: I could not read that', spec, `Usage: ${subscribe.usage}`);
    const channel = channelFor(caller, spec.channel);
    if (isReply(channel)) return channel;
    const before = await chat.store.subscription(channel);
    const merged = {
      ...spec.patch,
      topics: uniq([...(before?.topics ?? []), ...spec.add.topics]),
      actors: uniq([...(before?.actors ?? []), ...spec.add.actors]),
      keywords: uniq([...(before?.keywords ?? []), ...spec.add.keywords]),
      sources: uniq([...(before?.sources ?? []), ...spec.add.sources]),
      languages: uniq([...(before?.languages ?? []), ...spec.add.languages]),
      // Subscribing again resumes a paused subscription (an admin fixed what paused it).
      paused: false,
      pausedReason: null,
    };
    const { subscription, created } = await chat.store.saveSubscription(channel, merged, caller.userId);
    const notes = [...spec.notes];
    if (before?.paused) notes.push(`Resumed: it had been paused (${before.pausedReason ?? 'no reason recorded'}).`);
    if (spec.backfill) {
      const shown = await backfill(deps, chat, subscription, spec.backfill);
      notes.push(shown ? `The last ${shown} matching stor${shown === 1 ? 'y' : 'ies'} will be posted once, as one message.` : 'No recent story matches yet.');
    } else if (created) notes.push('Stories from before now are not posted; add backfill:5 to see the last five once.');
    return {
      kind: 'answer', ephemeral: false,
      title: created ? 'This channel is subscribed' : 'Subscription updated',
      text: notes.join(' ') || undefined,
      sections: describeSubscription(subscription),
      footer: '/subscriptions shows it, /unsubscribe removes filters or all of it, /why <story> explains any decision.',
    };
  },
};

/** Posts the last `n` matching stories of the past week once, as one digest message. */
async function backfill(deps: CommandDeps, chat: ChatServices, sub: Subscription, n: number): Promise<number> {
  const now = deps.now();
  const recent = await deps.stores.newsroom.recentStories(new Date(now.getTime() - 7 * 86_400_000), 200);
  const picked: string[] = [];
  for (const story of recent) {
    if (picked.length >= n) break;
    const [first] = await deps.stores.newsroom.storyArticles([story.id]);
    if (!first) continue;
    if (!filterReason({ ...sub, paused: false }, { story, article: first, relevance: first.relevance ?? 1 })) picked.push(story.id);
  }
  const doc = await buildDigest(deps.stores.newsroom, picked, `Latest ${picked.length} stories for this channel`, new Date(now.getTime() - 7 * 86_400_000), now);
  if (!doc) return 0;
  const key = `backfill:${sub.id}:${now.toISOString()}`;
  await chat.store.record({ channel: sub.channel, key, kind: 'digest', outcome: 'pending', nonce: nonceFor(sub.channel, key), payload: doc as unknown as Record<string, unknown> });
  await chat.deliver(sub.channel);
  return doc.total;
}
