/**
 * English/Spanish detection by function words. Our sources publish in exactly these two languages, so a
 * two-way stopword count is enough, fast, and needs no model. It abstains (null) on short or mixed text
 * rather than guess: a wrong language is worse than an unknown one for search and summaries.
 */

// Words that are frequent in one language and rare in the other. Deliberately left out because both
// languages use them: a, no, me, he, son, era, final, real, solo.
const EN = new Set([
  'the', 'of', 'and', 'to', 'in', 'is', 'was', 'that', 'for', 'on', 'with', 'as', 'by', 'at', 'from', 'his',
  'her', 'it', 'its', 'said', 'were', 'are', 'be', 'has', 'have', 'had', 'this', 'which', 'who', 'will',
  'an', 'not', 'but', 'they', 'their', 'after', 'about', 'over', 'been', 'would', 'into', 'more', 'than',
  'what', 'when', 'there', 'or', 'also', 'new', 'says', 'against', 'officials', 'could', 'should',
]);
const ES = new Set([
  'el', 'la', 'los', 'las', 'de', 'del', 'y', 'que', 'en', 'un', 'una', 'por', 'con', 'para', 'es', 'se',
  'su', 'sus', 'al', 'lo', 'como', 'más', 'mas', 'pero', 'fue', 'sobre', 'entre', 'ha', 'han', 'este',
  'esta', 'está', 'sin', 'también', 'dijo', 'según', 'tras', 'ya', 'le', 'les', 'o', 'muy', 'hasta',
  'desde', 'cuando', 'donde', 'porque', 'fueron', 'será', 'sido', 'estos', 'estas', 'contra', 'afirmó',
]);

/**
 * The function words by a hash of their letters, so that scanning a text looks words up without
 * cutting each one out as a string (most words are not function words; this runs on every article).
 * A hash hit is confirmed against the word itself.
 */
const BY_HASH = new Map<number, { word: string; weight: number }>();
for (const [list, weight] of [[EN, 1], [ES, -1]] as const) {
  for (const word of list) {
    let h = 0;
    for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
    if (BY_HASH.has(h)) throw new Error(`function-word hash collision: ${word}`);
    BY_HASH.set(h, { word, weight });
  }
}

/** Letters we read as parts of words: a-z and the Spanish accented letters (after lower-casing). */
function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0xe1 || c === 0xe9 || c === 0xed || c === 0xf3 || c === 0xfa || c === 0xfc || c === 0xf1;
}
/** ñ ¿ ¡ and accented vowels: Spanish evidence. */
function isSpanishMark(c: number): boolean {
  return c === 0xf1 || c === 0xbf || c === 0xa1 || c === 0xe1 || c === 0xe9 || c === 0xed || c === 0xf3 || c === 0xfa;
}

/** isLetter and isSpanishMark for every code below 256, looked up once per character. */
const LETTER = 1;
const MARK = 2;
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) CLASS[c] = (isLetter(c) ? LETTER : 0) | (isSpanishMark(c) ? MARK : 0);

/** How much text to look at: the opening says enough, and long bodies cost time on big feeds. */
const SAMPLE = 400;

/**
 * Detects English or Spanish, or null when the text is too short or not clearly either.
 * @example detectLanguage('El gobierno de México anunció la extradición de los detenidos') // 'es'
 */
export function detectLanguage(text: string | null | undefined): 'en' | 'es' | null {
  if (!text) return null;
  const sample = text.slice(0, SAMPLE).toLowerCase();
  let words = 0;
  let en = 0;
  let es = 0;
  let marks = 0;
  let start = -1;
  let h = 0;
  // One pass over the sample: this runs once per article, on every article of every feed.
  for (let i = 0; i <= sample.length; i++) {
    const c = i < sample.length ? sample.charCodeAt(i) : 0;
    const cls = c < 256 ? CLASS[c]! : 0;
    if (cls & MARK) marks++;
    if (cls & LETTER) {
      if (start === -1) {
        start = i;
        h = 0;
      }
      h = (Math.imul(h, 31) + c) | 0;
      continue;
    }
    if (start === -1) continue;
    words++;
    const f = BY_HASH.get(h);
    if (f && f.word.length === i - start && sample.startsWith(f.word, start)) {
      if (f.weight === 1) en++;
      else es++;
    }
    start = -1;
  }
  if (words < 4) return null;
  // Accents and ñ are Spanish evidence, but names ("Zambada", "García") appear in English copy too,
  // so they count for little on their own.
  es += Math.min(3, marks / 4);
  const top = Math.max(en, es);
  if (top < 2 || top < words * 0.08) return null;
  if (en >= 2 * es) return 'en';
  if (es >= 2 * en) return 'es';
  return null;
}
