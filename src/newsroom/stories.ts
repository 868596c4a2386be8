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
import { articleFeatures } from './stories-features.ts';

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

interface Story {
  id: string;
  articleIds: string[];
  first: number;
  last: number;
  /** Centroid: sum of the unit-length tf vectors of the (non-duplicate) articles, each term times its idf at the join. */
  terms: Map<string, number>;
  actors: Map<string, number>;
  numbers: Map<string, number>;
  /** Squared norm of the centroid. */
  norm2: number;
  /** Articles that went into the centroid (not duplicates). */
  textArticles: number;
  /** Retrieval keys this story is posted under. */
  keys: Set<string>;
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
  /** Unit-length tf vector. */
  tf: Map<string, number>;
  numbers: Set<string>;
  actors: string[];
  /** Weights computed for the decision, reused by join. */
  weighted?: Weighted;
}

/** Per-article weights, computed once per decision (idf, actor weights, query vector norm). */
interface Weighted {
  terms: { t: string; q: number; w: number }[];
  qn: number;
  actors: { a: string; w: number }[];
  aTotal: number;
  numbers: { n: string; w: number }[];
  /** The most salient terms: retrieval keys. */
  keyTerms: { t: string; q: number; w: number }[];
}
export function createStoryIndex(opts: StoryIndexOptions = {}): StoryIndex {
  const windowMs = (opts.windowHours ?? DEFAULT_WINDOW_HOURS) * HOUR;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const maxCandidates = opts.maxCandidates ?? 12;
  const W = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const actorWeightOpt = opts.actorWeight;

  const stories = new Map<string, Story>();
  const articleStory = new Map<string, Story>();
  const postings = new Map<string, Posting>();
  /** Document frequencies of terms ('t:'), actors ('a:') and numbers ('n:'/'d:'). */
  const df = new Map<string, number>();
  let docs = 0;
  let visitStamp = 0;
  let newest = -Infinity;
  let sinceSweep = 0;

  function idf(key: string): number {
    return Math.log((docs + 1) / ((df.get(key) ?? 0) + 1)) + 1;
  }
  function actorWeight(id: string): number {
    if (actorWeightOpt) return actorWeightOpt(id);
    const w = idf(`a:${id}`);
    return id.startsWith('cand:') ? w * 0.5 : w;
  }

  function countDocument(p: Prepared): void {
    docs++;
    for (const t of p.tf.keys()) df.set(`t:${t}`, (df.get(`t:${t}`) ?? 0) + 1);
    for (const a of p.actors) df.set(`a:${a}`, (df.get(`a:${a}`) ?? 0) + 1);
    for (const n of p.numbers) df.set(n, (df.get(n) ?? 0) + 1);
    if (docs >= DF_HALVING) {
      docs /= 2;
      for (const [k, v] of df) {
        if (v <= 1) df.delete(k);
        else df.set(k, v / 2);
      }
    }
  }

  function prepare(a: StoryInput): Prepared {
    const f = articleFeatures(a.title ?? '', a.text ?? '');
    let norm = 0;
    for (const v of f.terms.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    const tf = new Map<string, number>();
    for (const [k, v] of f.terms) tf.set(k, v / norm);
    return { input: a, t: a.publishedAt.getTime(), tf, numbers: f.numbers, actors: [...new Set(a.actors)] };
  }

  /** Retrieval keys of an article: its actors, numbers and most salient terms, with their weights. */
  function retrievalKeys(q: Weighted): { key: string; weight: number }[] {
    const keys: { key: string; weight: number }[] = [];
    for (const x of q.actors) keys.push({ key: `a:${x.a}`, weight: x.w });
    for (const x of q.numbers) keys.push({ key: x.n, weight: x.w });
    for (const x of q.keyTerms) keys.push({ key: `t:${x.t}`, weight: x.w });
    return keys;
  }

  function post(story: Story, key: string): void {
    if (story.keys.has(key)) return;
    story.keys.add(key);
    let list = postings.get(key);
    if (!list) postings.set(key, (list = { stories: [], dead: 0 }));
    list.stories.push(story);
  }

  function compact(key: string, list: Posting): void {
    list.stories = list.stories.filter((s) => !s.dead);
    list.dead = 0;
    if (list.stories.length === 0) postings.delete(key);
  }

  function gapOf(s: Story, t: number): number {
    return t > s.last ? t - s.last : t < s.first ? s.first - t : 0;
  }

  function candidates(p: Prepared, q: Weighted): Story[] {
    const stamp = ++visitStamp;
    const found: Story[] = [];
    for (const { key, weight } of retrievalKeys(q)) {
      const list = postings.get(key);
      if (!list) continue;
      const arr = list.stories;
      const from = Math.max(0, arr.length - MAX_POSTINGS_READ);
      for (let i = arr.length - 1; i >= from; i--) {
        const s = arr[i]!;
        if (s.dead) continue;
        if (gapOf(s, p.t) > windowMs) continue;
        if (s.visit !== stamp) {
          s.visit = stamp;
          s.hits = 0;
          found.push(s);
        }
        s.hits += weight;
      }
    }
    if (found.length > maxCandidates) {
      found.sort((x, y) => y.hits - x.hits);
      found.length = maxCandidates;
    }
    return found;
  }

  function weigh(p: Prepared): Weighted {
    const terms: Weighted['terms'] = [];
    let qn = 0;
    for (const [t, v] of p.tf) {
      const w = idf(`t:${t}`);
      const q = v * w;
      qn += q * q;
      terms.push({ t, q, w });
    }
    const actors = p.actors.map((a) => ({ a, w: actorWeight(a) }));
    let aTotal = 0;
    for (const x of actors) aTotal += x.w;
    const numbers = [...p.numbers].map((n) => ({ n, w: idf(n) }));
    const keyTerms = terms.slice().sort((a, b) => b.q - a.q).slice(0, KEY_TERMS);
    return (p.weighted = { terms, qn, actors, aTotal, numbers, keyTerms });
  }

  function score(p: Prepared, q: Weighted, s: Story, explain: string[] | null): number {
    // text: cosine of idf-weighted vectors
    let dot = 0;
    for (const x of q.terms) {
      const c = s.terms.get(x.t);
      if (c !== undefined) dot += x.q * c;
    }
    const text = dot > 0 ? dot / Math.sqrt(q.qn * s.norm2) : 0;
    // actors, each weighted by its share of the story's articles
    let aShared = 0;
    for (const x of q.actors) {
      const c = s.actors.get(x.a);
      if (c !== undefined) aShared += x.w * Math.min(1, (W.shareBoost * c) / s.articleIds.length);
    }
    const actors = q.aTotal > 0 ? aShared / (q.aTotal + W.actorSmoothing) : 0;
    // numbers and dates
    let nSum = 0;
    for (const x of q.numbers) {
      const c = s.numbers.get(x.n);
      if (c !== undefined) nSum += x.w * Math.min(1, (W.shareBoost * c) / Math.max(1, s.textArticles));
    }
    const numbers = 1 - Math.exp(-nSum / W.numberScale);
    const gap = gapOf(s, p.t) / windowMs;
    const total = W.text * text + W.actors * actors + W.numbers * numbers - W.gap * gap;
    if (explain) {
      explain.push(`text ${text.toFixed(2)}`);
      const sa = q.actors.filter((x) => s.actors.has(x.a)).map((x) => x.a);
      if (sa.length) explain.push(`actors ${sa.join(', ')}`);
      const sn = q.numbers.filter((x) => s.numbers.has(x.n)).map((x) => x.n.slice(2));
      if (sn.length) explain.push(`numbers ${sn.join(', ')}`);
      const st = q.terms
        .filter((x) => s.terms.has(x.t))
        .map((x) => [x.t, x.q * s.terms.get(x.t)!] as const)
        .sort((a, b) => b[1] - a[1]);
      if (st.length) explain.push(`terms ${st.slice(0, 5).map((x) => x[0]).join(', ')}`);
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
      id, articleIds: [], first: t, last: t, terms: new Map(), actors: new Map(), numbers: new Map(),
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
    for (const x of p.actors) {
      s.actors.set(x, (s.actors.get(x) ?? 0) + 1);
      post(s, `a:${x}`);
    }
    if (duplicate) return;
    s.textArticles++;
    // The centroid holds idf-weighted values (idf as of the join), so its norm is kept up to date here in
    // O(article terms) and scoring a candidate never walks the centroid.
    const q = p.weighted ?? weigh(p);
    for (const x of q.terms) {
      const old = s.terms.get(x.t) ?? 0;
      const now = old + x.q;
      s.terms.set(x.t, now);
      s.norm2 += now * now - old * old;
    }
    if (s.terms.size > 2 * MAX_CENTROID_TERMS) pruneCentroid(s);
    for (const n of p.numbers) {
      s.numbers.set(n, (s.numbers.get(n) ?? 0) + 1);
      post(s, n);
    }
    for (const x of q.keyTerms) post(s, `t:${x.t}`);
  }

  /** Keeps the heaviest terms of a large story's centroid: bounded memory and scoring cost. */
  function pruneCentroid(s: Story): void {
    const kept = [...s.terms].sort((x, y) => y[1] - x[1]).slice(0, MAX_CENTROID_TERMS);
    s.terms = new Map(kept);
    let n2 = 0;
    for (const [, v] of kept) n2 += v * v;
    s.norm2 = n2;
  }

  function kill(s: Story): void {
    s.dead = true;
    stories.delete(s.id);
    for (const id of s.articleIds) if (articleStory.get(id) === s) articleStory.delete(id);
    for (const key of s.keys) {
      const list = postings.get(key);
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
