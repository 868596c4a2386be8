/** `/subscriptions [all]`: this channel's subscription; admins may list every channel's. */
import { channelKey } from '../src/chat/channels.ts';
import type { Command } from './types.ts';
import { channelFor, chatOf, describeSubscription, errorOf, hhmm, isReply } from './chat-services.ts';

export const subscriptions: Command = {
  name: 'subscriptions',
  description: "This channel's subscription (admins: `all` lists every channel)",
  usage: '/subscriptions [all]',
  options: [{ name: 'scope', description: '"all" for every channel (admins)', type: 'string' }],
  parse: (text) => (text.trim() ? { scope: text.trim().toLowerCase() } : {}),
  async run({ args, caller, deps }) {
    const chat = chatOf(deps);
    if (isReply(chat)) return chat;
    if (args.scope === 'all') {
      if (!caller.isAdmin) return errorOf('Only admins can list every channel', 'Run /subscriptions in a channel to see its own.');
      const all = await chat.store.subscriptions();
      return {
        kind: all.length ? 'answer' : 'empty', title: `${all.length} subscribed channel(s)`, ephemeral: true,
        sections: [{ lines: all.map((s) => ({
          text: `${channelKey(s.channel)}: ${[...s.topics, ...s.actors, ...s.keywords].join(', ') || 'the whole beat'}; ${s.mode}${s.mode === 'daily' ? ` at ${hhmm(s.digestAt)}` : ''}; min ${s.minImportance}${s.paused ? `; PAUSED (${s.pausedReason ?? ''})` : ''}`,
        })) }],
      };
    }
    const channel = channelFor(caller, args.scope);
    if (isReply(channel)) return channel;
    const sub = await chat.store.subscription(channel);
    if (!sub) return { kind: 'empty', title: 'This channel has no subscription', text: 'Start one with /subscribe, e.g. /subscribe CJNG importance:notable.', sections: [], ephemeral: true };
    return { kind: 'answer', title: 'Subscription of this channel', sections: describeSubscription(sub), ephemeral: true };
  },
};
