/**
 * Resolves what a reporter typed to one actor or topic: the beat pack first (curated), then names the
 * engine learned from the news. The answer is one target, a short list to choose from when the name fits
 * several, or suggestions when nothing fits (never nothing: the caller always has somewhere to go).
 */
import type { KbStore } from '../store/kb.ts';
import { fold } from '../newsroom/text.ts';
import type { NameIndex, PackTarget } from './names.ts';

export type Target = PackTarget | { kind: 'learned'; id: string; key: string; name: string };

export type Resolution =
  | { status: 'found'; target: Target }
  | { status: 'ambiguous'; choices: Target[] }
  | { status: 'unknown'; suggestions: Target[] };

/** Scores within this margin of the best count as equally good (the name is ambiguous). */
const MARGIN = 0.12;
/** A pack match this good makes a trigram search of learned names unnecessary. */
const GOOD_PACK_MATCH = 0.6;
/** Below this, a match is only a suggestion. */
const MIN_SCORE = 0.5;
/** Well-known actors offered when nothing at all resembles the query. */
const FALLBACK = ['claudia-sheinbaum', 'donald-trump', 'cjng', 'sinaloa-cartel', 'omar-garcia-harfuch'];

/**
 * @example await resolveName('sheinbaun', names, kb) // { status: 'found', target: { kind: 'actor', id: 'claudia-sheinbaum', ... } }
 */
export async function resolveName(query: string, names: NameIndex, kb: KbStore): Promise<Resolution> {
  const folded = fold(query);
  const pack = names.match(query).map((s) => ({ target: s.target as Target, score: s.score }));
  const exact = pack.filter((p) => p.score >= 0.95);
  if (exact.length === 1) return { status: 'found', target: exact[0]!.target };
  if (exact.length > 1) return { status: 'ambiguous', choices: exact.slice(0, 8).map((p) => p.target) };

  // A learned name typed exactly; else spelt alike (trigram search), unless the pack already has a good
  // match (curated wins, and the trigram scan is the costly part of a lookup).
  const exactLearned = await kb.learnedActor(folded);
  const similar = exactLearned ? [exactLearned] : (pack[0]?.score ?? 0) >= GOOD_PACK_MATCH ? [] : await kb.findLearned(folded, 5);
  const learned = similar.map((l) => ({
    target: { kind: 'learned', id: `cand:${l.key}`, key: l.key, name: l.name } as Target,
    score: l.key === folded ? 1 : 0.9 * l.similarity,
  }));
  const all = [...pack, ...learned].sort((a, b) => b.score - a.score);
  const top = all[0];
  if (!top || top.score < MIN_SCORE) {
    const suggestions = [...all.map((c) => c.target), ...names.suggest(query).map((s) => s.target)];
    return { status: 'unknown', suggestions: unique(suggestions).slice(0, 5).concat(suggestions.length ? [] : fallback(names)) };
  }
  const close = all.filter((c) => c.score >= top.score - MARGIN);
  if (close.length === 1) return { status: 'found', target: top.target };
  return { status: 'ambiguous', choices: unique(close.map((c) => c.target)).slice(0, 8) };
}

function unique(list: Target[]): Target[] {
  const seen = new Set<string>();
  return list.filter((t) => {
    const k = `${t.kind}:${t.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function fallback(names: NameIndex): Target[] {
  return FALLBACK.map((id) => names.actor(id))
    .filter((a) => a !== undefined)
    .map((a) => ({ kind: 'actor', id: a.id, name: a.name }));
}

/** A short description of a target for a choice list: "Claudia Sheinbaum (person)", "Fentanyl (topic)". */
export function describeTarget(t: Target, names: NameIndex): string {
  if (t.kind === 'topic') return `${t.name} (topic)`;
  if (t.kind === 'learned') return `${t.name} (in the news)`;
  const a = names.actor(t.id);
  const role = a?.roles.find((r) => !r.to)?.title;
  return role ? `${t.name} (${role})` : `${t.name} (${a?.type ?? 'actor'})`;
}

/**
 * Canonical names for autocomplete while someone types (Discord option autocomplete): best matches
 * first, then names spelt alike. Pack names only: it runs on every keystroke, with no database.
 * @example completeNames('shein', names, 'actor') // ['Claudia Sheinbaum Pardo']
 */
export function completeNames(typed: string, names: NameIndex, kind: 'actor' | 'topic' | 'actor-or-topic', limit = 25): string[] {
  const want = (t: { kind: string }) => kind === 'actor-or-topic' || t.kind === kind;
  const found = [...names.match(typed), ...names.suggest(typed, limit)].filter((s) => want(s.target)).map((s) => s.target.name);
  return [...new Set(found)].slice(0, limit);
}
