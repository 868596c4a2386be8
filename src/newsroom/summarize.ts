/**
 * Extractive story summaries: a headline, 2 or 3 short bullets taken from the reports, the strongest quote,
 * every source once, the main actors, and a "what's new" line when a story grows.
 *
 * Sentence scoring blends four signals, each scaled to 0..1:
 *
 *   score = 0.35 · LexRank + 0.30 · lead + 0.20 · title similarity + 0.15 · main-actor coverage
 *
 * - LexRank: PageRank over the cosine-similarity graph of TF-IDF sentence vectors (continuous weights,
 *   damping 0.15, power iteration). It finds what many reports agree on. Numbers and actor ids are added to
 *   each vector as language-neutral features, so an English and a Spanish report of one event reinforce
 *   each other.
 * - Lead: reporters put the news in the first sentences (1 for the first usable sentence of an article,
 *   decaying with position). On multi-document news the "first sentences" baseline beats plain LexRank,
 *   because centrality alone favours long, generic background sentences; the lead term pulls toward news.
 * - Title similarity: cosine to the pooled titles, the editors' own one-line summaries of the event.
 * - Actor coverage: share of the story's three main actors the sentence names.
 *
 * The lead baseline's weakness on a multi-report story is that every report's first sentence says the
 * same thing; selection is therefore MMR (0.7 · score − 0.3 · max similarity to bullets already chosen)
 * with hard redundancy rules: the same folded sentence, cosine ≥ 0.5, or (across languages too) the same
 * numbers with overlapping actors, or the same actors with no differing number.
 *
 * Bullets come from the story's majority language (or opts.language) whenever it offers two usable
 * sentences. Usable means not a byline, dateline, photo credit, "Read more", question, mostly-quote or
 * fragment (see junkReason). Everything is deterministic: ties fall to earlier articles, then earlier
 * sentences.
 */
import { STOPWORDS, stem } from './relevance-text.ts';
import {
  junkReason,
  MAX_BULLET_WORDS,
  numberKeys,
  properNameSpans,
  sentenceKey,
  stripDateline,
  trimToWords,
  wordCount,
} from './summarize-text.ts';
import { fold, splitSentences, tokenize } from './text.ts';

export { MAX_BULLET_WORDS } from './summarize-text.ts';

export interface SummaryArticle {
  id: string;
  title: string;
  text: string;
  url: string | null;
  source: string;
  publishedAt: Date;
  language: 'en' | 'es' | null;
  actors: string[];
  quotes?: Array<{ text: string; speaker: string; speakerId?: string; sentence: string }>;
}

export interface StorySummary {
  /** From the most central title (the earliest of the near-best); plain text. */
  headline: string;
  /** 2 or 3 bullets (fewer only when the reports hold fewer usable sentences), each ≤ 35 words. */
  bullets: Array<{ text: string; articleId: string }>;
  quote: { text: string; speaker: string; articleId: string } | null;
  /** One entry per source (its earliest article), in order of publication. */
  sources: Array<{ articleId: string; url: string | null; source: string; title: string }>;
  /** Main actor ids, heaviest first. */
  actors: string[];
  /** Folded keys of the headline, bullet and quote sentences, for a later "what's new". */
  covered: string[];
  /** With opts.previous: one line from a sentence the previous summary did not cover, else null. */
  whatsNew: string | null;
}

export interface SummarizeOptions {
  language?: 'en' | 'es';
  /** Canonical name of an actor id, used to find actors in sentences. */
  actorNames?: (id: string) => string | undefined;
  /**
   * The earlier summary of this story. `articleIds` (optional) are the articles it was built from: when
   * given, "what's new" only reads articles added since.
   */
  previous?: { covered: string[]; articleIds?: string[] };
}

/** Blend weights (see the module comment). */
const W_LEX = 0.35;
const W_LEAD = 0.3;
const W_TITLE = 0.2;
const W_ACTOR = 0.15;
const MMR_LAMBDA = 0.7;
const REDUNDANT_COSINE = 0.5;
/** A sentence whose terms are this much inside another's adds nothing to it. */
const CONTAINED = 0.7;
/** Sentences read per article: the news is at the top, and this bounds the LexRank matrix. */
const MAX_SENTENCES_PER_ARTICLE = 30;
const MAX_ACTORS = 8;

interface Sent {
  idx: number;
  art: number;
  articleId: string;
  /** Position among the article's usable sentences. */
  pos: number;
  text: string;
  key: string;
  lang: 'en' | 'es' | null;
  vec: Map<string, number>;
  norm: number;
  /** `vec` packed for the pairwise similarities: term numbers ascending, and their weights. */
  packed: Packed;
  numbers: Set<string>;
  actors: Set<string>;
  words: number;
  score: number;
}

// ───────────────────────────── vectors ─────────────────────────────

const EMPTY_PACKED: Packed = { ids: new Int32Array(0), ws: new Float64Array(0), norm: 0 };

function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of tokenize(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    if (/^\d/.test(w)) continue; // numbers enter as #-features
    out.push(stem(w));
  }
  return out;
}

function cosine(a: Map<string, number>, an: number, b: Map<string, number>, bn: number): number {
  if (an === 0 || bn === 0) return 0;
  let [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) dot += v * w;
  }
  return dot / (an * bn);
}

/** A sparse vector as parallel arrays, its term numbers ascending (numbers from a TermNumbers). */
interface Packed {
  ids: Int32Array;
  ws: Float64Array;
  norm: number;
}

/**
 * Numbers for the terms of one summary, so that vectors can be compared by walking two sorted arrays
 * instead of looking every term up in a Map (the pairwise similarities are the costliest part of a
 * summary: every sentence against every other, each time a story grows).
 */
class TermNumbers {
  private readonly ids = new Map<string, number>();

  pack(v: Map<string, number>, norm: number): Packed {
    const order: Array<[number, number]> = [];
    for (const [k, w] of v) {
      let id = this.ids.get(k);
      if (id === undefined) this.ids.set(k, (id = this.ids.size));
      order.push([id, w]);
    }
    order.sort((x, y) => x[0] - y[0]);
    const ids = new Int32Array(order.length);
    const ws = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) {
      ids[i] = order[i]![0];
      ws[i] = order[i]![1];
    }
    return { ids, ws, norm };
  }
}

function cosinePacked(a: Packed, b: Packed): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const ai = a.ids;
  const bi = b.ids;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) dot += a.ws[i++]! * b.ws[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return dot / (a.norm * b.norm);
}

function vnorm(v: Map<string, number>): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/** Folded keys that find an actor in a sentence: full name, surname, id words. */
function actorKeys(id: string, actorNames?: (id: string) => string | undefined): string[] {
  const keys = new Set<string>();
  const name = actorNames?.(id);
  const add = (s: string | undefined) => {
    if (!s) return;
    const f = tokenize(s).join(' ');
    if (f.length >= 3 && !STOPWORDS.has(f)) keys.add(f);
  };
  if (name) {
    add(name);
    const parts = tokenize(name).filter((w) => w.length > 1);
    const last = parts[parts.length - 1];
    if (parts.length > 1 && last && last.length >= 4) add(last);
  }
  const idWords = id.split(/[-_\s]+/).filter(Boolean);
  add(idWords.join(' '));
  const lastId = idWords[idWords.length - 1];
  if (idWords.length > 1 && lastId && lastId.length >= 4) add(lastId);
  return [...keys];
}

function containsPhrase(haystack: string, phrase: string): boolean {
  // haystack and phrase are space-joined folded tokens
  const h = ` ${haystack} `;
  return h.includes(` ${phrase} `);
}

function majorityLanguage(articles: SummaryArticle[]): 'en' | 'es' | null {
  let en = 0;
  let es = 0;
  for (const a of articles) {
    if (a.language === 'en') en++;
    else if (a.language === 'es') es++;
  }
  if (en === 0 && es === 0) return null;
  if (en !== es) return en > es ? 'en' : 'es';
  return articles.find((a) => a.language !== null)?.language ?? null;
}

function plainTitle(title: string, source: string): string {
  let t = title.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  // Aggregator titles end with " - Source": drop it when it names the source.
  const m = /\s+[-–—|]\s+([^-–—|]{2,60})$/.exec(t);
  if (m && fold(m[1]!) === fold(source)) t = t.slice(0, m.index).trim();
  return t;
}

// ───────────────────────────── main ─────────────────────────────

/** One usable sentence of an article, with everything a summary needs that depends on the article alone. */
interface PreparedSentence {
  text: string;
  key: string;
  terms: string[];
  numbers: Set<string>;
  actors: Set<string>;
  words: number;
}

// A story is re-summarized each time a report joins it, over all its reports; an article's sentences,
// terms and actor hits do not change, so they are worked out once and kept (bounded, oldest out first).
const PREPARED_MAX = 20_000;
const prepared = new Map<string, PreparedSentence[]>();

function preparedSentences(
  a: SummaryArticle,
  keysOf: Map<string, string[]>,
  actorNames: ((id: string) => string | undefined) | undefined,
): PreparedSentence[] {
  const cacheKey = `${a.id}\u0000${a.text.length}\u0000${a.actors.join(',')}`;
  const hit = prepared.get(cacheKey);
  if (hit) return hit;
  for (const id of a.actors) if (!keysOf.has(id)) keysOf.set(id, actorKeys(id, actorNames));
  const own = new Set(a.actors);
  const out: PreparedSentence[] = [];
  let raw = 0;
  for (const s of splitSentences(a.text)) {
    if (out.length >= MAX_SENTENCES_PER_ARTICLE) break;
    let text = s.text.replace(/\s+/g, ' ').trim();
    if (raw++ < 2) text = stripDateline(text);
    if (junkReason(text)) continue;
    const tokJoined = tokenize(text).join(' ');
    const found = new Set<string>();
    for (const id of own) if ((keysOf.get(id) ?? []).some((k) => containsPhrase(tokJoined, k))) found.add(id);
    out.push({ text, key: sentenceKey(text), terms: terms(text), numbers: numberKeys(text), actors: found, words: wordCount(text) });
  }
  if (prepared.size >= PREPARED_MAX) prepared.delete(prepared.keys().next().value!);
  prepared.set(cacheKey, out);
  return out;
}

export function summarizeStory(articlesIn: SummaryArticle[], opts: SummarizeOptions = {}): StorySummary {
  const articles = [...articlesIn].sort(
    (a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const language = opts.language ?? majorityLanguage(articles);

  // Actors by weight: articles naming them, a bonus when the title names them.
  const actorWeight = new Map<string, number>();
  const actorFirst = new Map<string, number>();
  const keysOf = new Map<string, string[]>();
  articles.forEach((a, ai) => {
    const titleTokens = tokenize(a.title).join(' ');
    for (const id of new Set(a.actors)) {
      if (!keysOf.has(id)) keysOf.set(id, actorKeys(id, opts.actorNames));
      const inTitle = keysOf.get(id)!.some((k) => containsPhrase(titleTokens, k));
      actorWeight.set(id, (actorWeight.get(id) ?? 0) + 1 + (inTitle ? 0.5 : 0));
      if (!actorFirst.has(id)) actorFirst.set(id, ai);
    }
  });
  const actors = [...actorWeight.keys()]
    .sort((x, y) => actorWeight.get(y)! - actorWeight.get(x)! || actorFirst.get(x)! - actorFirst.get(y)! || (x < y ? -1 : 1))
    .slice(0, MAX_ACTORS);
  const mainActors = actors.slice(0, 3);

  // Sentences.
  const sents: Sent[] = [];
  const seenKeys = new Set<string>();
  const termLists: string[][] = [];
  articles.forEach((a, ai) => {
    const prepared = preparedSentences(a, keysOf, opts.actorNames);
    for (let pos = 0; pos < prepared.length; pos++) {
      const p = prepared[pos]!;
      if (seenKeys.has(p.key)) continue; // syndicated copy: counted once, at its earliest report
      seenKeys.add(p.key);
      termLists.push(p.terms);
      sents.push({
        idx: sents.length,
        art: ai,
        articleId: a.id,
        pos,
        text: p.text,
        key: p.key,
        lang: a.language,
        vec: new Map(),
        norm: 0,
        packed: EMPTY_PACKED,
        numbers: p.numbers,
        actors: p.actors,
        words: p.words,
        score: 0,
      });
    }
  });

  // TF-IDF with titles as documents too.
  const numbers = new TermNumbers();
  const titleTerms = articles.map((a) => terms(a.title));
  const df = new Map<string, number>();
  for (const list of [...termLists, ...titleTerms]) for (const w of new Set(list)) df.set(w, (df.get(w) ?? 0) + 1);
  const nDocs = termLists.length + titleTerms.length;
  const idf = (w: string) => Math.log(1 + nDocs / (df.get(w) ?? 1));
  for (const s of sents) {
    const v = s.vec;
    for (const w of termLists[s.idx]!) v.set(w, (v.get(w) ?? 0) + idf(w));
    for (const n of s.numbers) if (n.length > 1 || Number(n) > 1) v.set(`#${n}`, 2);
    for (const id of s.actors) v.set(`@${id}`, 1.5);
    s.norm = vnorm(v);
    s.packed = numbers.pack(v, s.norm);
  }
  const titleVec = new Map<string, number>();
  titleTerms.forEach((list, ai) => {
    for (const w of list) titleVec.set(w, (titleVec.get(w) ?? 0) + idf(w));
    for (const n of numberKeys(articles[ai]!.title)) titleVec.set(`#${n}`, (titleVec.get(`#${n}`) ?? 0) + 2);
    for (const id of articles[ai]!.actors) {
      const tt = tokenize(articles[ai]!.title).join(' ');
      if ((keysOf.get(id) ?? []).some((k) => containsPhrase(tt, k))) titleVec.set(`@${id}`, (titleVec.get(`@${id}`) ?? 0) + 1.5);
    }
  });
  const titleNorm = vnorm(titleVec);
  const titlePacked = numbers.pack(titleVec, titleNorm);

  // LexRank.
  const n = sents.length;
  const sim: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = cosinePacked(sents[i]!.packed, sents[j]!.packed);
      sim[i * n + j] = c;
      sim[j * n + i] = c;
    }
  }
  const lex = lexRank(sim, n);
  const lexMax = Math.max(1e-12, ...lex);
  const titleSims = sents.map((s) => cosinePacked(s.packed, titlePacked));
  const titleMax = Math.max(1e-12, ...titleSims);
  for (const s of sents) {
    const lead = 1 / (1 + 0.6 * s.pos);
    const actorCover = mainActors.length ? mainActors.filter((id) => s.actors.has(id)).length / mainActors.length : 0;
    let score = W_LEX * (lex[s.idx]! / lexMax) + W_LEAD * lead + W_TITLE * (titleSims[s.idx]! / titleMax) + W_ACTOR * actorCover;
    if (s.words < 9) score *= 0.8;
    if (s.words > MAX_BULLET_WORDS) score *= 0.9;
    s.score = score;
  }

  // Candidates: the preferred language when it offers two usable sentences.
  let pool = sents;
  if (language) {
    const same = sents.filter((s) => s.lang === language);
    if (same.length >= 2) pool = same;
  }
  const bulletsSents = selectMmr(pool, sim, n);
  if (bulletsSents.length < 2 && pool !== sents) {
    for (const s of selectMmr(sents, sim, n, bulletsSents)) if (!bulletsSents.includes(s)) bulletsSents.push(s);
  }
  const bullets = bulletsSents.map((s) => ({ text: trimToWords(s.text), articleId: s.articleId }));

  // Headline: the most central title, the earliest among the near-best, preferring the story's language.
  let headline = '';
  let headlineArticle: SummaryArticle | undefined;
  {
    const scored = articles.map((a, ai) => {
      const v = new Map<string, number>();
      for (const w of titleTerms[ai]!) v.set(w, (v.get(w) ?? 0) + idf(w));
      const pv = numbers.pack(v, vnorm(v));
      let c = 0;
      for (const s of sents) c += cosinePacked(pv, s.packed) * (1 + s.score);
      const langOk = !language || a.language === language || a.language === null;
      return { ai, c: c * (langOk ? 1 : 0.5) };
    });
    const best = Math.max(0, ...scored.map((x) => x.c));
    const pick = scored.find((x) => x.c >= 0.85 * best && articles[x.ai]!.title.trim()) ?? scored[0];
    if (pick) {
      headlineArticle = articles[pick.ai]!;
      headline = plainTitle(headlineArticle.title, headlineArticle.source);
    }
  }

  // Quote.
  const quote = pickQuote(articles, mainActors, language);

  // Sources: one per source, its earliest article.
  const sources: StorySummary['sources'] = [];
  const seenSources = new Set<string>();
  for (const a of articles) {
    const k = fold(a.source);
    if (seenSources.has(k)) continue;
    seenSources.add(k);
    sources.push({ articleId: a.id, url: a.url, source: a.source, title: plainTitle(a.title, a.source) });
  }

  const covered = [...new Set([
    ...(headline ? [sentenceKey(headline)] : []),
    ...bulletsSents.map((s) => s.key),
    ...(quote ? [sentenceKey(quote.sentence)] : []),
  ])];

  let whatsNew: string | null = null;
  if (opts.previous) {
    const old = new Set(opts.previous.articleIds ?? []);
    const fresh = sents.filter((s) => !old.has(s.articleId));
    whatsNew = pickWhatsNew(fresh, opts.previous.covered, language, keysOf);
  }

  return {
    headline,
    bullets,
    quote: quote ? { text: quote.text, speaker: quote.speaker, articleId: quote.articleId } : null,
    sources,
    actors,
    covered,
    whatsNew,
  };
}

/** Continuous LexRank: stationary distribution of the row-normalised similarity graph with damping. */
function lexRank(sim: Float64Array, n: number): number[] {
  if (n === 0) return [];
  const d = 0.15;
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += sim[i * n + j]!;
    rowSum[i] = s;
  }
  let p = new Float64Array(n).fill(1 / n);
  for (let iter = 0; iter < 50; iter++) {
    const next = new Float64Array(n).fill(d / n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (rowSum[i] === 0) {
        dangling += p[i]!;
        continue;
      }
      const share = ((1 - d) * p[i]!) / rowSum[i]!;
      for (let j = 0; j < n; j++) {
        const w = sim[i * n + j]!;
        if (w > 0) next[j]! += share * w;
      }
    }
    if (dangling > 0) for (let j = 0; j < n; j++) next[j]! += ((1 - d) * dangling) / n;
    let delta = 0;
    for (let j = 0; j < n; j++) delta += Math.abs(next[j]! - p[j]!);
    p = next;
    if (delta < 1e-6) break;
  }
  return [...p];
}

/** Share of the smaller sentence's terms (words, numbers, actors) that the other sentence also has. */
function containment(a: Sent, b: Sent): number {
  const [small, large] = a.vec.size <= b.vec.size ? [a.vec, b.vec] : [b.vec, a.vec];
  if (small.size < 6) return 0;
  let shared = 0;
  for (const k of small.keys()) if (large.has(k)) shared++;
  return shared / small.size;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Whether two sentences say the same thing (in one language or across two). */
function redundant(a: Sent, b: Sent, sim: Float64Array, n: number): boolean {
  if (a.key === b.key) return true;
  if (sim[a.idx * n + b.idx]! >= REDUNDANT_COSINE) return true;
  // A shared telling number (not 0-9) with shared actors or some shared wording: the same fact.
  const sharedNumbers = [...a.numbers].some((x) => b.numbers.has(x) && Number(x) >= 10);
  const actorOverlap = jaccard(a.actors, b.actors);
  if (sharedNumbers && (actorOverlap >= 0.5 || a.actors.size === 0 || b.actors.size === 0 || sim[a.idx * n + b.idx]! >= 0.2)) return true;
  // Same language, mostly the same actors and a fair share of wording: two outlets' ledes of one fact.
  if (a.lang === b.lang && a.actors.size > 0 && actorOverlap >= 0.5 && sim[a.idx * n + b.idx]! >= 0.3) return true;
  // Same language and the shorter sentence's wording mostly inside the longer one: the longer already
  // says it (a wire lede and a rewrite of it that adds one clause).
  if (a.lang === b.lang && containment(a, b) >= CONTAINED) return true;
  if (a.lang !== b.lang && a.actors.size > 0 && sameSet(a.actors, b.actors)) {
    // Across languages, the same actors and no differing number: the same fact, translated.
    if (sameSet(a.numbers, b.numbers)) return true;
  }
  return false;
}

function selectMmr(pool: Sent[], sim: Float64Array, n: number, already: Sent[] = []): Sent[] {
  const chosen: Sent[] = [];
  const taken = [...already];
  const ordered = [...pool].sort((x, y) => y.score - x.score || x.art - y.art || x.pos - y.pos);
  const top = ordered[0]?.score ?? 0;
  while (chosen.length + already.length < 3) {
    let best: Sent | null = null;
    let bestVal = -Infinity;
    for (const s of ordered) {
      if (taken.includes(s)) continue;
      if (taken.some((t) => redundant(s, t, sim, n))) continue;
      const maxSim = taken.reduce((m, t) => Math.max(m, sim[s.idx * n + t.idx]!), 0);
      const val = MMR_LAMBDA * s.score - (1 - MMR_LAMBDA) * maxSim;
      if (val > bestVal) {
        bestVal = val;
        best = s;
      }
    }
    if (!best) break;
    // A third bullet only when it is nearly as strong as the lead one.
    if (chosen.length + already.length >= 2 && best.score < 0.55 * top) break;
    chosen.push(best);
    taken.push(best);
  }
  return chosen;
}

interface PickedQuote {
  text: string;
  speaker: string;
  articleId: string;
  sentence: string;
}

function pickQuote(articles: SummaryArticle[], mainActors: string[], language: 'en' | 'es' | null): PickedQuote | null {
  let best: PickedQuote | null = null;
  let bestScore = -Infinity;
  articles.forEach((a, ai) => {
    for (const q of a.quotes ?? []) {
      if (!q.text.trim() || !q.speaker.trim()) continue;
      const words = wordCount(q.text);
      let score = 0;
      if (q.speakerId && mainActors.includes(q.speakerId)) score += 2 + (mainActors.length - mainActors.indexOf(q.speakerId)) * 0.2;
      else if (q.speakerId) score += 1;
      else score += 0.5;
      if (words >= 8 && words <= 40) score += 1;
      else if (words < 5) score -= 1;
      else if (words > 60) score -= 0.5;
      if (language && a.language === language) score += 0.5;
      score -= ai * 0.01; // earlier reports win ties
      if (score > bestScore) {
        bestScore = score;
        best = { text: q.text.trim(), speaker: q.speaker.trim(), articleId: a.id, sentence: q.sentence };
      }
    }
  });
  return best;
}

/**
 * The best sentence the previous summary did not cover: not one of its sentences, and bringing a number
 * or a name it did not have (numbers first), or a largely new topic. Restating a covered fact with the
 * same numbers does not count.
 */
function pickWhatsNew(
  sents: Sent[],
  covered: string[],
  language: 'en' | 'es' | null,
  keysOf: Map<string, string[]>,
): string | null {
  const coveredSet = new Set(covered);
  const coveredNumbers = new Set<string>();
  const coveredTokens = new Set<string>();
  const coveredVecs: Array<{ v: Map<string, number>; n: number }> = [];
  for (const k of covered) {
    for (const x of numberKeys(k)) coveredNumbers.add(x);
    for (const w of tokenize(k)) coveredTokens.add(w);
    const v = new Map<string, number>();
    for (const w of terms(k)) v.set(w, (v.get(w) ?? 0) + 1);
    coveredVecs.push({ v, n: vnorm(v) });
  }
  const coveredJoined = covered.map((k) => tokenize(k).join(' '));
  let best: { s: Sent; val: number } | null = null;
  for (const s of sents) {
    if (coveredSet.has(s.key)) continue;
    const newNumbers = [...s.numbers].filter((x) => !coveredNumbers.has(x));
    const newNames = properNameSpans(s.text)
      .filter((sp) => !sp.atStart)
      .filter((sp) => sp.words.some((w) => !coveredTokens.has(w) && !STOPWORDS.has(w)));
    const newActors = [...s.actors].filter((id) => !(keysOf.get(id) ?? []).some((k) => coveredJoined.some((c) => containsPhrase(c, k))));
    const plain = new Map<string, number>();
    for (const w of terms(s.text)) plain.set(w, (plain.get(w) ?? 0) + 1);
    const pn = vnorm(plain);
    const maxSim = coveredVecs.reduce((m, c) => Math.max(m, cosine(plain, pn, c.v, c.n)), 0);
    let novelty = 0;
    if (newNumbers.length) novelty += 1;
    if (newNames.length || newActors.length) novelty += 0.5;
    if (novelty === 0 && maxSim < 0.2) novelty += 0.25;
    if (novelty === 0) continue;
    const val = novelty + s.score * 0.5 + (language && s.lang === language ? 0.3 : 0) - (newNumbers.length ? 0 : maxSim * 0.5);
    if (!best || val > best.val) best = { s, val };
  }
  return best ? trimToWords(best.s.text) : null;
}
