/**
 * Near-duplicate detection for syndicated copies of one wire story: MinHash signatures over word shingles
 * and an LSH (banding) index, so a new article is compared only with the few stored articles that share a
 * band, never with the whole archive.
 *
 * Text is folded before shingling (lower case, accents stripped, punctuation removed, apostrophes dropped
 * inside words), so case, punctuation and "México"/"Mexico" differences between copies do not matter.
 *
 * Signature: 128 minimums, one per hash function h_i(x) = fmix(a_i * x + b_i mod 2^32) over the 32-bit
 * hash x of each k-word shingle. The affine step is a permutation of 32-bit values (a_i odd) and the final
 * avalanche breaks the linearity that would otherwise correlate the minimums of different functions.
 *
 * LSH: 25 bands of 5 rows (125 of the 128 rows). A pair with Jaccard s shares at least one band with
 * probability 1 - (1 - s^5)^25:
 *
 *   s     0.1     0.2    0.3    0.4    0.5    0.6    0.7    0.8    0.9
 *   P     0.0003  0.008  0.059  0.23   0.55   0.87   0.99   1.00   1.00
 *
 * so copies (s >= 0.7, the confirmation threshold) are found 99%+ of the time, pairs at 0.6 87%, and
 * unrelated or merely same-topic articles (s < 0.3) rarely even become candidates. Candidates are then
 * confirmed by the full signature estimate.
 */

/** Words per shingle. 3 keeps a one-word edit to three shingles while different wording shares almost none. */
export const SHINGLE_SIZE = 3;
/** Hash functions (signature length). */
export const NUM_HASHES = 128;
/** Default LSH banding: bands × rows <= NUM_HASHES. */
export const DEFAULT_BANDS = 25;
export const DEFAULT_ROWS = 5;
/** Texts with fewer words than this never produce a duplicate on their own. */
export const MIN_WORDS = 8;

/** Value of a position no element reached (empty text): int32 max, seen as uint32. */
const EMPTY_I32 = 0x7fffffff;
const EMPTY = EMPTY_I32;

/** A signature with the size of the set it came from (used for the containment check). */
export interface Fingerprint {
  signature: Uint32Array;
  /** Number of shingles (repeats counted: rare in news text, and only the containment check uses it). */
  shingles: number;
  /** Number of words after folding. */
  words: number;
}

// ---------------------------------------------------------------------------------------------------------
// Hashing

/** murmur3 finaliser: a fast, well-mixing 32-bit avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Deterministic parameters for the permutation family (splitmix-style generator, fixed seed). */
function makeParams(n: number, seed: number): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    return fmix32(s);
  };
  for (let i = 0; i < n; i++) {
    a[i] = next() | 1; // odd: x -> a*x + b is a bijection mod 2^32
    b[i] = next();
  }
  return { a, b };
}

/** Hash functions actually evaluated: each gives two 16-bit minimums. */
const FUNCS = NUM_HASHES / 2;
const PARAMS = makeParams(FUNCS, 0x5eed1234);
const PA = PARAMS.a;
const PB = PARAMS.b;

// ---------------------------------------------------------------------------------------------------------
// Folding and tokenising

/**
 * Folded form of one UTF-16 code unit: a lower-case base letter or digit code, SEP (word boundary) or SKIP
 * (dropped without splitting the word: apostrophes, combining marks). Filled lazily.
 */
const SEP = 0;
const SKIP = -1;
const UNSET = -2;
const FOLD = new Int32Array(65536).fill(UNSET);

function foldUnit(c: number): number {
  const cached = FOLD[c];
  if (cached !== UNSET) return cached;
  let out: number = SEP;
  if (c === 0x27 || c === 0x2019 || c === 0x2bc || c === 0xb4) out = SKIP; // apostrophes
  else if (c >= 0xd800 && c <= 0xdfff) out = SEP; // surrogates (emoji etc.)
  else {
    const s = String.fromCharCode(c);
    if (/\p{M}/u.test(s)) out = SKIP;
    else if (/[\p{L}\p{N}]/u.test(s)) {
      const base = s.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
      out = base.length > 0 ? base.charCodeAt(0) : SEP;
      if (/\p{M}/u.test(String.fromCharCode(out))) out = SKIP;
    }
  }
  FOLD[c] = out;
  return out;
}
// Pre-fill ASCII so the hot path rarely calls into the regex fallback.
for (let c = 0; c < 128; c++) foldUnit(c);

/** Word hashes of the text being fingerprinted: reused (grown as needed) so a text allocates no list. */
let wordBuffer = new Int32Array(1024);

/**
 * Hashes of the folded words of a text, in order (FNV-1a over folded code units, then an avalanche), as a
 * view of `wordBuffer` valid until the next call. The word strings are never built.
 */
function wordHashes(text: string): Int32Array {
  // A text has at most one word per two code units, plus one.
  if (wordBuffer.length < (text.length >> 1) + 1) wordBuffer = new Int32Array((text.length >> 1) + 1);
  const out = wordBuffer;
  let count = 0;
  let h = 0x811c9dc5;
  let inWord = false;
  const fold = FOLD;
  for (let i = 0, n = text.length; i < n; i++) {
    let f = fold[text.charCodeAt(i)];
    if (f === UNSET) f = foldUnit(text.charCodeAt(i));
    if (f > 0) {
      h = Math.imul(h ^ f, 0x01000193);
      inWord = true;
    } else if (f === SEP && inWord) {
      out[count++] = fmix32(h);
      h = 0x811c9dc5;
      inWord = false;
    }
  }
  if (inWord) out[count++] = fmix32(h);
  return out.subarray(0, count);
}

/**
 * Folded text as a string (lower case, no accents, punctuation replaced by single spaces). Handy for
 * debugging and for tests; the signature itself never builds it.
 */
export function foldText(text: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const f = foldUnit(text.charCodeAt(i));
    if (f > 0) {
      if (pendingSpace && out.length > 0) out += ' ';
      pendingSpace = false;
      out += String.fromCharCode(f);
    } else if (f === SEP) pendingSpace = true;
  }
  return out;
}

/** 32-bit hashes of the distinct k-word shingles of a text (a text shorter than k is one shingle). */
export function shingleHashes(text: string, k: number = SHINGLE_SIZE): Uint32Array {
  return new Uint32Array(shinglesOfWords(wordHashes(text), k).buffer);
}

function shinglesOfWords(words: Int32Array, k: number): Int32Array {
  const n = words.length;
  if (n === 0) return new Int32Array(0);
  const count = n < k ? 1 : n - k + 1;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x9747b28c ^ k;
    const end = Math.min(n, i + k);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ words[j], 0xcc9e2d51);
      h = (h << 15) | (h >>> 17);
      h = Math.imul(h, 0x1b873593);
    }
    out[i] = fmix32(h) | 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Signatures

/**
 * MinHash signature of a set of 32-bit element hashes. Exported for tests on constructed sets.
 *
 * Each of the 64 hash functions h_j(x) = mix(a_j*x + b_j mod 2^32) yields two independent 16-bit values
 * (its high and low halves), and each half is minimised separately: 128 minimums for the price of 64
 * functions. Two different elements share a 16-bit value with probability 2^-16, a bias far below the
 * estimator's own noise (±0.04 at 128 positions). The hot loop stays in int32.
 */
export function signatureOfHashes(hashes: ArrayLike<number>): Uint32Array {
  const sig = new Int32Array(NUM_HASHES);
  const n = hashes.length;
  const xs = hashes instanceof Int32Array ? hashes : new Int32Array(hashes as ArrayLike<number>);
  if (n === 0) return new Uint32Array(sig.fill(EMPTY_I32).buffer);
  // Four functions per pass over the shingles: independent dependency chains keep the CPU busy.
  for (let j = 0; j < FUNCS; j += 4) {
    const a0 = PA[j], a1 = PA[j + 1], a2 = PA[j + 2], a3 = PA[j + 3];
    const b0 = PB[j], b1 = PB[j + 1], b2 = PB[j + 2], b3 = PB[j + 3];
    let h0 = 0xffff, h1 = 0xffff, h2 = 0xffff, h3 = 0xffff;
    let l0 = 0xffff, l1 = 0xffff, l2 = 0xffff, l3 = 0xffff;
    for (let s = 0; s < n; s++) {
      const x = xs[s];
      // The affine map is a bijection (a odd); the xorshift-multiply-xorshift avalanche removes the
      // linearity that would otherwise correlate the minimums of different functions.
      let v0 = (Math.imul(a0, x) + b0) | 0;
      let v1 = (Math.imul(a1, x) + b1) | 0;
      let v2 = (Math.imul(a2, x) + b2) | 0;
      let v3 = (Math.imul(a3, x) + b3) | 0;
      v0 = Math.imul(v0 ^ (v0 >>> 16), 0x7feb352d);
      v1 = Math.imul(v1 ^ (v1 >>> 16), 0x7feb352d);
      v2 = Math.imul(v2 ^ (v2 >>> 16), 0x7feb352d);
      v3 = Math.imul(v3 ^ (v3 >>> 16), 0x7feb352d);
      v0 ^= v0 >>> 15;
      v1 ^= v1 >>> 15;
      v2 ^= v2 >>> 15;
      v3 ^= v3 >>> 15;
      const u0 = v0 >>> 16, u1 = v1 >>> 16, u2 = v2 >>> 16, u3 = v3 >>> 16;
      const w0 = v0 & 0xffff, w1 = v1 & 0xffff, w2 = v2 & 0xffff, w3 = v3 & 0xffff;
      if (u0 < h0) h0 = u0;
      if (u1 < h1) h1 = u1;
      if (u2 < h2) h2 = u2;
      if (u3 < h3) h3 = u3;
      if (w0 < l0) l0 = w0;
      if (w1 < l1) l1 = w1;
      if (w2 < l2) l2 = w2;
      if (w3 < l3) l3 = w3;
    }
    const o = 2 * j;
    sig[o] = h0;
    sig[o + 1] = l0;
    sig[o + 2] = h1;
    sig[o + 3] = l1;
    sig[o + 4] = h2;
    sig[o + 5] = l2;
    sig[o + 6] = h3;
    sig[o + 7] = l3;
  }
  return new Uint32Array(sig.buffer);
}

/** Signature plus the sizes the index uses to judge short texts and trimmed copies. */
export function fingerprint(text: string): Fingerprint {
  const words = wordHashes(text);
  const sh = shinglesOfWords(words, SHINGLE_SIZE);
  return { signature: signatureOfHashes(sh), shingles: sh.length, words: words.length };
}

/** MinHash signature (128 × uint32) of a text's folded word 3-shingles. */
export function signature(text: string): Uint32Array {
  return signatureOfHashes(shinglesOfWords(wordHashes(text), SHINGLE_SIZE));
}

/**
 * Estimated Jaccard similarity of the two sets behind two signatures: the share of positions whose
 * minimums agree. Positions where both are empty (empty texts) count for nothing; two empty texts are 0.
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signature lengths differ: ${a.length} vs ${b.length}`);
  // Count equal positions, and apart those where both are empty: one comparison per position in the
  // usual case (an empty position only comes from an empty text).
  let equal = 0;
  let bothEmpty = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      equal++;
      if (a[i] === EMPTY) bothEmpty++;
    }
  }
  const used = a.length - bothEmpty;
  return used === 0 ? 0 : (equal - bothEmpty) / used;
}

/**
 * Estimated containment of the smaller set in the larger from a Jaccard estimate and the two set sizes:
 * |A∩B| = J(|A|+|B|)/(1+J), divided by min(|A|,|B|).
 */
export function estimateContainment(jaccard: number, sizeA: number, sizeB: number): number {
  const small = Math.min(sizeA, sizeB);
  if (small <= 0) return 0;
  const inter = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  return Math.min(1, inter / small);
}

/** Probability that a pair with Jaccard s becomes an LSH candidate with b bands of r rows. */
export function candidateProbability(s: number, bands: number = DEFAULT_BANDS, rows: number = DEFAULT_ROWS): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

// ---------------------------------------------------------------------------------------------------------
// Index

export interface DuplicateIndexOptions {
  /** LSH bands (default 25). bands × rows must not exceed the signature length. */
  bands?: number;
  /** Rows per band (default 5). */
  rows?: number;
  /** Estimated Jaccard at or above which a candidate is a duplicate (default 0.7). */
  threshold?: number;
  /**
   * A candidate is also a duplicate when the smaller text is at least this much contained in the larger
   * (a copy with a trimmed paragraph or a new headline on a short item) and Jaccard is at least
   * `containmentMinJaccard`. Needs the sizes, so it applies only when both fingerprints are known.
   * Default 0.8; set to 1.01 to disable.
   */
  containment?: number;
  /** Default 0.5. */
  containmentMinJaccard?: number;
  /** Texts with fewer words never match and are never indexed (default 8). */
  minWords?: number;
  /** Keep items published at most this long before the newest published time seen (default 14 days). */
  windowMs?: number;
  /** Keep at most this many items; the oldest by published time go first (default 100,000). */
  maxItems?: number;
}

export interface DuplicateMeta {
  publishedAt: Date;
  /** Distinct shingles and words of the text, when known (from `fingerprint`). */
  shingles?: number;
  words?: number;
}

export interface DuplicateMatch {
  id: string;
  similarity: number;
}

export interface FindOptions {
  /** Never match this id (the article itself when it was added first). */
  excludeId?: string;
  /** Sizes for a bare signature query. */
  shingles?: number;
  words?: number;
}

export interface DuplicateIndex {
  /** Adds or replaces an item. Accepts a bare signature or a fingerprint. */
  add(id: string, sig: Uint32Array | Fingerprint, meta: DuplicateMeta): void;
  /** Ids sharing at least one LSH band with the signature (unconfirmed). */
  candidates(sig: Uint32Array | Fingerprint): string[];
  /**
   * The earliest-published stored item (published no later than `publishedAt`) whose estimated similarity
   * passes the threshold, or null.
   */
  findDuplicate(input: string | Uint32Array | Fingerprint, publishedAt: Date, opts?: FindOptions): DuplicateMatch | null;
  remove(id: string): boolean;
  has(id: string): boolean;
  /** Drops items older than the window before `now` (default: the newest published time seen). */
  evict(now?: Date): number;
  readonly size: number;
}

interface Entry {
  id: string;
  handle: number;
  sig: Uint32Array;
  publishedAt: number;
  shingles: number; // -1 unknown
  seq: number;
  keys: Int32Array | null; // band keys, null when not banded (short text)
  visit: number; // last query that looked at this entry (dedupes candidates without a Set)
}

/** Minimal binary min-heap of [publishedAt, handle] with lazy deletion. */
class TimeHeap {
  private t: number[] = [];
  private h: number[] = [];
  get length(): number {
    return this.t.length;
  }
  push(time: number, handle: number): void {
    const t = this.t;
    const h = this.h;
    let i = t.length;
    t.push(time);
    h.push(handle);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      h[i] = h[p];
      i = p;
    }
    t[i] = time;
    h[i] = handle;
  }
  peekTime(): number {
    return this.t[0];
  }
  peekHandle(): number {
    return this.h[0];
  }
  pop(): void {
    const t = this.t;
    const h = this.h;
    const lastT = t.pop()!;
    const lastH = h.pop()!;
    const n = t.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && t[r] < t[l] ? r : l;
      if (t[c] >= lastT) break;
      t[i] = t[c];
      h[i] = h[c];
      i = c;
    }
    t[i] = lastT;
    h[i] = lastH;
  }
}

function isFingerprint(x: unknown): x is Fingerprint {
  return typeof x === 'object' && x !== null && !(x instanceof Uint32Array) && 'signature' in x;
}

const DAY = 86_400_000;

/**
 * In-memory LSH index over signatures. Bounded: items older than the window (measured from the newest
 * published time seen, so replaying last year's feed behaves as it did then) and items past `maxItems` are
 * evicted on add.
 */
export function createDuplicateIndex(opts: DuplicateIndexOptions = {}): DuplicateIndex {
  const bands = opts.bands ?? DEFAULT_BANDS;
  const rows = opts.rows ?? DEFAULT_ROWS;
  if (!(bands >= 1 && rows >= 1 && bands * rows <= NUM_HASHES)) {
    throw new RangeError(`bands × rows must be within 1..${NUM_HASHES} (got ${bands} × ${rows})`);
  }
  const threshold = opts.threshold ?? 0.7;
  const containment = opts.containment ?? 0.8;
  const containmentMinJaccard = opts.containmentMinJaccard ?? 0.5;
  const minWords = opts.minWords ?? MIN_WORDS;
  const windowMs = opts.windowMs ?? 14 * DAY;
  const maxItems = opts.maxItems ?? 100_000;

  const byId = new Map<string, Entry>();
  const byHandle = new Map<number, Entry>();
  // One map per band: band key -> entry, or entries when several share the key (most buckets hold one).
  const buckets: Map<number, Entry | Entry[]>[] = Array.from({ length: bands }, () => new Map());
  let visitStamp = 0;
  const heap = new TimeHeap();
  let nextHandle = 1;
  let seq = 0;
  let newest = -Infinity;

  function bandKeys(sig: Uint32Array): Int32Array {
    const keys = new Int32Array(bands);
    for (let b = 0; b < bands; b++) {
      let h = 0x2545f491 ^ b;
      const off = b * rows;
      for (let r = 0; r < rows; r++) {
        h = Math.imul(h ^ sig[off + r], 0x9e3779b1);
        h = (h << 13) | (h >>> 19);
      }
      keys[b] = fmix32(h) | 0;
    }
    return keys;
  }

  function unlink(e: Entry): void {
    byId.delete(e.id);
    byHandle.delete(e.handle);
    if (!e.keys) return;
    for (let b = 0; b < bands; b++) {
      const m = buckets[b];
      const k = e.keys[b];
      const cur = m.get(k);
      if (cur === undefined) continue;
      if (!Array.isArray(cur)) {
        if (cur === e) m.delete(k);
        continue;
      }
      const at = cur.indexOf(e);
      if (at >= 0) {
        cur[at] = cur[cur.length - 1];
        cur.pop();
      }
      if (cur.length === 1) m.set(k, cur[0]);
      else if (cur.length === 0) m.delete(k);
    }
  }

  function evictTo(cutoff: number, cap: number): number {
    let n = 0;
    while (heap.length > 0) {
      const e = byHandle.get(heap.peekHandle());
      if (!e) {
        heap.pop(); // removed or replaced earlier
        continue;
      }
      if (e.publishedAt < cutoff || byId.size > cap) {
        heap.pop();
        unlink(e);
        n++;
        continue;
      }
      break;
    }
    return n;
  }

  function normalise(input: Uint32Array | Fingerprint): { sig: Uint32Array; shingles: number; words: number } {
    if (isFingerprint(input)) return { sig: input.signature, shingles: input.shingles, words: input.words };
    return { sig: input, shingles: -1, words: -1 };
  }

  /** Distinct entries sharing at least one band with the signature. */
  function candidateEntries(sig: Uint32Array): Entry[] {
    const keys = bandKeys(sig);
    const stamp = ++visitStamp;
    const out: Entry[] = [];
    for (let b = 0; b < bands; b++) {
      const cur = buckets[b].get(keys[b]);
      if (cur === undefined) continue;
      if (!Array.isArray(cur)) {
        if (cur.visit !== stamp) {
          cur.visit = stamp;
          out.push(cur);
        }
        continue;
      }
      for (const e of cur) {
        if (e.visit === stamp) continue;
        e.visit = stamp;
        out.push(e);
      }
    }
    return out;
  }

  return {
    add(id, input, meta) {
      const { sig, shingles, words } = normalise(input);
      if (sig.length < bands * rows) throw new RangeError(`signature too short: ${sig.length}`);
      const t = meta.publishedAt.getTime();
      if (!Number.isFinite(t)) throw new RangeError(`invalid publishedAt for ${id}`);
      const old = byId.get(id);
      if (old) unlink(old);
      const w = meta.words ?? words;
      const short = w >= 0 && w < minWords;
      const e: Entry = {
        id,
        handle: nextHandle++,
        sig,
        publishedAt: t,
        shingles: meta.shingles ?? shingles,
        seq: seq++,
        keys: short ? null : bandKeys(sig),
        visit: 0,
      };
      byId.set(id, e);
      byHandle.set(e.handle, e);
      if (e.keys) {
        for (let b = 0; b < bands; b++) {
          const m = buckets[b];
          const k = e.keys[b];
          const cur = m.get(k);
          if (cur === undefined) m.set(k, e);
          else if (Array.isArray(cur)) cur.push(e);
          else m.set(k, [cur, e]);
        }
      }
      heap.push(t, e.handle);
      if (t > newest) newest = t;
      evictTo(newest - windowMs, maxItems);
    },

    candidates(input) {
      const { sig } = normalise(input);
      return candidateEntries(sig).map((e) => e.id);
    },

    findDuplicate(input, publishedAt, fo = {}) {
      let q: { sig: Uint32Array; shingles: number; words: number };
      if (typeof input === 'string') {
        const fp = fingerprint(input);
        q = { sig: fp.signature, shingles: fp.shingles, words: fp.words };
      } else q = normalise(input);
      if (fo.shingles !== undefined) q.shingles = fo.shingles;
      if (fo.words !== undefined) q.words = fo.words;
      if (q.words >= 0 && q.words < minWords) return null;
      const t = publishedAt.getTime();
      let best: Entry | null = null;
      let bestSim = 0;
      for (const e of candidateEntries(q.sig)) {
        if (e.id === fo.excludeId) continue;
        if (e.publishedAt > t) continue; // only an earlier (or simultaneous) copy can be the original
        const j = estimateJaccard(q.sig, e.sig);
        let ok = j >= threshold;
        if (!ok && j >= containmentMinJaccard && q.shingles > 0 && e.shingles > 0) {
          ok = estimateContainment(j, q.shingles, e.shingles) >= containment;
        }
        if (!ok) continue;
        if (!best || e.publishedAt < best.publishedAt || (e.publishedAt === best.publishedAt && e.seq < best.seq)) {
          best = e;
          bestSim = j;
        }
      }
      return best ? { id: best.id, similarity: bestSim } : null;
    },

    remove(id) {
      const e = byId.get(id);
      if (!e) return false;
      unlink(e);
      return true;
    },

    has(id) {
      return byId.has(id);
    },

    evict(now) {
      const ref = now ? now.getTime() : newest;
      return evictTo(ref - windowMs, maxItems);
    },

    get size() {
      return byId.size;
    },
  };
}
