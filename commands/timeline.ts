/**
 * `/timeline <actor|topic> [since DATE|period]`: curated events and learned stories in date order, newest
 * last. Page 1 is the most recent stretch; each next page goes further back.
 */
import { eventsFor } from '../src/kb/facts.ts';
import { resolveName } from '../src/kb/lookup.ts';
import type { Command, ReplyLine } from './types.ts';
import { choicesReply, day, kbOf, linkTo, nextPage, storyLine, takePage } from './util.ts';

const PER_PAGE = 12;
/** How far back paging goes (stories fetched grow with the page number). */
const MAX_PAGES = 20;

/** "2025-06-01", "2025-06", "2025", "30d", "6w", "3m" (months), "1y", "48h" → the start time; null when unreadable. */
export function parseSinceArg(text: string, now: Date): Date | null {
  const rel = /^(\d{1,4})\s*(h|d|w|m|y)$/i.exec(text.trim());
  if (rel) {
    const n = Number(rel[1]);
    const d = new Date(now);
    const unit = rel[2]!.toLowerCase();
    if (unit === 'h') d.setUTCHours(d.getUTCHours() - n);
    else if (unit === 'd') d.setUTCDate(d.getUTCDate() - n);
    else if (unit === 'w') d.setUTCDate(d.getUTCDate() - 7 * n);
    else if (unit === 'm') d.setUTCMonth(d.getUTCMonth() - n);
    else d.setUTCFullYear(d.getUTCFullYear() - n);
    return d;
  }
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
  return Number.isNaN(d.getTime()) ? null : d;
}

export const timeline: Command = {
  name: 'timeline',
  description: 'Dated events and stories about an actor or topic, newest last',
  usage: '/timeline <actor|topic> [since DATE|30d|6m] [page N]',
  options: [
    { name: 'name', description: 'An actor or topic', type: 'string', required: true, autocomplete: 'actor-or-topic' },
    { name: 'since', description: 'A date (2025-06-01) or a period back from now (30d, 6m, 1y)', type: 'string' },
    { name: 'page', description: 'Page number (page 2 goes further back)', type: 'integer' },
  ],
  parse(text) {
    const p = takePage(text);
    if (typeof p === 'string') return p;
    const m = /^(.*?)\s+(?:since|desde)\s+(\S+)$/i.exec(p.text);
    const name = (m ? m[1]! : p.text).trim();
    if (!name) return 'Tell me who or what: /timeline Sheinbaum since 2025-06, /timeline transfers.';
    return { name, page: p.page, ...(m ? { since: m[2]! } : {}) };
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const query = String(args.name ?? '');
    const page = Math.min(Number(args.page ?? 1) || 1, MAX_PAGES);
    let since: Date | null = null;
    if (args.since !== undefined) {
      since = parseSinceArg(String(args.since), deps.now());
      if (!since) {
        return { kind: 'error', title: `"${args.since}" is not a date or period`, text: 'Use a date (2025-06-01, 2025-06, 2025) or a period back from now (30d, 6w, 3m, 1y).', sections: [], ephemeral: true };
      }
    }
    const res = await resolveName(query, names, kb);
    if (res.status !== 'found') return choicesReply(res, query, 'timeline', names);
    const t = res.target;
    const filter = t.kind === 'topic' ? { topic: t.id, since } : { actor: t.id, since };
    const sinceDay = since ? day(since) : '';
    const events = t.kind === 'learned' ? [] : eventsFor(deps.pack, t.kind === 'topic' ? { topic: t.id } : { actor: t.id })
      .filter((e) => !sinceDay || (e.end_date ?? e.date) >= sinceDay.slice(0, e.date.length));
    const [count, stories] = await Promise.all([
      kb.countStories(filter), kb.stories(filter, { limit: page * PER_PAGE, order: 'first' }),
    ]);
    const total = count + events.length;
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    type Entry = { at: string; line: ReplyLine };
    const entries: Entry[] = [
      ...events.map((e) => ({ at: e.date, line: { text: `${e.title}`, date: e.end_date ? `${e.date}/${e.end_date}` : e.date, links: linkTo(e.sources[0], 'source') } })),
      ...stories.map((s) => ({ at: s.firstSeen.toISOString(), line: { ...storyLine(s), date: s.firstSeen.toISOString() } })),
    ].sort((a, b) => b.at.localeCompare(a.at));
    const slice = entries.slice((page - 1) * PER_PAGE, page * PER_PAGE).reverse();
    const args2 = `${t.name}${args.since ? ` since ${args.since}` : ''}`;
    if (slice.length === 0) {
      return {
        kind: 'empty', title: `Timeline: ${t.name}`, sections: [], ephemeral: true,
        text: page > 1 ? `There is no page ${page}; the timeline has ${pages}.` : `Nothing dated${since ? ` since ${day(since)}` : ''} yet for ${t.name}.`,
      };
    }
    return {
      kind: 'answer', title: `Timeline: ${t.name}`, ephemeral: true,
      text: `${total} dated entr${total === 1 ? 'y' : 'ies'}${since ? ` since ${day(since)}` : ''}: beat pack events and stories from the news (marked learned). Newest last.`,
      sections: [{ lines: slice.map((e) => e.line) }],
      ...(pages > 1 ? { page: { index: page, count: Math.min(pages, MAX_PAGES), next: page < MAX_PAGES ? nextPage('timeline', args2, page, pages) : undefined } } : {}),
      footer: pages > 1 ? `Page ${page} of ${pages}; later pages go further back.` : undefined,
    };
  },
};
