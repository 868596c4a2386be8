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
  collapseSpaces,
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
import { grown } from './typed-arrays.ts';

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
/**
 * Reports whose sentences a summary reads: the first few, which establish the event, and the latest,
 * which carry its developments. A big story (a capture, a massacre) draws hundreds of reports, and every
 * report that joins it refreshes its summary; reading all of them made each refresh quadratic in the
 * story's size. Titles, actors, the quote and the sources still come from every report.
 */
export const SUMMARY_EARLY_REPORTS = 4;
export const SUMMARY_LATE_REPORTS = 8;

interface Sent {
  idx: number;
  art: number;
  articleId: string;
  /** Position among the article's usable sentences. */
  pos: number;
  lang: 'en' | 'es' | null;
  /** What the sentence holds independently of the story (its text, key, numbers, actors, features). */
  prep: PreparedSentence;
  /** Where this sentence's weights (one per `prep.features`, with the story's IDF) start in the story's array. */
  wAt: number;
  norm: number;
  score: number;
}

// ───────────────────────────── features ─────────────────────────────
//
// A sentence vector has three kinds of features: stemmed terms (weighted by the story's IDF), numbers
// ("#37", weight 2) and actors ("@cjng", weight 1.5). Features are numbered once for the whole module, so
// that what an article contributes (its sentences' and title's features, with term counts) can be kept as
// integer arrays between refreshes, and a refresh only fills weights in from an IDF array.

/** Numbers every feature key ever seen; bounded: see resetFeatures. */
let featureIds = new Map<string, number>();
/** Past this many features, the numbering (and everything cached in its terms) starts over. */
const FEATURES_MAX = 250_000;

/**
 * Numbers of sentence keys (folded sentences), so that a story's syndicated copies are found by number;
 * reset with featureIds.
 */
let sentenceKeyIds = new Map<string, number>();
const SENTENCE_KEYS_MAX = 200_000;

function sentenceKeyId(key: string): number {
  let id = sentenceKeyIds.get(key);
  if (id === undefined) sentenceKeyIds.set(key, (id = sentenceKeyIds.size));
  return id;
}

function featureId(key: string): number {
  let id = featureIds.get(key);
  if (id === undefined) featureIds.set(key, (id = featureIds.size));
  return id;
}

// The "#n" and "@id" features by n and id, so that their keys are not built again for every sentence
// (one entry per such feature; reset with featureIds).
let numberFeatures = new Map<string, number>();
let actorFeatures = new Map<string, number>();

function numberFeature(x: string): number {
  let id = numberFeatures.get(x);
  if (id === undefined) numberFeatures.set(x, (id = featureId(`#${x}`)));
  return id;
}

function actorFeature(actor: string): number {
  let id = actorFeatures.get(actor);
  if (id === undefined) actorFeatures.set(actor, (id = featureId(`@${actor}`)));
  return id;
}

/**
 * Per-feature scratch arrays for one summary, indexed by feature number. An entry belongs to the current
 * summary only when its stamp is the summary's stamp, so nothing needs clearing between summaries.
 */
const scratch = {
  capacity: 0,
  stamp: 0,
  dfStamp: new Int32Array(0),
  df: new Int32Array(0),
  idf: new Float64Array(0),
  localStamp: new Int32Array(0),
  /** Order of a feature's first appearance among this summary's sentences. */
  local: new Int32Array(0),
  titleStamp: new Int32Array(0),
  titleWeight: new Float64Array(0),
  /** Indexed by sentence key number: the key was met in this summary. */
  keyStamp: new Int32Array(0),
  /** A term of the covered sentences ("what's new"), and its row in their count table. */
  coveredStamp: new Int32Array(0),
  coveredRow: new Int32Array(0),
};

function beginScratch(): number {
  const need = featureIds.size;
  const keys = sentenceKeyIds.size;
  if (scratch.capacity < need || scratch.keyStamp.length < keys || scratch.stamp >= 0x3fffffff) {
    const cap = Math.max(need, scratch.capacity * 2, 1024);
    scratch.capacity = cap;
    scratch.stamp = 0;
    scratch.dfStamp = new Int32Array(cap);
    scratch.df = new Int32Array(cap);
    scratch.idf = new Float64Array(cap);
    scratch.localStamp = new Int32Array(cap);
    scratch.local = new Int32Array(cap);
    scratch.titleStamp = new Int32Array(cap);
    scratch.titleWeight = new Float64Array(cap);
    scratch.keyStamp = new Int32Array(Math.max(keys, scratch.keyStamp.length * 2, 1024));
    scratch.coveredStamp = new Int32Array(cap);
    scratch.coveredRow = new Int32Array(cap);
  }
  return ++scratch.stamp;
}

/** Feature number of each term token's stem; reset with featureIds. */
let tokenTerms = new Map<string, number>();

/**
 * The term feature of a token: its stem, unless it is short, a stopword or a number (numbers enter as
 * #-features), then -1. Those are ruled out before the look-up in the large map (the small stopword set
 * stays in cache; the token's hash is computed once for both).
 */
function tokenTerm(w: string): number {
  const c = w.charCodeAt(0);
  if (w.length < 2 || (c >= 0x30 && c <= 0x39) || STOPWORDS.has(w)) return -1;
  let id = tokenTerms.get(w);
  if (id === undefined) tokenTerms.set(w, (id = featureId(stem(w))));
  return id;
}

/** Term features of a token list, with repetition, in order. */
function termIds(tokens: string[]): number[] {
  const out: number[] = [];
  for (const w of tokens) {
    const id = tokenTerm(w);
    if (id >= 0) out.push(id);
  }
  return out;
}

/**
 * Where countTerms keeps a feature's entry, by feature number: valid when the stamp is the current count's.
 * Grown as the numbering grows; no Map per sentence.
 */
let countStamp = new Int32Array(1024);
let countAt = new Int32Array(1024);
let countGen = 0;

/**
 * Distinct term features in order of first appearance, and how often each occurs, of a token list (`list`,
 * when given, collects every term feature with repetition, in order).
 */
function countTerms(tokens: string[], list?: number[]): { ids: number[]; counts: number[] } {
  if (++countGen >= 0x3fffffff) {
    countStamp.fill(0);
    countGen = 1;
  }
  const ids: number[] = [];
  const counts: number[] = [];
  for (const w of tokens) {
    const id = tokenTerm(w);
    if (id < 0) continue;
    list?.push(id);
    if (id >= countStamp.length) {
      const cap = Math.max(id + 1, countStamp.length * 2);
      countStamp = grown(countStamp, cap);
      countAt = grown(countAt, cap);
    }
    if (countStamp[id] !== countGen) {
      countStamp[id] = countGen;
      countAt[id] = ids.length;
      ids.push(id);
      counts.push(1);
    } else counts[countAt[id]!]!++;
  }
  return { ids, counts };
}

/** Σ count·idf as the vectors have always summed it: one idf added per occurrence, in order. */
function termWeight(idf: number, count: number): number {
  let w = 0;
  for (let k = 0; k < count; k++) w += idf;
  return w;
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

// An actor's keys depend on its id and canonical name only; kept per id while the name stays the same,
// with a space on either side, ready for phraseIn.
const ACTOR_KEYS_MAX = 50_000;
const actorKeyCache = new Map<string, { name: string | undefined; padded: string[] }>();

function keysFor(id: string, actorNames: ((id: string) => string | undefined) | undefined): string[] {
  const name = actorNames?.(id);
  const hit = actorKeyCache.get(id);
  if (hit && hit.name === name) return hit.padded;
  if (actorKeyCache.size >= ACTOR_KEYS_MAX) actorKeyCache.clear();
  const padded = actorKeys(id, actorNames).map((k) => ` ${k} `);
  actorKeyCache.set(id, { name, padded });
  return padded;
}

/** Space-joined folded tokens, with a space on either side: a phrase is in it when ` phrase ` is. */
function padded(tokens: string[]): string {
  return ` ${tokens.join(' ')} `;
}

/** Whether any of the padded phrases occurs in the padded text (whole tokens only). */
function phraseIn(paddedText: string, paddedPhrases: string[]): boolean {
  for (const p of paddedPhrases) if (paddedText.includes(p)) return true;
  return false;
}

// Outlets are few and come back in every story: their folded names are kept (bounded).
const SOURCE_KEYS_MAX = 10_000;
const sourceKeys = new Map<string, string>();

function sourceKey(source: string): string {
  let k = sourceKeys.get(source);
  if (k === undefined) {
    if (sourceKeys.size >= SOURCE_KEYS_MAX) sourceKeys.clear();
    sourceKeys.set(source, (k = fold(source)));
  }
  return k;
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

// ───────────────────────────── per-article preparation ─────────────────────────────

/** One usable sentence of an article, with everything a summary needs that depends on the article alone. */
interface PreparedSentence {
  text: string;
  key: string;
  /** Number of `key` (see sentenceKeyIds). */
  keyId: number;
  numbers: Set<string>;
  actors: Set<string>;
  words: number;
  /**
   * Feature numbers in the order a vector inserts them: distinct terms by first occurrence, then the
   * telling numbers, then the actors.
   */
  features: number[];
  /** How many of `features` are terms, and how many numbers follow them. */
  termCount: number;
  numberCount: number;
  /** Occurrences of each term feature. */
  counts: number[];
  /** `features` ascending, for set comparisons (made when first needed). */
  sorted?: Int32Array;
  /** Words of the proper names after the sentence start, stopwords left out (made when first needed). */
  nameWords?: string[];
}

function prepareSentence(text: string, tokens: string[], numbers: Set<string>, actors: Set<string>): PreparedSentence {
  const { ids, counts } = countTerms(tokens);
  const termCount = ids.length;
  for (const x of numbers) if (x.length > 1 || Number(x) > 1) ids.push(numberFeature(x));
  const numberCount = ids.length - termCount;
  for (const id of actors) ids.push(actorFeature(id));
  const key = sentenceKey(text);
  return {
    text,
    key,
    keyId: sentenceKeyId(key),
    numbers,
    actors,
    words: wordCount(text),
    features: ids,
    termCount,
    numberCount,
    counts,
    // Present from the start, so that filling them in later does not reshape the object.
    sorted: undefined,
    nameWords: undefined,
  };
}

function sortedFeatures(p: PreparedSentence): Int32Array {
  return (p.sorted ??= Int32Array.from(p.features).sort());
}

function nameWords(p: PreparedSentence): string[] {
  if (!p.nameWords) {
    p.nameWords = [];
    for (const sp of properNameSpans(p.text)) {
      if (sp.atStart) continue;
      for (const w of sp.words) if (!STOPWORDS.has(w)) p.nameWords.push(w);
    }
  }
  return p.nameWords;
}

/** Everything a summary uses that depends on one article alone. */
interface ArticleInfo {
  text: string;
  /** A copy of the article's actors when the info was made. */
  actors: string[];
  /** Prepared when a summary first reads the article's sentences (most reports of a big story are not read). */
  sentences: PreparedSentence[] | null;
  title: string;
  /** The article's actors, each once, in order. */
  uniqueActors: string[];
  /** The (padded) keys each of uniqueActors was looked for with: a renamed actor is looked for again. */
  keysUsed: string[][];
  /** Actors the title names. */
  inTitle: Set<string>;
  /** Title term features with repetition, in order; distinct ones with their counts. */
  titleTerms: number[];
  titleUnique: number[];
  titleCounts: number[];
  /** "#n" features of every number in the title, and "@id" for each actor entry the title names. */
  titleNumbers: number[];
  titleActors: number[];
  /** plainTitle(title, source) for the source it was last asked for. */
  plain?: { source: string; title: string };
}

function plainTitleOf(info: ArticleInfo, a: SummaryArticle): string {
  if (info.plain?.source !== a.source) info.plain = { source: a.source, title: plainTitle(a.title, a.source) };
  return info.plain.title;
}

// A story is re-summarized each time a report joins it, over all its reports; an article's sentences,
// terms and actor hits do not change, so they are worked out once and kept (bounded, oldest out first).
// Bounded well above what the active stories read (4 early and 8 late reports each): a report evicted
// here costs its title features again if its story comes back, and its sentences only if they are read.
const PREPARED_MAX = 6_000;
const articleInfos = new Map<string, ArticleInfo>();

function resetFeatures(): void {
  featureIds = new Map();
  numberFeatures = new Map();
  actorFeatures = new Map();
  tokenTerms = new Map();
  sentenceKeyIds = new Map();
  coveredSentences.clear();
  articleInfos.clear();
}

/** Looks actor keys up once per actor in one summary (an actor is named by many of a story's articles). */
type KeysOf = (id: string) => string[];

function keysMemo(actorNames: ((id: string) => string | undefined) | undefined): KeysOf {
  const memo = new Map<string, string[]>();
  return (id) => {
    let keys = memo.get(id);
    if (!keys) memo.set(id, (keys = keysFor(id, actorNames)));
    return keys;
  };
}

/** Whether an article's actors still read as the ones its info was made for (their joined list is the key). */
function sameActorList(kept: string[], actors: string[]): boolean {
  if (kept.length === actors.length) {
    let k = 0;
    while (k < kept.length && kept[k] === actors[k]) k++;
    if (k === kept.length) return true;
  }
  return kept.join(',') === actors.join(',');
}

/** Whether each of the info's actors is still looked for with the keys its title was read with. */
function sameKeys(info: ArticleInfo, keysOf: KeysOf): boolean {
  for (let k = 0; k < info.uniqueActors.length; k++) if (keysOf(info.uniqueActors[k]!) !== info.keysUsed[k]) return false;
  return true;
}

function articleInfo(a: SummaryArticle, keysOf: KeysOf): ArticleInfo {
  let info = articleInfos.get(a.id);
  if (!info || info.text !== a.text || !sameActorList(info.actors, a.actors)) {
    if (info) articleInfos.delete(a.id);
    else if (articleInfos.size >= PREPARED_MAX) articleInfos.delete(articleInfos.keys().next().value!);
    info = {
      text: a.text,
      actors: a.actors.slice(),
      sentences: null,
      title: '',
      uniqueActors: [...new Set(a.actors)],
      keysUsed: [],
      inTitle: new Set(),
      titleTerms: [],
      titleUnique: [],
      titleCounts: [],
      titleNumbers: [],
      titleActors: [],
    };
    fillTitle(info, a, keysOf);
    articleInfos.set(a.id, info);
    return info;
  }
  if (info.title !== a.title || !sameKeys(info, keysOf)) fillTitle(info, a, keysOf);
  return info;
}

function fillTitle(info: ArticleInfo, a: SummaryArticle, keysOf: KeysOf): void {
  const tokens = tokenize(a.title);
  const text = padded(tokens);
  info.title = a.title;
  info.plain = undefined;
  info.keysUsed = info.uniqueActors.map(keysOf);
  info.inTitle = new Set(info.uniqueActors.filter((_id, k) => phraseIn(text, info.keysUsed[k]!)));
  const list: number[] = [];
  const { ids, counts } = countTerms(tokens, list);
  info.titleTerms = list;
  info.titleUnique = ids;
  info.titleCounts = counts;
  info.titleNumbers = [...numberKeys(a.title, tokens)].map(numberFeature);
  info.titleActors = a.actors.filter((id) => info.inTitle.has(id)).map(actorFeature);
}

/** The actors of every sentence that names none: one set, never added to (prepared sets do not change). */
const NO_ACTORS = new Set<string>();

function prepareSentences(a: SummaryArticle, keysOf: KeysOf): PreparedSentence[] {
  const own = [...new Set(a.actors)];
  const keys = own.map(keysOf);
  const out: PreparedSentence[] = [];
  let raw = 0;
  for (const s of splitSentences(a.text)) {
    if (out.length >= MAX_SENTENCES_PER_ARTICLE) break;
    let text = collapseSpaces(s.text);
    if (raw++ < 2) text = stripDateline(text);
    if (junkReason(text)) continue;
    const tokens = tokenize(text);
    let found = NO_ACTORS;
    if (own.length > 0) {
      const paddedText = padded(tokens);
      for (let k = 0; k < own.length; k++) {
        if (!phraseIn(paddedText, keys[k]!)) continue;
        if (found === NO_ACTORS) found = new Set();
        found.add(own[k]!);
      }
    }
    out.push(prepareSentence(text, tokens, numberKeys(text, tokens), found));
  }
  return out;
}

// ───────────────────────────── similarity ─────────────────────────────

/**
 * The story's features in order of first appearance among its sentences, each with the sentences holding
 * it (ascending) and its weight there: an inverted index. Walking it feature by feature adds every dot
 * product's terms in the order a merge of two sorted vectors would, so the sums come out bit for bit the
 * same, while sentence pairs that share nothing cost nothing.
 */
interface Postings {
  features: number;
  /** Global feature number of each local feature. */
  global: Int32Array;
  start: Int32Array;
  sent: Int32Array;
  weight: Float64Array;
}

/**
 * The postings' arrays, reused from summary to summary (grown as needed, so longer than one story needs):
 * a story has thousands of feature entries, and fresh arrays for each refresh were a large share of its
 * allocation. Holds the story's weights too (one per feature entry, see summarizeStory).
 */
const postScratch = {
  global: new Int32Array(0),
  start: new Int32Array(0),
  fill: new Int32Array(0),
  sent: new Int32Array(0),
  weight: new Float64Array(0),
  sentWeights: new Float64Array(0),
};

/** Makes room in postScratch for `total` feature entries (a story has at most that many distinct features). */
function growPostings(total: number): void {
  if (postScratch.sent.length >= total) return;
  const cap = Math.max(total, postScratch.sent.length * 2, 1024);
  postScratch.global = new Int32Array(cap);
  postScratch.start = new Int32Array(cap + 1);
  postScratch.fill = new Int32Array(cap);
  postScratch.sent = new Int32Array(cap);
  postScratch.weight = new Float64Array(cap);
  postScratch.sentWeights = new Float64Array(cap);
}

/** Postings of the sentences, their feature entries' weights in `weights` (room made by growPostings). */
function buildPostings(sents: Sent[], weights: Float64Array, stamp: number): Postings {
  const { localStamp, local } = scratch;
  const { global, start, fill, sent, weight } = postScratch;
  // Number the features by first appearance, counting each one's entries in start[t + 1].
  let L = 0;
  for (const s of sents) {
    const f = s.prep.features;
    for (let k = 0; k < f.length; k++) {
      const g = f[k]!;
      if (localStamp[g] !== stamp) {
        localStamp[g] = stamp;
        local[g] = L;
        global[L] = g;
        start[++L] = 0;
      }
      start[local[g]! + 1]!++;
    }
  }
  start[0] = 0;
  for (let t = 0; t < L; t++) {
    start[t + 1]! += start[t]!;
    fill[t] = start[t]!;
  }
  for (const s of sents) {
    const f = s.prep.features;
    for (let k = 0; k < f.length; k++) {
      const at = fill[local[f[k]!]!]!++;
      sent[at] = s.idx;
      weight[at] = weights[s.wAt + k]!;
    }
  }
  return { features: L, global, start, sent, weight };
}

// The n·n similarity matrix is kept between summaries up to this many cells (8 MB), larger ones are not.
const SIM_KEEP = 1 << 20;
let simScratch: Float64Array = new Float64Array(0);

/** Cosine similarity of every pair of sentences, as a dense symmetric matrix with a zero diagonal. */
function similarities(sents: Sent[], post: Postings): Float64Array {
  const n = sents.length;
  let sim: Float64Array;
  if (n * n <= simScratch.length) {
    sim = simScratch.subarray(0, n * n);
    sim.fill(0);
  } else {
    sim = new Float64Array(n * n);
    if (n * n <= SIM_KEEP) simScratch = sim;
  }
  const { start, sent, weight } = post;
  // Dot products into the upper triangle, feature by feature.
  for (let t = 0; t < post.features; t++) {
    const end = start[t + 1]!;
    for (let x = start[t]!; x < end; x++) {
      const row = sent[x]! * n;
      const wx = weight[x]!;
      for (let y = x + 1; y < end; y++) sim[row + sent[y]!]! += wx * weight[y]!;
    }
  }
  for (let i = 0; i < n; i++) {
    const ni = sents[i]!.norm;
    for (let j = i + 1; j < n; j++) {
      const nj = sents[j]!.norm;
      const c = ni === 0 || nj === 0 ? 0 : sim[i * n + j]! / (ni * nj);
      sim[i * n + j] = c;
      sim[j * n + i] = c;
    }
  }
  return sim;
}

/**
 * Dot product of one vector (its first `count` local features, ascending, with their weights) with every
 * sentence, added up in merge order; `out` (length n) is overwritten.
 */
function dotsWith(localFeatures: Int32Array, weights: Float64Array, count: number, post: Postings, out: Float64Array): void {
  out.fill(0);
  const { start, sent, weight } = post;
  for (let k = 0; k < count; k++) {
    const t = localFeatures[k]!;
    const w = weights[k]!;
    for (let x = start[t]!, end = start[t + 1]!; x < end; x++) out[sent[x]!]! += weight[x]! * w;
  }
}

// ───────────────────────────── main ─────────────────────────────

/** A title vector's local features and weights, for dotsWith (grown as needed). */
let sharedLocal = new Int32Array(64);
let sharedWeight = new Float64Array(64);

function growShared(need: number): void {
  if (sharedLocal.length >= need) return;
  sharedLocal = new Int32Array(need * 2);
  sharedWeight = new Float64Array(need * 2);
}

function byPublication(a: SummaryArticle, b: SummaryArticle): number {
  return a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether the (stable) sort by byPublication would leave the list as it is: stories come in that order. */
function inPublicationOrder(list: SummaryArticle[]): boolean {
  for (let k = 1; k < list.length; k++) if (!(byPublication(list[k - 1]!, list[k]!) <= 0)) return false;
  return true;
}

export function summarizeStory(articlesIn: SummaryArticle[], opts: SummarizeOptions = {}): StorySummary {
  const articles = inPublicationOrder(articlesIn) ? articlesIn : [...articlesIn].sort(byPublication);
  const language = opts.language ?? majorityLanguage(articles);
  if (featureIds.size + tokenTerms.size > FEATURES_MAX || sentenceKeyIds.size > SENTENCE_KEYS_MAX) resetFeatures();
  const keysOf = keysMemo(opts.actorNames);
  const infos = articles.map((a) => articleInfo(a, keysOf));

  // Actors by weight: articles naming them, a bonus when the title names them.
  const actorWeight = new Map<string, number>();
  const actorFirst = new Map<string, number>();
  const actorOrder: string[] = [];
  infos.forEach((info, ai) => {
    for (const id of info.uniqueActors) {
      const inTitle = info.inTitle.has(id);
      actorWeight.set(id, (actorWeight.get(id) ?? 0) + 1 + (inTitle ? 0.5 : 0));
      if (!actorFirst.has(id)) {
        actorFirst.set(id, ai);
        actorOrder.push(id);
      }
    }
  });
  const actors = actorOrder
    .sort((x, y) => actorWeight.get(y)! - actorWeight.get(x)! || actorFirst.get(x)! - actorFirst.get(y)! || (x < y ? -1 : 1))
    .slice(0, MAX_ACTORS);
  const mainActors = actors.slice(0, 3);

  // Sentences, of the reports read (prepared before the scratch space below is claimed: preparing uses it).
  const lateFrom = Math.max(SUMMARY_EARLY_REPORTS, articles.length - SUMMARY_LATE_REPORTS);
  const reads = (ai: number) => ai < SUMMARY_EARLY_REPORTS || ai >= lateFrom;
  articles.forEach((a, ai) => {
    if (reads(ai)) infos[ai]!.sentences ??= prepareSentences(a, keysOf);
  });
  const sents: Sent[] = [];
  const stamp = beginScratch();
  const { keyStamp } = scratch;
  articles.forEach((a, ai) => {
    if (!reads(ai)) return;
    const prepared = infos[ai]!.sentences!;
    for (let pos = 0; pos < prepared.length; pos++) {
      const p = prepared[pos]!;
      if (keyStamp[p.keyId] === stamp) continue; // syndicated copy: counted once, at its earliest report
      keyStamp[p.keyId] = stamp;
      sents.push({
        idx: sents.length,
        art: ai,
        articleId: a.id,
        pos,
        lang: a.language,
        prep: p,
        wAt: 0,
        norm: 0,
        score: 0,
      });
    }
  });

  // TF-IDF with titles as documents too.
  const { dfStamp, df, idf } = scratch;
  const dfTerms: number[] = [];
  const countDoc = (g: number) => {
    if (dfStamp[g] !== stamp) {
      dfStamp[g] = stamp;
      df[g] = 0;
      dfTerms.push(g);
    }
    df[g]!++;
  };
  for (const s of sents) for (let k = 0; k < s.prep.termCount; k++) countDoc(s.prep.features[k]!);
  for (const info of infos) for (const g of info.titleUnique) countDoc(g);
  const nDocs = sents.length + articles.length;
  for (const g of dfTerms) idf[g] = Math.log(1 + nDocs / df[g]!);
  let totalFeatures = 0;
  for (const s of sents) {
    s.wAt = totalFeatures;
    totalFeatures += s.prep.features.length;
  }
  growPostings(totalFeatures);
  const weights = postScratch.sentWeights;
  for (const s of sents) {
    const { features, termCount, numberCount, counts } = s.prep;
    let sq = 0;
    for (let k = 0; k < features.length; k++) {
      // Terms, then numbers (2), then actors (1.5): see prepareSentence.
      const w = k < termCount ? termWeight(idf[features[k]!]!, counts[k]!) : k < termCount + numberCount ? 2 : 1.5;
      weights[s.wAt + k] = w;
      sq += w * w;
    }
    s.norm = Math.sqrt(sq);
  }
  const post = buildPostings(sents, weights, stamp);

  // The pooled titles' vector, by global feature (its entries in insertion order, for the norm).
  const { titleStamp, titleWeight } = scratch;
  const titleOrder: number[] = [];
  const addTitle = (g: number, w: number) => {
    if (titleStamp[g] !== stamp) {
      titleStamp[g] = stamp;
      titleWeight[g] = 0;
      titleOrder.push(g);
    }
    titleWeight[g] += w;
  };
  for (const info of infos) {
    for (const g of info.titleTerms) addTitle(g, idf[g]!);
    for (const g of info.titleNumbers) addTitle(g, 2);
    for (const g of info.titleActors) addTitle(g, 1.5);
  }
  let titleSq = 0;
  for (const g of titleOrder) titleSq += titleWeight[g]! * titleWeight[g]!;
  const titleNorm = Math.sqrt(titleSq);

  // LexRank.
  const n = sents.length;
  const sim = similarities(sents, post);
  const lex = lexRank(sim, n);
  let lexMax = 1e-12;
  for (let i = 0; i < n; i++) lexMax = Math.max(lexMax, lex[i]!);
  const titleDots = new Float64Array(n);
  {
    growShared(post.features);
    let m = 0;
    for (let t = 0; t < post.features; t++) {
      const g = post.global[t]!;
      if (titleStamp[g] === stamp) {
        sharedLocal[m] = t;
        sharedWeight[m++] = titleWeight[g]!;
      }
    }
    dotsWith(sharedLocal, sharedWeight, m, post, titleDots);
  }
  const titleSims = new Float64Array(n);
  let titleMax = 1e-12;
  for (const s of sents) {
    titleSims[s.idx] = s.norm === 0 || titleNorm === 0 ? 0 : titleDots[s.idx]! / (s.norm * titleNorm);
    titleMax = Math.max(titleMax, titleSims[s.idx]!);
  }
  for (const s of sents) {
    const lead = 1 / (1 + 0.6 * s.pos);
    let named = 0;
    for (const id of mainActors) if (s.prep.actors.has(id)) named++;
    const actorCover = mainActors.length ? named / mainActors.length : 0;
    let score = W_LEX * (lex[s.idx]! / lexMax) + W_LEAD * lead + W_TITLE * (titleSims[s.idx]! / titleMax) + W_ACTOR * actorCover;
    if (s.prep.words < 9) score *= 0.8;
    if (s.prep.words > MAX_BULLET_WORDS) score *= 0.9;
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
  const bullets = bulletsSents.map((s) => ({ text: trimToWords(s.prep.text), articleId: s.articleId }));

  // Headline: the most central title, the earliest among the near-best, preferring the story's language.
  let headline = '';
  {
    const dots = titleDots;
    const scores = new Float64Array(articles.length);
    let best = 0;
    for (let ai = 0; ai < articles.length; ai++) {
      const { titleUnique, titleCounts } = infos[ai]!;
      growShared(titleUnique.length);
      // The title's own vector: its terms only, weighted as in the sentences. Those the sentences share go
      // in by local feature ascending (distinct, and few: an insertion sort).
      let sq = 0;
      let m = 0;
      for (let k = 0; k < titleUnique.length; k++) {
        const g = titleUnique[k]!;
        const w = termWeight(idf[g]!, titleCounts[k]!);
        sq += w * w;
        if (scratch.localStamp[g] !== stamp) continue;
        const t = scratch.local[g]!;
        let at = m++;
        for (; at > 0 && sharedLocal[at - 1]! > t; at--) {
          sharedLocal[at] = sharedLocal[at - 1]!;
          sharedWeight[at] = sharedWeight[at - 1]!;
        }
        sharedLocal[at] = t;
        sharedWeight[at] = w;
      }
      const norm = Math.sqrt(sq);
      dotsWith(sharedLocal, sharedWeight, m, post, dots);
      let c = 0;
      for (const s of sents) c += (norm === 0 || s.norm === 0 ? 0 : dots[s.idx]! / (norm * s.norm)) * (1 + s.score);
      const a = articles[ai]!;
      const langOk = !language || a.language === language || a.language === null;
      scores[ai] = c * (langOk ? 1 : 0.5);
      best = Math.max(best, scores[ai]!);
    }
    let pick = articles.length > 0 ? 0 : -1;
    for (let ai = 0; ai < articles.length; ai++) {
      if (scores[ai]! >= 0.85 * best && articles[ai]!.title.trim()) {
        pick = ai;
        break;
      }
    }
    if (pick >= 0) headline = plainTitleOf(infos[pick]!, articles[pick]!);
  }

  // Quote.
  const quote = pickQuote(articles, mainActors, language);

  // Sources: one per source, its earliest article.
  const sources: StorySummary['sources'] = [];
  const seenSources = new Set<string>();
  articles.forEach((a, ai) => {
    const k = sourceKey(a.source);
    if (seenSources.has(k)) return;
    seenSources.add(k);
    sources.push({ articleId: a.id, url: a.url, source: a.source, title: plainTitleOf(infos[ai]!, a) });
  });

  const covered = [...new Set([
    ...(headline ? [sentenceKey(headline)] : []),
    ...bulletsSents.map((s) => s.prep.key),
    ...(quote ? [sentenceKey(quote.sentence)] : []),
  ])];

  let whatsNew: string | null = null;
  if (opts.previous) {
    const old = new Set(opts.previous.articleIds ?? []);
    const fresh = sents.filter((s) => !old.has(s.articleId));
    whatsNew = pickWhatsNew(fresh, opts.previous.covered, language, keysOf, stamp);
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
function lexRank(sim: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const d = 0.15;
  // The graph's edges above the diagonal, row by row (a large story's matrix is mostly zeros, and it is
  // symmetric). Summing only the non-zero cells, in the same order, gives the same sums.
  let edges = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (sim[i * n + j]! > 0) edges++;
  const rowStart = new Int32Array(n + 1);
  const col = new Int32Array(edges);
  const val = new Float64Array(edges);
  const rowSum = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const w = sim[i * n + j]!;
      if (w > 0) {
        s += w;
        if (j > i) {
          col[e] = j;
          val[e++] = w;
        }
      }
    }
    rowSum[i] = s;
    rowStart[i + 1] = e;
  }
  let p = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n);
  for (let iter = 0; iter < 50; iter++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (rowSum[i] === 0) dangling += p[i]!;
      else share[i] = ((1 - d) * p[i]!) / rowSum[i]!;
    }
    // next[j] = d/n + Σ share[i] · sim[i][j] over i ascending. Walking the upper triangle row by row, each
    // edge (i, j) adds to next[j] (from the smaller i, in order) and then to next[i] (the larger j, in
    // order, once row i is reached, after every smaller i has added its part): the same terms in the same
    // order as the full matrix, each edge read once.
    next.fill(d / n);
    for (let i = 0; i < n; i++) {
      const si = share[i]!;
      let x = next[i]!;
      for (let k = rowStart[i]!, end = rowStart[i + 1]!; k < end; k++) {
        const j = col[k]!;
        const w = val[k]!;
        x += share[j]! * w;
        next[j]! += si * w;
      }
      next[i] = x;
    }
    if (dangling > 0) for (let j = 0; j < n; j++) next[j]! += ((1 - d) * dangling) / n;
    let delta = 0;
    for (let j = 0; j < n; j++) delta += Math.abs(next[j]! - p[j]!);
    [p, next] = [next, p];
    if (delta < 1e-6) break;
  }
  return p;
}

/** Share of the smaller sentence's features (words, numbers, actors) that the other sentence also has. */
function containment(a: Sent, b: Sent): number {
  const [small, large] = a.prep.features.length <= b.prep.features.length ? [a.prep, b.prep] : [b.prep, a.prep];
  if (small.features.length < 6) return 0;
  const x = sortedFeatures(small);
  const y = sortedFeatures(large);
  let shared = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) {
      shared++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  return shared / small.features.length;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  // With one side empty the share is 0 (the common case: most sentences name no actor), without iterating.
  if (a.size === 0 || b.size === 0) return 0;
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
  const p = a.prep;
  const q = b.prep;
  if (p.key === q.key) return true;
  if (sim[a.idx * n + b.idx]! >= REDUNDANT_COSINE) return true;
  // A shared telling number (not 0-9) with shared actors or some shared wording: the same fact.
  let sharedNumbers = false;
  if (p.numbers.size > 0 && q.numbers.size > 0) {
    for (const x of p.numbers) {
      if (q.numbers.has(x) && Number(x) >= 10) {
        sharedNumbers = true;
        break;
      }
    }
  }
  const actorOverlap = jaccard(p.actors, q.actors);
  if (sharedNumbers && (actorOverlap >= 0.5 || p.actors.size === 0 || q.actors.size === 0 || sim[a.idx * n + b.idx]! >= 0.2)) return true;
  // Same language, mostly the same actors and a fair share of wording: two outlets' ledes of one fact.
  if (a.lang === b.lang && p.actors.size > 0 && actorOverlap >= 0.5 && sim[a.idx * n + b.idx]! >= 0.3) return true;
  // Same language and the shorter sentence's wording mostly inside the longer one: the longer already
  // says it (a wire lede and a rewrite of it that adds one clause).
  if (a.lang === b.lang && containment(a, b) >= CONTAINED) return true;
  if (a.lang !== b.lang && p.actors.size > 0 && sameSet(p.actors, q.actors)) {
    // Across languages, the same actors and no differing number: the same fact, translated.
    if (sameSet(p.numbers, q.numbers)) return true;
  }
  return false;
}

/** Whether x ranks before y: higher score, then earlier article, then earlier sentence (a strict order). */
function ranksBefore(x: Sent, y: Sent): boolean {
  return (y.score - x.score || x.art - y.art || x.pos - y.pos) < 0;
}

function selectMmr(pool: Sent[], sim: Float64Array, n: number, already: Sent[] = []): Sent[] {
  const chosen: Sent[] = [];
  // The pool is not sorted: each pick takes the best value, a tie going to the sentence that ranks first,
  // which is the pick a walk in rank order would make.
  let top = pool.length > 0 ? -Infinity : 0;
  for (const s of pool) if (s.score > top) top = s.score;
  // Taking a sentence rules out for good itself and what is redundant with it, and can only raise the
  // others' largest similarity to the taken ones: both are updated once per taken sentence.
  const out = new Uint8Array(pool.length);
  const maxSim = new Float64Array(pool.length);
  const take = (t: Sent) => {
    for (let k = 0; k < pool.length; k++) {
      if (out[k]) continue;
      const s = pool[k]!;
      if (s === t || redundant(s, t, sim, n)) out[k] = 1;
      else maxSim[k] = Math.max(maxSim[k]!, sim[s.idx * n + t.idx]!);
    }
  };
  for (const t of already) take(t);
  while (chosen.length + already.length < 3) {
    let best = -1;
    let bestVal = -Infinity;
    for (let k = 0; k < pool.length; k++) {
      if (out[k]) continue;
      const val = MMR_LAMBDA * pool[k]!.score - (1 - MMR_LAMBDA) * maxSim[k]!;
      if (val > bestVal || (val === bestVal && best >= 0 && ranksBefore(pool[k]!, pool[best]!))) {
        bestVal = val;
        best = k;
      }
    }
    if (best < 0) break;
    const s = pool[best]!;
    // A third bullet only when it is nearly as strong as the lead one.
    if (chosen.length + already.length >= 2 && s.score < 0.55 * top) break;
    chosen.push(s);
    take(s);
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

/** What "what's new" reads of a covered sentence. */
interface CoveredSentence {
  tokens: string[];
  numbers: Set<string>;
  /** Term features with their counts, in order of first occurrence, and the norm of the counts. */
  counts: Map<number, number>;
  norm: number;
  padded: string;
}

// A story's covered sentences come back at each of its refreshes until its summary changes; kept by
// text (bounded, and emptied with the feature numbering).
const COVERED_MAX = 5_000;
const coveredSentences = new Map<string, CoveredSentence>();

function coveredSentence(k: string): CoveredSentence {
  let hit = coveredSentences.get(k);
  if (!hit) {
    const tokens = tokenize(k);
    const counts = new Map<number, number>();
    for (const g of termIds(tokens)) counts.set(g, (counts.get(g) ?? 0) + 1);
    let sq = 0;
    for (const x of counts.values()) sq += x * x;
    hit = { tokens, numbers: numberKeys(k, tokens), counts, norm: Math.sqrt(sq), padded: padded(tokens) };
    if (coveredSentences.size >= COVERED_MAX) coveredSentences.clear();
    coveredSentences.set(k, hit);
  }
  return hit;
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
  keysOf: KeysOf,
  stamp: number,
): string | null {
  const coveredSet = new Set(covered);
  const coveredNumbers = new Set<string>();
  const coveredTokens = new Set<string>();
  // Term counts of the covered sentences: one row per term (found by feature number through the scratch
  // arrays), one column per covered sentence. Terms first seen here are in no sentence and are left out.
  const C = covered.length;
  const { coveredStamp, coveredRow, capacity } = scratch;
  const table: number[] = [];
  const coveredNorms: number[] = [];
  const coveredJoined: string[] = [];
  covered.forEach((k, c) => {
    const ck = coveredSentence(k);
    for (const x of ck.numbers) coveredNumbers.add(x);
    for (const w of ck.tokens) coveredTokens.add(w);
    for (const [g, x] of ck.counts) {
      if (g >= capacity) continue;
      if (coveredStamp[g] !== stamp) {
        coveredStamp[g] = stamp;
        coveredRow[g] = table.length / C;
        for (let i = 0; i < C; i++) table.push(0);
      }
      table[coveredRow[g]! * C + c] = x;
    }
    coveredNorms.push(ck.norm);
    coveredJoined.push(ck.padded);
  });
  const dots = new Float64Array(C);
  const actorCovered = new Map<string, boolean>();
  const isCovered = (id: string) => {
    let c = actorCovered.get(id);
    if (c === undefined) actorCovered.set(id, (c = keysOf(id).some((k) => coveredJoined.some((j) => j.includes(k)))));
    return c;
  };
  let best: { s: Sent; val: number } | null = null;
  for (const s of sents) {
    if (coveredSet.has(s.prep.key)) continue;
    let newNumbers = false;
    for (const x of s.prep.numbers) if (!coveredNumbers.has(x)) newNumbers = true;
    let newNameOrActor = nameWords(s.prep).some((w) => !coveredTokens.has(w));
    if (!newNameOrActor) {
      for (const id of s.prep.actors) {
        if (!isCovered(id)) {
          newNameOrActor = true;
          break;
        }
      }
    }
    // Cosines of the sentence's raw term counts with each covered sentence's. The dot products are sums
    // of small integer products, exact in any order.
    const { features, counts, termCount } = s.prep;
    let sq = 0;
    dots.fill(0);
    for (let k = 0; k < termCount; k++) {
      sq += counts[k]! * counts[k]!;
      const g = features[k]!;
      if (coveredStamp[g] !== stamp) continue;
      const row = coveredRow[g]! * C;
      for (let c = 0; c < C; c++) dots[c]! += counts[k]! * table[row + c]!;
    }
    const pn = Math.sqrt(sq);
    let maxSim = 0;
    for (let c = 0; c < C; c++) maxSim = Math.max(maxSim, pn === 0 || coveredNorms[c] === 0 ? 0 : dots[c]! / (pn * coveredNorms[c]!));
    let novelty = 0;
    if (newNumbers) novelty += 1;
    if (newNameOrActor) novelty += 0.5;
    if (novelty === 0 && maxSim < 0.2) novelty += 0.25;
    if (novelty === 0) continue;
    const val = novelty + s.score * 0.5 + (language && s.lang === language ? 0.3 : 0) - (newNumbers ? 0 : maxSim * 0.5);
    if (!best || val > best.val) best = { s, val };
  }
  return best ? trimToWords(best.s.prep.text) : null;
}
