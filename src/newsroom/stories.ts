/**
 * Incremental story clustering: each relevant article either joins a recent story or founds a new one.
 *
 * CANDIDATES come only from inverted indexes, never from a scan of all stories:
 *   actor id -> stories, salient title/lead term -> stories, number/date -> stories.
 * A posting list holds each story at most once (added when the story first gets that key). Stories idle
 * longer than the window are skipped at look-up, dropped from lists as they are met, and removed by evict()
 * (called by the caller, and automatically for stories idle beyond twice the window behind the newest
 * article seen), so lists only hold stories of the last few days. Very long lists (a key such as "Trump" on
 * a busy day) are read from their newest end only. The stories found are ranked by the summed weight of
 * the keys they share with the article and at most `maxCandidates` are scored.
 *
 * SCORING of article a against candidate story S (all terms in [0, 1] except the penalty):
 *
 *   text(a,S)   = cosine( tf_a · idf , C_S · idf )
 *                 tf_a: term counts of the title (x2) and lead (first ~60 words), stopwords of both languages
 *                 removed, words truncated to 6 characters; C_S: sum of the unit-length tf vectors of the
 *                 story's articles (its centroid); idf(t) = ln((N+1)/(df(t)+1)) + 1 with document
 *                 frequencies counted online over the articles seen.
 *   actors(a,S) = Σ_{x ∈ A_a ∩ A_S} w(x) / ( Σ_{x ∈ A_a} w(x) + ω )
 *                 w(x) = opts.actorWeight(x) or the online idf of the actor, halved for learned 'cand:' names;
 *                 rare actors count more than Trump / Sheinbaum / the Mexican government. ω (=1) keeps an
 *                 article naming a single actor from scoring a full match on it alone.
 *   numbers(a,S)= 1 - exp( -Σ_{n ∈ N_a ∩ N_S} idf(n) / ν )   (ν = 4) shared normalised numbers and dates:
 *                 "37", "10,000" = "10.000" = "10 mil", "$15 million" = "15 millones", "Feb. 27" = "27 de febrero".
 *   gap(a,S)    = hours between a.publishedAt and the story's [first, last] published span; a story accepts
 *                 an article only when gap <= windowHours.
 *
 *   score = W_TEXT·text + W_ACTORS·actors + W_NUMBERS·numbers − W_GAP·(gap / windowHours)
 *
 * The article joins the best-scoring candidate when score >= threshold, else founds a new story. English and
 * Spanish reports of one event share few words (names and places still match as terms), so for them the
 * actor and number terms carry the decision; look-alike events weeks apart are out of each other's window.
 * A syndicated copy (duplicateOf) joins its original's story without scoring while that story is known.
 */
import { scanFeatures, WordTable } from './stories-features.ts';
import { grown } from './typed-arrays.ts';

export interface StoryInput {
  /** Article id (16 hex chars). */
  id: string;
  /** The article's own published time (replays cluster as they would have then). */
  publishedAt: Date;
  language: 'en' | 'es' | null;
  title: string;
  /** Plain body text. */
  text: string;
  /** Canonical actor ids from the gazetteer, and 'cand:<key>' for learned names. */
  actors: string[];
  /** A syndicated copy joins its original's story. */
  duplicateOf?: string | null;
}

export interface StoryAssignment {
  storyId: string;
  isNew: boolean;
  /** Score of the chosen story (1 for a duplicate), or of the best rejected candidate for a new story (0 if none). */
  score: number;
  /** Short human-readable reasons: shared actors, numbers, terms, or why a new story was started. */
  reasons: string[];
}

export interface StoryView {
  id: string;
  articleIds: string[];
  firstPublished: Date;
  lastPublished: Date;
  /** Actor id -> number of the story's articles naming it. */
  actors: Map<string, number>;
}

export interface StoryIndexOptions {
  /** A story accepts articles published within this many hours of its span (default 72). */
  windowHours?: number;
  /** Minimum score to join a story (default DEFAULT_THRESHOLD). */
  threshold?: number;
  /** Weight of an actor; default: IDF over the articles seen. */
  actorWeight?: (actorId: string) => number;
  /** Stories scored per article (default 12). */
  maxCandidates?: number;
  /** Scoring weights (defaults in DEFAULT_WEIGHTS); for tuning. */
  weights?: Partial<typeof DEFAULT_WEIGHTS>;
  /** Documents counted before document frequencies are halved (default 65,536); for tests. */
  dfHalving?: number;
}

export interface StoryIndex {
  assign(a: StoryInput): StoryAssignment;
  /** Rebuild after a restart: put an article into a known story without deciding. */
  restore(a: StoryInput, storyId: string): void;
  story(storyId: string): StoryView | undefined;
  /** Drop stories idle beyond the window before `now`, keeping memory bounded. */
  evict(now: Date): void;
  size(): number;
}

export const DEFAULT_WEIGHTS = {
  text: 1,
  actors: 0.6,
  numbers: 0.4,
  gap: 0.15,
  /** Smoothing ω of the actor overlap. */
  actorSmoothing: 1,
  /** Saturation ν of the number evidence. */
  numberScale: 4,
  /** σ: an actor or number named by at least 1/σ of the story's articles counts fully (see share). */
  shareBoost: 2,
};
export const DEFAULT_THRESHOLD = 0.35;
export const DEFAULT_WINDOW_HOURS = 72;

const HOUR = 3_600_000;
/** Salient terms per article used as retrieval keys. */
const KEY_TERMS = 8;
/** A story's centroid keeps at most this many terms (pruned when it doubles). */
const MAX_CENTROID_TERMS = 400;
/** Posting lists longer than this are read from their newest end only. */
const MAX_POSTINGS_READ = 256;
/** Document frequencies are halved when this many documents have been counted (recency, bounded memory). */
const DF_HALVING = 1 << 16;

/**
 * KEYS. Every term stem, actor ('a:<id>') and number ('n:…', 'd:…') is turned into a small integer once per
 * article, so document frequencies, posting lists and centroids are arrays and integer-keyed tables rather
 * than maps of freshly built strings. (Stems are runs of word characters and never contain ':', so the
 * three kinds cannot collide.) Keys no longer counted nor used by a live story are dropped when the
 * frequencies are halved, keeping the vocabulary as bounded as the frequencies themselves.
 */

/**
 * A story's centroid: term key -> value. Entries stay in insertion order (pruning keeps equal values in that
 * order, as the Map it replaces did); look-ups go through an open-addressing table whose slots hold the key
 * next to its entry position, so a probe (most are misses: terms the story lacks) reads one place.
 */
class Centroid {
  keys: Int32Array;
  values: Float64Array;
  size = 0;
  /** Per slot: key + 1 (0 = empty), then the entry position; at most half the slots are used. */
  private slots: Int32Array;
  private shift: number;
  /**
   * A bit per 1/4 slot, set when a key hashes there: most probes are for terms the story lacks, and this
   * answers them from a few cache lines per story instead of reaching into the table.
   */
  private present: Int32Array;

  constructor(capacity = 64) {
    this.keys = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.shift = 0;
    this.present = new Int32Array(0);
    this.slots = this.emptySlots(capacity);
  }

  private emptySlots(capacity: number): Int32Array {
    let bits = 5;
    while (1 << bits < 2 * capacity) bits++;
    this.shift = 32 - bits;
    // 4 bits per slot: (bits + 2) hash bits pick one of 2^(bits + 2) bits, 32 per integer.
    this.present = new Int32Array(1 << (bits - 3));
    return new Int32Array(2 << bits);
  }

  /** Position of the key's entry, or -1. */
  find(key: number): number {
    const hash = Math.imul(key, 0x9e3779b1);
    const bit = hash >>> (this.shift - 2);
    if ((this.present[bit >>> 5]! & (1 << (bit & 31))) === 0) return -1;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let h = hash >>> this.shift; ; h = (h + 1) & mask) {
      const k = slots[2 * h]!;
      if (k === 0) return -1;
      if (k === key + 1) return slots[2 * h + 1]!;
    }
  }

  /** Appends a key known to be absent. */
  append(key: number, value: number): void {
    if (this.size === this.keys.length) this.rebuild(this.size * 2);
    const e = this.size++;
    this.keys[e] = key;
    this.values[e] = value;
    this.place(e);
  }

  private place(e: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const key = this.keys[e]!;
    const hash = Math.imul(key, 0x9e3779b1);
    const bit = hash >>> (this.shift - 2);
    this.present[bit >>> 5]! |= 1 << (bit & 31);
    let h = hash >>> this.shift;
    while (slots[2 * h] !== 0) h = (h + 1) & mask;
    slots[2 * h] = key + 1;
    slots[2 * h + 1] = e;
  }

  /** Re-creates the table for `capacity` entries (after a resize or a change of keys). */
  rebuild(capacity: number): void {
    const keys = new Int32Array(capacity);
    const values = new Float64Array(capacity);
    keys.set(this.keys.subarray(0, this.size));
    values.set(this.values.subarray(0, this.size));
    this.keys = keys;
    this.values = values;
    this.slots = this.emptySlots(capacity);
    for (let e = 0; e < this.size; e++) this.place(e);
  }

  /** Keeps the `n` largest values, largest first (equal values in insertion order). */
  keepLargest(n: number): void {
    const order = Array.from({ length: this.size }, (_, e) => e);
    order.sort((x, y) => this.values[y]! - this.values[x]!);
    const keep = Math.min(n, order.length);
    const keys = this.keys.slice(0, keep);
    const values = this.values.slice(0, keep);
    for (let k = 0; k < keep; k++) {
      keys[k] = this.keys[order[k]!]!;
      values[k] = this.values[order[k]!]!;
    }
    this.keys = keys;
    this.values = values;
    this.size = keep;
    // Room for the terms of the next articles until the next pruning, without growing first.
    this.rebuild(2 * n + 64);
  }
}

interface Story {
  id: string;
  articleIds: string[];
  first: number;
  last: number;
  /** Centroid: sum of the unit-length tf vectors of the (non-duplicate) articles, each term times its idf at the join. */
  terms: Centroid;
  actors: Map<string, number>;
  /** Number key -> articles naming it. */
  numbers: Map<number, number>;
  /** Squared norm of the centroid. */
  norm2: number;
  /** Articles that went into the centroid (not duplicates). */
  textArticles: number;
  /** Retrieval keys this story is posted under. */
  keys: Set<number>;
  dead: boolean;
  /** Last query that reached this story (dedupes candidates without a Set). */
  visit: number;
  hits: number;
}

interface Posting {
  stories: Story[];
  dead: number;
}

interface Prepared {
  input: StoryInput;
  t: number;
  actors: string[];
  /** Keys of the actors ('a:<id>'). */
  actorKeys: number[];
  /** Terms and numbers, computed when first needed (a duplicate or a known article never needs them). */
  features?: Features;
  /** Weights computed for the decision, reused by join. */
  weighted?: Weighted;
}

/**
 * An article's features and weights live for one assign() or restore() only, so their arrays are buffers of
 * the index reused by the next article (no typed arrays allocated per article); entries [0, count) are valid.
 */
interface Features {
  count: number;
  /** Term keys in first-seen order, with their unit-length tf values. */
  terms: number[];
  tf: Float64Array;
  /** Number and date keys. */
  numbers: number[];
}

/** Per-article weights, computed once per decision (idf, actor weights, query vector norm). */
interface Weighted {
  /** Per term (same order as Features.terms): tf × idf, and the idf. */
  q: Float64Array;
  w: Float64Array;
  qn: number;
  actorW: number[];
  aTotal: number;
  numberW: number[];
  /** The most salient terms (positions in Features.terms): retrieval keys. */
  keyTerms: number[];
}

export function createStoryIndex(opts: StoryIndexOptions = {}): StoryIndex {
  const windowMs = (opts.windowHours ?? DEFAULT_WINDOW_HOURS) * HOUR;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const maxCandidates = opts.maxCandidates ?? 12;
  const dfHalving = opts.dfHalving ?? DF_HALVING;
  const W = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const actorWeightOpt = opts.actorWeight;

  const stories = new Map<string, Story>();
  const articleStory = new Map<string, Story>();
  /** Key names and their keys. */
  let vocabulary = new WordTable();
  /** Per key: document frequency (terms, actors, numbers), posting list. */
  let df = new Float64Array(1024);
  let postings: (Posting | undefined)[] = [];
  let docs = 0;
  let visitStamp = 0;
  let newest = -Infinity;
  let sinceSweep = 0;

  function keyOf(name: string): number {
    const id = vocabulary.add(name);
    if (id >= df.length) growKeys();
    return id;
  }

  /** Makes room in the per-key arrays for every key of the vocabulary. */
  function growKeys(): void {
    let size = df.length;
    while (size <= vocabulary.size) size *= 2;
    df = grown(df, size);
    slotStamp = grown(slotStamp, size);
    slotOf = grown(slotOf, size);
  }

  function idf(key: number): number {
    return Math.log((docs + 1) / (df[key]! + 1)) + 1;
  }
  function actorWeight(id: string, key: number): number {
    if (actorWeightOpt) return actorWeightOpt(id);
    const w = idf(key);
    return id.startsWith('cand:') ? w * 0.5 : w;
  }

  function countDocument(p: Prepared): void {
    const f = featuresOf(p);
    docs++;
    for (let i = 0; i < f.count; i++) df[f.terms[i]!]++;
    for (const a of p.actorKeys) df[a]++;
    for (const n of f.numbers) df[n]++;
    if (docs >= dfHalving) {
      docs /= 2;
      for (let k = 0; k < vocabulary.size; k++) {
        const v = df[k]!;
        if (v > 0) df[k] = v <= 1 ? 0 : v / 2;
      }
      compactKeys();
    }
  }

  /** Drops keys no longer counted and not used by a live story, renumbering the others in order. */
  function compactKeys(): void {
    const n = vocabulary.size;
    const used = new Uint8Array(n);
    for (let k = 0; k < n; k++) if (df[k]! > 0 || postings[k] !== undefined) used[k] = 1;
    for (const s of stories.values()) {
      for (let e = 0; e < s.terms.size; e++) used[s.terms.keys[e]!] = 1;
      for (const k of s.numbers.keys()) used[k] = 1;
      for (const k of s.keys) used[k] = 1;
    }
    const remap = new Int32Array(n).fill(-1);
    const kept = new WordTable();
    const freq = new Float64Array(df.length);
    const lists: (Posting | undefined)[] = [];
    for (let k = 0; k < n; k++) {
      if (!used[k]) continue;
      const id = kept.add(vocabulary.names[k]!);
      remap[k] = id;
      freq[id] = df[k]!;
      lists[id] = postings[k];
    }
    for (const s of stories.values()) {
      for (let e = 0; e < s.terms.size; e++) s.terms.keys[e] = remap[s.terms.keys[e]!]!;
      s.terms.rebuild(s.terms.keys.length);
      s.numbers = new Map([...s.numbers].map(([k, c]) => [remap[k]!, c]));
      s.keys = new Set([...s.keys].map((k) => remap[k]!));
    }
    vocabulary = kept;
    df = freq;
    postings = lists;
    slotStamp = new Int32Array(df.length);
    slotOf = new Int32Array(df.length);
  }

  // Per-article term accumulation: the position of a key among the article's terms, valid when its stamp
  // is the current article's (no clearing between articles).
  let slotStamp = new Int32Array(df.length);
  let slotOf = new Int32Array(df.length);
  let articleStamp = 0;
  const termKeys: number[] = [];
  const termCounts: number[] = [];
  let tfBuffer = new Float64Array(256);
  let qBuffer = new Float64Array(256);
  let wBuffer = new Float64Array(256);
  const numberNames = new Set<string>();
  const onTerm = (key: number, weight: number): void => {
    if (key >= df.length) growKeys();
    if (slotStamp[key] === articleStamp) {
      termCounts[slotOf[key]!]! += weight;
    } else {
      slotStamp[key] = articleStamp;
      slotOf[key] = termKeys.length;
      termKeys.push(key);
      termCounts.push(weight);
    }
  };

  function featuresOf(p: Prepared): Features {
    if (p.features) return p.features;
    const a = p.input;
    articleStamp++;
    termKeys.length = 0;
    termCounts.length = 0;
    numberNames.clear();
    scanFeatures(a.title ?? '', a.text ?? '', vocabulary, onTerm, numberNames, a.language ?? null);
    let norm = 0;
    for (const v of termCounts) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    const count = termKeys.length;
    if (count > tfBuffer.length) {
      const size = Math.max(count, 2 * tfBuffer.length);
      tfBuffer = new Float64Array(size);
      qBuffer = new Float64Array(size);
      wBuffer = new Float64Array(size);
    }
    for (let i = 0; i < count; i++) tfBuffer[i] = termCounts[i]! / norm;
    const numbers: number[] = [];
    for (const n of numberNames) numbers.push(keyOf(n));
    return (p.features = { count, terms: termKeys, tf: tfBuffer, numbers });
  }

  function prepare(a: StoryInput): Prepared {
    const actors = [...new Set(a.actors)];
    return { input: a, t: a.publishedAt.getTime(), actors, actorKeys: actors.map((x) => keyOf(`a:${x}`)) };
  }

  function post(story: Story, key: number): void {
    if (story.keys.has(key)) return;
    story.keys.add(key);
    let list = postings[key];
    if (!list) postings[key] = list = { stories: [], dead: 0 };
    list.stories.push(story);
  }

  function compact(key: number, list: Posting): void {
    list.stories = list.stories.filter((s) => !s.dead);
    list.dead = 0;
    if (list.stories.length === 0) postings[key] = undefined;
  }

  function gapOf(s: Story, t: number): number {
    return t > s.last ? t - s.last : t < s.first ? s.first - t : 0;
  }

  /** Counts a retrieval key's stories among the candidates (see `candidates`). */
  function visitKey(key: number, weight: number, t: number, stamp: number, found: Story[]): void {
    const list = postings[key];
    if (!list) return;
    const arr = list.stories;
    const from = Math.max(0, arr.length - MAX_POSTINGS_READ);
    for (let i = arr.length - 1; i >= from; i--) {
      const s = arr[i]!;
      if (s.dead) continue;
      if (gapOf(s, t) > windowMs) continue;
      if (s.visit !== stamp) {
        s.visit = stamp;
        s.hits = 0;
        found.push(s);
      }
      s.hits += weight;
    }
  }

  /** Stories sharing a retrieval key (actors, numbers, most salient terms, in that order) with the article. */
  function candidates(p: Prepared, q: Weighted): Story[] {
    const f = p.features!;
    const stamp = ++visitStamp;
    const found: Story[] = [];
    for (let i = 0; i < p.actorKeys.length; i++) visitKey(p.actorKeys[i]!, q.actorW[i]!, p.t, stamp, found);
    for (let i = 0; i < f.numbers.length; i++) visitKey(f.numbers[i]!, q.numberW[i]!, p.t, stamp, found);
    for (const i of q.keyTerms) visitKey(f.terms[i]!, q.w[i]!, p.t, stamp, found);
    if (found.length > maxCandidates) {
      found.sort((x, y) => y.hits - x.hits);
      found.length = maxCandidates;
    }
    return found;
  }

  function weigh(p: Prepared): Weighted {
    const f = featuresOf(p);
    const n = f.count;
    const q = qBuffer;
    const w = wBuffer;
    let qn = 0;
    // The KEY_TERMS largest q, largest first; equal ones in term order (what a stable sort would give).
    const keyTerms: number[] = [];
    for (let i = 0; i < n; i++) {
      const wi = idf(f.terms[i]!);
      const qi = f.tf[i]! * wi;
      q[i] = qi;
      w[i] = wi;
      qn += qi * qi;
      let at = keyTerms.length;
      while (at > 0 && q[keyTerms[at - 1]!]! < qi) at--;
      if (at < KEY_TERMS) {
        keyTerms.splice(at, 0, i);
        if (keyTerms.length > KEY_TERMS) keyTerms.length = KEY_TERMS;
      }
    }
    const actorW = p.actors.map((a, i) => actorWeight(a, p.actorKeys[i]!));
    let aTotal = 0;
    for (const x of actorW) aTotal += x;
    const numberW = f.numbers.map((k) => idf(k));
    return (p.weighted = { q, w, qn, actorW, aTotal, numberW, keyTerms });
  }

  function score(p: Prepared, q: Weighted, s: Story, explain: string[] | null): number {
    const f = p.features!;
    // text: cosine of idf-weighted vectors
    let dot = 0;
    const centroid = s.terms;
    for (let i = 0; i < f.count; i++) {
      const e = centroid.find(f.terms[i]!);
      if (e >= 0) dot += q.q[i]! * centroid.values[e]!;
    }
    const text = dot > 0 ? dot / Math.sqrt(q.qn * s.norm2) : 0;
    // actors, each weighted by its share of the story's articles
    let aShared = 0;
    for (let i = 0; i < p.actors.length; i++) {
      const c = s.actors.get(p.actors[i]!);
      if (c !== undefined) aShared += q.actorW[i]! * Math.min(1, (W.shareBoost * c) / s.articleIds.length);
    }
    const actors = q.aTotal > 0 ? aShared / (q.aTotal + W.actorSmoothing) : 0;
    // numbers and dates
    let nSum = 0;
    for (let i = 0; i < f.numbers.length; i++) {
      const c = s.numbers.get(f.numbers[i]!);
      if (c !== undefined) nSum += q.numberW[i]! * Math.min(1, (W.shareBoost * c) / Math.max(1, s.textArticles));
    }
    const numbers = 1 - Math.exp(-nSum / W.numberScale);
    const gap = gapOf(s, p.t) / windowMs;
    const total = W.text * text + W.actors * actors + W.numbers * numbers - W.gap * gap;
    if (explain) {
      explain.push(`text ${text.toFixed(2)}`);
      const sa = p.actors.filter((a) => s.actors.has(a));
      if (sa.length) explain.push(`actors ${sa.join(', ')}`);
      const sn = f.numbers.filter((k) => s.numbers.has(k)).map((k) => vocabulary.names[k]!.slice(2));
      if (sn.length) explain.push(`numbers ${sn.join(', ')}`);
      // The five shared terms of largest product, largest first (equal ones in term order, as a stable sort).
      const top: number[] = [];
      const product: number[] = [];
      for (let i = 0; i < f.count; i++) {
        const e = centroid.find(f.terms[i]!);
        if (e < 0) continue;
        const v = q.q[i]! * centroid.values[e]!;
        let at = top.length;
        while (at > 0 && product[at - 1]! < v) at--;
        if (at >= 5) continue;
        top.splice(at, 0, f.terms[i]!);
        product.splice(at, 0, v);
        if (top.length > 5) {
          top.length = 5;
          product.length = 5;
        }
      }
      if (top.length) explain.push(`terms ${top.map((k) => vocabulary.names[k]!).join(', ')}`);
      explain.push(`gap ${((gap * windowMs) / HOUR).toFixed(1)}h`);
    }
    return total;
  }

  function newStoryId(articleId: string): string {
    const base = `s${articleId.slice(0, 10)}`;
    if (!stories.has(base)) return base;
    // Only on a 40-bit prefix collision (or an id reused): still deterministic for the same history.
    for (let k = 11; k <= articleId.length; k++) {
      const id = `s${articleId.slice(0, k)}`;
      if (!stories.has(id)) return id;
    }
    let n = 2;
    while (stories.has(`${base}-${n}`)) n++;
    return `${base}-${n}`;
  }

  function createStory(id: string, t: number): Story {
    const s: Story = {
      id, articleIds: [], first: t, last: t, terms: new Centroid(), actors: new Map(), numbers: new Map(),
      keys: new Set(), norm2: 0, textArticles: 0, dead: false, visit: 0, hits: 0,
    };
    stories.set(id, s);
    return s;
  }

  /** Adds the article to the story; a duplicate counts for membership and actors but not the centroid. */
  function join(s: Story, p: Prepared, duplicate: boolean): void {
    const a = p.input;
    if (!articleStory.has(a.id)) s.articleIds.push(a.id);
    articleStory.set(a.id, s);
    if (p.t < s.first) s.first = p.t;
    if (p.t > s.last) s.last = p.t;
    for (let i = 0; i < p.actors.length; i++) {
      const x = p.actors[i]!;
      s.actors.set(x, (s.actors.get(x) ?? 0) + 1);
      post(s, p.actorKeys[i]!);
    }
    if (duplicate) return;
    s.textArticles++;
    // The centroid holds idf-weighted values (idf as of the join), so its norm is kept up to date here in
    // O(article terms) and scoring a candidate never walks the centroid.
    const q = p.weighted ?? weigh(p);
    const f = p.features!;
    const centroid = s.terms;
    for (let i = 0; i < f.count; i++) {
      const key = f.terms[i]!;
      const e = centroid.find(key);
      const old = e >= 0 ? centroid.values[e]! : 0;
      const now = old + q.q[i]!;
      if (e >= 0) centroid.values[e] = now;
      else centroid.append(key, now);
      s.norm2 += now * now - old * old;
    }
    if (centroid.size > 2 * MAX_CENTROID_TERMS) pruneCentroid(s);
    for (const n of f.numbers) {
      s.numbers.set(n, (s.numbers.get(n) ?? 0) + 1);
      post(s, n);
    }
    for (const i of q.keyTerms) post(s, f.terms[i]!);
  }

  /** Keeps the heaviest terms of a large story's centroid: bounded memory and scoring cost. */
  function pruneCentroid(s: Story): void {
    s.terms.keepLargest(MAX_CENTROID_TERMS);
    let n2 = 0;
    for (let e = 0; e < s.terms.size; e++) n2 += s.terms.values[e]! * s.terms.values[e]!;
    s.norm2 = n2;
  }

  function kill(s: Story): void {
    s.dead = true;
    stories.delete(s.id);
    for (const id of s.articleIds) if (articleStory.get(id) === s) articleStory.delete(id);
    for (const key of s.keys) {
      const list = postings[key];
      if (!list) continue;
      list.dead++;
      if (list.dead * 2 >= list.stories.length) compact(key, list);
    }
  }

  function evictBefore(cutoff: number): void {
    for (const s of stories.values()) if (s.last < cutoff) kill(s);
  }

  function noteTime(t: number): void {
    if (t > newest) newest = t;
    // Memory bound without relying on the caller: now and then drop stories idle beyond twice the window.
    if (++sinceSweep >= 512) {
      sinceSweep = 0;
      evictBefore(newest - 2 * windowMs);
    }
  }

  return {
    assign(a) {
      const p = prepare(a);
      noteTime(p.t);
      const known = articleStory.get(a.id);
      if (known) return { storyId: known.id, isNew: false, score: 1, reasons: ['already assigned'] };
      const original = a.duplicateOf ? articleStory.get(a.duplicateOf) : undefined;
      if (original) {
        join(original, p, true);
        return { storyId: original.id, isNew: false, score: 1, reasons: [`duplicate of ${a.duplicateOf}`] };
      }
      let best: Story | null = null;
      let bestScore = -Infinity;
      const q = weigh(p);
      for (const s of candidates(p, q)) {
        const r = score(p, q, s, null);
        if (r > bestScore) {
          best = s;
          bestScore = r;
        }
      }
      const bestReasons: string[] = [];
      if (best) score(p, q, best, bestReasons);
      if (best && bestScore >= threshold) {
        join(best, p, false);
        countDocument(p);
        return { storyId: best.id, isNew: false, score: bestScore, reasons: bestReasons };
      }
      const s = createStory(newStoryId(a.id), p.t);
      join(s, p, false);
      countDocument(p);
      const reasons = best
        ? [`best candidate ${best.id} scored ${bestScore.toFixed(2)} < ${threshold}`, ...bestReasons]
        : ['no candidate story in the window'];
      return { storyId: s.id, isNew: true, score: best ? Math.max(0, bestScore) : 0, reasons };
    },

    restore(a, storyId) {
      const p = prepare(a);
      noteTime(p.t);
      const prev = articleStory.get(a.id);
      if (prev && prev.id === storyId) return;
      if (prev) {
        // Moved to another story: it no longer counts as a member of the old one.
        prev.articleIds = prev.articleIds.filter((id) => id !== a.id);
        articleStory.delete(a.id);
      }
      const s = stories.get(storyId) ?? createStory(storyId, p.t);
      const duplicate = !!a.duplicateOf && articleStory.has(a.duplicateOf);
      join(s, p, duplicate);
      if (!duplicate) countDocument(p);
    },

    story(storyId) {
      const s = stories.get(storyId);
      if (!s) return undefined;
      return {
        id: s.id,
        articleIds: [...s.articleIds],
        firstPublished: new Date(s.first),
        lastPublished: new Date(s.last),
        actors: new Map(s.actors),
      };
    },

    evict(now) {
      evictBefore(now.getTime() - windowMs);
    },

    size() {
      return stories.size;
    },
  };
}
