/**
 * `/why <story id | article URL | article id>`: why something was or was not posted in this channel —
 * every decision recorded for it here (delivered, thread update, filtered and why, deferred by quiet
 * hours, queued for the digest, rate-limited, failed and why), or what the engine decided about it.
 */
import type { Delivery } from '../src/store/chat.ts';
import { dbOf } from './util.ts';
import type { Command, ReplyLine } from './types.ts';
import { channelFor, chatOf, errorOf, isReply } from './chat-services.ts';

const WORDS: Record<string, string> = {
  'pending': 'waiting to be posted',
  'delivered': 'posted',
  'thread-update': 'posted in the alert\'s thread',
  'filtered': 'not posted',
  'deferred-quiet-hours': 'held for quiet hours',
  'queued-digest': 'kept for the digest',
  'rate-limited': 'waiting: the platform asked us to slow down',
  'failed': 'failed',
};
const KIND: Record<string, string> = { alert: 'alert', thread: 'later report', realert: 're-alert', digest: 'digest', none: 'report' };

export const why: Command = {
  name: 'why',
  description: 'Why a story or article was or was not posted in this channel',
  usage: '/why <story id | article URL>',
  options: [{ name: 'target', description: 'A story id (from an alert) or an article URL', type: 'string', required: true }],
  parse: (text) => (text.trim() ? { target: text.trim().replace(/^<|>$/g, '') } : 'Give a story id or an article URL.'),
  async run({ args, caller, deps }) {
    const chat = chatOf(deps);
    if (isReply(chat)) return chat;
    const channel = channelFor(caller);
    if (isReply(channel)) return channel;
    const target = String(args.target ?? '');
    const db = dbOf(deps);
    // An article by URL or id; else a story id.
    const { rows } = await db.query<{ id: string; story_id: string | null; title: string; relevant: boolean | null; relevance: number | null; duplicate_of: string | null; baseline: boolean; processed_at: Date | null }>(
      `select id, story_id, title, relevant, relevance, duplicate_of, baseline, processed_at from articles
       where id = $1 or url = $1 or canonical_url = $1 order by published_at limit 1`, [target],
    );
    const article = rows[0] ?? null;
    const storyId = article?.story_id ?? target;
    const story = await deps.stores.newsroom.story(storyId);
    if (!article && !story) return errorOf(`Nothing is known as "${target}"`, 'Give a story id from an alert, or the URL of an article Frontera has read.');

    const decisions = await chat.store.decisionsFor(channel, { storyId: story?.id ?? null, articleId: article?.id ?? null });
    const lines: ReplyLine[] = decisions.flatMap((d) => lineFor(d));
    const engine: string[] = [];
    if (article) {
      if (article.baseline) engine.push('It was already in its feed when the feed was added (a silent baseline): baseline items are never posted.');
      else if (!article.processed_at) engine.push('The engine has not analysed it yet.');
      else if (article.relevant === false) engine.push(`The engine judged it off the beat (relevance ${(article.relevance ?? 0).toFixed(2)}).`);
      else if (article.duplicate_of) engine.push(`It is a copy of an earlier report (${article.duplicate_of}); copies are never posted twice.`);
    }
    const sub = await chat.store.subscription(channel);
    if (!sub) engine.push('This channel has no subscription (/subscribe starts one).');
    else if (sub.paused) engine.push(`This channel's subscription is paused: ${sub.pausedReason ?? 'no reason recorded'}.`);
    if (lines.length === 0 && engine.length === 0) engine.push('No decision was recorded for this channel: it was decided before the channel subscribed, or is still being processed.');
    return {
      kind: 'answer', ephemeral: true,
      title: `Why: ${story?.headline ?? article?.title ?? target}`,
      text: engine.join(' ') || undefined,
      sections: lines.length ? [{ heading: 'Decisions in this channel', lines }] : [],
      footer: story ? `story ${story.id} · importance ${story.importance}` : undefined,
    };
  },
};

function lineFor(d: Delivery): ReplyLine[] {
  const what = `${KIND[d.kind] ?? d.kind}${d.articleId ? ` (article ${d.articleId})` : ''}`;
  const last = `${what}: ${WORDS[d.outcome] ?? d.outcome}${d.reason ? ` — ${d.reason}` : ''}`;
  const earlier = d.history.slice(0, -1).filter((h) => h.outcome !== d.outcome || h.reason !== d.reason)
    .map((h) => ({ text: `${what}: ${WORDS[h.outcome] ?? h.outcome}${h.reason ? ` — ${h.reason}` : ''}`, date: h.at }));
  return [...earlier, { text: last, date: d.updatedAt.toISOString() }];
}
