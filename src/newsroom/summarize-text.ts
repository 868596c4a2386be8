/**
 * Small text helpers shared by the extractive summarizer (summarize.ts) and the abstractive checker
 * (llm.ts): numbers as comparable keys, proper-name sequences, junk-sentence detection, and trimming a
 * sentence to a word budget at a clause boundary.
 */
import { fold, tokenize, tokenSpans } from './text.ts';

/** Most words a bullet may have. */
export const MAX_BULLET_WORDS = 35;

// ───────────────────────────── numbers ─────────────────────────────

/**
 * Numbers in a text as comparable keys: digits only, thousands separators removed ("1,200" and "1.200" ->
 * "1200"), a decimal comma read as a dot ("3,5" -> "3.5"), leading zeros kept off ("007" -> "7"). Units and
 * scale words are ignored: "$15 million" and "15 millones" both give "15".
 * `words`, when given, must be tokenize(text) (saves tokenizing the text again).
 * @example numberKeys('Seized $15 million and 1,200 rifles; 3.5 tons') // Set {'15', '1200', '3.5'}
 */
export function numberKeys(text: string, words?: string[]): Set<string> {
  const out = new Set<string>();
  // The matches of /\d(?:[\d.,]*\d)?/g, in order, without the regex iterator: from a digit over digits,
  // dots and commas, ending at the last digit.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!isAsciiDigit(text.charCodeAt(i))) continue;
    let last = i;
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (isAsciiDigit(c)) last = j;
      else if (c !== 0x2e && c !== 0x2c) break;
    }
    out.add(normalizeNumber(text.slice(i, last + 1)));
    i = last;
  }
  if (hasNumberWordHint(text)) for (const n of writtenNumbers(words ?? tokenize(text))) out.add(String(n));
  return out;
}

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// Written numbers from 10 to 99 ("thirty-seven", "treinta y siete", "veintidós"): reports spell out
// numbers that others print as digits. Smaller ones ("two", "dos") are left out: too common as words.
const EN_UNITS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const EN_TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const EN_TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ES_UNITS: Record<string, number> = { uno: 1, un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9 };
const ES_TEENS: Record<string, number> = {
  diez: 10, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19,
  veinte: 20, veintiuno: 21, veintiun: 21, veintiuna: 21, veintidos: 22, veintitres: 23, veinticuatro: 24, veinticinco: 25,
  veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
};
const ES_TENS: Record<string, number> = { treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90 };
const NUMBER_WORDS = new Set([EN_TEENS, ES_TEENS, EN_TENS, ES_TENS].flatMap((table) => Object.keys(table)));
/** The endings of NUMBER_WORD_HINT, lower case. */
const HINT_ENDINGS = ['ten', 'teen', 'ty', 'elve', 'eleven', 'diez', 'dieci', 'doce', 'trece', 'catorce', 'quince', 'veint', 'nta'];

/**
 * Whether /(?:ten|teen|ty|elve|eleven|diez|dieci|doce|trece|catorce|quince|veint|nta)\b/i matches, without the
 * regex (tried at every position of every sentence). Such a match is an ending followed by a word
 * boundary, so it is the end of a run of ASCII word characters [A-Za-z0-9_]; without the u flag, /i
 * equates only ASCII letters with these endings.
 */
export function hasNumberWordHint(text: string): boolean {
  let runStart = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
    if (word) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && endsWithHint(text, runStart, i)) return true;
    runStart = -1;
  }
  return false;
}

function endsWithHint(text: string, start: number, end: number): boolean {
  outer: for (const e of HINT_ENDINGS) {
    if (end - start < e.length) continue;
    for (let k = 0; k < e.length; k++) {
      const c = text.charCodeAt(end - e.length + k);
      if ((c >= 0x41 && c <= 0x5a ? c + 32 : c) !== e.charCodeAt(k)) continue outer;
    }
    return true;
  }
  return false;
}

/** The table's value for an own key (a plain object also answers "constructor" from its prototype). */
function own(table: Record<string, number>, w: string | undefined): number | undefined {
  return w !== undefined && Object.hasOwn(table, w) ? table[w] : undefined;
}

function writtenNumbers(w: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    // Most words are no number: one Set look-up settles them.
    if (!NUMBER_WORDS.has(x)) continue;
    const teen = own(EN_TEENS, x) ?? own(ES_TEENS, x);
    if (teen !== undefined) out.push(teen);
    else if (Object.hasOwn(EN_TENS, x)) {
      const u = own(EN_UNITS, w[i + 1]);
      out.push(EN_TENS[x]! + (u ?? 0));
      if (u) i++;
    } else if (Object.hasOwn(ES_TENS, x)) {
      const u = w[i + 1] === 'y' ? own(ES_UNITS, w[i + 2]) : undefined;
      out.push(ES_TENS[x]! + (u ?? 0));
      if (u) i += 2;
    }
  }
  return out;
}

function normalizeNumber(raw: string): string {
  // Plain digits without a leading zero are their own key (the common case).
  if (raw.charCodeAt(0) !== 0x30 && /^\d+$/.test(raw)) return raw;
  let s = raw;
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(s)) s = s.replace(/[.,]/g, '');
  else if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.');
  else s = s.replace(/,/g, '');
  if (s.includes('.')) s = s.replace(/\.?0+$/, '') || '0';
  s = s.replace(/^0+(?=\d)/, '');
  return s;
}

// ───────────────────────────── proper names ─────────────────────────────

/** Lower-case words allowed inside a name between two capitalised words ("Cártel de Jalisco"). */
const NAME_CONNECTORS = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'of', 'the', 'for', 'da', 'do', 'van', 'von', 'al', 'bin']);

export interface NameSpan {
  /** Folded words of the name, connectors included. */
  words: string[];
  /** The name as written. */
  surface: string;
  /** The sequence starts the sentence. */
  atStart: boolean;
}

function isUpperLetter(ch: string): boolean {
  // In ASCII only A-Z change when lower-cased; the case mappings are only asked for beyond it.
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Whether the text between two words joins them into one name: only spaces (no newline), hyphens, apostrophes. */
function joinsName(sentence: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = sentence.charCodeAt(k);
    if (c === 0x0a || !(c === 0x2d || c === 0x27 || c === 0x2019 || isJsSpace(c))) return false;
  }
  return true;
}

/**
 * Runs of capitalised words ("Claudia Sheinbaum", "Cártel de Jalisco Nueva Generación", "CJNG") in one
 * sentence, with whether the run starts the sentence. Numbers are not names.
 */
export function properNameSpans(sentence: string): NameSpan[] {
  const toks = tokenSpans(sentence);
  const out: NameSpan[] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    const first = t.raw[0] ?? '';
    if (!isUpperLetter(first)) {
      i++;
      continue;
    }
    let j = i + 1;
    let lastCap = i;
    while (j < toks.length) {
      const u = toks[j]!;
      // A run is broken by punctuation other than a joining space or hyphen/apostrophe.
      if (!joinsName(sentence, toks[j - 1]!.end, u.start)) break;
      if (isUpperLetter(u.raw[0] ?? '')) {
        lastCap = j;
        j++;
        continue;
      }
      if (NAME_CONNECTORS.has(u.norm) && j + 1 < toks.length && isUpperLetter(toks[j + 1]!.raw[0] ?? '')) {
        j++;
        continue;
      }
      break;
    }
    const words: string[] = [];
    for (let k = i; k <= lastCap; k++) words.push(toks[k]!.norm);
    out.push({ words, surface: sentence.slice(t.start, toks[lastCap]!.end), atStart: i === 0 });
    i = lastCap + 1;
  }
  return out;
}

// ───────────────────────────── junk sentences ─────────────────────────────

/** Agency tags that end a dateline: "MEXICO CITY (Reuters) -", "CULIACÁN, Sin. (EFE).—". */
const DATELINE_RE =
  /^\s*(?:[\p{Lu}][\p{Lu}\p{M}.'’ ]{1,40}(?:,[^()\n—–-]{1,30})?\s*(?:\((?:[^()\n]{1,25})\))?\s*\.?\s*[—–-]{1,2}\s+|[^\n()]{0,60}\((?:Reuters|AP|AFP|EFE|Bloomberg|UPI|Notimex|dpa|apro|Proceso)\)\s*\.?\s*[—–:-]{1,2}\s*)/u;

/** Removes a leading dateline ("WASHINGTON (AP) — ", "CIUDAD DE MÉXICO.— ") from an opening sentence. */
export function stripDateline(sentence: string): string {
  const m = DATELINE_RE.exec(sentence);
  if (!m) return sentence;
  const rest = sentence.slice(m[0].length);
  return rest.trim().length > 0 ? rest.trim() : sentence;
}

const BOILERPLATE_RE = new RegExp(
  [
    '^(?:by|por|written by|escrito por|reporting by|editing by|additional reporting|con información de|con informacion de)\\s',
    '\\b(?:reporting by|editing by|writing by|additional reporting by)\\b',
    '\\b(?:read more|leer más|lee más|lea también|lee también|also read|related:|relacionad[oa]s?:|click here|haz clic|sign up|subscribe|suscríbete|follow us|síguenos|newsletter|all rights reserved|derechos reservados)\\b',
    '(?:^|\\s|\\()(?:photo|foto|fotografía|image|imagen)\\s*(?::|by\\b|de\\b|credit|courtesy|cortesía)',
    '\\b(?:ap|afp|reuters|efe|getty) (?:photo|images|foto)\\b',
    '\\bgetty images\\b|\\bcuartoscuro\\b|©|\\bcopyright\\b',
    'https?://|www\\.',
  ].join('|'),
  'iu',
);

/**
 * Text that every alternative of BOILERPLATE_RE needs (lower case), apart from the bylines at the start.
 * The full regex (case-insensitive, Unicode, word boundaries) is costly on every sentence of every article;
 * this plain one over the lower-cased sentence rules most sentences out first.
 */
const BOILERPLATE_PIECES = new RegExp(
  [
    'ing by', 'read more', 'leer más', 'lee más', 'lea también', 'lee también', 'also read', 'related:', 'relacionad',
    'click here', 'haz clic', 'sign up', 'subscribe', 'suscríbete', 'follow us', 'síguenos', 'newsletter',
    'all rights reserved', 'derechos reservados', 'photo', 'foto', 'image', 'cuartoscuro', '©', 'copyright', 'http',
    'www\\.',
  ].join('|'),
);
const BOILERPLATE_OPENING = /^(?:by|por|written|escrito|reporting|editing|additional|con informaci)/iu;

/**
 * False only when BOILERPLATE_RE cannot match. Case-insensitive Unicode matching also equates "ſ" (long s)
 * with "s", which lower-casing does not: a sentence holding one goes to the full regex.
 */
function mayBeBoilerplate(s: string): boolean {
  return BOILERPLATE_OPENING.test(s) || BOILERPLATE_PIECES.test(s.toLowerCase()) || s.includes('ſ');
}

const QUOTE_MARK = /[“”«»"]/;

/** Share of the sentence's characters that sit inside quotation marks. */
export function quotedShare(sentence: string): number {
  if (!QUOTE_MARK.test(sentence)) return 0;
  let inside = 0;
  let depth = 0;
  let straight = false;
  let letters = 0;
  for (const ch of sentence) {
    if (ch === '“' || ch === '«') depth++;
    else if (ch === '”' || ch === '»') depth = Math.max(0, depth - 1);
    else if (ch === '"') straight = !straight;
    else if (/\S/.test(ch)) {
      letters++;
      if (depth > 0 || straight) inside++;
    }
  }
  return letters === 0 ? 0 : inside / letters;
}

/** Whitespace as the regular expression \s sees it (and String.prototype.trim). */
function isJsSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** s.replace(/\s+/g, ' ').trim(), skipping the regex when there is nothing to change (the common case). */
export function collapseSpaces(s: string): string {
  const last = s.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 ? i === 0 || i === last || s.charCodeAt(i + 1) === 0x20 : isJsSpace(c)) return s.replace(/\s+/g, ' ').trim();
  }
  return s;
}

/** Words separated by whitespace: the runs of non-space characters (what trim + split(/\s+/) counts). */
export function wordCount(s: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = isJsSpace(s.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/**
 * Why a sentence cannot be a bullet, or null when it can: bylines, datelines alone, photo credits,
 * "Read more" and other page furniture, questions, sentences that are mostly a quote, fragments.
 */
const LOWER_ASCII = /[a-z]/;

export function junkReason(sentence: string): string | null {
  const s = sentence.trim();
  if (wordCount(s) < 6) return 'short';
  if (s.endsWith('?') || s.endsWith('?"') || s.endsWith('?”') || s.startsWith('¿')) return 'question';
  if (mayBeBoilerplate(s) && BOILERPLATE_RE.test(s)) return 'boilerplate';
  // A lower-case ASCII letter settles it without the Unicode pass over the whole sentence.
  if (!LOWER_ASCII.test(s)) {
    const letters = s.replace(/[^\p{L}]/gu, '');
    if (letters.length > 0 && letters === letters.toUpperCase()) return 'all-caps';
  }
  if (quotedShare(s) >= 0.5) return 'quote';
  return null;
}

// ───────────────────────────── trimming ─────────────────────────────

/**
 * A sentence cut to at most `max` words: unchanged when short enough, otherwise cut after the last clause
 * boundary (, ; : or a dash) that keeps at least 12 words, else after the word budget; never mid-word. A
 * cut text ends with "…".
 */
export function trimToWords(sentence: string, max = MAX_BULLET_WORDS): string {
  const s = sentence.replace(/\s+/g, ' ').trim();
  const words = s.split(' ');
  if (words.length <= max) return s;
  let cut = -1;
  for (let k = max - 1; k >= 11; k--) {
    const w = words[k]!;
    const next = words[k + 1] ?? '';
    if (/[,;:]["”’»)]?$/.test(w) || /^[—–-]{1,2}$/.test(next)) {
      cut = k;
      break;
    }
  }
  const kept = words.slice(0, (cut >= 0 ? cut : max - 1) + 1).join(' ');
  return kept.replace(/[\s,;:—–-]+$/u, '') + '…';
}

/** fold() of a sentence with whitespace collapsed: the key for "covered" sentences. */
export function sentenceKey(sentence: string): string {
  const s = sentence.endsWith('…') ? sentence.slice(0, -1) : sentence;
  // fold() builds its result a character at a time, a string that is slow to hash and compare later; on
  // plain ASCII with single inner spaces (most sentences) it is just the lower-case text.
  return isPlainAscii(s) ? s.toLowerCase() : fold(s);
}

/** ASCII without tabs or line breaks, spaces only single and inside: fold() leaves all but the case. */
function isPlainAscii(s: string): boolean {
  const last = s.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x09 && c <= 0x0d)) return false;
    if (c === 0x20 && (i === 0 || i === last || s.charCodeAt(i + 1) === 0x20)) return false;
  }
  return true;
}
