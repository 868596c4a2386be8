/**
 * What the subscription commands (/subscribe, /unsubscribe, /subscriptions, /why, /digest, /feeds) need
 * from the running bot, passed in CommandDeps.services.chat by the composition root, plus the option
 * parsing they share. Platform-neutral: no chat SDK here.
 *
 *   deps.services = { chat: { store, deliver, runDigest, feeds } satisfies ChatServices }
 */
import type { ChannelRef } from '../src/chat/types.ts';
import { fold, isTimeZone } from '../src/chat/match.ts';
import type { BeatPack } from '../src/kb/pack.ts';
import type { ChatStore, Subscription, SubscriptionPatch } from '../src/store/chat.ts';
import type { Caller, CommandDeps, Reply } from './types.ts';

/** Feed administration for /feeds (adds go through the SSRF guard and a silent baseline poll). */
export interface FeedsAdmin {
  list(): Promise<Array<{ id: number; url: string; name: string | null; status: string; tier: string; lastError: string | null }>>;
  add(url: string, tier?: string): Promise<{ id: number; created: boolean; items: number; error?: string }>;
  remove(id: number): Promise<boolean>;
}

export interface ChatServices {
  store: ChatStore;
  /** Asks for a channel's pending posts to be delivered. */
  deliver(channel: ChannelRef): Promise<void>;
  /** Sends the channel's digest now. */
  runDigest?(channel: ChannelRef): Promise<void>;
  feeds?: FeedsAdmin;
}

/** The chat services, or an error reply when this surface has none (e.g. the console). */
export function chatOf(deps: CommandDeps): ChatServices | Reply {
  const chat = deps.services?.chat as ChatServices | undefined;
  return chat ?? errorOf('Subscriptions are not available here', 'Run this in a Slack or Discord channel where Frontera is installed.');
}

export function errorOf(title: string, text: string, footer?: string): Reply {
  return { kind: 'error', title, text, sections: [], ephemeral: true, ...(footer ? { footer } : {}) };
}

export const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'sections' in x && 'kind' in x;

/**
 * The channel a command is about: the caller's own, or `channel` (an id in the same workspace, or
 * platform:workspace:channel) for admins. A Reply when not allowed or not a chat channel.
 */
export function channelFor(caller: Caller, other?: unknown): ChannelRef | Reply {
  if (caller.platform === 'console') return errorOf('Subscriptions belong to chat channels', 'Run this in a Slack or Discord channel.');
  const own: ChannelRef = { platform: caller.platform, workspaceId: caller.workspaceId, channelId: caller.channelId };
  if (typeof other !== 'string' || other === '' || other === caller.channelId) return own;
  if (!caller.isAdmin) return errorOf('Only admins can manage other channels', 'Run the command in that channel, or ask an admin.');
  const parts = other.split(':');
  if (parts.length === 3 && (parts[0] === 'slack' || parts[0] === 'discord')) return { platform: parts[0], workspaceId: parts[1]!, channelId: parts[2]! };
  return { ...own, channelId: other.replace(/^#/, '') };
}

/** Splits "actors:\"Omar García Harfuch\",CJNG mode:daily fentanyl" into key/value pairs and bare words. */
export function tokens(text: string): { pairs: Array<[string, string]>; bare: string[] } | string {
  const pairs: Array<[string, string]> = [];
  const bare: string[] = [];
  const re = /(?:([A-Za-z][\w-]*):)?("([^"]*)"|“([^”]*)”|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const value = m[3] ?? m[4] ?? m[5] ?? '';
    if (m[1]) {
      // A value may continue after a quoted part: actors:"A B",C
      let v = value;
      while (text[re.lastIndex] === ',') {
        const more = /^,("([^"]*)"|([^\s,]+))/.exec(text.slice(re.lastIndex));
        if (!more) break;
        v += `,${more[2] ?? more[3]}`;
        re.lastIndex += more[0].length;
      }
      pairs.push([m[1].toLowerCase(), v]);
    } else bare.push(value);
  }
  return { pairs, bare };
}

const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);

/** "22:00" -> 1320; null when not a time. */
export function minutesOf(hhmm: string): number | null {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(hhmm.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** Pack topic id for a name in either language, or null. */
export function topicId(pack: BeatPack, name: string): string | null {
  const f = fold(name);
  return pack.topics.find((t) => fold(t.id) === f || fold(t.name) === f || fold(t.name_es) === f)?.id ?? null;
}

/** Canonical actor name for a name or alias, or null. */
export function actorName(pack: BeatPack, name: string): string | null {
  const f = fold(name);
  return pack.actors.find((a) => fold(a.name) === f || a.aliases.some((x) => fold(x) === f) || fold(a.id) === f)?.name ?? null;
}

export interface FilterSpec {
  patch: SubscriptionPatch;
  /** Values to add to list filters. */
  add: Pick<Subscription, 'topics' | 'actors' | 'keywords' | 'sources' | 'languages'>;
  backfill?: number;
  channel?: string;
  notes: string[];
}

const KEYS: Record<string, string> = {
  topic: 'topics', topics: 'topics', tema: 'topics', temas: 'topics',
  actor: 'actors', actors: 'actors', actor_es: 'actors',
  keyword: 'keywords', keywords: 'keywords', word: 'keywords', words: 'keywords',
  source: 'sources', sources: 'sources', outlet: 'sources',
  language: 'languages', languages: 'languages', lang: 'languages',
  importance: 'importance', min: 'importance', relevance: 'relevance',
  quiet: 'quiet', tz: 'tz', timezone: 'tz', mode: 'mode', at: 'at', backfill: 'backfill', show: 'backfill', channel: 'channel',
};

/** Reads subscription options; a string explains what is wrong. */
export function parseFilters(text: string, pack: BeatPack): FilterSpec | string {
  const t = tokens(text);
  if (typeof t === 'string') return t;
  const spec: FilterSpec = { patch: {}, add: { topics: [], actors: [], keywords: [], sources: [], languages: [] }, notes: [] };
  for (const word of t.bare) {
    const topic = topicId(pack, word);
    const actor = topic ? null : actorName(pack, word);
    if (topic) spec.add.topics.push(topic);
    else if (actor) spec.add.actors.push(actor);
    else spec.add.keywords.push(word);
  }
  for (const [rawKey, value] of t.pairs) {
    const key = KEYS[rawKey];
    if (!key) return `"${rawKey}:" is not an option. Options: topics, actors, keywords, sources, languages, importance, relevance, quiet, tz, mode, at, backfill.`;
    switch (key) {
      case 'topics':
        for (const v of list(value)) {
          const id = topicId(pack, v);
          if (!id) return `"${v}" is not a topic. Topics: ${pack.topics.map((x) => x.id).join(', ')}.`;
          spec.add.topics.push(id);
        }
        break;
      case 'actors':
        for (const v of list(value)) {
          const name = actorName(pack, v);
          if (!name) spec.notes.push(`"${v}" is not in the beat pack: matched by name as written.`);
          spec.add.actors.push(name ?? v);
        }
        break;
      case 'keywords':
        spec.add.keywords.push(...list(value));
        break;
      case 'sources':
        spec.add.sources.push(...list(value));
        break;
      case 'languages':
        for (const v of list(value).map((x) => x.toLowerCase())) {
          if (v !== 'en' && v !== 'es') return `"${v}" is not a language: use en, es or en,es.`;
          spec.add.languages.push(v);
        }
        break;
      case 'importance':
        if (!['routine', 'notable', 'breaking'].includes(value.toLowerCase())) return 'importance: use routine, notable or breaking.';
        spec.patch.minImportance = value.toLowerCase() as Subscription['minImportance'];
        break;
      case 'relevance': {
        const n = Number(value);
        if (!(n >= 0 && n <= 1)) return 'relevance: a number from 0 to 1, e.g. relevance:0.7.';
        spec.patch.minRelevance = n;
        break;
      }
      case 'quiet': {
        if (value === 'off' || value === 'none') {
          spec.patch.quietStart = null;
          spec.patch.quietEnd = null;
          break;
        }
        const [a, b] = value.split('-');
        const s = minutesOf(a ?? '');
        const e = minutesOf(b ?? '');
        if (s === null || e === null) return 'quiet: hours as HH:MM-HH:MM in the channel\'s time zone, e.g. quiet:22:00-07:00 (or quiet:off).';
        spec.patch.quietStart = s;
        spec.patch.quietEnd = e;
        break;
      }
      case 'tz':
        if (!isTimeZone(value)) return `"${value}" is not a time zone: use an IANA name such as America/Mexico_City.`;
        spec.patch.timeZone = value;
        break;
      case 'mode': {
        const [mode, at] = value.toLowerCase().split('@');
        if (mode !== 'immediate' && mode !== 'hourly' && mode !== 'daily') return 'mode: immediate, hourly or daily (daily@08:00 sets the time).';
        spec.patch.mode = mode;
        if (at !== undefined) {
          const m = minutesOf(at);
          if (m === null) return 'mode:daily@HH:MM, e.g. daily@08:00.';
          spec.patch.digestAt = m;
        }
        break;
      }
      case 'at': {
        const m = minutesOf(value);
        if (m === null) return 'at: the daily digest time as HH:MM, e.g. at:08:00.';
        spec.patch.digestAt = m;
        break;
      }
      case 'backfill': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 20) return 'backfill: how many recent stories to show once, 0 to 20.';
        spec.backfill = n;
        break;
      }
      case 'channel':
        spec.channel = value;
        break;
    }
  }
  return spec;
}

/** The subscription as reply sections. */
export function describeSubscription(sub: Subscription): Reply['sections'] {
  const any = (xs: string[]) => (xs.length ? xs.join(', ') : 'any');
  const quiet = sub.quietStart !== null && sub.quietEnd !== null ? `${hhmm(sub.quietStart)}-${hhmm(sub.quietEnd)} (${sub.timeZone}; breaking news still comes through)` : 'none';
  const mode = sub.mode === 'daily' ? `daily digest at ${hhmm(sub.digestAt)} ${sub.timeZone}` : sub.mode === 'hourly' ? 'hourly digest' : 'immediate alerts';
  return [{
    fields: [
      { name: 'Topics', value: any(sub.topics), inline: true },
      { name: 'Actors', value: any(sub.actors), inline: true },
      { name: 'Keywords', value: any(sub.keywords), inline: true },
      { name: 'Sources', value: any(sub.sources), inline: true },
      { name: 'Languages', value: any(sub.languages), inline: true },
      { name: 'Minimum importance', value: sub.minImportance, inline: true },
      { name: 'Minimum relevance', value: sub.minRelevance.toFixed(2), inline: true },
      { name: 'Quiet hours', value: quiet, inline: true },
      { name: 'Mode', value: mode, inline: true },
      ...(sub.paused ? [{ name: 'Paused', value: sub.pausedReason ?? 'yes' }] : []),
    ],
  }];
}

export const uniq = (xs: string[]) => [...new Map(xs.map((x) => [fold(x), x])).values()];
