/**
 * `/unsubscribe [filters]`: with no filters, this channel stops getting alerts; with filters, only those
 * are removed (`/unsubscribe actors:CJNG languages:es`).
 */
import { fold } from '../src/chat/match.ts';
import type { Command } from './types.ts';
import { channelFor, chatOf, describeSubscription, errorOf, isReply, parseFilters } from './chat-services.ts';

export const unsubscribe: Command = {
  name: 'unsubscribe',
  description: 'Stop alerts in this channel, or remove some filters',
  usage: '/unsubscribe [topic|actor|keyword]... [sources:x] [languages:es]',
  options: [{ name: 'filters', description: 'Filters to remove; none removes the whole subscription', type: 'string' }],
  parse: (text) => ({ filters: text.trim() }),
  async run({ args, caller, deps }) {
    const chat = chatOf(deps);
    if (isReply(chat)) return chat;
    const spec = parseFilters(String(args.filters ?? ''), deps.pack);
    if (typeof spec === 'string') return errorOf('/unsubscribe: I could not read that', spec, `Usage: ${unsubscribe.usage}`);
    const channel = channelFor(caller, spec.channel);
    if (isReply(channel)) return channel;
    const sub = await chat.store.subscription(channel);
    if (!sub) return { kind: 'empty', title: 'This channel has no subscription', text: 'Nothing to remove. /subscribe starts one.', sections: [], ephemeral: true };
    const removing = Object.values(spec.add).some((l) => l.length > 0);
    if (!removing) {
      await chat.store.removeSubscription(channel);
      return { kind: 'answer', title: 'Unsubscribed', text: 'This channel will get no more alerts or digests. Alerts already posted stay.', sections: [], ephemeral: false };
    }
    const drop = (have: string[], gone: string[]) => have.filter((h) => !gone.some((g) => fold(g) === fold(h)));
    const { subscription } = await chat.store.saveSubscription(channel, {
      topics: drop(sub.topics, spec.add.topics), actors: drop(sub.actors, spec.add.actors), keywords: drop(sub.keywords, spec.add.keywords),
      sources: drop(sub.sources, spec.add.sources), languages: drop(sub.languages, spec.add.languages),
    }, caller.userId);
    return { kind: 'answer', title: 'Filters removed', sections: describeSubscription(subscription), ephemeral: false };
  },
};
