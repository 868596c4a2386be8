/**
 * Helpers shared by the lookup commands: the knowledge services for a request, links, dates, paging,
 * choice lists, and the platform limits every Reply is held to.
 */
import type { BeatPack } from '../src/kb/pack.ts';
import { createNameIndex, type NameIndex } from '../src/kb/names.ts';
import { describeTarget, type Resolution, type Target } from '../src/kb/lookup.ts';
import { createKbStore, type KbStore, type KbStory } from '../src/store/kb.ts';
import type { Db } from '../src/store/db.ts';
import type { CommandDeps, Reply, ReplyLine, ReplyLink, ReplySection } from './types.ts';

/** Platform limits (Slack section text ~3,000 chars; Discord: 25 fields, 10 embeds). */
export const LIMITS = { text: 3000, fields: 25, sections: 10, lineText: 600 } as const;

const nameIndexes = new WeakMap<BeatPack, NameIndex>();

/** The name index of a pack, built once per pack. */
export function nameIndexFor(pack: BeatPack): NameIndex {
  let idx = nameIndexes.get(pack);
  if (!idx) nameIndexes.set(pack, (idx = createNameIndex(pack)));
  return idx;
}

/** The database handle a command should query: the dispatcher's (time-limited) one when present. */
export function dbOf(deps: CommandDeps): Db {
  return (deps.services?.queryDb as Db | undefined) ?? deps.stores.db;
}

/** Name index and lookup repository for one request. */
export function kbOf(deps: CommandDeps): { names: NameIndex; kb: KbStore } {
  return { names: nameIndexFor(deps.pack), kb: createKbStore(dbOf(deps)) };
}

/** A link list with one http(s) link, or none. */
export function linkTo(url: string | null | undefined, label: string): ReplyLink[] {
  return url && /^https?:\/\//i.test(url) ? [{ url, label: label || 'source' }] : [];
}

/** YYYY-MM-DD of a date (pack dates pass through as written). */
export function day(d: Date | string): string {
  return typeof d === 'string' ? d : d.toISOString().slice(0, 10);
}

/** Splits a trailing "page N" (also "p. N", "página N") off a command's text. */
export function takePage(text: string): { text: string; page: number } | string {
  const m = /^(.*?)\s*\b(?:page|p\.?|p[aá]gina)\s+(\S+)\s*$/i.exec(text);
  if (!m) return { text: text.trim(), page: 1 };
  const n = Number(m[2]);
  if (!Number.isInteger(n) || n < 1 || n > 1000) return `"${m[2]}" is not a page number: use a whole number such as "page 2".`;
  return { text: m[1]!.trim(), page: n };
}

/** The next-page command line, or undefined on the last page. */
export function nextPage(command: string, text: string, page: number, count: number): string | undefined {
  return page < count ? `/${command} ${text ? `${text} ` : ''}page ${page + 1}`.replace(/\s+/g, ' ') : undefined;
}

/** An error reply: what went wrong and what to type instead. */
export function errorReply(title: string, text: string, footer?: string): Reply {
  return { kind: 'error', title, text, sections: [], ephemeral: true, ...(footer ? { footer } : {}) };
}

/** The reply for a name that fits several targets or none: a list of full command lines to pick from. */
export function choicesReply(res: Exclude<Resolution, { status: 'found' }>, query: string, command: string, names: NameIndex): Reply {
  const list = res.status === 'ambiguous' ? res.choices : res.suggestions;
  const choices = list.map((t) => ({ label: describeTarget(t, names), command: `/${command} ${commandName(t)}` }));
  return {
    kind: 'choices',
    title: res.status === 'ambiguous' ? `"${query}" could mean several things` : `Nothing on the beat is called "${query}"`,
    text: res.status === 'ambiguous' ? 'Pick one:' : 'Did you mean one of these?',
    sections: [],
    choices,
    ephemeral: true,
    footer: res.status === 'unknown' ? 'Try /search for words in the news, or /help for what I know.' : undefined,
  };
}

/** The name to put in a command line that resolves to exactly this target. */
export function commandName(t: Target): string {
  return t.name;
}

const MARK: Record<string, string> = { breaking: 'BREAKING', notable: 'notable', routine: '' };

/** One bullet for a story: headline, importance, first report's link. */
export function storyLine(s: KbStory, opts: { summary?: boolean } = {}): ReplyLine {
  const mark = MARK[s.importance] ? `[${MARK[s.importance]}] ` : '';
  const lead = opts.summary && s.summary[0] ? ` — ${s.summary[0].text}` : '';
  return {
    text: `${mark}${s.headline}${lead} (story ${s.id})`,
    date: s.updatedAt.toISOString(),
    links: linkTo(s.url, s.outlet ?? 'source'),
    learned: true,
  };
}

function clipText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * Holds a reply to the platform limits: at most 10 sections, 25 fields, ~3,000 characters of text per
 * section (lines beyond that are dropped with a note), every line and value clipped.
 */
export function fitReply(reply: Reply): Reply {
  let fieldsLeft = LIMITS.fields;
  const sections: ReplySection[] = reply.sections.slice(0, LIMITS.sections).map((s) => {
    const out: ReplySection = { ...s };
    if (s.text) out.text = clipText(s.text, LIMITS.text);
    if (s.fields) {
      out.fields = s.fields.slice(0, Math.max(0, fieldsLeft)).map((f) => ({ ...f, name: clipText(f.name, 256), value: clipText(f.value, 1000) }));
      fieldsLeft -= out.fields.length;
    }
    if (s.lines) {
      let used = (out.text?.length ?? 0) + (out.heading?.length ?? 0);
      const lines: ReplyLine[] = [];
      for (const l of s.lines) {
        const line = { ...l, text: clipText(l.text, LIMITS.lineText) };
        const size = line.text.length + 20 + (line.links ?? []).reduce((n, k) => n + k.url.length + k.label.length + 4, 0);
        if (used + size > LIMITS.text - 40) {
          lines.push({ text: `… ${s.lines.length - lines.length} more not shown` });
          break;
        }
        used += size;
        lines.push(line);
      }
      out.lines = lines;
    }
    return out;
  });
  return {
    ...reply,
    title: clipText(reply.title, 250),
    ...(reply.text ? { text: clipText(reply.text, LIMITS.text) } : {}),
    sections,
    ...(reply.choices ? { choices: reply.choices.slice(0, 25) } : {}),
  };
}
