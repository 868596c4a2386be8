/**
 * Features of one article for story clustering (stories.ts): salient folded terms of the title and lead,
 * normalised numbers and calendar dates. English and Spanish alike; one linear pass over the title, the lead
 * and (for numbers) the opening of the body.
 */
import { fold, isWordCode, splitSentences, type Sentence } from './text.ts';

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
  let out = '';
  for (const s of leadRange(text, words).sentences) out += (out ? ' ' : '') + s.text;
  return out;
}

/**
 * The lead as a range of `text`: its first sentences up to about `words` words (a sentence's words are its
 * space-separated pieces). Sentences are separated by whitespace only, so the words of the range are those
 * of the sentences joined by spaces (leadOf) and can be read from `text` without building that string.
 */
function leadRange(text: string, words: number): { from: number; to: number; sentences: Sentence[] } {
  const all = splitSentences(text.length > 3000 ? text.slice(0, 3000) : text);
  let count = 0;
  let used = 0;
  while (used < all.length) {
    const s = all[used++]!;
    count++;
    for (let k = s.start; k < s.end; k++) if (text.charCodeAt(k) === 0x20) count++;
    if (count >= words) break;
  }
  const sentences = used === all.length ? all : all.slice(0, used);
  return used === 0 ? { from: 0, to: 0, sentences } : { from: all[0]!.start, to: all[used - 1]!.end, sentences };
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** 1 for ASCII letters and digits (the word characters of tokenSpans). */
const ASCII_WORD = new Uint8Array(0x80);
for (let c = 0; c < 0x80; c++) ASCII_WORD[c] = isWordCode(c) ? 1 : 0;

/**
 * Folded words of text[from, to), exactly as tokenSpans(text.slice(from, to)).map((t) => t.norm) would give
 * them, without the token objects and raw forms this module does not use. `lower` is text.toLowerCase()
 * when that keeps the offsets, else null.
 */
function foldedWords(text: string, lower: string | null, from: number, to: number, out: string[]): string[] {
  out.length = 0;
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
    if (!dotted) {
      out.push(ascii ? (lower !== null ? lower.slice(start, i) : text.slice(start, i).toLowerCase()) : fold(text.slice(start, i)));
      continue;
    }
    const surface = text.slice(start, i);
    let numeric = true;
    for (let k = 0; k < surface.length; k++) {
      const d = surface.charCodeAt(k);
      if (d !== 0x2e && !isDigitCode(d)) {
        numeric = false;
        break;
      }
    }
    if (numeric) {
      out.push(surface);
    } else {
      const raw = surface.replaceAll('.', '');
      out.push(ascii ? raw.toLowerCase() : fold(raw));
      // The closing dot of an abbreviation like "U.S." belongs to it.
      if (i < to && text.charCodeAt(i) === 0x2e) i++;
    }
  }
  return out;
}

/** What a folded word is to addTerms, packed in one number so that a word costs a single look-up. */
const MONTH_MASK = 0xf; // month 1..12
const NUMBER_SHIFT = 4; // number word value 3..20
const STOP_FLAG = 1 << 9;
const SPECIAL_WORDS = new Map<string, number>();
for (const w of STOPWORDS) SPECIAL_WORDS.set(w, STOP_FLAG);
for (const [w, m] of MONTHS) SPECIAL_WORDS.set(w, (SPECIAL_WORDS.get(w) ?? 0) | m);
for (const [w, n] of NUMBER_WORDS) SPECIAL_WORDS.set(w, (SPECIAL_WORDS.get(w) ?? 0) | (n << NUMBER_SHIFT));
let longestSpecial = 0;
for (const w of SPECIAL_WORDS.keys()) longestSpecial = Math.max(longestSpecial, w.length);

/** The value of a word of one or two digits (what /^\d{1,2}$/ accepts), else -1. */
function dayOf(w: string | undefined): number {
  if (w === undefined || w.length === 0 || w.length > 2) return -1;
  const a = w.charCodeAt(0);
  if (!isDigitCode(a)) return -1;
  if (w.length === 1) return a - 0x30;
  const b = w.charCodeAt(1);
  return isDigitCode(b) ? (a - 0x30) * 10 + (b - 0x30) : -1;
}

/** Receives each counted term (a truncated stem) with its weight, in text order. */
export type TermSink = (stem: string, weight: number) => void;

function addTerms(words: string[], weight: number, onTerm: TermSink, numbers: Set<string>): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (isDigitCode(w.charCodeAt(0))) continue; // numbers are handled by numbersOf
    const special = w.length <= longestSpecial ? (SPECIAL_WORDS.get(w) ?? 0) : 0;
    const month = special & MONTH_MASK;
    if (month !== 0) {
      // "Feb. 27", "February 27", "27 de febrero"
      const next = dayOf(words[i + 1]);
      const day = next >= 0 ? next : i >= 2 && words[i - 1] === 'de' ? dayOf(words[i - 2]) : 0;
      if (day >= 1 && day <= 31) numbers.add(`d:${month}-${day}`);
    }
    const n = (special & ~STOP_FLAG) >> NUMBER_SHIFT;
    if (n !== 0) {
      numbers.add(`n:${n}`);
      continue;
    }
    if (w.length < 3 || special !== 0) continue; // stopword or month name
    onTerm(w.length > STEM_LENGTH ? w.slice(0, STEM_LENGTH) : w, weight);
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

/** Reused word buffer: features are computed one article at a time. */
const wordBuffer: string[] = [];

/** Folded words of a whole string (tokenSpans norms). */
function wordsOf(s: string, out: string[]): string[] {
  const low = s.toLowerCase();
  return foldedWords(s, low.length === s.length ? low : null, 0, s.length, out);
}

/** The lead as a string of its own (words never look back, so its words are those of this slice). */
function leadText(text: string): string {
  const lead = leadRange(text, 60);
  return text.slice(lead.from, lead.to);
}

/**
 * Terms of title (weight 2) and lead (weight 1) passed to `onTerm` in order, numbers and dates of title and
 * opening of the body added to `numbers`.
 */
export function scanFeatures(title: string, text: string, onTerm: TermSink, numbers: Set<string>): void {
  addTerms(wordsOf(title, wordBuffer), 2, onTerm, numbers);
  addTerms(wordsOf(leadText(text), wordBuffer), 1, onTerm, numbers);
  wordBuffer.length = 0;
  numbersOf(title, numbers);
  numbersOf(text.length > 2000 ? text.slice(0, 2000) : text, numbers);
}

/** The words scanFeatures reads (for tests: they must be those of tokenize on the title and on leadOf). */
export function featureWords(title: string, text: string): { title: string[]; lead: string[] } {
  return { title: wordsOf(title, []), lead: wordsOf(leadText(text), []) };
}

/** Features of an article: terms of title + lead, numbers and dates of title + opening of the body. */
export function articleFeatures(title: string, text: string): ArticleFeatures {
  const terms = new Map<string, number>();
  const numbers = new Set<string>();
  scanFeatures(title, text, (stem, weight) => terms.set(stem, (terms.get(stem) ?? 0) + weight), numbers);
  return { terms, numbers };
}
