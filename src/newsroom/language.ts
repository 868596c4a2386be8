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

/** +1 for an English function word, -1 for a Spanish one. */
const WEIGHT = new Map<string, number>([...[...EN].map((w): [string, number] => [w, 1]), ...[...ES].map((w): [string, number] => [w, -1])]);

/** Letters we read as parts of words: a-z and the Spanish accented letters (after lower-casing). */
function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0xe1 || c === 0xe9 || c === 0xed || c === 0xf3 || c === 0xfa || c === 0xfc || c === 0xf1;
}
/** ñ ¿ ¡ and accented vowels: Spanish evidence. */
function isSpanishMark(c: number): boolean {
  return c === 0xf1 || c === 0xbf || c === 0xa1 || c === 0xe1 || c === 0xe9 || c === 0xed || c === 0xf3 || c === 0xfa;
}

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
  // One pass over the sample: this runs once per article, on every article of every feed.
  for (let i = 0; i <= sample.length; i++) {
    const c = i < sample.length ? sample.charCodeAt(i) : 0;
    if (isSpanishMark(c)) marks++;
    if (isLetter(c)) {
      if (start === -1) start = i;
      continue;
    }
    if (start === -1) continue;
    words++;
    const w = WEIGHT.get(sample.slice(start, i));
    if (w === 1) en++;
    else if (w === -1) es++;
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
