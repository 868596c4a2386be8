/**
 * Topic tags from the beat pack's topic terms (English and Spanish), matched on folded word
 * sequences so accents, case and punctuation do not matter. Articles and stories carry the tags;
 * subscriptions filter on them.
 */
import type { Topic } from '../kb/pack.ts';
import { tokenize } from './text.ts';

export interface TopicTagger {
  /** Topic ids whose terms appear in the text, most hits first. */
  tag(text: string): string[];
}

/** Builds a tagger over the pack's topics. */
export function createTopicTagger(topics: Topic[]): TopicTagger {
  // First folded token -> candidate term sequences with their topic.
  const byFirst = new Map<string, Array<{ tokens: string[]; topic: string }>>();
  for (const t of topics) {
    const terms = [...(t.terms_en ?? []), ...(t.terms_es ?? [])];
    for (const term of terms) {
      const tokens = tokenize(term);
      if (tokens.length === 0) continue;
      const list = byFirst.get(tokens[0]!) ?? [];
      list.push({ tokens, topic: t.id });
      byFirst.set(tokens[0]!, list);
    }
  }
  return {
    tag(text) {
      const words = tokenize(text);
      const hits = new Map<string, number>();
      for (let i = 0; i < words.length; i++) {
        const cands = byFirst.get(words[i]!);
        if (!cands) continue;
        for (const c of cands) {
          let ok = true;
          for (let j = 1; j < c.tokens.length; j++) {
            if (words[i + j] !== c.tokens[j]) {
              ok = false;
              break;
            }
          }
          if (ok) hits.set(c.topic, (hits.get(c.topic) ?? 0) + 1);
        }
      }
      return [...hits.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    },
  };
}
