/**
 * Features of one article for story clustering (stories.ts): salient folded terms of the title and lead,
 * normalised numbers and calendar dates. English and Spanish alike; one linear pass over the title, the lead
 * and (for numbers) the opening of the body.
 */
import { splitSentences, tokenSpans } from './text.ts';

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
  let out = '';
  let count = 0;
  for (const s of sentences) {
    out += (out ? ' ' : '') + s.text;
    count += s.text.split(' ').length;
    if (count >= words) break;
  }
  return out;
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function addTerms(text: string, weight: number, terms: Map<string, number>, numbers: Set<string>): void {
  const toks = tokenSpans(text);
  for (let i = 0; i < toks.length; i++) {
    const w = toks[i]!.norm;
    if (isDigitCode(w.charCodeAt(0))) continue; // numbers are handled by numbersOf
    const month = MONTHS.get(w);
    if (month !== undefined) {
      // "Feb. 27", "February 27", "27 de febrero"
      const next = toks[i + 1]?.norm;
      const prev2 = i >= 2 && toks[i - 1]!.norm === 'de' ? toks[i - 2]!.norm : undefined;
      const day = next && /^\d{1,2}$/.test(next) ? +next : prev2 && /^\d{1,2}$/.test(prev2) ? +prev2 : 0;
      if (day >= 1 && day <= 31) numbers.add(`d:${month}-${day}`);
    }
    const n = NUMBER_WORDS.get(w);
    if (n !== undefined) {
      numbers.add(`n:${n}`);
      continue;
    }
    if (w.length < 3 || STOPWORDS.has(w) || month !== undefined) continue;
    const stem = w.length > STEM_LENGTH ? w.slice(0, STEM_LENGTH) : w;
    terms.set(stem, (terms.get(stem) ?? 0) + weight);
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

/** Features of an article: terms of title + lead, numbers and dates of title + opening of the body. */
export function articleFeatures(title: string, text: string): ArticleFeatures {
  const terms = new Map<string, number>();
  const numbers = new Set<string>();
  addTerms(title, 2, terms, numbers);
  const lead = leadOf(text);
  addTerms(lead, 1, terms, numbers);
  numbersOf(title, numbers);
  numbersOf(text.length > 2000 ? text.slice(0, 2000) : text, numbers);
  return { terms, numbers };
}
