/**
 * `/digest`: what this channel's digest would hold now; `/digest hourly`, `/digest daily 08:00`,
 * `/digest off` (immediate alerts again), `/digest now` (send the digest at once).
 */
import { buildDigest } from '../jobs/digest.ts';
import type { Command } from './types.ts';
import { channelFor, chatOf, errorOf, hhmm, isReply, minutesOf } from './chat-services.ts';

export const digest: Command = {
  name: 'digest',
  description: "Preview this channel's digest, or set its schedule (hourly, daily HH:MM, off, now)",
  usage: '/digest [hourly | daily HH:MM | off | now]',
  options: [{ name: 'schedule', description: 'hourly, daily 08:00, off or now', type: 'string' }],
  parse(text) {
    const t = text.trim().toLowerCase();
    if (!t) return {};
    const m = /^(hourly|daily|off|now)(?:\s+(?:at\s+)?(\d{1,2}(?::\d{2})?))?$/.exec(t);
    if (!m) return 'Use hourly, daily 08:00, off or now.';
    if (m[2] && minutesOf(m[2]) === null) return `"${m[2]}" is not a time: use HH:MM.`;
    return { schedule: m[1]!, ...(m[2] ? { at: m[2] } : {}) };
  },
  async run({ args, caller, deps }) {
    const chat = chatOf(deps);
    if (isReply(chat)) return chat;
    const channel = channelFor(caller);
    if (isReply(channel)) return channel;
    const sub = await chat.store.subscription(channel);
    if (!sub) return errorOf('This channel has no subscription', 'Start one with /subscribe, then choose a digest schedule.');
    const schedule = args.schedule as string | undefined;
    if (schedule === 'hourly' || schedule === 'daily' || schedule === 'off') {
      const at = args.at ? minutesOf(String(args.at)) : null;
      const { subscription } = await chat.store.saveSubscription(channel, { mode: schedule === 'off' ? 'immediate' : schedule, ...(at !== null ? { digestAt: at } : {}) }, caller.userId);
      const what = subscription.mode === 'immediate' ? 'Immediate alerts again: no digest.'
        : subscription.mode === 'hourly' ? 'An hourly digest replaces immediate alerts.'
        : `A daily digest at ${hhmm(subscription.digestAt)} (${subscription.timeZone}) replaces immediate alerts.`;
      return { kind: 'answer', title: 'Digest schedule set', text: what, sections: [], ephemeral: false };
    }
    if (schedule === 'now') {
      if (!chat.runDigest) return errorOf('Digests cannot be sent from here', 'The bot is not running its scheduler.');
      await chat.runDigest(channel);
      return { kind: 'answer', title: 'Sending the digest now', text: 'Queued stories will be posted as one message.', sections: [], ephemeral: true };
    }
    const queued = await chat.store.digestQueue(channel);
    const now = deps.now();
    const doc = await buildDigest(deps.stores.newsroom, queued.map((q) => q.storyId!).filter(Boolean), 'Digest preview', sub.lastDigestAt ?? now, now);
    if (!doc) {
      return { kind: 'empty', title: 'The next digest is empty so far', text: sub.mode === 'immediate' ? 'This channel gets immediate alerts; /digest daily 08:00 switches to a digest.' : 'Nothing queued yet.', sections: [], ephemeral: true };
    }
    return {
      kind: 'answer', ephemeral: true, title: `Next digest: ${doc.total} stor${doc.total === 1 ? 'y' : 'ies'}`,
      sections: doc.groups.map((g) => ({
        heading: `${g.importance} (${g.count})`,
        lines: g.stories.map((s) => ({ text: `${s.headline} (${s.sources} source${s.sources === 1 ? '' : 's'}, story ${s.storyId})`, date: s.updatedAt, links: s.url ? [{ url: s.url, label: 'first report' }] : [] })),
      })),
    };
  },
};
