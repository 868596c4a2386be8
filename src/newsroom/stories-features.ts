/**
 * Features of one article for story clustering (stories.ts): salient folded terms of the title and lead,
 * normalised numbers and calendar dates. English and Spanish alike; one linear pass over the title, the lead
 * and (for numbers) the opening of the body.
 */
import { fold, isDigitsAndDots, isWordCode, splitSentences, type Sentence } from './text.ts';

// ───────────────────────────── stopwords (folded) ─────────────────────────────

/**
 * Function words and reporting verbs of both languages, folded (no accents). Content words that are merely
 * frequent on the beat (cartel, Mexico, tariffs) are left to IDF.
 */
const STOPWORDS = new Set(
  (
    // English
    'a about above after again against ago all also am an and any are around as at be because been before being ' +
    'between both but by can could did do does doing down during each even few for from further had has have having ' +
    'he her here hers him his how however i if in into is it its itself just last late like made make many may me ' +
    'more most much must my new next no nor not now of off on once one only or other our out over own per said same ' +
    'say says she should since so some still such than that the their them then there these they this those though ' +
    'through to told too two under until up upon us very was we week were what when where whether which while who ' +
    'whom why will with would year years yet you your monday tuesday wednesday thursday friday saturday sunday ' +
    'according reported report reports officials official people told added including among day days time ' +
    // Spanish
    'al algo algunos ante antes aun bajo cada casi como con contra cual cuales cuando de del desde donde dos durante ' +
    'e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estado estan estar estas este esto ' +
    'estos fue fueron ha habia han hasta hay la las le les lo los mas me mientras muy ni no nos o otra otras otro ' +
    'otros para pero poco por porque que quien quienes se sea segun ser si sido sin sino sobre su sus tambien tan ' +
    'tanto tiene tienen todo todos tras tu un una uno unos unas y ya dijo dice senalo afirmo informo indico explico ' +
    'anuncio aseguro agrego lunes martes miercoles jueves viernes sabado domingo ano anos dia dias semana hoy ayer ' +
    'segun medios autoridades funcionarios parte'
  ).split(' '),
);

/** Number words 3..20 (smaller ones are too common to mean anything). */
const NUMBER_WORDS = new Map<string, number>([
  ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10],
  ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16],
  ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20],
  ['tres', 3], ['cuatro', 4], ['cinco', 5], ['seis', 6], ['siete', 7], ['ocho', 8], ['nueve', 9], ['diez', 10],
  ['once', 11], ['doce', 12], ['trece', 13], ['catorce', 14], ['quince', 15], ['dieciseis', 16],
  ['diecisiete', 17], ['dieciocho', 18], ['diecinueve', 19], ['veinte', 20],
]);

const MONTHS = new Map<string, number>([
  ['january', 1], ['jan', 1], ['enero', 1], ['ene', 1],
  ['february', 2], ['feb', 2], ['febrero', 2],
  ['march', 3], ['mar', 3], ['marzo', 3],
  ['april', 4], ['apr', 4], ['abril', 4], ['abr', 4],
  ['may', 5], ['mayo', 5],
  ['june', 6], ['jun', 6], ['junio', 6],
  ['july', 7], ['jul', 7], ['julio', 7],
  ['august', 8], ['aug', 8], ['agosto', 8], ['ago', 8],
  ['september', 9], ['sep', 9], ['sept', 9], ['septiembre', 9], ['setiembre', 9],
  ['october', 10], ['oct', 10], ['octubre', 10],
  ['november', 11], ['nov', 11], ['noviembre', 11],
  ['december', 12], ['dec', 12], ['diciembre', 12], ['dic', 12],
]);

/** Length at which words are truncated: a cheap bilingual "stemmer" (tariffs/tariff, fentanyl/fentanilo). */
export const STEM_LENGTH = 6;

export interface ArticleFeatures {
  /** Term frequencies of the title (counted twice) and lead, stopwords removed, truncated stems. */
  terms: Map<string, number>;
  /** Normalised numbers ("n:37", "n:15000000") and dates ("d:2-27"). */
  numbers: Set<string>;
}

/** Title plus the first sentences of the body, up to about `words` words. */
export function leadOf(text: string, words = 60): string {
  const sentences = splitSentences(text.length > 3000 ? text.slice(0, 3000) : text);
  const used = leadSentences(text, sentences, words);
  let out = '';
  for (let k = 0; k < used; k++) out += (out ? ' ' : '') + sentences[k]!.text;
  return out;
}

/** How many of the first sentences make the lead: until about `words` words (space-separated pieces). */
function leadSentences(text: string, sentences: Sentence[], words: number): number {
  let count = 0;
  let used = 0;
  while (used < sentences.length) {
    const s = sentences[used++]!;
    count++;
    for (let k = text.indexOf(' ', s.start); k >= 0 && k < s.end; k = text.indexOf(' ', k + 1)) count++;
    if (count >= words) break;
  }
  return used;
}

/**
 * The lead (leadOf) as a range of `text`. Sentences are separated by whitespace only, so the words of the
 * range are those of the sentences joined by spaces, and can be read in place without building that string.
 */
function leadRange(text: string, words: number): { from: number; to: number } {
  const sentences = splitSentences(text.length > 3000 ? text.slice(0, 3000) : text);
  const used = leadSentences(text, sentences, words);
  return used === 0 ? { from: 0, to: 0 } : { from: sentences[0]!.start, to: sentences[used - 1]!.end };
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** 1 for ASCII letters and digits (the word characters of tokenSpans). */
const ASCII_WORD = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) ASCII_WORD[c] = isWordCode(c) ? 1 : 0;

// ───────────────────────────── word table ─────────────────────────────

/** 32-bit FNV-1a step over one UTF-16 code unit. */
function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}
const FNV_SEED = 0x811c9dc5 | 0;

/** The hash of text[start, end) lower-cased (ASCII), as WordTable computes it for that string. */
function hashAscii(text: string, start: number, end: number): number {
  let h = FNV_SEED;
  for (let k = start; k < end; k++) h = mix(h, lowerAscii(text.charCodeAt(k)));
  return h;
}

/** An ASCII letter in lower case (other codes unchanged). */
function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** Words of at most this many ASCII characters are compared inside the table, without their string. */
const PACKED_LENGTH = 6;
/** Numbers per slot of a WordTable. */
const SLOT = 4;

/**
 * Strings numbered 0, 1, 2, … in the order they are added. A word of a text is looked up by its offsets,
 * lower-cased on the fly, so the common (plain ASCII) word costs no string and no Map hashing; the strings
 * are built only when a word is new. Open addressing over typed arrays, at most half full. A slot holds the
 * id, the hash and, for a short ASCII string, its characters packed in two integers: looking up a stem
 * reads one place of a table too large for the cache, not the string too.
 */
export class WordTable {
  readonly names: string[] = [];
  /** Per slot (SLOT numbers): id + 1 (0 = empty), hash, packed characters (low, high; high -1 = not packed). */
  private slots = new Int32Array(128 * SLOT);

  get size(): number {
    return this.names.length;
  }

  /** Id of a string, or -1. */
  idOf(s: string): number {
    let h = FNV_SEED;
    for (let k = 0; k < s.length; k++) h = mix(h, s.charCodeAt(k));
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const e = slots[SLOT * at]!;
      if (e === 0) return -1;
      if (slots[SLOT * at + 1] === h && this.names[e - 1] === s) return e - 1;
    }
  }

  /** Id of text[start, end) lower-cased (ASCII only), or -1. */
  idOfAscii(text: string, start: number, end: number): number {
    return this.idOfAsciiHashed(text, start, end, hashAscii(text, start, end));
  }

  /** idOfAscii when the caller has the hash already (hashAscii of the same range). */
  idOfAsciiHashed(text: string, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    if (end - start <= PACKED_LENGTH) {
      let low = 0;
      let high = (end - start) << 16;
      for (let k = start; k < end && k < start + 4; k++) low |= lowerAscii(text.charCodeAt(k)) << (8 * (k - start));
      for (let k = start + 4; k < end; k++) high |= lowerAscii(text.charCodeAt(k)) << (8 * (k - start - 4));
      for (let at = h & mask; ; at = (at + 1) & mask) {
        const e = slots[SLOT * at]!;
        if (e === 0) return -1;
        if (slots[SLOT * at + 1] === h && slots[SLOT * at + 2] === low && slots[SLOT * at + 3] === high) return e - 1;
      }
    }
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const e = slots[SLOT * at]!;
      if (e === 0) return -1;
      if (slots[SLOT * at + 1] === h && this.sameAscii(e - 1, text, start, end)) return e - 1;
    }
  }

  private sameAscii(id: number, text: string, start: number, end: number): boolean {
    const name = this.names[id]!;
    if (name.length !== end - start) return false;
    for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) !== lowerAscii(text.charCodeAt(start + k))) return false;
    return true;
  }

  /** Id of a string, added when absent. */
  add(s: string): number {
    const found = this.idOf(s);
    if (found >= 0) return found;
    const id = this.names.length;
    this.names.push(s);
    if (2 * this.names.length > this.slots.length / SLOT) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      for (let at = 0; at < old.length; at += SLOT) if (old[at] !== 0) this.place(old, at);
    }
    let h = FNV_SEED;
    for (let k = 0; k < s.length; k++) h = mix(h, s.charCodeAt(k));
    // Characters packed as idOfAsciiHashed packs a range (a lower-case ASCII range can only equal such a string).
    let low = 0;
    let high = s.length <= PACKED_LENGTH ? s.length << 16 : -1;
    for (let k = 0; k < s.length && high !== -1; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) high = -1;
      else if (k < 4) low |= c << (8 * k);
      else high |= c << (8 * (k - 4));
    }
    if (high === -1) low = 0;
    const entry = new Int32Array([id + 1, h, low, high]);
    this.place(entry, 0);
    return id;
  }

  /** Puts the slot at `from[at…]` into this table. */
  private place(from: Int32Array, at: number): void {
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    let to = from[at + 1]! & mask;
    while (slots[SLOT * to] !== 0) to = (to + 1) & mask;
    for (let k = 0; k < SLOT; k++) slots[SLOT * to + k] = from[at + k]!;
  }
}

// ───────────────────────────── words ─────────────────────────────

/**
 * The words of the text being read (one text at a time): offsets, and the folded form where it is not
 * simply the lower-cased ASCII text[start, end) (then null, and no string is made).
 */
let wordCount = 0;
let wordStart = new Int32Array(1024);
let wordEnd = new Int32Array(1024);
/** Entries past wordCount are stale. */
const wordNorm: (string | null)[] = [];
/** For a plain ASCII word: hashes (see hashAscii) of the whole word and of its first STEM_LENGTH characters. */
let wordHash = new Int32Array(1024);
let stemHash = new Int32Array(1024);

/** Room for every word of a range of `length` characters (a word takes at least one). */
function reserveWords(length: number): void {
  if (length <= wordStart.length) return;
  const size = Math.max(length, 2 * wordStart.length);
  wordStart = new Int32Array(size);
  wordEnd = new Int32Array(size);
  wordHash = new Int32Array(size);
  stemHash = new Int32Array(size);
}

/**
 * Reads the words of text[from, to), exactly those of tokenSpans(text.slice(from, to)) (their `norm`s),
 * without the token objects and strings this module does not use.
 */
function scanWords(text: string, from: number, to: number): void {
  reserveWords(to - from);
  wordCount = 0;
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    if (c < 0x80 ? ASCII_WORD[c] === 0 : !isWordCode(c)) {
      i++;
      continue;
    }
    const start = i;
    let ascii = c < 0x80;
    let dotted = false;
    // Hashes of the lower-cased word while it is read (used only when it stays plain ASCII).
    let h = mix(FNV_SEED, lowerAscii(c));
    let stem = h;
    i++;
    for (;;) {
      while (i < to) {
        c = text.charCodeAt(i);
        if (c < 0x80) {
          if (ASCII_WORD[c] === 0) break;
        } else {
          if (!isWordCode(c)) break;
          ascii = false;
        }
        h = mix(h, lowerAscii(c));
        if (i - start < STEM_LENGTH) stem = h;
        i++;
      }
      // A dot joins when both neighbours are word characters: U.S, EE.UU, 3.5
      if (i + 1 < to && text.charCodeAt(i) === 0x2e && isWordCode(text.charCodeAt(i + 1))) {
        dotted = true;
        i++;
        continue;
      }
      break;
    }
    const w = wordCount++;
    wordStart[w] = start;
    wordEnd[w] = i;
    wordHash[w] = h;
    stemHash[w] = stem;
    if (!dotted) {
      wordNorm[w] = ascii ? null : fold(text.slice(start, i));
      continue;
    }
    const surface = text.slice(start, i);
    if (isDigitsAndDots(surface)) {
      wordNorm[w] = surface;
    } else {
      const raw = surface.replaceAll('.', '');
      wordNorm[w] = ascii ? raw.toLowerCase() : fold(raw);
      // The closing dot of an abbreviation like "U.S." belongs to it.
      if (i < to && text.charCodeAt(i) === 0x2e) i++;
    }
  }
}

/** The folded form of word k of the last scan. */
function normOf(text: string, k: number): string {
  return wordNorm[k] ?? text.slice(wordStart[k], wordEnd[k]).toLowerCase();
}

/** Stopwords, months and number words, with what each is (packed; see below). */
const SPECIALS = new WordTable();
const specialKind: number[] = [];
const MONTH_MASK = 0xf; // month 1..12
const NUMBER_SHIFT = 4; // number word value 3..20
const STOP_FLAG = 1 << 9;
function addSpecial(w: string, kind: number): void {
  const id = SPECIALS.add(w);
  specialKind[id] = (specialKind[id] ?? 0) | kind;
}
for (const w of STOPWORDS) addSpecial(w, STOP_FLAG);
for (const [w, m] of MONTHS) addSpecial(w, m);
for (const [w, n] of NUMBER_WORDS) addSpecial(w, n << NUMBER_SHIFT);
let longestSpecial = 0;
for (const w of SPECIALS.names) longestSpecial = Math.max(longestSpecial, w.length);

/** What word k of the last scan is among the specials (0: an ordinary word). */
function kindOf(text: string, k: number): number {
  const norm = wordNorm[k];
  const length = norm !== null ? norm!.length : wordEnd[k]! - wordStart[k]!;
  if (length > longestSpecial) return 0;
  const id = norm !== null ? SPECIALS.idOf(norm!) : SPECIALS.idOfAsciiHashed(text, wordStart[k]!, wordEnd[k]!, wordHash[k]!);
  return id < 0 ? 0 : specialKind[id]!;
}

/** The value of word k when it is one or two digits (what /^\d{1,2}$/ accepts), else -1. */
function dayOf(text: string, k: number): number {
  if (k >= wordCount) return -1;
  const norm = wordNorm[k];
  const w = norm ?? text;
  const start = norm != null ? 0 : wordStart[k]!;
  const length = norm != null ? norm.length : wordEnd[k]! - start;
  if (length === 0 || length > 2) return -1;
  const a = w.charCodeAt(start);
  if (!isDigitCode(a)) return -1;
  if (length === 1) return a - 0x30;
  const b = w.charCodeAt(start + 1);
  return isDigitCode(b) ? (a - 0x30) * 10 + (b - 0x30) : -1;
}

/** Word k is "de". */
function isDe(text: string, k: number): boolean {
  const norm = wordNorm[k];
  if (norm != null) return norm === 'de';
  const start = wordStart[k]!;
  return wordEnd[k]! - start === 2 && lowerAscii(text.charCodeAt(start)) === 0x64 && lowerAscii(text.charCodeAt(start + 1)) === 0x65;
}

/** An article's language, where known: it decides words that are numbers in one language only. */
export type Language = 'en' | 'es' | null;

/** Receives each counted term, as its id in the vocabulary, with its weight, in text order. */
export type TermSink = (id: number, weight: number) => void;

/** Counts the terms of text[from, to) and collects its dates and number words. */
function addTerms(text: string, from: number, to: number, weight: number, vocabulary: WordTable, onTerm: TermSink, numbers: Set<string>, language: Language): void {
  scanWords(text, from, to);
  const n = wordCount;
  for (let i = 0; i < n; i++) {
    const norm = wordNorm[i];
    const first = norm != null ? norm.charCodeAt(0) : text.charCodeAt(wordStart[i]!);
    if (isDigitCode(first)) continue; // numbers are handled by numbersOf
    const kind = kindOf(text, i);
    const month = kind & MONTH_MASK;
    if (month !== 0) {
      // "Feb. 27", "February 27", "27 de febrero"
      const next = dayOf(text, i + 1);
      const day = next >= 0 ? next : i >= 2 && isDe(text, i - 1) ? dayOf(text, i - 2) : 0;
      if (day >= 1 && day <= 31) numbers.add(`d:${month}-${day}`);
    }
    const value = (kind & ~STOP_FLAG) >> NUMBER_SHIFT;
    // A number word that is also a stopword ("once": eleven in Spanish, an adverb in English) is a number
    // only in Spanish text; otherwise "once again" gave every English report a shared 11.
    if (value !== 0 && (language === 'es' || (kind & STOP_FLAG) === 0)) {
      numbers.add(`n:${value}`);
      continue;
    }
    const length = norm != null ? norm.length : wordEnd[i]! - wordStart[i]!;
    if (length < 3 || kind !== 0) continue; // stopword or month name
    let id: number;
    if (norm != null) {
      id = vocabulary.add(length > STEM_LENGTH ? norm.slice(0, STEM_LENGTH) : norm);
    } else {
      const start = wordStart[i]!;
      const end = Math.min(wordEnd[i]!, start + STEM_LENGTH);
      id = vocabulary.idOfAsciiHashed(text, start, end, stemHash[i]!);
      if (id < 0) id = vocabulary.add(text.slice(start, end).toLowerCase());
    }
    onTerm(id, weight);
  }
}

// "$15 million", "15 millones", "10,000", "10.000", "100 mil", "3.5", "25%"; scale words both languages.
const NUMBER_RE =
  /(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d{1,2})?)(?:\s*(%|por ciento|percent|mil millones|millones|millón|millon|million|billion|mil|thousand)(?![\p{L}\p{N}]))?/giu;

const SCALE: Record<string, number> = {
  'mil millones': 1e9, billion: 1e9, millones: 1e6, 'millón': 1e6, millon: 1e6, million: 1e6, mil: 1e3, thousand: 1e3,
};

/** Normalised numbers of a text: values >= 3, years kept, percent signs dropped ("25%" = "25 por ciento"). */
export function numbersOf(text: string, out: Set<string> = new Set()): Set<string> {
  NUMBER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMBER_RE.exec(text)) !== null) {
    const raw = m[1]!;
    // A digit glued to letters ("MQ-9" is fine, "H2O" / "T-MEC2" are not numbers of the story).
    const before = m.index > 0 ? text.charCodeAt(m.index - 1) : 0;
    if ((before >= 0x41 && before <= 0x5a) || (before >= 0x61 && before <= 0x7a)) continue;
    let value: number;
    if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) value = Number(raw.replace(/[.,]/g, ''));
    else value = Number(raw.replace(',', '.'));
    if (!Number.isFinite(value)) continue;
    const scale = m[2] ? SCALE[m[2].toLowerCase()] : undefined;
    if (scale) value *= scale;
    if (value < 3 && !scale) continue;
    out.add(`n:${Math.round(value * 100) / 100}`);
  }
  return out;
}

/**
 * Terms of title (weight 2) and lead (weight 1), as ids in `vocabulary`, passed to `onTerm` in order;
 * numbers and dates of title and opening of the body added to `numbers`.
 */
export function scanFeatures(title: string, text: string, vocabulary: WordTable, onTerm: TermSink, numbers: Set<string>, language: Language = null): void {
  addTerms(title, 0, title.length, 2, vocabulary, onTerm, numbers, language);
  // Words never look back, so the lead's words are read in place.
  const lead = leadRange(text, 60);
  addTerms(text, lead.from, lead.to, 1, vocabulary, onTerm, numbers, language);
  numbersOf(title, numbers);
  numbersOf(text.length > 2000 ? text.slice(0, 2000) : text, numbers);
}

/** The folded words scanFeatures reads (for tests: they must be those of tokenize on the title and on leadOf). */
export function featureWords(title: string, text: string): { title: string[]; lead: string[] } {
  const read = (s: string, from: number, to: number) => {
    scanWords(s, from, to);
    return Array.from({ length: wordCount }, (_, k) => normOf(s, k));
  };
  const lead = leadRange(text, 60);
  return { title: read(title, 0, title.length), lead: read(text, lead.from, lead.to) };
}

/** Features of an article: terms of title + lead, numbers and dates of title + opening of the body. */
export function articleFeatures(title: string, text: string, language: Language = null): ArticleFeatures {
  const terms = new Map<string, number>();
  const numbers = new Set<string>();
  const vocabulary = new WordTable();
  scanFeatures(title, text, vocabulary, (id, weight) => {
    const stem = vocabulary.names[id]!;
    terms.set(stem, (terms.get(stem) ?? 0) + weight);
  }, numbers, language);
  return { terms, numbers };
}
