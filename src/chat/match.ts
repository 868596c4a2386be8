/**
 * Whether a story belongs in a channel (its subscription's filters), quiet hours in the channel's time
 * zone, and what counts as a material change worth alerting the channel again. Pure functions.
 */
import type { Subscription, StoryState } from '../store/chat.ts';
import type { EngineArticle, StoryRow } from '../store/newsroom.ts';
import type { Importance } from './types.ts';
import { outletName } from './documents.ts';

const RANK: Record<Importance, number> = { routine: 0, notable: 1, breaking: 2 };
export const importanceRank = (i: Importance) => RANK[i];

export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

export interface Candidate {
  story: StoryRow;
  /** The report that triggered this decision. */
  article: EngineArticle;
  /** Relevance score 0..1 of that report. */
  relevance: number;
  /** Pack topic ids and canonical actor names, for matching. */
  topicNames?: Map<string, string>;
}

/** Null when the story matches the subscription, else the reason it was filtered (shown by /why). */
export function filterReason(sub: Subscription, c: Candidate): string | null {
  const { story, article } = c;
  if (sub.paused) return `subscription paused${sub.pausedReason ? `: ${sub.pausedReason}` : ''}`;
  if (RANK[story.importance] < RANK[sub.minImportance]) return `importance ${story.importance} is below the channel's minimum (${sub.minImportance})`;
  if (c.relevance < sub.minRelevance) return `relevance ${c.relevance.toFixed(2)} is below the channel's minimum (${sub.minRelevance.toFixed(2)})`;
  if (sub.languages.length > 0) {
    const langs = new Set([...(story.languages ?? []), article.language].filter(Boolean));
    if (!sub.languages.some((l) => langs.has(l as 'en' | 'es'))) return `language ${[...langs].join('/') || 'unknown'} is not one of ${sub.languages.join(', ')}`;
  }
  if (sub.topics.length > 0) {
    const have = new Set(story.topics.flatMap((t) => [fold(t), fold(c.topicNames?.get(t) ?? t)]));
    if (!sub.topics.some((t) => have.has(fold(t)))) return `no subscribed topic (${sub.topics.join(', ')})`;
  }
  if (sub.actors.length > 0) {
    const have = new Set([...story.actors, ...article.actors].map(fold));
    if (!sub.actors.some((a) => have.has(fold(a)))) return `no subscribed actor (${sub.actors.join(', ')})`;
  }
  if (sub.keywords.length > 0) {
    const text = fold(`${story.headline}\n${story.summary.map((b) => b.text).join('\n')}\n${article.title}\n${article.text}`);
    if (!sub.keywords.some((k) => containsWord(text, fold(k)))) return `no subscribed keyword (${sub.keywords.join(', ')})`;
  }
  if (sub.sources.length > 0) {
    const name = fold(outletName(article));
    const host = hostOf(article.url);
    if (!sub.sources.some((s) => fold(s) === name || (host !== null && (host === fold(s) || host.endsWith(`.${fold(s)}`))))) {
      return `source ${outletName(article)} is not one of ${sub.sources.join(', ')}`;
    }
  }
  return null;
}

function containsWord(text: string, word: string): boolean {
  if (!word) return false;
  const i = text.indexOf(word);
  if (i < 0) return false;
  const before = i === 0 ? ' ' : text[i - 1]!;
  const after = text[i + word.length] ?? ' ';
  return !/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after);
}

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '').toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Minutes after local midnight of `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * When quiet hours are on at `now`: the moment they end (to the minute); else null.
 * quiet 22:00-07:00 spans midnight; start == end means no quiet hours.
 */
export function quietUntil(sub: Pick<Subscription, 'quietStart' | 'quietEnd' | 'timeZone'>, now: Date): Date | null {
  const { quietStart: s, quietEnd: e } = sub;
  if (s === null || e === null || s === e) return null;
  const m = localMinutes(now, sub.timeZone);
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return null;
  const left = (e - m + 1440) % 1440;
  const end = new Date(now.getTime() + left * 60_000);
  end.setUTCSeconds(0, 0);
  return end;
}

const FIGURE_PATTERNS: Record<string, RegExp> = {
  killed: /(\d[\d,.]*)\s+(?:people\s+|persons\s+)?(?:were\s+)?(?:killed|dead|deaths|died|muertos|muertas|fallecidos|asesinados|asesinadas|personas\s+muertas|víctimas)/giu,
  arrested: /(\d[\d,.]*)\s+(?:people\s+|suspects\s+|personas\s+)?(?:were\s+)?(?:arrested|detained|arrests|detenidos|detenidas|capturados|aprehendidos|arrestados)/giu,
  wounded: /(\d[\d,.]*)\s+(?:people\s+)?(?:were\s+)?(?:wounded|injured|heridos|heridas|lesionados)/giu,
};

/** Casualty and arrest figures stated in a text ("12 killed", "30 detenidos"): the largest per kind. */
export function extractFigures(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, re] of Object.entries(FIGURE_PATTERNS)) {
    for (const m of text.matchAll(re)) {
      const n = Number(m[1]!.replace(/[,.]/g, ''));
      if (Number.isFinite(n) && n > 0 && n < 1_000_000) out[kind] = Math.max(out[kind] ?? 0, n);
    }
  }
  return out;
}

/** The story's state as the channel would know it after seeing this report. */
export function nextState(prev: StoryState | null, story: StoryRow, article: EngineArticle): StoryState {
  const figures = { ...(prev?.figures ?? {}) };
  for (const [k, v] of Object.entries(extractFigures(`${article.title}\n${article.text}`))) figures[k] = Math.max(figures[k] ?? 0, v);
  return { importance: story.importance, official: (prev?.official ?? false) || article.tier === 'official', figures };
}

/** A material change between what the channel heard and now (a reason to alert the channel again), or null. */
export function materialChange(prev: StoryState, next: StoryState): { key: string; reason: string } | null {
  if (next.importance === 'breaking' && prev.importance !== 'breaking') return { key: 'breaking', reason: 'became breaking' };
  if (next.official && !prev.official) return { key: 'official', reason: 'official statement' };
  for (const [k, v] of Object.entries(next.figures)) {
    const before = prev.figures[k];
    if (before === undefined || v > before) return { key: `${k}-${v}`, reason: `new ${k} figure: ${v}${before ? ` (was ${before})` : ''}` };
  }
  return null;
}
