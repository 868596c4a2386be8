/**
 * Name resolution over the beat pack: actors (name, aliases, ambiguous aliases) and topics (English and
 * Spanish names, id). Accents and case never matter (text.ts folding); a query word may be a prefix
 * ("harfu") or a typo ("sheinbaun") of a name word; a query may name only part of a long name
 * ("cartel jalisco"). Learned names from the database are merged in by lookup.ts.
 */
import type { Actor, BeatPack, Topic } from './pack.ts';
import { fold, tokenize } from '../newsroom/text.ts';

export type PackTarget = { kind: 'actor'; id: string; name: string } | { kind: 'topic'; id: string; name: string };

export interface ScoredTarget {
  target: PackTarget;
  /** 0..1: 1 for an exact name or alias. */
  score: number;
  /** The name or alias that matched, as written in the pack. */
  matched: string;
}

interface Key {
  target: PackTarget;
  text: string;
  folded: string;
  words: string[];
  /** Ambiguous aliases rank a little below names and strong aliases. */
  weight: number;
}

/** Words that carry no identity in a name query ("el", "the", "de"). */
const STOP = new Set(['el', 'la', 'los', 'las', 'the', 'de', 'del', 'of', 'y', 'and', 'a', 'an', 'en', 'in']);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Typos allowed in a word of this length. */
function allowedTypos(len: number): number {
  return len < 4 ? 0 : len < 8 ? 1 : 2;
}

/** How well one query word matches one name word (0 = not at all). */
function wordScore(q: string, k: string): number {
  if (q === k) return 1;
  if (q.length >= 4 && k.startsWith(q)) return 0.85;
  const max = allowedTypos(Math.min(q.length, k.length));
  if (max === 0) return 0;
  const d = editDistance(q, k, max);
  return d <= max ? 0.8 - 0.1 * d : 0;
}

/** Trigram set of a folded string, padded like pg_trgm. */
function trigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (const w of s.split(' ')) {
    const p = `  ${w} `;
    for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  }
  return out;
}

/** pg_trgm-style similarity of two folded strings (shared trigrams over all trigrams). */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared || 1);
}

export interface NameIndex {
  /** Pack targets for a query, best first (empty when nothing comes close). */
  match(query: string): ScoredTarget[];
  /** Closest pack names by spelling, for "did you mean" when nothing matched. */
  suggest(query: string, limit?: number): ScoredTarget[];
  actor(id: string): Actor | undefined;
  topic(id: string): Topic | undefined;
  /** Canonical display name of a pack actor id (the id itself when unknown). */
  nameOf(id: string): string;
}

/** Builds the index once per pack (a few thousand keys; microseconds per query). */
export function createNameIndex(pack: BeatPack): NameIndex {
  const keys: Key[] = [];
  const actors = new Map(pack.actors.map((a) => [a.id, a]));
  const topics = new Map(pack.topics.map((t) => [t.id, t]));
  const add = (target: PackTarget, text: string, weight: number) => {
    const words = tokenize(text).filter((w) => !STOP.has(w));
    if (words.length === 0) return;
    keys.push({ target, text, folded: fold(text), words, weight });
  };
  for (const a of pack.actors) {
    // Pack terms (FTO, narcobloqueo) are vocabulary, not actors to brief on.
    if (a.type === 'term') continue;
    const t: PackTarget = { kind: 'actor', id: a.id, name: a.name };
    add(t, a.name, 1);
    for (const alias of a.aliases) add(t, alias, 1);
    for (const alias of a.ambiguous_aliases) add(t, alias, 0.9);
  }
  for (const tp of pack.topics) {
    const t: PackTarget = { kind: 'topic', id: tp.id, name: tp.name };
    add(t, tp.name, 1);
    add(t, tp.name_es, 1);
    add(t, tp.id.replace(/-/g, ' '), 1);
  }
  const byFolded = new Map<string, Key[]>();
  for (const k of keys) byFolded.set(k.folded, [...(byFolded.get(k.folded) ?? []), k]);

  const bestPerTarget = (scored: Array<{ key: Key; score: number }>): ScoredTarget[] => {
    const best = new Map<string, ScoredTarget>();
    for (const { key, score } of scored) {
      const id = `${key.target.kind}:${key.target.id}`;
      const prev = best.get(id);
      if (!prev || score > prev.score) best.set(id, { target: key.target, score, matched: key.text });
    }
    return [...best.values()].sort((x, y) => y.score - x.score || x.target.name.localeCompare(y.target.name));
  };

  return {
    match(query) {
      const folded = fold(query);
      const exact = byFolded.get(folded);
      if (exact) return bestPerTarget(exact.map((key) => ({ key, score: key.weight })));
      const words = tokenize(query).filter((w) => !STOP.has(w));
      if (words.length === 0) return [];
      const scored: Array<{ key: Key; score: number }> = [];
      // Many keys share words ("cartel", "de", surnames): score each distinct pair once per query.
      const memo = new Map<string, number>();
      const score = (q: string, k: string) => {
        const id = `${q} ${k}`;
        let v = memo.get(id);
        if (v === undefined) memo.set(id, (v = wordScore(q, k)));
        return v;
      };
      for (const key of keys) {
        let sum = 0;
        const used = new Set<number>();
        for (const q of words) {
          let best = 0;
          let at = -1;
          key.words.forEach((k, i) => {
            if (used.has(i)) return;
            const s = score(q, k);
            if (s > best) [best, at] = [s, i];
          });
          if (best === 0) {
            sum = 0;
            break;
          }
          used.add(at);
          sum += best;
        }
        if (sum === 0) continue;
        // Naming most of a name counts more than naming one word of a long one.
        const coverage = words.length / key.words.length;
        scored.push({ key, score: (sum / words.length) * key.weight * (0.6 + 0.4 * coverage) });
      }
      return bestPerTarget(scored);
    },
    suggest(query, limit = 5) {
      const folded = fold(query);
      const scored = keys.map((key) => ({ key, score: trigramSimilarity(folded, key.folded) })).filter((x) => x.score >= 0.2);
      return bestPerTarget(scored).slice(0, limit);
    },
    actor: (id) => actors.get(id),
    topic: (id) => topics.get(id),
    nameOf: (id) => actors.get(id)?.name ?? topics.get(id)?.name ?? id,
  };
}
