/**
 * Topic tags from the beat pack's topic terms (English and Spanish), matched on folded word
 * sequences so accents, case and punctuation do not matter. Articles and stories carry the tags;
 * subscriptions filter on them.
 */
import type { Topic } from '../kb/pack.ts';
import { sharedTokenSpans, tokenize } from './text.ts';

export interface TopicTagger {
  /** Topic ids whose terms appear in the text, most hits first. */
  tag(text: string): string[];
}

interface Candidate {
  tokens: string[];
  /** Index of the topic in `ids`. */
  topic: number;
}

/** Bits of the first-word filter (a power of two). */
const FILTER_BITS = 1 << 13;

/**
 * A cheap key of a word from its first two and last characters and its length, for a bit filter that
 * rules most words of a text out before the map look-up (which hashes every character of a new string).
 */
function filterKey(w: string): number {
  const n = w.length;
  // charCodeAt(1) of a one-letter word is NaN, which the bit operations read as 0
  const h = Math.imul(w.charCodeAt(0) ^ (w.charCodeAt(1) << 8), 0x9e3779b1);
  return Math.imul(h ^ w.charCodeAt(n - 1) ^ (n << 16), 0x85ebca6b) >>> 19;
}

/** Builds a tagger over the pack's topics. */
export function createTopicTagger(topics: Topic[]): TopicTagger {
  // Distinct topic ids (two topics with one id count together).
  const ids = [...new Set(topics.map((t) => t.id))];
  const index = new Map(ids.map((id, i) => [id, i]));
  // First folded token -> candidate term sequences with their topic.
  const byFirst = new Map<string, Candidate[]>();
  const filter = new Uint8Array(FILTER_BITS);
  for (const t of topics) {
    const topic = index.get(t.id)!;
    const terms = [...(t.terms_en ?? []), ...(t.terms_es ?? [])];
    for (const term of terms) {
      const tokens = tokenize(term);
      if (tokens.length === 0) continue;
      const list = byFirst.get(tokens[0]!) ?? [];
      list.push({ tokens, topic });
      byFirst.set(tokens[0]!, list);
      filter[filterKey(tokens[0]!)] = 1;
    }
  }
  // Ties in the hit count are ordered by localeCompare of the ids; ranking the ids once gives the same
  // order without calling it per article (ids comparing equal share a rank, so a stable sort keeps them).
  const sorted = ids.map((id, i) => ({ id, i })).sort((a, b) => a.id.localeCompare(b.id));
  const rank = new Int32Array(ids.length);
  sorted.forEach((s, k) => {
    rank[s.i] = k > 0 && sorted[k - 1]!.id.localeCompare(s.id) === 0 ? rank[sorted[k - 1]!.i]! : k;
  });
  const counts = new Int32Array(ids.length);
  return {
    tag(text) {
      // The engine tags an article's text right after matching actors in it: its words are read once.
      const words = sharedTokenSpans(text);
      // Topics with hits, in the order of their first hit (as a Map of hits would list them).
      const hit: number[] = [];
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!.norm;
        if (filter[filterKey(w)] === 0) continue;
        const cands = byFirst.get(w);
        if (!cands) continue;
        for (const c of cands) {
          let ok = true;
          for (let j = 1; j < c.tokens.length; j++) {
            if (words[i + j]?.norm !== c.tokens[j]) {
              ok = false;
              break;
            }
          }
          if (ok && counts[c.topic]++ === 0) hit.push(c.topic);
        }
      }
      if (hit.length > 1) hit.sort((a, b) => counts[b]! - counts[a]! || rank[a]! - rank[b]!);
      const out = hit.map((t) => ids[t]!);
      for (const t of hit) counts[t] = 0;
      return out;
    },
  };
}
