/**
 * Text plumbing for the relevance model: one-pass tokenizer that folds case and accents as it goes, a light
 * English/Spanish stemmer for the bag-of-words features, and a token trie that finds the beat lexicon's
 * multiword terms, actor aliases and anchors in a single walk over the tokens.
 *
 * Everything here runs on every article of every feed, so it avoids regexes over the text, Unicode
 * normalization per call and per-token string building: a 0x250-entry table folds Latin letters.
 */

/** Folded form of each code point below 0x250 ('' for a separator), and whether it is an upper-case letter. */
const FOLD: string[] = [];
const UPPER = new Uint8Array(0x250);
const ASCII_TOKEN = new Uint8Array(0x80);
for (let c = 0; c < 0x250; c++) {
  const ch = String.fromCharCode(c);
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const ok = /^[a-z0-9]$/.test(base) || ch === 'ß';
  FOLD.push(ok ? (ch === 'ß' ? 'ss' : base) : '');
  UPPER[c] = ok && ch !== ch.toLowerCase() ? 1 : 0;
  if (c < 0x80) ASCII_TOKEN[c] = ok ? 1 : 0;
}

/** Lower-cases and strips accents ("Cártel de Jalisco" -> "cartel de jalisco"). */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface Tokens {
  /** Folded tokens: runs of letters and digits; everything else separates. */
  words: string[];
  /** 1 when every letter of the original token was upper case (acronyms: "DEA", "CJNG"). */
  caps: number[];
}

/** Splits text into folded tokens in one pass. "U.S.-Mexico" -> u, s, mexico. */
export function tokenize(text: string, out: Tokens = { words: [], caps: [] }): Tokens {
  const n = text.length;
  let start = -1;
  let upper = 0;
  let lower = 0;
  let special = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    let isTok: boolean;
    if (c < 0x80) isTok = ASCII_TOKEN[c] === 1;
    else if (c < 0x250) {
      isTok = FOLD[c] !== '';
      if (isTok) special = true;
    } else isTok = false;
    if (isTok) {
      if (start === -1) {
        start = i;
        upper = 0;
        lower = 0;
        special = false;
        if (c >= 0x80) special = true;
      }
      if (c < 0x80) {
        if (c >= 65 && c <= 90) upper++;
        else if (c >= 97 && c <= 122) lower++;
      } else if (UPPER[c]) upper++;
      else lower++;
      continue;
    }
    if (start === -1) continue;
    let w: string;
    if (special) {
      w = '';
      for (let k = start; k < i; k++) {
        const d = text.charCodeAt(k);
        w += d < 0x80 ? String.fromCharCode(d >= 65 && d <= 90 ? d + 32 : d) : FOLD[d];
      }
    } else {
      w = text.slice(start, i);
      if (upper > 0) w = w.toLowerCase();
    }
    out.words.push(w);
    out.caps.push(upper > 0 && lower === 0 ? 1 : 0);
    start = -1;
  }
  return out;
}

// ───────────────────────────── interned tokens ─────────────────────────────

/** 1 for the code points below 0x250 that belong to tokens (those that fold to a letter or digit). */
const TOKEN_CHAR = new Uint8Array(0x250);
for (let c = 0; c < 0x250; c++) TOKEN_CHAR[c] = FOLD[c] !== '' ? 1 : 0;

/** Tokens plus, per token, the value the table keeps for its word. */
export interface TableTokens<T> extends Tokens {
  infos: T[];
}

/** Ints per TokenTable slot, and how many characters of a spelling a slot can hold. */
const SLOT = 8;
const INLINE = 16;

/** What the table keeps per spelling, in one object: a look-up touches one place. */
interface Spelling<T> {
  /** The token as written. */
  text: string;
  /** Its folded word (one string per word, shared by the word's spellings). */
  word: string;
  caps: number;
  info: T;
}

/**
 * Tokenizes like `tokenize`, but looks each token up in a table of spellings already seen ("Cártel",
 * "cartel" and "CARTEL" are three spellings of the word "cartel"), by a hash of its characters taken
 * during the scan. A known spelling costs no folding, no string building and no hashing of a new string:
 * its word, caps flag and the value `describe(word)` were computed when it was first seen (with
 * `tokenize` itself, so they cannot differ from it). The table is cleared when it reaches `limit`
 * spellings, so memory stays bounded; `describe` must be a pure function of the word, so a cleared table
 * only costs recomputation.
 */
export class TokenTable<T> {
  /**
   * Open addressing with linear probing, SLOT ints per slot: the spelling's hash, its index + 1 (0 =
   * empty), its length, 1 when its characters are stored in the slot itself (at most INLINE of them, each
   * below 0x100, packed four to an int in the last four ints). Scoring runs between other work, so the
   * table is usually out of the CPU caches: checking a candidate inside its slot saves reading the
   * spelling's string from elsewhere in memory.
   */
  private slots = new Int32Array(SLOT << 12);
  private hashes: number[] = [];
  private spellings: Spelling<T>[] = [];
  /** Folded word -> its first spelling: spellings of one word share its string and value. */
  private byWord = new Map<string, Spelling<T>>();

  constructor(
    private readonly describe: (word: string) => T,
    private readonly limit: number,
  ) {}

  /** Number of spellings in the table. */
  get size(): number {
    return this.spellings.length;
  }

  tokenize(text: string, out: TableTokens<T> = { words: [], caps: [], infos: [] }): TableTokens<T> {
    const n = text.length;
    let start = -1;
    let h = 0;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 32;
      if (c < 0x250 && TOKEN_CHAR[c] === 1) {
        if (start === -1) {
          start = i;
          h = 0x811c9dc5;
        }
        h = Math.imul(h ^ c, 0x01000193);
        continue;
      }
      if (start === -1) continue;
      // FNV-1a leaves the low bits (the slot) poorly mixed: one xorshift-multiply round spreads them.
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 12;
      const e = this.find(h, text, start, i) ?? this.insert(h, text.slice(start, i));
      out.words.push(e.word);
      out.caps.push(e.caps);
      out.infos.push(e.info);
      start = -1;
    }
    return out;
  }

  /** The spelling text[from, to), if known. */
  private find(h: number, text: string, from: number, to: number): Spelling<T> | undefined {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = slots[SLOT * s + 1]!;
      if (v === 0) return undefined;
      const at = SLOT * s;
      if (slots[at] !== h || slots[at + 2] !== to - from) continue;
      if (slots[at + 3] === 1) {
        let i = from;
        for (let j = 0; i < to; i++, j++) {
          if (((slots[at + 4 + (j >> 2)]! >>> ((j & 3) << 3)) & 0xff) !== text.charCodeAt(i)) break;
        }
        if (i === to) return this.spellings[v - 1];
      } else {
        const e = this.spellings[v - 1]!;
        if (text.startsWith(e.text, from)) return e;
      }
    }
  }

  private insert(h: number, spelling: string): Spelling<T> {
    if (this.spellings.length >= this.limit) this.clear();
    if (this.spellings.length + 1 > this.slots.length / SLOT / 2) this.grow(); // at most half the slots in use
    // The spelling is one whole token, so tokenize gives exactly its word and caps flag.
    const one = tokenize(spelling);
    const word = one.words[0]!;
    const first = this.byWord.get(word);
    const e: Spelling<T> = first
      ? { text: spelling, word: first.word, caps: one.caps[0]!, info: first.info }
      : { text: spelling, word, caps: one.caps[0]!, info: this.describe(word) };
    if (!first) this.byWord.set(word, e);
    this.spellings.push(e);
    this.hashes.push(h);
    this.place(h, this.spellings.length - 1);
    return e;
  }

  private place(h: number, k: number): void {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    let s = h & mask;
    while (slots[SLOT * s + 1] !== 0) s = (s + 1) & mask;
    const at = SLOT * s;
    const spelling = this.spellings[k]!.text;
    slots[at] = h;
    slots[at + 1] = k + 1;
    slots[at + 2] = spelling.length;
    let inline = spelling.length <= INLINE;
    for (let j = 0; j < spelling.length && inline; j++) inline = spelling.charCodeAt(j) < 0x100;
    slots[at + 3] = inline ? 1 : 0;
    slots[at + 4] = slots[at + 5] = slots[at + 6] = slots[at + 7] = 0;
    if (inline) for (let j = 0; j < spelling.length; j++) slots[at + 4 + (j >> 2)] |= spelling.charCodeAt(j) << ((j & 3) << 3);
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let k = 0; k < this.spellings.length; k++) this.place(this.hashes[k]!, k);
  }

  private clear(): void {
    this.slots = new Int32Array(SLOT << 12);
    this.hashes = [];
    this.spellings = [];
    this.byWord = new Map();
  }
}

/** Function words and news filler left out of the bag of words (folded forms, both languages). */
export const STOPWORDS = new Set(
  (
    'a an the of and or to in on at by for from with as is was were are be been being has have had it its this that these those ' +
    'he she they them his her their we our you your i not no but if then than so such also more most other new says said say ' +
    'will would could should can may might after before over into about up out during while who whom which what when where ' +
    'there here all any some one two three s t u k m de la el los las del y que en un una unos unas por con para es se su sus al ' +
    'lo como mas pero fue son sobre entre ha han este esta estos estas ese esa sin tambien dijo segun tras ya le les o muy ' +
    'hasta desde cuando donde porque fueron sera sido contra afirmo ser hay otro otra otros otras nuevo nueva mismo misma ' +
    'ante bajo cada cual cuales e ni ni si sino todo toda todos todas uno vez was ano anos year years week day dia dias'
  ).split(/\s+/),
);

/**
 * Light stemmer shared by English and Spanish: plural endings only, so "cartels", "cárteles" and "cartel"
 * meet, as do "autoridades"/"autoridad". Enough to pool evidence across 500 examples without conflating words.
 */
export function stem(w: string): string {
  const n = w.length;
  if (n <= 3 || w.charCodeAt(n - 1) !== 115 /* s */) return w;
  const p = w.charCodeAt(n - 2);
  if (p === 115 /* ss */ || p === 117 /* us */ || p === 105 /* is */) return w;
  if (p === 101 /* es */ && n > 5) {
    const q = w.charCodeAt(n - 3);
    // l r n d z + es: Spanish plural of a consonant-final word (carteles, militares, naciones, ciudades)
    if (q === 108 || q === 114 || q === 110 || q === 100) return w.slice(0, n - 2);
    if (q === 122) return w.slice(0, n - 3) + 'z';
  }
  return w.slice(0, n - 1);
}

// ───────────────────────────── phrase trie ─────────────────────────────

/** Match categories: lexicon positive, lexicon negative, actor alias, anchor place/institution. */
export const POSITIVE = 0;
export const NEGATIVE = 1;
export const ACTOR = 2;
export const ANCHOR = 3;
export type Cat = 0 | 1 | 2 | 3;

export interface Entry {
  /** Index of this entry, for per-document dedupe stamps. */
  id: number;
  cat: Cat;
  weight: number;
  /** The term as written in the beat pack, for reasons. */
  label: string;
  /** Number of tokens. */
  length: number;
  /** All-capital acronym: every token must be capitals in the text too. */
  caps: boolean;
}

export interface TrieNode {
  next: Map<string, TrieNode> | null;
  entries: Entry[] | null;
}

export class PhraseTrie {
  readonly root = new Map<string, TrieNode>();
  readonly entries: Entry[] = [];

  /** Adds a term; the same folded term in one category keeps its highest weight. */
  add(term: string, cat: Cat, weight: number): void {
    const toks = tokenize(term).words;
    if (toks.length === 0) return;
    const letters = term.replace(/[^\p{L}]/gu, '');
    const caps = letters.length >= 2 && letters === letters.toUpperCase() && /^[\p{Lu}\d\s.\-&/]+$/u.test(term);
    let map = this.root;
    let node: TrieNode | undefined;
    for (let i = 0; i < toks.length; i++) {
      node = map.get(toks[i]);
      if (!node) {
        node = { next: null, entries: null };
        map.set(toks[i], node);
      }
      if (i < toks.length - 1) {
        if (!node.next) node.next = new Map();
        map = node.next;
      }
    }
    const list = (node!.entries ??= []);
    const same = list.find((e) => e.cat === cat);
    if (same) {
      // An acronym and its plain spelling share a path: the case-insensitive form wins (it matches more).
      if (weight > same.weight) same.weight = weight;
      if (!caps) same.caps = false;
      return;
    }
    const entry: Entry = { id: this.entries.length, cat, weight, label: term, length: toks.length, caps };
    this.entries.push(entry);
    list.push(entry);
  }

  /**
   * Finds matches by category, leftmost-longest and non-overlapping within a category, and calls
   * `hit(entry)` for each. Case-sensitive acronyms are checked against `caps`. `starts`, when given, holds
   * the root node of each token (its `node`) already looked up by the caller.
   */
  scan(tokens: Tokens, hit: (e: Entry) => void, starts?: readonly { node: TrieNode | undefined }[]): void {
    const { words, caps } = tokens;
    const n = words.length;
    const covered = [0, 0, 0, 0];
    const best: (Entry | null)[] = [null, null, null, null];
    for (let i = 0; i < n; i++) {
      let node = starts ? starts[i].node : this.root.get(words[i]);
      if (!node) continue;
      best[0] = best[1] = best[2] = best[3] = null;
      let j = i;
      let found = false;
      while (node) {
        if (node.entries) {
          for (const e of node.entries) {
            if (e.caps) {
              let ok = true;
              for (let k = i; k <= j; k++) if (!caps[k] && !/^\d+$/.test(words[k])) ok = false;
              if (!ok) continue;
            }
            best[e.cat] = e;
            found = true;
          }
        }
        j++;
        if (j >= n || !node.next) break;
        node = node.next.get(words[j]);
      }
      if (!found) continue;
      for (let c = 0; c < 4; c++) {
        const e = best[c];
        if (e && i >= covered[c]) {
          covered[c] = i + e.length;
          hit(e);
        }
      }
    }
  }
}
