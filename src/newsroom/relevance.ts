/**
 * Beat relevance: is this article about U.S.–Mexico security?
 *
 * Model: logistic regression trained at start from the beat pack's labelled examples, over
 *  - a sparse TF-IDF block: folded (lower-case, accent-free), lightly stemmed word unigrams and bigrams of
 *    title (counted twice) and text, sublinear tf, L2-normalised;
 *  - a small dense block that carries the beat pack's knowledge to words the examples never used: summed
 *    weights of the lexicon's positive terms (title and text apart) and strongest single term, negative
 *    terms (also gated: "a negative term lowers the score only when no beat anchor or strong actor is
 *    present"), distinct actor aliases (title and text) and anchors.
 * The dense block is regularised lightly and the sparse block strongly, so a lexicon term or actor the
 * examples never mentioned still moves the score on unseen news.
 *
 * Calibration: Platt scaling fitted on 5-fold out-of-fold margins of the training examples, so `score` reads
 * as a probability. Threshold: the out-of-fold score that maximises F0.5 (precision first: a channel that
 * hears nothing on a quiet day is right). Subscriptions may raise it.
 *
 * Scoring is one pass over the tokens with precomputed term -> weight tables; `reasons` name the features
 * that pushed the score most ("actor: CJNG", "term: fentanilo", "negative: Netflix", "word: sucesion").
 */
import {
  ACTOR,
  ANCHOR,
  NEGATIVE,
  POSITIVE,
  PhraseTrie,
  STOPWORDS,
  stem,
  tokenize,
  TokenTable,
  type Entry,
  type TableTokens,
  type Tokens,
  type TrieNode,
} from './relevance-text.ts';
import { bestThreshold, fitLogistic, fitPlatt, platt, type Design, type LogisticWeights } from './relevance-train.ts';

export interface Example {
  id: string;
  lang: 'en' | 'es';
  title: string;
  summary: string;
  label: 0 | 1;
  kind?: string;
  note?: string;
}

/** lexicon.yaml: weighted positive and negative terms per language, and anchors per language. */
export interface Lexicon {
  positive: Record<string, Record<string, number>>;
  negative: Record<string, Record<string, number>>;
  anchors?: Record<string, string[]>;
}

export interface RelevanceInput {
  examples: Example[];
  lexicon: Lexicon;
  /** Every canonical actor name and plain (unambiguous) alias from actors.yaml. */
  actorTerms: string[];
  /** Places and institutions tying a story to the beat; defaults to every language's lexicon anchors. */
  anchors?: string[];
  /** Overrides of the training hyper-parameters (tests and experiments). */
  options?: Partial<RelevanceOptions>;
}

export interface RelevanceDoc {
  title: string;
  text: string;
  language: 'en' | 'es' | null;
}

export interface RelevanceResult {
  /** Calibrated probability that the article belongs to the beat, 0..1. */
  score: number;
  /** score >= threshold. */
  relevant: boolean;
  /** Top contributing features in words, strongest first. */
  reasons: string[];
}

export interface RelevanceModel {
  score(doc: RelevanceDoc): RelevanceResult;
  /** Default decision threshold on `score`; subscriptions may raise it. */
  readonly threshold: number;
  /** Out-of-fold figures on the training examples at `threshold` (for logs and /why). */
  readonly crossValidation: { precision: number; recall: number; f05: number };
}

/** Hyper-parameters, chosen by cross-validation on the training examples only. */
const DEFAULTS = {
  titleWeight: 2,
  minDf: 2,
  l2Sparse: 0.003,
  l2Dense: 0.001,
  iterations: 200,
  step: 1,
  folds: 5,
  beta: 0.5,
  /** Strongest lexicon weight that counts as a beat signal when gating negative terms. */
  strongTerm: 2.5,
  maxReasons: 5,
};
export type RelevanceOptions = typeof DEFAULTS;

const DENSE = [
  'lexicon terms in title',
  'lexicon terms',
  'strongest lexicon term',
  'negative terms',
  'negative terms without beat signal',
  'actors in title',
  'actors',
  'anchors',
  'lexicon terms x (actors + anchors)',
] as const;
const DENSE_DIM = DENSE.length;

const WORD_CACHE_LIMIT = 50_000;

// ───────────────────────────── analysis shared by training and scoring ─────────────────────────────

interface Hits {
  title: Entry[];
  text: Entry[];
}

/** Builds the phrase trie from the lexicon, actor terms and anchors. */
function buildTrie(input: RelevanceInput): PhraseTrie {
  const trie = new PhraseTrie();
  for (const lang of Object.keys(input.lexicon.positive ?? {})) {
    for (const [term, w] of Object.entries(input.lexicon.positive[lang] ?? {})) trie.add(term, POSITIVE, w);
  }
  for (const lang of Object.keys(input.lexicon.negative ?? {})) {
    for (const [term, w] of Object.entries(input.lexicon.negative[lang] ?? {})) trie.add(term, NEGATIVE, w);
  }
  for (const term of input.actorTerms) trie.add(term, ACTOR, 1);
  const anchors = input.anchors ?? Object.values(input.lexicon.anchors ?? {}).flat();
  for (const term of anchors) trie.add(term, ANCHOR, 1);
  return trie;
}

class Analyzer {
  /** Per-entry stamp of the last document (and field) that counted it: distinct terms per field. */
  private readonly stamp: Int32Array;
  private doc = 0;

  constructor(
    readonly trie: PhraseTrie,
    readonly config: RelevanceOptions,
  ) {
    this.stamp = new Int32Array(trie.entries.length);
  }

  hits(title: Tokens, text: Tokens, titleStarts?: readonly WordStart[], textStarts?: readonly WordStart[]): Hits {
    const out: Hits = { title: [], text: [] };
    this.doc += 2;
    const t = this.doc;
    this.trie.scan(title, (e) => {
      if (this.stamp[e.id] !== t) {
        this.stamp[e.id] = t;
        out.title.push(e);
      }
    }, titleStarts);
    this.trie.scan(text, (e) => {
      if (this.stamp[e.id] !== t && this.stamp[e.id] !== t + 1) {
        this.stamp[e.id] = t + 1;
        out.text.push(e);
      }
    }, textStarts);
    return out;
  }

  /** Raw dense features (before standardisation). */
  dense(h: Hits, out: Float64Array, off: number): void {
    let posT = 0, posX = 0, max = 0, neg = 0, actT = 0, act = 0, anc = 0;
    for (const e of h.title) {
      if (e.cat === POSITIVE) posT += e.weight;
      else if (e.cat === NEGATIVE) neg += e.weight;
      else if (e.cat === ACTOR) actT++;
      else anc++;
      if (e.cat === POSITIVE && e.weight > max) max = e.weight;
    }
    for (const e of h.text) {
      if (e.cat === POSITIVE) posX += e.weight;
      else if (e.cat === NEGATIVE) neg += e.weight;
      else if (e.cat === ACTOR) act++;
      else anc++;
      if (e.cat === POSITIVE && e.weight > max) max = e.weight;
    }
    const signal = actT + act + anc > 0 || max >= this.config.strongTerm;
    out[off] = Math.log1p(posT);
    out[off + 1] = Math.log1p(posT + posX);
    out[off + 2] = max / 3;
    out[off + 3] = Math.log1p(neg);
    out[off + 4] = signal ? 0 : Math.log1p(neg);
    out[off + 5] = Math.log1p(actT);
    out[off + 6] = Math.log1p(actT + act);
    out[off + 7] = Math.log1p(anc);
    out[off + 8] = out[off + 1] * Math.log1p(actT + act + anc);
  }
}

/** Stems of the content words, in order (stopwords, one-letter tokens and bare numbers left out). */
function contentStems(tokens: Tokens): string[] {
  const out: string[] = [];
  for (const w of tokens.words) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    const c = w.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d+$/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}

// ───────────────────────────── a trained scorer (raw margin) ─────────────────────────────

interface Trained {
  analyzer: Analyzer;
  /** stem -> stem id (every stem seen in training, for bigram keys). */
  stemIds: Map<string, number>;
  /** stem id -> unigram feature id or -1. */
  uniFeature: Int32Array;
  /** stemA * stride + stemB -> bigram feature id. */
  biFeature: Map<number, number>;
  /** Power of two above every stem id: keeps bigram keys small integers for fast Map lookups. */
  stride: number;
  /** feature id -> display text. */
  featureText: string[];
  idf: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  w: LogisticWeights;
}

interface Prepared {
  title: Tokens;
  text: Tokens;
  titleStems: string[];
  textStems: string[];
  hits: Hits;
}

function prepare(analyzer: Analyzer, title: string, text: string): Prepared {
  const t = tokenize(title);
  const x = tokenize(text);
  return { title: t, text: x, titleStems: contentStems(t), textStems: contentStems(x), hits: analyzer.hits(t, x) };
}

function ngrams(stems: string[], emit: (key: string) => void): void {
  for (let i = 0; i < stems.length; i++) {
    emit(stems[i]);
    if (i + 1 < stems.length) emit(stems[i] + ' ' + stems[i + 1]);
  }
}

/** Trains a scorer on prepared docs. */
function train(analyzer: Analyzer, docs: Prepared[], labels: Uint8Array): Trained {
  const CONFIG = analyzer.config;
  // vocabulary: stems and n-grams with document frequency >= minDf
  const stemIds = new Map<string, number>();
  const df = new Map<string, number>();
  for (const d of docs) {
    const seen = new Set<string>();
    for (const s of d.titleStems) if (!stemIds.has(s)) stemIds.set(s, stemIds.size);
    for (const s of d.textStems) if (!stemIds.has(s)) stemIds.set(s, stemIds.size);
    ngrams(d.titleStems, (k) => seen.add(k));
    ngrams(d.textStems, (k) => seen.add(k));
    for (const k of seen) df.set(k, (df.get(k) ?? 0) + 1);
  }
  const uniFeature = new Int32Array(stemIds.size).fill(-1);
  let stride = 1;
  while (stride <= stemIds.size) stride *= 2;
  const biFeature = new Map<number, number>();
  const featureText: string[] = [];
  const idfList: number[] = [];
  const n = docs.length;
  for (const [k, c] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (c < CONFIG.minDf) continue;
    const id = featureText.length;
    const sp = k.indexOf(' ');
    if (sp < 0) uniFeature[stemIds.get(k)!] = id;
    else biFeature.set(stemIds.get(k.slice(0, sp))! * stride + stemIds.get(k.slice(sp + 1))!, id);
    featureText.push(k);
    idfList.push(Math.log((n + 1) / (c + 1)) + 1);
  }
  const idf = Float64Array.from(idfList);
  const model: Trained = {
    analyzer,
    stemIds,
    uniFeature,
    biFeature,
    stride,
    featureText,
    idf,
    mean: new Float64Array(DENSE_DIM),
    std: new Float64Array(DENSE_DIM).fill(1),
    w: { sparse: new Float64Array(0), dense: new Float64Array(0), bias: 0 },
  };

  // design matrix
  const ptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const dense = new Float64Array(n * DENSE_DIM);
  const vec = new SparseVector(featureText.length);
  for (let r = 0; r < n; r++) {
    const d = docs[r];
    vectorize(model, d.titleStems, d.textStems, vec);
    for (let k = 0; k < vec.size; k++) {
      idx.push(vec.ids[k]);
      val.push(vec.values[k]);
    }
    ptr[r + 1] = idx.length;
    analyzer.dense(d.hits, dense, r * DENSE_DIM);
  }
  for (let j = 0; j < DENSE_DIM; j++) {
    let s = 0, s2 = 0;
    for (let r = 0; r < n; r++) s += dense[r * DENSE_DIM + j];
    const m = s / n;
    for (let r = 0; r < n; r++) s2 += (dense[r * DENSE_DIM + j] - m) ** 2;
    const sd = Math.sqrt(s2 / n);
    model.mean[j] = m;
    model.std[j] = sd > 1e-9 ? sd : 1;
    for (let r = 0; r < n; r++) dense[r * DENSE_DIM + j] = (dense[r * DENSE_DIM + j] - m) / model.std[j];
  }
  const design: Design = {
    rows: n,
    sparseDim: featureText.length,
    denseDim: DENSE_DIM,
    ptr,
    idx: Int32Array.from(idx),
    val: Float64Array.from(val),
    dense,
  };
  // balance classes so the prior of the example file does not set the bias
  let pos = 0;
  for (let r = 0; r < n; r++) pos += labels[r];
  const sampleWeight = new Float64Array(n);
  for (let r = 0; r < n; r++) sampleWeight[r] = labels[r] ? n / (2 * Math.max(pos, 1)) : n / (2 * Math.max(n - pos, 1));
  model.w = fitLogistic(design, labels, {
    l2Sparse: CONFIG.l2Sparse,
    l2Dense: CONFIG.l2Dense,
    iterations: CONFIG.iterations,
    step: CONFIG.step,
    sampleWeight,
  });
  return model;
}

/** Reusable sparse accumulator: counts per feature, touched list. */
class SparseVector {
  readonly counts: Float64Array;
  readonly ids: Int32Array;
  readonly values: Float64Array;
  size = 0;
  constructor(dim: number) {
    this.counts = new Float64Array(dim);
    this.ids = new Int32Array(Math.max(dim, 1));
    this.values = new Float64Array(Math.max(dim, 1));
  }
  add(id: number, c: number): void {
    if (this.counts[id] === 0) this.ids[this.size++] = id;
    this.counts[id] += c;
  }
  /** Turns counts into L2-normalised sublinear TF-IDF values and clears the counts. */
  finish(idf: Float64Array): void {
    let norm = 0;
    for (let k = 0; k < this.size; k++) {
      const id = this.ids[k];
      const v = (1 + Math.log(this.counts[id])) * idf[id];
      this.values[k] = v;
      norm += v * v;
      this.counts[id] = 0;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < this.size; k++) this.values[k] *= inv;
    }
  }
}

function addStems(model: Trained, stems: string[], weight: number, vec: SparseVector): void {
  let prev = -1;
  for (const s of stems) {
    const sid = model.stemIds.get(s);
    if (sid === undefined) {
      prev = -1;
      continue;
    }
    const u = model.uniFeature[sid];
    if (u >= 0) vec.add(u, weight);
    if (prev >= 0) {
      const b = model.biFeature.get(prev * model.stride + sid);
      if (b !== undefined) vec.add(b, weight);
    }
    prev = sid;
  }
}

function vectorize(model: Trained, titleStems: string[], textStems: string[], vec: SparseVector): void {
  vec.size = 0;
  addStems(model, titleStems, model.analyzer.config.titleWeight, vec);
  addStems(model, textStems, 1, vec);
  vec.finish(model.idf);
}

// ───────────────────────────── public model ─────────────────────────────

function foldLabels(labels: Uint8Array, k: number): Int32Array {
  // stratified, in file order: the i-th positive goes to fold i mod k, likewise negatives
  const fold = new Int32Array(labels.length);
  let p = 0, q = 0;
  for (let i = 0; i < labels.length; i++) fold[i] = labels[i] ? p++ % k : q++ % k;
  return fold;
}

/**
 * Trains the relevance model from labelled examples and the beat pack. Deterministic; ~0.3 s on 500 examples.
 */
export function createRelevanceModel(input: RelevanceInput): RelevanceModel {
  return build(input, { ...DEFAULTS, ...input.options });
}

function build(input: RelevanceInput, CONFIG: RelevanceOptions): RelevanceModel {
  const analyzer = new Analyzer(buildTrie(input), CONFIG);
  const examples = input.examples;
  const docs = examples.map((e) => prepare(analyzer, e.title, e.summary));
  const labels = Uint8Array.from(examples, (e) => (e.label ? 1 : 0));

  // out-of-fold margins for calibration and the threshold
  const folds = foldLabels(labels, CONFIG.folds);
  const oof = new Float64Array(docs.length);
  for (let f = 0; f < CONFIG.folds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < docs.length; i++) (folds[i] === f ? testIdx : trainIdx).push(i);
    if (testIdx.length === 0 || trainIdx.length === 0) continue;
    const m = train(analyzer, trainIdx.map((i) => docs[i]), Uint8Array.from(trainIdx, (i) => labels[i]));
    const scorer = new Scorer(m);
    for (const i of testIdx) oof[i] = scorer.margin(docs[i].title, docs[i].text).margin;
  }
  const calibration = fitPlatt(oof, labels);
  const oofScores = Array.from(oof, (m) => platt(m, calibration));
  const best = bestThreshold(oofScores, labels, CONFIG.beta);
  const threshold = Math.min(0.9, Math.max(0.3, best.threshold));

  const final = new Scorer(train(analyzer, docs, labels));
  return {
    threshold,
    crossValidation: { precision: best.precision, recall: best.recall, f05: best.f },
    score(doc: RelevanceDoc): RelevanceResult {
      const r = final.margin(final.tokenize(doc.title ?? '', 0), final.tokenize(doc.text ?? '', 1), true);
      const score = platt(r.margin, calibration);
      let reasons: string[] | undefined;
      return {
        score,
        relevant: score >= threshold,
        // computed on first read: most articles are scored and dropped without anyone asking why
        get reasons(): string[] {
          return (reasons ??= r.reasons());
        },
      };
    },
  };
}

/** Fast scoring against a trained model: one pass over the tokens, precomputed tables. */
class Scorer {
  private readonly vec: SparseVector;
  /** folded word -> stem id (-2 stopword, -1 unknown) and its trie root node: one lookup per token */
  private readonly words: TokenTable<WordInfo>;
  /** Token lists reused by `tokenize` (title, text): margin reads them before the next call. */
  private readonly scratch: TableTokens<WordInfo>[] = [
    { words: [], caps: [], infos: [] },
    { words: [], caps: [], infos: [] },
  ];
  /** Reason labels, built on first use (indexed by trie entry id and by feature id). */
  private readonly entryLabels: string[] = [];
  private readonly wordFor: string[] = [];
  private readonly wordAgainst: string[] = [];
  /** dense weights divided by std, and the constant from the means */
  private readonly denseScale: Float64Array;
  private readonly denseOffset: number;

  constructor(private readonly m: Trained) {
    this.vec = new SparseVector(m.featureText.length);
    this.words = new TokenTable((w) => this.describe(w), WORD_CACHE_LIMIT);
    this.denseScale = new Float64Array(DENSE_DIM);
    let off = m.w.bias;
    for (let j = 0; j < DENSE_DIM; j++) {
      this.denseScale[j] = m.w.dense[j] / m.std[j];
      off -= this.denseScale[j] * m.mean[j];
    }
    this.denseOffset = off;
  }

  /** Tokens of a field with each word's info, in scratch list `slot` (valid until the next call with it). */
  tokenize(text: string, slot: 0 | 1): TableTokens<WordInfo> {
    const out = this.scratch[slot];
    out.words.length = 0;
    out.caps.length = 0;
    out.infos.length = 0;
    return this.words.tokenize(text, out);
  }

  private describe(w: string): WordInfo {
    let sid: number;
    if (w.length < 2 || STOPWORDS.has(w) || (w.charCodeAt(0) <= 57 && /^\d+$/.test(w))) sid = -2;
    else sid = this.m.stemIds.get(stem(w)) ?? -1;
    return { sid, node: this.m.analyzer.trie.root.get(w) };
  }

  /** Adds a field's n-grams to the vector; returns each token's info (with its trie root node for the phrase scan). */
  private add(tokens: Tokens, weight: number): readonly WordInfo[] {
    const { uniFeature, biFeature, stride } = this.m;
    const infos = 'infos' in tokens ? (tokens as TableTokens<WordInfo>).infos : tokens.words.map((w) => this.describe(w));
    let prev = -1;
    for (let i = 0; i < infos.length; i++) {
      const sid = infos[i].sid;
      if (sid === -2) continue; // stopword: skipped, bigrams join across it
      if (sid === -1) {
        prev = -1;
        continue;
      }
      const u = uniFeature[sid];
      if (u >= 0) this.vec.add(u, weight);
      if (prev >= 0) {
        const b = biFeature.get(prev * stride + sid);
        if (b !== undefined) this.vec.add(b, weight);
      }
      prev = sid;
    }
    return infos;
  }

  /**
   * Raw margin. With `explain`, also returns a function that lists the reasons later (on demand: most
   * articles are scored and dropped without anyone asking why).
   */
  margin(title: Tokens, text: Tokens, explain = false): { margin: number; reasons: () => string[] } {
    const m = this.m;
    const vec = this.vec;
    vec.size = 0;
    const titleStarts = this.add(title, m.analyzer.config.titleWeight);
    const textStarts = this.add(text, 1);
    vec.finish(m.idf);
    let z = this.denseOffset;
    for (let k = 0; k < vec.size; k++) z += m.w.sparse[vec.ids[k]] * vec.values[k];
    const hits = m.analyzer.hits(title, text, titleStarts, textStarts);
    const raw = new Float64Array(DENSE_DIM);
    m.analyzer.dense(hits, raw, 0);
    for (let j = 0; j < DENSE_DIM; j++) z += this.denseScale[j] * raw[j];
    if (!explain) return { margin: z, reasons: noReasons };
    // Only n-grams with |weight x value| >= 0.05 can be named; keep them now (the vector is reused).
    const named: number[] = [];
    const contributions: number[] = [];
    for (let k = 0; k < vec.size; k++) {
      const c = m.w.sparse[vec.ids[k]] * vec.values[k];
      if (Math.abs(c) >= 0.05) {
        named.push(vec.ids[k]);
        contributions.push(c);
      }
    }
    return { margin: z, reasons: () => this.explain(hits, raw, named, contributions) };
  }

  /** "term: fentanilo", "actor: CJNG"... per trie entry, built once. */
  private entryLabel(e: Entry): string {
    return (this.entryLabels[e.id] ??= prefix(e.cat) + e.label);
  }

  /** "word: sucesion" or "word against: netflix" per n-gram feature, built once. */
  private featureLabel(id: number, c: number): string {
    const cache = c > 0 ? this.wordFor : this.wordAgainst;
    return (cache[id] ??= (c > 0 ? 'word: ' : 'word against: ') + this.m.featureText[id]);
  }

  /**
   * Contributions relative to a document with no features: each dense block's contribution is shared among
   * the terms that filled it, in proportion to their weights; n-grams contribute weight x value.
   */
  private explain(hits: Hits, raw: Float64Array, named: number[], contributions: number[]): string[] {
    const m = this.m;
    const contrib = new Map<string, number>();
    const add = (label: string, c: number) => contrib.set(label, (contrib.get(label) ?? 0) + c);
    const block = (j: number) => this.denseScale[j] * raw[j];
    const all = [...hits.title, ...hits.text];
    const share = (cat: number, blockC: number, list: Entry[]) => {
      let total = 0;
      for (const e of list) if (e.cat === cat) total += e.weight;
      if (total <= 0) return;
      for (const e of list) if (e.cat === cat) add(this.entryLabel(e), (blockC * e.weight) / total);
    };
    share(POSITIVE, block(0), hits.title);
    share(POSITIVE, block(1) + block(2), all);
    share(NEGATIVE, block(3) + block(4), all);
    share(ACTOR, block(5), hits.title);
    share(ACTOR, block(6), all);
    share(ANCHOR, block(7), all);
    share(POSITIVE, block(8), all);
    for (let k = 0; k < named.length; k++) add(this.featureLabel(named[k], contributions[k]), contributions[k]);
    return [...contrib]
      .filter(([, c]) => Math.abs(c) >= 0.05)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
      .slice(0, m.analyzer.config.maxReasons)
      .map(([label]) => label);
  }
}

interface WordInfo extends WordStart {
  sid: number;
}

/** A token's root node in the phrase trie (undefined: no term starts with this word). */
interface WordStart {
  node: TrieNode | undefined;
}

const noReasons = (): string[] => [];

function prefix(cat: number): string {
  return cat === POSITIVE ? 'term: ' : cat === NEGATIVE ? 'negative: ' : cat === ACTOR ? 'actor: ' : 'anchor: ';
}
