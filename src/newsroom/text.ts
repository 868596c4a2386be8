/**
 * Shared text helpers for the newsroom engine: folding (case, accents, quotes, dashes, spaces), word
 * tokens with offsets, and an English/Spanish sentence splitter. Everything here is a single linear pass
 * over the characters with table look-ups (no backtracking regular expressions): the engine runs these on
 * every article of every feed.
 */

// ───────────────────────────── character classes ─────────────────────────────

/** Folded form of each code point below 0x250 (Latin-1 and Latin Extended-A/B); undefined = compute. */
const FOLD_TABLE: string[] = new Array(0x250);
for (let c = 0; c < 0x250; c++) {
  const ch = String.fromCharCode(c);
  FOLD_TABLE[c] = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
const FOLD_CACHE = new Map<number, string>();

const SINGLE_QUOTES = new Set([0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x0060, 0x00b4]);
const DOUBLE_QUOTES = new Set([0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb]);
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d]);

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const LETTER_CACHE = new Map<number, boolean>();
/** Letters (any script), digits and combining marks count as word characters. */
export function isWordCode(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
  if (c < 0x250) return c !== 0xd7 && c !== 0xf7 && (c >= 0xc0 || c === 0xaa || c === 0xb5 || c === 0xba);
  if (c >= 0x300 && c <= 0x36f) return true;
  let v = LETTER_CACHE.get(c);
  if (v === undefined) {
    v = /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(c));
    LETTER_CACHE.set(c, v);
  }
  return v;
}

/** 1 for ASCII letters and digits. */
const ASCII_WORD = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) ASCII_WORD[c] = isWordCode(c) ? 1 : 0;

/**
 * isWordCode of every UTF-16 code unit as a table for the word scanner's inner loop: 2 = word character,
 * 1 = not, 0 = not looked up yet (filled on first sight; below 0x250 at load).
 */
const WORD_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 0x250; c++) WORD_CLASS[c] = isWordCode(c) ? 2 : 1;

/** isWordCode through WORD_CLASS. */
function isWordUnit(c: number): boolean {
  const k = WORD_CLASS[c]!;
  if (k !== 0) return k === 2;
  const word = isWordCode(c);
  WORD_CLASS[c] = word ? 2 : 1;
  return word;
}

/** Whether a dotted token is a number ("3.5", "1.200.000"): only ASCII digits and dots. */
export function isDigitsAndDots(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const d = s.charCodeAt(k);
    if (d !== 0x2e && !isDigit(d)) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Folded form of one UTF-16 code unit (surrogates pass through unchanged). */
function foldCode(c: number): string {
  if (c < 0x250) return FOLD_TABLE[c]!;
  if (SINGLE_QUOTES.has(c)) return "'";
  if (DOUBLE_QUOTES.has(c)) return '"';
  if (DASHES.has(c)) return '-';
  if (c >= 0x300 && c <= 0x36f) return '';
  let v = FOLD_CACHE.get(c);
  if (v === undefined) {
    v = String.fromCharCode(c).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    FOLD_CACHE.set(c, v);
  }
  return v;
}

/**
 * Lowercase, strip accents (á→a, ñ→n, ü→u), turn curly quotes into ' and ", dashes into -, and collapse
 * whitespace to single spaces (trimmed).
 * @example fold('  Cártel de  Jalisco “Nueva” Generación — CJNG ') // 'cartel de jalisco "nueva" generacion - cjng'
 */
export function fold(s: string): string {
  // Runs of ASCII characters are copied from the lower-cased text in one slice (ASCII folds to its
  // lower case) instead of one concatenation per character; only usable when lower-casing keeps offsets.
  const lowered = s.toLowerCase();
  const lower = lowered.length === s.length ? lowered : null;
  let out = '';
  let pendingSpace = false;
  let run = -1; // start of the current ASCII run, -1 when none
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      if (run >= 0) {
        out += lower!.slice(run, i);
        run = -1;
      }
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    if (c < 0x80 && lower !== null) {
      if (run < 0) run = i;
      continue;
    }
    if (run >= 0) {
      out += lower!.slice(run, i);
      run = -1;
    }
    out += foldCode(c);
  }
  if (run >= 0) out += lower!.slice(run);
  return out;
}

/** Folds one word (no spaces inside): fast path for plain ASCII. */
function foldWord(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      let out = '';
      for (let j = 0; j < s.length; j++) out += foldCode(s.charCodeAt(j));
      return out;
    }
  }
  return s.toLowerCase();
}

// ───────────────────────────── tokens ─────────────────────────────

export interface Token {
  /** Offset of the first character in the text. */
  start: number;
  /** Offset just past the last character (includes the final dot of "U.S." / "EE.UU."). */
  end: number;
  /** Folded form without abbreviation dots: "U.S." -> "us", "EE.UU." -> "eeuu"; decimals keep theirs: "3.5". */
  norm: string;
  /** The word as written, without abbreviation dots: "U.S." -> "US". Used for case-sensitive acronyms. */
  raw: string;
  /** The character right after the token is a dot that is not part of it ("Gen." , "J."). */
  dot: boolean;
}

/** Where scanWord leaves the word it found: one reused object instead of a result object per word. */
const found = { start: 0, end: 0, norm: '', raw: '' };

/**
 * Finds the next word at or after `i` (see tokenSpans for what a word is) and leaves it in `found`; returns
 * the offset to continue from, or -1 when no word is left. `lower` is text.toLowerCase() when that keeps
 * offsets, else null. `raw` is only filled when `wantRaw` (tokenize needs the folded form alone).
 */
function scanWord(text: string, i: number, lower: string | null, wantRaw: boolean): number {
  const n = text.length;
  let c = 0;
  while (i < n) {
    c = text.charCodeAt(i);
    if (WORD_CLASS[c] === 2 || (WORD_CLASS[c] === 0 && isWordUnit(c))) break;
    i++;
  }
  if (i >= n) return -1;
  const start = i;
  // OR of the word's code units: below 0x80 exactly when every one is ASCII (no branch per character).
  let units = c;
  let dotted = false;
  i++;
  for (;;) {
    while (i < n) {
      c = text.charCodeAt(i);
      if (WORD_CLASS[c] !== 2 && (WORD_CLASS[c] === 1 || !isWordUnit(c))) break;
      units |= c;
      i++;
    }
    // A dot joins when both neighbours are word characters: U.S, EE.UU, 3.5
    if (i + 1 < n && text.charCodeAt(i) === 0x2e && isWordUnit(text.charCodeAt(i + 1))) {
      dotted = true;
      i++;
      continue;
    }
    break;
  }
  let end = i;
  if (dotted) {
    const surface = text.slice(start, end);
    if (isDigitsAndDots(surface)) {
      found.norm = surface;
      found.raw = surface;
    } else {
      const raw = surface.replaceAll('.', '');
      found.norm = foldWord(raw);
      found.raw = raw;
      // The closing dot of an abbreviation like "U.S." belongs to it.
      if (end < n && text.charCodeAt(end) === 0x2e) end++;
    }
  } else if (units < 0x80 && lower !== null) {
    found.norm = lower.slice(start, end);
    if (wantRaw) found.raw = text.slice(start, end);
  } else {
    const surface = text.slice(start, end);
    found.norm = foldWord(surface);
    found.raw = surface;
  }
  found.start = start;
  found.end = end;
  return end;
}

/**
 * Words with their offsets. A word is a run of letters (any script, accents included) and digits.
 * Apostrophes, hyphens, slashes and other punctuation separate words ("Mexico's" -> mexico, s;
 * "MS-13" -> ms, 13). A dot between two word characters joins them ("U.S", "EE.UU", "3.5", "H.Res.168"),
 * and the dot closing such a dotted abbreviation belongs to it.
 */
export function tokenSpans(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  // Lowercasing the whole text once is much cheaper than per word; it is only usable when it keeps offsets.
  const lowered = text.toLowerCase();
  const lower = lowered.length === n ? lowered : null;
  for (let i = scanWord(text, 0, lower, true); i >= 0; i = scanWord(text, i, lower, true)) {
    const end = found.end;
    out.push({ start: found.start, end, norm: found.norm, raw: found.raw, dot: end < n && text.charCodeAt(end) === 0x2e });
  }
  return out;
}

// The engine reads each article's title and body in several stages (actor matching, roles, topic tags):
// the words of the last text tokenized through sharedTokenSpans are kept for the stages after the first.
let sharedText = '';
let sharedSpans: Token[] = [];

/** tokenSpans(text), reused when the last call was for the same text. Callers must not modify the array. */
export function sharedTokenSpans(text: string): Token[] {
  if (text !== sharedText) {
    sharedSpans = tokenSpans(text);
    sharedText = text;
  }
  return sharedSpans;
}

/** The text sharedTokenSpans last read, with its words. */
export function lastSharedSpans(): { text: string; spans: Token[] } {
  return { text: sharedText, spans: sharedSpans };
}

/**
 * Folded words of a text, in order (see tokenSpans for what a word is): the same words as tokenSpans
 * without building a Token per word.
 * @example tokenize('El Cártel de Sinaloa y EE.UU., 3.5 toneladas') // ['el','cartel','de','sinaloa','y','eeuu','3.5','toneladas']
 */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  const lowered = s.toLowerCase();
  const lower = lowered.length === s.length ? lowered : null;
  for (let i = scanWord(s, 0, lower, false); i >= 0; i = scanWord(s, i, lower, false)) out.push(found.norm);
  return out;
}

/** True when the word has letters and none of them is lowercase ("ICE", "EE.UU.", "MS13"). */
export function isAllCaps(word: string): boolean {
  let letters = 0;
  for (const ch of word) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo === up) continue;
    if (ch === lo) return false;
    letters++;
  }
  return letters > 0;
}

// ───────────────────────────── sentences ─────────────────────────────

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/**
 * Titles that take a dot and never end a sentence (folded, without the dot): "Gen.", "Sen.", "Sr.", "Lic.".
 * Single capital letters (initials) are handled separately.
 */
const TITLE_ABBREVIATIONS = new Set([
  // English
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cmdr', 'adm', 'sgt', 'cpl', 'pvt', 'gov',
  'sen', 'rep', 'reps', 'sens', 'pres', 'amb', 'hon', 'rev', 'sr', 'jr', 'st', 'atty', 'supt', 'insp', 'det',
  // Spanish
  'sra', 'srta', 'lic', 'licda', 'ing', 'dra', 'mtro', 'mtra', 'gral', 'almte', 'tte', 'cnel', 'dip', 'arq', 'profa',
]);
/** Abbreviations that can also close a sentence: a boundary only before a typical sentence opener. */
const OTHER_ABBREVIATIONS = new Set([
  'no', 'nos', 'num', 'art', 'arts', 'inc', 'corp', 'co', 'ltd', 'llc', 'vs', 'v', 'fig', 'approx', 'aprox',
  'dept', 'depto', 'univ', 'av', 'ave', 'blvd', 'pag', 'vol', 'ed', 'cia', 'ud', 'uds',
  // months
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'ene', 'abr', 'ago', 'dic',
  // U.S. states
  'ariz', 'calif', 'colo', 'conn', 'fla', 'ga', 'ill', 'ind', 'kan', 'ky', 'la', 'md', 'mass', 'mich', 'minn',
  'miss', 'mo', 'mont', 'neb', 'nev', 'okla', 'ore', 'pa', 'tenn', 'tex', 'va', 'vt', 'wash', 'wis', 'wyo',
]);

/**
 * Capitalised words that very often open a sentence. After a dotted abbreviation such as "U.S." or
 * "EE.UU." one of these means the abbreviation did end the sentence ("...to the U.S. The move...").
 */
const SENTENCE_OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'this', 'that', 'these', 'those', 'in', 'on', 'at',
  'but', 'and', 'after', 'officials', 'its', 'his', 'her', 'their', 'there', 'when', 'while', 'as', 'if', 'for',
  'el', 'la', 'los', 'las', 'un', 'una', 'en', 'pero', 'y', 'tras', 'este', 'esta', 'estos', 'estas', 'eso',
  'ese', 'esa', 'su', 'sus', 'se', 'lo', 'por', 'con', 'al', 'ademas', 'sin', 'segun', 'desde',
]);

function isUpperStart(c: number): boolean {
  if (c >= 0x41 && c <= 0x5a) return true;
  if (c < 0xc0) return false;
  const ch = String.fromCharCode(c);
  return ch !== ch.toLowerCase();
}

function isOpenQuote(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x201c || c === 0x2018 || c === 0xab || c === 0x28 || c === 0x5b;
}
function isCloser(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x201d || c === 0x2019 || c === 0xbb || c === 0x29 || c === 0x5d;
}

/** The word (letters and internal dots) that ends just before the dot at `dotPos`. */
function wordBefore(text: string, dotPos: number): string {
  let k = dotPos;
  while (k > 0) {
    const c = text.charCodeAt(k - 1);
    if (isWordCode(c) || (c === 0x2e && k - 2 >= 0 && isWordCode(text.charCodeAt(k - 2)))) k--;
    else break;
  }
  return text.slice(k, dotPos);
}

/** The word that starts at `pos` (letters only), folded. */
function wordAt(text: string, pos: number): string {
  let k = pos;
  while (k < text.length && isWordCode(text.charCodeAt(k))) k++;
  return foldWord(text.slice(pos, k));
}

/**
 * Splits English or Spanish text into sentences with their offsets. A sentence ends at . ! ? or …
 * (with any closing quotes or brackets) followed by space and a capital letter, a digit, an opening quote,
 * ¿ or ¡, or at a blank line. Not at abbreviations ("Gen.", "Sen.", "Sr.", "Lic.", "Jan."), initials
 * ("Donald J. Trump"), decimals ("3.5"), or dotted acronyms ("U.S.", "EE.UU.") unless the next word is a
 * typical sentence opener.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const n = text.length;
  let segStart = 0;

  const push = (end: number) => {
    let s = segStart;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // Blank line: paragraph break.
    if (c === 0x0a) {
      let k = i + 1;
      while (k < n && isSpace(text.charCodeAt(k)) && text.charCodeAt(k) !== 0x0a) k++;
      if (k < n && text.charCodeAt(k) === 0x0a) {
        push(i);
        segStart = k + 1;
        i = k;
      }
      continue;
    }
    const terminal = c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026;
    if (!terminal) continue;
    // Extend over repeated terminals ("?!", "...") and closing quotes/brackets.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x2e || d === 0x21 || d === 0x3f || d === 0x2026 || isCloser(d)) j++;
      else break;
    }
    if (j < n && !isSpace(text.charCodeAt(j))) continue; // "3.5", "U.S.-Mexico", "example.com"
    let k = j;
    let newline = false;
    while (k < n && isSpace(text.charCodeAt(k))) {
      if (text.charCodeAt(k) === 0x0a) newline = true;
      k++;
    }
    if (k >= n) {
      i = j - 1;
      continue; // end of text: the final push takes it
    }
    const next = text.charCodeAt(k);
    const startsSentence = isUpperStart(next) || isDigit(next) || next === 0xbf || next === 0xa1 || isOpenQuote(next) || newline;
    if (!startsSentence) continue;

    if (c === 0x2e && j === i + 1 && !newline) {
      const word = wordBefore(text, i);
      if (word.length > 0) {
        const folded = foldWord(word.replaceAll('.', ''));
        if (word.includes('.') || OTHER_ABBREVIATIONS.has(folded)) {
          // Dotted acronym (U.S., EE.UU., D.C.) or an abbreviation that may close a sentence ("Inc.",
          // "Jan.", "Calif."): a boundary only before a typical sentence opener.
          if (!(isUpperStart(next) && SENTENCE_OPENERS.has(wordAt(text, k)))) continue;
        } else if (word.length === 1 && isUpperStart(word.charCodeAt(0))) {
          continue; // initial: "Donald J. Trump"
        } else if (TITLE_ABBREVIATIONS.has(folded)) {
          continue;
        }
      }
    }
    push(j);
    segStart = j;
    i = j - 1;
  }
  push(n);
  return out;
}
