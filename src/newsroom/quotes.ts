/**
 * Quoted speech and who said it, in English and Spanish news copy.
 *
 * 1. Quote spans: “…” «…» "…" ‘…’ (outermost only: nested quotes stay inside the text). A quote left open
 *    at the end of a paragraph ends there (the newspaper convention for a quote that runs on).
 * 2. Sentences: split outside quotes, so a multi-sentence quote stays in one sentence with its attribution;
 *    “Stop!” Rubio said. is not split after the quote.
 * 3. Attribution, per sentence, by speech verb (said, told, dijo, afirmó, ... "according to", "según"):
 *    the subject before the verb (Sheinbaum said / Sheinbaum afirmó que), the subject after it (said Rubio /
 *    dijo la presidenta Sheinbaum), a pronoun or a Spanish verb with no subject (he said / dijo) resolved to
 *    the last person named before it outside quotes, or a bare title (the president said) resolved to the
 *    last person named with that title. Each quote takes the nearest attributed verb in its sentence.
 *    A sentence that is nothing but a quote, right after an attributed quote, continues that speaker.
 * 4. Never invent: a quote with no resolvable speaker is dropped, and so are scare quotes (fewer than four
 *    words with no speech verb in the sentence), titles of works and nicknames (“Narcos: Mexico”, “El Mayo”).
 */
import { grown } from './typed-arrays.ts';

export interface KnownSpeaker {
  /** Character offsets of the mention in the text. */
  start: number;
  end: number;
  /** Canonical name. */
  name: string;
  id?: string;
}

export interface ExtractQuotesOptions {
  language: 'en' | 'es' | null;
  /** Person mentions already found (e.g. by the actor gazetteer); they win over names read from the text. */
  knownSpeakers?: KnownSpeaker[];
}

export interface Quote {
  /** The quoted words (without the quote marks and a trailing comma). */
  text: string;
  /** Name as written (titles removed), or the canonical name of a known speaker. */
  speaker: string;
  speakerId?: string;
  /** The full sentence holding the quote and, where it is there, its attribution. */
  sentence: string;
  /** Offsets of `text` in the input: input.slice(start, end) === text. */
  start: number;
  end: number;
  /** The speech verb as written ("said", "dijo", "according to", "según"). */
  verb: string;
}

// ---------------------------------------------------------------------------------------------------------
// Word lists

const EN_VERBS = [
  'said', 'says', 'say', 'told', 'tells', 'added', 'adds', 'adding', 'stated', 'states', 'warned', 'warns',
  'wrote', 'writes', 'asked', 'asks', 'insisted', 'insists', 'argued', 'argues', 'noted', 'notes', 'explained',
  'explains', 'declared', 'declares', 'announced', 'announces', 'replied', 'replies', 'responded', 'responds',
  'continued', 'acknowledged', 'acknowledges', 'admitted', 'claimed', 'claims', 'emphasized', 'emphasised',
  'stressed', 'stresses', 'posted', 'tweeted', 'testified', 'recalled', 'vowed', 'vows', 'urged', 'urges',
  'according to', 'saying', 'telling',
];
const ES_VERBS = [
  'dijo', 'dice', 'afirmó', 'afirma', 'declaró', 'declara', 'señaló', 'señala', 'aseguró', 'asegura', 'añadió',
  'agregó', 'agrega', 'añade', 'advirtió', 'advierte', 'sostuvo', 'sostiene', 'indicó', 'indica', 'explicó',
  'explica', 'subrayó', 'subraya', 'expresó', 'mencionó', 'comentó', 'manifestó', 'puntualizó', 'destacó',
  'insistió', 'enfatizó', 'respondió', 'precisó', 'apuntó', 'escribió', 'publicó', 'recalcó', 'reiteró',
  'acotó', 'detalló', 'informó', 'admitió', 'reconoció', 'cuestionó', 'preguntó', 'planteó', 'aseveró',
  'de acuerdo con', 'según', 'segun',
];
/** Verbs that take their source after them only. */
const AFTER_ONLY = new Set(['according to', 'de acuerdo con', 'según', 'segun']);
/** Participles that attribute to the subject of the main clause (“…,” he said, adding “…”). */
const PARTICIPLES = new Set(['adding', 'saying', 'telling']);

function verbRegex(list: string[]): RegExp {
  const alts = [...list].sort((a, b) => b.length - a.length).map((v) => v.replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}
const VERB_RE = {
  en: verbRegex(EN_VERBS),
  es: verbRegex(ES_VERBS),
  both: verbRegex([...EN_VERBS, ...ES_VERBS]),
};
/** Second copies for the per-sentence verb scan (splitSentences uses the first ones meanwhile). */
const VERB_LOOP_RE = {
  en: verbRegex(EN_VERBS),
  es: verbRegex(ES_VERBS),
  both: verbRegex([...EN_VERBS, ...ES_VERBS]),
};
const ES_VERB_SET = new Set(ES_VERBS);
const SPACES = /\s+/g;

/** Person titles, lower-cased, mapped to a key shared by English and Spanish forms. */
const TITLES = new Map<string, string>([
  ['president', 'president'], ['presidenta', 'president'], ['presidente', 'president'], ['mandataria', 'president'],
  ['mandatario', 'president'], ['secretary', 'secretary'], ['secretario', 'secretary'], ['secretaria', 'secretary'],
  ['gen.', 'general'], ['general', 'general'], ['gral.', 'general'], ['adm.', 'admiral'], ['admiral', 'admiral'],
  ['almirante', 'admiral'], ['sen.', 'senator'], ['senator', 'senator'], ['senador', 'senator'],
  ['senadora', 'senator'], ['rep.', 'representative'], ['representative', 'representative'],
  ['congressman', 'representative'], ['congresswoman', 'representative'], ['diputado', 'representative'],
  ['diputada', 'representative'], ['gov.', 'governor'], ['governor', 'governor'], ['gobernador', 'governor'],
  ['gobernadora', 'governor'], ['canciller', 'foreign minister'], ['minister', 'minister'], ['ministro', 'minister'],
  ['ministra', 'minister'], ['ambassador', 'ambassador'], ['embajador', 'ambassador'], ['embajadora', 'ambassador'],
  ['director', 'director'], ['directora', 'director'], ['chairman', 'chair'], ['chairwoman', 'chair'],
  ['chair', 'chair'], ['commander', 'commander'], ['comandante', 'commander'], ['mayor', 'mayor'],
  ['alcalde', 'mayor'], ['alcaldesa', 'mayor'], ['prosecutor', 'prosecutor'], ['fiscal', 'prosecutor'],
  ['judge', 'judge'], ['juez', 'judge'], ['jueza', 'judge'], ['sheriff', 'sheriff'], ['spokesman', 'spokesperson'],
  ['spokeswoman', 'spokesperson'], ['spokesperson', 'spokesperson'], ['vocero', 'spokesperson'],
  ['vocera', 'spokesperson'], ['portavoz', 'spokesperson'], ['attorney', 'attorney'], ['lt.', 'lieutenant'],
  ['col.', 'colonel'], ['colonel', 'colonel'], ['coronel', 'colonel'], ['sgt.', 'sergeant'], ['capt.', 'captain'],
  ['maj.', 'major'], ['mr.', 'mr'], ['mrs.', 'mrs'], ['ms.', 'ms'], ['dr.', 'dr'], ['sr.', 'mr'], ['sra.', 'mrs'],
  ['lic.', 'lic'], ['ing.', 'ing'], ['vice', 'vice'], ['deputy', 'deputy'], ['subsecretario', 'deputy secretary'],
  ['subsecretaria', 'deputy secretary'], ['czar', 'czar'], ['zar', 'czar'], ['jefe', 'chief'], ['jefa', 'chief'],
  ['chief', 'chief'], ['titular', 'head'], ['head', 'head'], ['leader', 'leader'], ['líder', 'leader'],
  ['lider', 'leader'], ['officer', 'officer'], ['agent', 'agent'], ['agente', 'agent'],
]);
/** Words of department names that sit between a title and a name (Secretary of State Marco Rubio). */
const DEPT_WORDS = new Set([
  'of', 'de', 'del', 'la', 'state', 'defense', 'war', 'homeland', 'security', 'treasury', 'justice', 'foreign',
  'affairs', 'interior', 'navy', 'army', 'energy', 'commerce', 'health', 'relations', 'exteriores', 'seguridad',
  'defensa', 'marina', 'gobernación', 'gobernacion', 'hacienda', 'relaciones', 'pública', 'publica',
  'ciudadana', 'protección', 'proteccion', 'nacional', 'national', 'general', 'attorney', 'house', 'senate',
  'judiciary', 'committee', 'intelligence', 'armed', 'services', 'the', 'u.s.', 'us', 'mexican', 'mexico',
  'méxico', 'border', 'patrol', 'cbp', 'dea', 'fbi', 'ice', 'cia',
]);
const DETERMINERS = new Set(['the', 'a', 'an', 'el', 'la', 'los', 'las', 'un', 'una', 'his', 'her', 'their', 'its', 'su', 'sus', 'mexico’s', "mexico's"]);
const PRONOUNS = new Set(['he', 'she', 'él', 'ella']);
/** Skipped between a subject and its verb: "Sheinbaum also said", "Rubio on Tuesday said". */
const SKIPPABLE = new Set([
  'also', 'later', 'then', 'again', 'further', 'previously', 'repeatedly', 'recently', 'earlier', 'once',
  'today', 'yesterday', 'on', 'has', 'had', 'have', 'was', 'is', 'has', 'publicly', 'flatly', 'bluntly',
  'firmly', 'separately', 'privately', 'only', 'just', 'simply', 'told', 'también', 'tambien', 'luego',
  'además', 'ademas', 'ayer', 'hoy', 'este', 'esta', 'el', 'por', 'su', 'parte', 'ha', 'había', 'habia',
  'posteriormente', 'nuevamente', 'entonces', 'y', 'and', 'but', 'pero', 'lo', 'le', 'les', 'se', 'no',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'lunes', 'martes',
  'miércoles', 'miercoles', 'jueves', 'viernes', 'sábado', 'sabado', 'domingo', 'night', 'morning',
  'afternoon', 'evening', 'mañana', 'noche', 'tarde',
]);
/** Capitalised words that do not start a name (sentence-initial function words, days, months). */
const NOT_NAME = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'after', 'before', 'but', 'and', 'as', 'for', 'from', 'with', 'without',
  'while', 'when', 'it', 'this', 'that', 'these', 'those', 'he', 'she', 'they', 'we', 'i', 'his', 'her',
  'their', 'our', 'its', 'if', 'since', 'during', 'meanwhile', 'however', 'also', 'according', 'asked', 'speaking',
  'el', 'la', 'los', 'las', 'un', 'una', 'en', 'de', 'del', 'por', 'para', 'con', 'sin', 'tras', 'durante',
  'según', 'segun', 'ante', 'pero', 'y', 'además', 'este', 'esta', 'estos', 'estas', 'ese', 'esa', 'al', 'lo',
  'su', 'sus', 'ayer', 'hoy', 'cuando', 'mientras', 'aunque', 'sin', 'embargo', 'asimismo', 'él', 'ella',
  'ellos', 'nosotros', 'yo', 'no', 'yes', 'sí', 'there', 'here', 'what', 'who', 'why', 'how', 'where',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'lunes', 'martes',
  'miércoles', 'jueves', 'viernes', 'sábado', 'domingo', 'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december', 'enero', 'febrero', 'marzo', 'abril', 'mayo',
  'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre', 'jan.', 'feb.', 'aug.',
  'sept.', 'oct.', 'nov.', 'dec.',
]);
/** Words that make a capitalised sequence an organisation or a place, not a person. */
const NON_PERSON = new Set([
  'department', 'ministry', 'secretaría', 'secretaria', 'government', 'gobierno', 'army', 'navy', 'marina',
  'ejército', 'ejercito', 'congress', 'senate', 'senado', 'house', 'cámara', 'camara', 'court', 'corte', 'cartel',
  'cártel', 'agency', 'administration', 'office', 'fiscalía', 'fiscalia', 'guard', 'guardia', 'police',
  'policía', 'policia', 'council', 'committee', 'comisión', 'comision', 'party', 'partido', 'university',
  'universidad', 'bank', 'banco', 'city', 'ciudad', 'state', 'states', 'estado', 'estados', 'mexico', 'méxico',
  'united', 'america', 'washington', 'texas', 'california', 'arizona', 'sinaloa', 'jalisco', 'tamaulipas',
  'chihuahua', 'sonora', 'michoacán', 'michoacan', 'guerrero', 'venezuela', 'caribbean', 'caribe', 'tijuana',
  'culiacán', 'culiacan', 'reynosa', 'gulf', 'golfo', 'pentagon', 'pentágono', 'white', 'casa', 'blanca',
  'border', 'patrol', 'command', 'forces', 'fuerzas', 'institute', 'instituto', 'group', 'grupo', 'times',
  'post', 'news', 'press', 'associated', 'reuters', 'agence', 'treasury', 'justice', 'homeland', 'security',
  'seguridad', 'defensa', 'nacional', 'national', 'federal', 'republic', 'república', 'republica', 'dea', 'fbi',
  'cia', 'cbp', 'ice', 'fgr', 'sedena', 'semar', 'cjng', 'un', 'onu', 'oas', 'nations', 'naciones', 'unidos',
  'capitol', 'palacio', 'palace', 'airport', 'aeropuerto', 'prison', 'penal', 'county', 'condado',
]);
/** Name-internal connectors: "Omar García Harfuch", "Rosa Icela Rodríguez", "Miguel de la Madrid". */
const CONNECTORS = new Set(['de', 'del', 'la', 'las', 'los', 'van', 'von', 'der', 'da', 'di', 'y', 'bin', 'al']);
/** Abbreviations that do not end a sentence. */
const ABBREV = new Set([
  'mr', 'mrs', 'ms', 'dr', 'gen', 'adm', 'sen', 'rep', 'gov', 'lt', 'col', 'sgt', 'capt', 'maj', 'cmdr', 'st',
  'jr', 'sr', 'sra', 'srta', 'lic', 'ing', 'gral', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'dept', 'est', 'approx', 'u.s', 'u.n', 'a.m',
  'p.m', 'ee.uu', 'eeuu', 'núm', 'num', 'pág', 'art', 'fig', 'mt', 'ft', 'sta', 'sto',
]);

/**
 * The word lists above as bits per lower-cased word, so that a token's classes are read once, when it is
 * made, instead of by a Set look-up per list at every use.
 */
const W_NOT_NAME = 1;
const W_TITLE = 2;
const W_DEPT = 4;
const W_CONNECTOR = 8;
const W_DETERMINER = 16;
const W_PRONOUN = 32;
const W_SKIPPABLE = 64;
/** NON_PERSON, for the word without a final ’s or 's (“Mexico’s” is org-like). */
const W_ORG = 128;
/** The word "of" (a connector in names only in English: "Secretary of State"). */
const W_OF = 256;
/** Not a list: set on a token that starts with an uppercase letter. */
const W_CAP = 512;
const WORD_BITS = new Map<string, number>();
for (const [list, bit] of [
  [NOT_NAME, W_NOT_NAME], [TITLES.keys(), W_TITLE], [DEPT_WORDS, W_DEPT], [CONNECTORS, W_CONNECTOR],
  [DETERMINERS, W_DETERMINER], [PRONOUNS, W_PRONOUN], [SKIPPABLE, W_SKIPPABLE], [NON_PERSON, W_ORG], [['of'], W_OF],
] as const) {
  for (const w of list) WORD_BITS.set(w, (WORD_BITS.get(w) ?? 0) | bit);
}

/**
 * A pre-check before the WORD_BITS look-up: a table indexed by a word's length and its first and last
 * character (5 bits each), set for every listed word. Most words of an article are in no list, and a clear
 * entry skips hashing them.
 */
function wordShape(w: string): number {
  return ((w.length & 31) << 10) | ((w.charCodeAt(0) & 31) << 5) | (w.charCodeAt(w.length - 1) & 31);
}
const LISTED_SHAPES = new Uint8Array(1 << 15);
/** The listed words of each shape, to read an ASCII word's bits from the text without making its string. */
const SHAPE_WORDS = new Map<number, string[]>();
for (const w of WORD_BITS.keys()) {
  const shape = wordShape(w);
  LISTED_SHAPES[shape] = 1;
  const list = SHAPE_WORDS.get(shape);
  if (list) list.push(w);
  else SHAPE_WORDS.set(shape, [w]);
}

/** wordBits of the lower-case form of text[start, end), an ASCII word that is no possessive, of that shape. */
function asciiWordBits(text: string, start: number, end: number, shape: number): number {
  if (LISTED_SHAPES[shape] === 0) return 0;
  const len = end - start;
  for (const w of SHAPE_WORDS.get(shape)!) {
    if (w.length !== len) continue;
    let k = 0;
    for (; k < len; k++) {
      const c = text.charCodeAt(start + k);
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== w.charCodeAt(k)) break;
    }
    if (k === len) return WORD_BITS.get(w)!;
  }
  return 0;
}

function wordBits(lower: string): number {
  const bits = LISTED_SHAPES[wordShape(lower)] === 0 ? 0 : WORD_BITS.get(lower) ?? 0;
  const n = lower.length;
  const possessive = n >= 2 && lower.charCodeAt(n - 1) === 0x73 && (lower.charCodeAt(n - 2) === 0x2019 || lower.charCodeAt(n - 2) === 0x27);
  if (!possessive) return bits;
  return (bits & ~W_ORG) | (NON_PERSON.has(lower.slice(0, -2)) ? W_ORG : 0);
}

// ---------------------------------------------------------------------------------------------------------
// Characters

/** █, the token that stands for a quote (the text inside it is not read for names or verbs). */
const MASK = 0x2588;

/**
 * Per UTF-16 code unit, filled on first use: 0 = not yet known, 1 = yes, 2 = no. The regular expressions
 * these replace ran once per character of every article; a lone surrogate tests as neither (as it did).
 */
const LETTER_UNIT = new Uint8Array(0x10000);
const UPPER_UNIT = new Uint8Array(0x10000);

/** A letter or digit (\p{L}\p{N}); NaN (past either end of the text) is not. */
function isLetterCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  if (!(c < 0x10000)) return false;
  let v = LETTER_UNIT[c]!;
  if (v === 0) LETTER_UNIT[c] = v = /[\p{L}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}
/** An uppercase letter (\p{Lu}); NaN is not. */
function isUpperCode(c: number): boolean {
  if (c < 128) return c >= 65 && c <= 90;
  if (!(c < 0x10000)) return false;
  let v = UPPER_UNIT[c]!;
  if (v === 0) UPPER_UNIT[c] = v = /\p{Lu}/u.test(String.fromCharCode(c)) ? 1 : 2;
  return v === 1;
}
/** A letter or digit by code point, for the tokenizer (which reads astral letters whole): 0 if not, else its length. */
function letterAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return /[\p{L}\p{N}]/u.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return isLetterCode(c) ? 1 : 0;
}
/** A digit (\p{N}) by code unit. */
function isDigitCode(c: number): boolean {
  if (c < 128) return c >= 48 && c <= 57;
  return isLetterCode(c) && /\p{N}/u.test(String.fromCharCode(c));
}
function isOpenerCode(c: number): boolean {
  return c === 0x201c || c === 0xab || c === 0x22 || c === 0x2018 || c === 0x201e;
}
/** What /\s/ matches (WhiteSpace and LineTerminator). */
function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// ---------------------------------------------------------------------------------------------------------
// Quote spans

interface Span {
  /** Offsets of the whole quote, marks included. */
  start: number;
  end: number;
  /** Offsets of the text inside the marks. */
  innerStart: number;
  innerEnd: number;
  /** Closed by its mark (false when the paragraph ended first). */
  closed: boolean;
}

/** The closing mark for an opening one (by code unit), or 0. */
function closerOf(c: number): number {
  switch (c) {
    case 0x201c: return 0x201d; // “ ”
    case 0xab: return 0xbb; // « »
    case 0x2018: return 0x2019; // ‘ ’
    case 0x22: return 0x22; // " "
    case 0x201e: return 0x201c; // „ “
    default: return 0;
  }
}

function findQuoteSpans(text: string): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  let openAt = -1;
  let close = 0;
  let openCh = 0;
  let nest = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (openAt < 0) {
      // Most characters open nothing: test that first.
      if (c !== 0x201c && c !== 0xab && c !== 0x2018 && c !== 0x22 && c !== 0x201e) continue;
      if (c === 0x2018) {
        // A single curly quote opens only at a word start (not the ’ of an apostrophe written as ‘).
        if (isLetterCode(text.charCodeAt(i - 1))) continue;
      }
      if (c === 0x22 && isLetterCode(text.charCodeAt(i - 1)) && !isLetterCode(text.charCodeAt(i + 1))) continue; // 12" or stray mark
      openAt = i;
      close = closerOf(c);
      openCh = c;
      nest = 0;
      continue;
    }
    if (c === 0x0a) {
      // A quote still open at the end of a paragraph ends there.
      if (i - openAt > 1) spans.push({ start: openAt, end: i, innerStart: openAt + 1, innerEnd: i, closed: false });
      openAt = -1;
      continue;
    }
    if (c === openCh && openCh !== close && openCh !== 0x2018) {
      nest++;
      continue;
    }
    if (c === close) {
      if (close === 0x2019 && isLetterCode(text.charCodeAt(i + 1))) continue; // apostrophe: don’t, cartels’s
      if (nest > 0) {
        nest--;
        continue;
      }
      spans.push({ start: openAt, end: i + 1, innerStart: openAt + 1, innerEnd: i, closed: true });
      openAt = -1;
    }
  }
  if (openAt >= 0 && n - openAt > 1) {
    spans.push({ start: openAt, end: n, innerStart: openAt + 1, innerEnd: n, closed: false });
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------------------
// Sentences

interface Sentence {
  start: number;
  end: number;
  spans: Span[];
  /** Position among all sentences, those without quotes included. */
  index: number;
}

const MAX_ABBREV = Math.max(...[...ABBREV].map((w) => w.length));

function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  // Letters only (\p{L}, not digits) and dots.
  while (s > 0) {
    const c = text.charCodeAt(s - 1);
    if (c === 0x2e || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 128 && isLetterCode(c) && /\p{L}/u.test(text[s - 1]!))) s--;
    else break;
  }
  let dotted = false;
  for (let k = s; k < dot && !dotted; k++) dotted = text.charCodeAt(k) === 0x2e;
  // Lower-casing never shortens a word: a longer one is no listed abbreviation, and without a dot no U.S.
  if (dot - s > MAX_ABBREV && !dotted) return false;
  const word = text.slice(s, dot).toLowerCase();
  if (word.length === 0) return false;
  if (word.length === 1 && isUpperCode(text.charCodeAt(s))) return true; // an initial: "J. Smith"
  if (ABBREV.has(word) || (dotted && ABBREV.has(word.replace(/\.$/, '')))) return true;
  return dotted && /^(?:\p{L}\.)+\p{L}$/u.test(word); // U.S, a.m
}

/** The sentences that hold a quote (the others are only counted, in `index`). */
function splitSentences(text: string, spans: Span[], verbRe: RegExp): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  let k = 0;
  let first = 0; // first span not yet given to a sentence
  let index = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpaceCode(text.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
    if (e > s) {
      while (first < spans.length && spans[first].start < s) first++;
      let last = first;
      while (last < spans.length && spans[last].end <= e) last++;
      if (last > first) out.push({ start: s, end: e, spans: spans.slice(first, last), index });
      index++;
      first = last;
    }
    start = end;
  };
  const n = text.length;
  // Start of the first span not yet passed: characters before it need no span look-up.
  let spanStart = spans.length > 0 ? spans[0]!.start : n;
  for (let i = 0; i < n; i++) {
    if (i >= spanStart) {
      while (k < spans.length && spans[k]!.end <= i) k++;
      const sp = spans[k];
      spanStart = sp ? sp.start : n;
      if (sp && i >= sp.start) {
        // Inside a quote: jump to its end and decide whether the sentence ends with it.
        i = sp.end - 1;
        if (!sp.closed) continue;
        // The quoted words, trailing spaces aside, must end in . ! ? or …
        let last = sp.innerEnd - 1;
        while (last >= sp.innerStart && isSpaceCode(text.charCodeAt(last))) last--;
        const lc = last >= sp.innerStart ? text.charCodeAt(last) : 0;
        if (lc !== 0x2e && lc !== 0x21 && lc !== 0x3f && lc !== 0x2026) continue;
        let j = sp.end;
        while (j < n && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
        if (j >= n || text.charCodeAt(j) === 0x0a) continue; // the newline rule below ends it
        if (j === sp.end) continue;
        const nc = text.charCodeAt(j);
        if ((isUpperCode(nc) || isOpenerCode(nc) || nc === 0xbf || nc === 0xa1) && !attributionFollows(text, j, verbRe)) {
          push(sp.end);
        }
        continue;
      }
    }
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      push(i);
      continue;
    }
    if (c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d !== 0x2e && d !== 0x21 && d !== 0x3f && d !== 0x2026 && d !== 0x29 && d !== 0x5d) break;
      }
      const endOfPunct = j;
      if (j < n && !isSpaceCode(text.charCodeAt(j))) continue;
      while (j < n && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
      if (j < n && text.charCodeAt(j) !== 0x0a) {
        const next = text.charCodeAt(j);
        if (!(isUpperCode(next) || isOpenerCode(next) || next === 0xbf || next === 0xa1 || isDigitCode(next))) continue;
      }
      if (c === 0x2e && isAbbreviation(text, i)) continue;
      push(endOfPunct);
      i = endOfPunct - 1;
    }
  }
  push(text.length);
  return out;
}

/** Does an attribution ("Rubio said", "asked Rubio", "dijo Sheinbaum") start at j? */
function attributionFollows(text: string, j: number, verbRe: RegExp): boolean {
  // Up to 80 characters, to the first . ; : newline or opening quote.
  let end = j;
  const limit = Math.min(text.length, j + 80);
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c === 0x2e || c === 0x3b || c === 0x3a || c === 0x0a || c === 0x201c || c === 0xab || c === 0x22) break;
    end++;
  }
  verbRe.lastIndex = 0;
  const v = verbRe.exec(text.slice(j, end));
  if (!v) return false;
  // The verb must come within a few words.
  let words = 0;
  for (let k = j, inWord = false; k < j + v.index; k++) {
    const space = isSpaceCode(text.charCodeAt(k));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words <= 6;
}

// ---------------------------------------------------------------------------------------------------------
// Tokens and names

/**
 * The tokens of the article being read, as parallel arrays indexed by token and kept from call to call: most
 * words are only asked for their capital and their word lists, so a word gets no object and mostly no string.
 */
let tokText = '';
let tokCount = 0;
let tokStart = new Int32Array(1024); // absolute offsets
let tokEnd = new Int32Array(1024);
/** The character of a punctuation token (, ; : ( ) or MASK), 0 for a word. */
let tokPunct = new Uint16Array(1024);
/** Word-list classes of the word's lower-case form (W_* bits), and W_CAP. */
let tokBits = new Uint16Array(1024);

function pushToken(start: number, end: number, punct: number, bits: number): void {
  if (tokCount === tokStart.length) {
    const size = tokCount * 2;
    tokStart = grown(tokStart, size);
    tokEnd = grown(tokEnd, size);
    tokPunct = grown(tokPunct, size);
    tokBits = grown(tokBits, size);
  }
  tokStart[tokCount] = start;
  tokEnd[tokCount] = end;
  tokPunct[tokCount] = punct;
  tokBits[tokCount] = bits;
  tokCount++;
}

function is(i: number, bits: number): boolean {
  return (tokBits[i]! & bits) !== 0;
}
function isCap(i: number): boolean {
  return (tokBits[i]! & W_CAP) !== 0;
}
function tokWord(i: number): string {
  return tokText.slice(tokStart[i]!, tokEnd[i]!);
}
function tokLower(i: number): string {
  return tokWord(i).toLowerCase();
}
/** Ends in ’s or 's (of any case): "Sheinbaum's spokesman". */
function isPossessive(i: number): boolean {
  const e = tokEnd[i]!;
  if (e - tokStart[i]! < 2) return false;
  const s = tokText.charCodeAt(e - 1);
  const q = tokText.charCodeAt(e - 2);
  return (s === 0x73 || s === 0x53) && (q === 0x2019 || q === 0x27);
}

/** No word longer than this (dot included) is an abbreviation or a title that keeps its dot. */
const MAX_DOTTED = Math.max(...[...ABBREV].map((w) => w.length + 1), ...[...TITLES.keys()].filter((w) => w.endsWith('.')).map((w) => w.length));

/** Does the word text[start, end), ending in a dot, keep it: an abbreviation, an initial, U.S., Gen.? */
function keepsDot(text: string, start: number, end: number): boolean {
  for (let k = start; k < end - 1; k++) if (text.charCodeAt(k) === 0x2e) return true;
  const len = end - start;
  if (len === 2 && isUpperCode(text.charCodeAt(start))) return true;
  if (len === 3 && /^\p{Lu}$/u.test(text.slice(start, end - 1))) return true; // an astral capital
  // Lower-casing never shortens a word, so a longer one is in neither list.
  if (len > MAX_DOTTED) return false;
  return ABBREV.has(text.slice(start, end - 1).toLowerCase()) || TITLES.has(text.slice(start, end).toLowerCase());
}

/**
 * Words ([\p{L}\p{N}] then [\p{L}\p{N}'’.-]*) and the punctuation , ; : ( ) outside quotes, and MASK where each
 * quote starts, in one pass over the characters (a quote mark is no word character, so no word runs into one).
 */
function tokenize(text: string, spans: Span[]): void {
  tokText = text;
  tokCount = 0;
  const n = text.length;
  let nextSpan = 0;
  let spanStart = spans.length > 0 ? spans[0]!.start : n;
  let i = 0;
  while (i < n) {
    if (i >= spanStart) {
      const sp = spans[nextSpan++]!;
      pushToken(sp.start, sp.start + 1, MASK, 0);
      i = sp.end;
      spanStart = nextSpan < spans.length ? spans[nextSpan]!.start : n;
      continue;
    }
    const c = text.charCodeAt(i);
    const first = c < 0x80 ? (isLetterCode(c) ? 1 : 0) : letterAt(text, i);
    if (first === 0) {
      if (c === 0x2c || c === 0x3b || c === 0x3a || c === 0x28 || c === 0x29 || c === MASK) pushToken(i, i + 1, c, 0);
      i++;
      continue;
    }
    const start = i;
    let ascii = c < 0x80;
    let upper = c >= 65 && c <= 90;
    i += first;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 0x27 || c === 0x2e || c === 0x2d) i++;
        else if (c >= 65 && c <= 90) {
          upper = true;
          i++;
        } else break;
      } else if (c === 0x2019) {
        ascii = false;
        i++;
      } else {
        const len = letterAt(text, i);
        if (len === 0) break;
        ascii = false;
        i += len;
      }
    }
    let end = i;
    // A trailing dot belongs to the word only for abbreviations and initials.
    if (end - start > 1 && text.charCodeAt(end - 1) === 0x2e && !keepsDot(text, start, end)) end--;
    let bits: number;
    if (ascii) {
      // Lower-casing an ASCII word keeps its length and the low five bits of each character, so its shape
      // is read from the text, and only a possessive needs the lower-case string.
      const len = end - start;
      const last = text.charCodeAt(end - 1);
      const possessive = len >= 2 && (last === 0x73 || last === 0x53) && text.charCodeAt(end - 2) === 0x27;
      if (!possessive) bits = asciiWordBits(text, start, end, ((len & 31) << 10) | ((c & 31) << 5) | (last & 31));
      else {
        const t = text.slice(start, end);
        bits = wordBits(upper ? t.toLowerCase() : t);
      }
    } else {
      bits = wordBits(text.slice(start, end).toLowerCase());
    }
    pushToken(start, end, 0, isUpperCode(c) ? bits | W_CAP : bits);
  }
}

/** A name read from the text, with titles removed. */
interface NameRef {
  name: string;
  start: number;
  end: number;
  title: string | null;
  /** Evidence that it is a person (a title, or a given name + surname). */
  person: boolean;
}

/**
 * What cleanName read, left here rather than in an object: most capitalised sequences of an article are
 * read and dropped without their name ever being needed as a string.
 */
let nameFrom = 0;
let nameTo = 0;
let nameTitle: string | null = null;
let namePerson = false;

/**
 * Cleans the capitalised sequence of tokens [from, to): drops leading function words, a title and the
 * department words after it ("Secretary of State Marco Rubio" -> "Marco Rubio", title "secretary").
 * Returns 'name' (the tokens nameFrom to nameTo), 'title' (a title, nameTitle, and no name) or null.
 */
function cleanName(from: number, to: number, titleBefore: string | null): 'name' | 'title' | null {
  let i = from;
  while (i < to && is(i, W_NOT_NAME)) i++;
  let title = titleBefore;
  let lastTitle = -1;
  for (let j = i; j < to; j++) if (is(j, W_TITLE)) lastTitle = j;
  if (lastTitle >= 0) {
    title = TITLES.get(tokLower(lastTitle))!;
    i = lastTitle + 1;
    // Department words, but keep at least a two-word name when that is all that is left.
    while (i < to - 1 && is(i, W_DEPT)) i++;
    if (i < to && is(i, W_DEPT) && !isCap(i)) i++;
  }
  let end = to;
  while (end > i && is(end - 1, W_NOT_NAME | W_CONNECTOR)) end--;
  while (i < end && is(i, W_CONNECTOR)) i++;
  let capWords = 0;
  let orgLike = false;
  for (let k = i; k < end; k++) {
    if (isCap(k)) capWords++;
    if (is(k, W_ORG)) orgLike = true;
  }
  nameTitle = title;
  if (capWords === 0) return title ? 'title' : null;
  nameFrom = i;
  nameTo = end;
  namePerson = !orgLike && (title !== null || capWords >= 2);
  return 'name';
}

/** The name cleanName read last. */
function readName(): NameRef {
  return { name: nameText(nameFrom, nameTo), start: tokStart[nameFrom]!, end: tokEnd[nameTo - 1]!, title: nameTitle, person: namePerson };
}

/** The words of tokens [from, to). Token texts hold no whitespace, so single spaces are the whole normalisation. */
function nameText(from: number, to: number): string {
  // Mostly the words are one space apart in the text, and the name is one slice of it.
  let k = from + 1;
  while (k < to && tokStart[k] === tokEnd[k - 1]! + 1 && tokText.charCodeAt(tokEnd[k - 1]!) === 0x20) k++;
  if (k === to) return tokText.slice(tokStart[from]!, tokEnd[to - 1]!);
  let name = tokWord(from);
  for (let k = from + 1; k < to; k++) name += ' ' + tokWord(k);
  return name;
}

/** The capitalised sequence ending at token `last` (going left, not past `floor`). Returns its first token. */
function seqLeft(last: number, floor: number): number {
  let i = last;
  while (i - 1 >= floor) {
    const p = i - 1;
    if (isCap(p) && !is(p, W_NOT_NAME)) i--;
    else if (is(p, W_TITLE | W_DEPT)) i--;
    else if (is(p, W_CONNECTOR)) {
      let j = i - 1;
      while (j >= floor && i - j <= 2 && is(j, W_CONNECTOR)) j--;
      if (j >= floor && isCap(j) && !is(j, W_NOT_NAME)) i = j + 1;
      else break;
    } else break;
  }
  return i;
}

/** The capitalised sequence starting at token `first` (going right, before `hi`). Returns the token after it. */
function seqRight(first: number, hi: number): number {
  let i = first;
  while (i < hi) {
    const p = tokPunct[i];
    if (p === 0x2c || p === MASK || p === 0x3b || p === 0x3a || p === 0x28) break;
    if (is(i, W_CAP | W_TITLE)) i++;
    else if (is(i, W_CONNECTOR | W_OF)) {
      // "de la Fuente", "of State": connectors count only when a capitalised word follows them.
      let j = i;
      while (j < hi && j - i < 2 && is(j, W_CONNECTOR | W_OF)) j++;
      if (j < hi && isCap(j) && !is(j, W_CONNECTOR)) i = j;
      else break;
    } else break;
  }
  return i;
}

// ---------------------------------------------------------------------------------------------------------
// Attribution

type Subject =
  | { kind: 'name'; ref: NameRef }
  | { kind: 'pronoun'; at: number }
  | { kind: 'title'; title: string; at: number }
  | { kind: 'empty' }
  | { kind: 'none' };

/** The subject of a verb, read leftwards from it within its clause (the sentence's tokens start at `lo`). */
function subjectBefore(lo: number, verbTok: number, floor: number): Subject {
  let i = verbTok - 1;
  let sawAny = false;
  while (i >= floor) {
    const p = tokPunct[i];
    if (p === MASK || p === 0x3b || p === 0x3a) break;
    if (p === 0x2c) {
      // An appositive before the verb: "Rubio, the top U.S. diplomat, said". Skip back to its opening comma.
      let j = i - 1;
      while (j >= floor && tokPunct[j] !== 0x2c && tokPunct[j] !== MASK) j--;
      if (j >= floor && tokPunct[j] === 0x2c && i - j > 1 && i - j <= 12 && j - 1 >= floor && isCap(j - 1)) {
        i = j - 1;
        continue;
      }
      break;
    }
    if (is(i, W_PRONOUN)) return { kind: 'pronoun', at: tokStart[i]! };
    if (isPossessive(i)) return { kind: 'none' }; // "Sheinbaum's spokesman"
    if (isCap(i) && !is(i, W_NOT_NAME)) {
      const first = seqLeft(i, floor);
      const titleBefore = first - 1 >= floor && is(first - 1, W_TITLE) ? TITLES.get(tokLower(first - 1))! : null;
      const c = cleanName(first, i + 1, titleBefore);
      if (!c) return { kind: 'none' };
      if (c === 'title') return { kind: 'title', title: nameTitle!, at: tokStart[i]! };
      return { kind: 'name', ref: readName() };
    }
    if (is(i, W_TITLE)) {
      if (i - 1 >= lo && is(i - 1, W_DETERMINER | W_DEPT)) {
        return { kind: 'title', title: TITLES.get(tokLower(i))!, at: tokStart[i]! };
      }
      return { kind: 'none' };
    }
    if (is(i, W_SKIPPABLE)) {
      i--;
      continue;
    }
    sawAny = true;
    break;
  }
  return sawAny ? { kind: 'none' } : { kind: 'empty' };
}

/**
 * The subject after a verb (the sentence's tokens end before `hi`): "said Rubio", "dijo la presidenta
 * Claudia Sheinbaum", "said the president".
 */
function subjectAfter(verbTok: number, hi: number): Subject {
  let i = verbTok + 1;
  // "told reporters", "said in a statement" are not subjects; only look at what directly follows.
  while (i < hi && is(i, W_DETERMINER)) i++;
  if (i >= hi) return { kind: 'none' };
  if (is(i, W_PRONOUN)) return { kind: 'pronoun', at: tokStart[i]! };
  if (!is(i, W_CAP | W_TITLE)) return { kind: 'none' };
  const end = seqRight(i, hi);
  if (end === i) return { kind: 'none' };
  if (isPossessive(end - 1)) return { kind: 'none' };
  const c = cleanName(i, end, null);
  if (!c) return { kind: 'none' };
  if (c === 'title') {
    // "said the president of the Senate committee" is not a person we can name.
    if (end < hi && (is(end, W_OF) || tokLower(end) === 'de')) return { kind: 'none' };
    return { kind: 'title', title: nameTitle!, at: tokStart[i]! };
  }
  return { kind: 'name', ref: readName() };
}

// ---------------------------------------------------------------------------------------------------------
// Extraction

interface Resolved {
  speaker: string;
  speakerId?: string;
  /** Absolute offset of the verb (for nearest-verb assignment). */
  verbStart: number;
  verbEnd: number;
  verb: string;
}

interface PersonMention {
  name: string;
  id?: string;
  start: number;
  end: number;
  title: string | null;
  known: boolean;
}

/** First token of [lo, hi) that starts at or after `pos` (hi if none). */
function lowerBound(lo: number, hi: number, pos: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokStart[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The quote span holding offset `pos`, if any. */
function spanAt(spans: Span[], pos: number): Span | undefined {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  const sp = spans[lo];
  return sp && sp.start <= pos ? sp : undefined;
}

/** Whitespace-separated words of text[from, to) with a letter or digit in them. */
function countWords(text: string, from: number, to: number): number {
  let count = 0;
  let counted = false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (isSpaceCode(c)) {
      counted = false;
      continue;
    }
    if (counted) continue;
    // A letter by code point: an astral letter counts, a lone surrogate does not.
    const len = letterAt(text, k);
    if (len > 0) {
      count++;
      counted = true;
      k += len - 1;
    }
  }
  return count;
}

/** “Narcos: Mexico”, “El Mayo”: short, title-cased, no sentence punctuation. */
function looksLikeTitleOrNickname(inner: string): boolean {
  const t = inner.trim().replace(/[,;]$/, '');
  if (/[.!?]$/.test(t)) return false;
  const words = t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0 || words.length > 8) return false;
  const significant = words.filter((w) => w.replace(/[^\p{L}]/gu, '').length > 3 || words.length <= 2);
  if (significant.length === 0) return false;
  return significant.every((w) => /^[\p{Lu}\p{N}]/u.test(w.replace(/^[^\p{L}\p{N}]+/u, '')));
}

/**
 * Extracts attributed quotes. Quotes without a speaker that can be read from the text are left out.
 * @example extractQuotes('“We will not allow it,” Sheinbaum said.', { language: 'en' })
 *   // [{ text: 'We will not allow it', speaker: 'Sheinbaum', verb: 'said', ... }]
 */
export function extractQuotes(text: string, opts: ExtractQuotesOptions): Quote[] {
  if (!text) return [];
  const verbRe = opts.language === 'en' ? VERB_RE.en : opts.language === 'es' ? VERB_RE.es : VERB_RE.both;
  const spans = findQuoteSpans(text);
  if (spans.length === 0) return [];

  // Sorting a sorted list would change nothing (the sort is stable) and would copy it.
  const given = opts.knownSpeakers ?? [];
  const known = byStart(given) ? given : [...given].sort((a, b) => a.start - b.start);

  // Persons named so far (outside quotes), in text order: known mentions, then names read from the text.
  const persons: PersonMention[] = known.map((k) => ({ name: k.name, id: k.id, start: k.start, end: k.end, title: null, known: true }));
  // Names and verbs are read only outside quotes.
  tokenize(text, spans);
  collectPersons(persons, known);
  if (!byStart(persons)) persons.sort((a, b) => a.start - b.start);

  const sentences = splitSentences(text, spans, verbRe);
  const verbLoopRe = opts.language === 'en' ? VERB_LOOP_RE.en : opts.language === 'es' ? VERB_LOOP_RE.es : VERB_LOOP_RE.both;
  const quotes: Quote[] = [];
  let previous: { resolved: Resolved; sentenceIndex: number } | null = null;
  /** Speech verbs found in the current sentence (offsets absolute, text as matched). */
  const verbAt: number[] = [];
  const verbText: string[] = [];

  for (const sentence of sentences) {
    const si = sentence.index;
    const sentenceText = text.slice(sentence.start, sentence.end);
    const lo = lowerBound(0, tokCount, sentence.start);
    const hi = lowerBound(lo, tokCount, sentence.end);

    // Speech verbs outside quotes in this sentence, each with its speaker when one can be read.
    const resolved: Resolved[] = [];
    const re = verbLoopRe;
    re.lastIndex = 0;
    verbAt.length = 0;
    verbText.length = 0;
    for (let m = re.exec(sentenceText); m; m = re.exec(sentenceText)) {
      const at = sentence.start + m.index;
      // A verb cannot run into or out of a quote (the marks are neither letters nor spaces): only its start
      // tells whether it is inside one.
      const inside = spanAt(spans, at);
      if (inside) {
        re.lastIndex = inside.end - sentence.start;
        continue;
      }
      verbAt.push(at);
      verbText.push(m[0]);
    }
    const sawVerb = verbAt.length > 0;
    for (let v = 0; v < verbAt.length; v++) {
      const vStart = verbAt[v]!;
      const vEnd = vStart + verbText[v]!.length;
      const verb = verbText[v]!.replace(SPACES, ' ');
      const vl = verb.toLowerCase();
      // First token starting at or after the verb (tokens are in text order).
      const vTok = lowerBound(lo, hi, vStart);
      if (vTok === hi) continue;
      const afterVerb = lowerBound(lo, hi, vEnd);
      // The token before the first one after the verb; when there is none or it would be the first, the last.
      const afterTok = afterVerb < hi && afterVerb > lo ? afterVerb - 1 : hi - 1;
      // Clause floor: the nearest quote or sentence start before the verb.
      let floor = lo;
      for (let j = vTok - 1; j >= lo; j--) {
        if (tokPunct[j] === MASK) {
          floor = j + 1;
          break;
        }
      }
      let subj: Subject;
      if (AFTER_ONLY.has(vl)) {
        subj = subjectAfter(afterTok, hi);
      } else if (PARTICIPLES.has(vl)) {
        subj = { kind: 'none' }; // takes the main clause's speaker below
      } else {
        subj = subjectBefore(lo, vTok, floor);
        if (subj.kind === 'empty' || subj.kind === 'none') {
          const after = subjectAfter(afterTok, hi);
          if (after.kind !== 'none') subj = after;
          else if (subj.kind === 'empty' && ES_VERB_SET.has(vl)) subj = { kind: 'pronoun', at: vStart }; // «…», dijo.
        }
      }
      let speaker: string | null = null;
      let speakerId: string | undefined;
      if (subj.kind === 'name') {
        const who = canonical(subj.ref, known, persons);
        speaker = who.speaker;
        speakerId = who.speakerId;
      } else if (subj.kind === 'pronoun' || subj.kind === 'title') {
        const p = subj.kind === 'pronoun' ? lastPerson(persons, subj.at) : lastPerson(persons, subj.at, subj.title);
        if (p) {
          speaker = p.name;
          speakerId = p.id;
        }
      }
      if (speaker !== null) resolved.push({ speaker, speakerId, verbStart: vStart, verbEnd: vEnd, verb });
    }
    // "…, he said, adding that “…”": participles take the speaker of the verb before them.
    if (resolved.length > 0) {
      for (let v = 0; v < verbAt.length; v++) {
        if (!PARTICIPLES.has(verbText[v]!.toLowerCase())) continue;
        const at = verbAt[v]!;
        // The last entry (in list order) for a verb before this one.
        let before: Resolved | undefined;
        for (let r = resolved.length - 1; r >= 0; r--) {
          if (resolved[r]!.verbStart < at) {
            before = resolved[r];
            break;
          }
        }
        if (before) resolved.push({ speaker: before.speaker, speakerId: before.speakerId, verbStart: at, verbEnd: at + verbText[v]!.length, verb: before.verb });
      }
    }

    // A sentence that is only a quote continues the speaker of the quote just before it.
    const continuation: Resolved | null =
      resolved.length === 0 && previous !== null && previous.sentenceIndex === si - 1 && onlyQuotesAndPunctuation(text, spans, sentence.start, sentence.end)
        ? previous.resolved
        : null;

    let lastResolved: Resolved | null = null;
    for (const sp of sentence.spans) {
      let innerStart = sp.innerStart;
      let innerEnd = sp.innerEnd;
      while (innerStart < innerEnd && isSpaceCode(text.charCodeAt(innerStart))) innerStart++;
      while (innerEnd > innerStart) {
        const c = text.charCodeAt(innerEnd - 1);
        if (c === 0x2c || c === 0x3b || isSpaceCode(c)) innerEnd--;
        else break;
      }
      if (innerEnd <= innerStart) continue;
      const words = countWords(text, innerStart, innerEnd);
      if (words === 0) continue;
      const inner = text.slice(innerStart, innerEnd);
      // (More than eight words is never a title or nickname.)
      if (words <= 8 && looksLikeTitleOrNickname(inner) && !(words === 1 && /[,!?]$/.test(text.slice(sp.innerStart, sp.innerEnd).trim()))) continue;
      if (words < 4 && !sawVerb) continue; // scare quotes
      let r: Resolved | null = null;
      let best = Infinity;
      for (const cand of resolved) {
        const d = cand.verbStart >= sp.end ? cand.verbStart - sp.end : sp.start >= cand.verbEnd ? sp.start - cand.verbEnd : Infinity;
        if (d < best) {
          best = d;
          r = cand;
        }
      }
      if (!r) r = continuation;
      if (!r) continue;
      lastResolved = r;
      // Two literals rather than a spread, which builds a throw-away object per quote.
      quotes.push(r.speakerId !== undefined
        ? { text: inner, speaker: r.speaker, speakerId: r.speakerId, sentence: sentenceText, start: innerStart, end: innerEnd, verb: r.verb }
        : { text: inner, speaker: r.speaker, sentence: sentenceText, start: innerStart, end: innerEnd, verb: r.verb });
    }
    previous = lastResolved ? { resolved: lastResolved, sentenceIndex: si } : null;
  }
  return quotes;
}

/** In order of `start` already. */
function byStart(list: Array<{ start: number }>): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.start > list[i]!.start) return false;
  return true;
}

/** The known speaker mentioned over [start, end), if any. */
function knownAt(known: KnownSpeaker[], start: number, end: number): KnownSpeaker | undefined {
  for (const k of known) if (k.start < end && k.end > start) return k;
  return undefined;
}

/** Canonical form of a name read at [start, end). */
function canonical(ref: NameRef, known: KnownSpeaker[], persons: PersonMention[]): { speaker: string; speakerId?: string } {
  const k = knownAt(known, ref.start, ref.end);
  if (k) return { speaker: k.name, speakerId: k.id };
  // A surname alone after the full name: "Sheinbaum" after "Claudia Sheinbaum".
  if (ref.name.includes(' ')) return { speaker: ref.name };
  const name = ref.name.toLowerCase();
  const suffix = ` ${name}`;
  for (let i = persons.length - 1; i >= 0; i--) {
    const p = persons[i]!;
    if (p.start >= ref.start) continue;
    const pl = p.name.toLowerCase();
    if (pl !== name && (pl.endsWith(suffix) || pl.split(' ').includes(name))) {
      return { speaker: p.name, speakerId: p.id };
    }
  }
  return { speaker: ref.name };
}

/** The last person named before `at`, outside quotes, optionally with a title. */
function lastPerson(persons: PersonMention[], at: number, title?: string): PersonMention | undefined {
  for (let i = persons.length - 1; i >= 0; i--) {
    const p = persons[i]!;
    if (p.end > at) continue;
    if (title && p.title !== title) continue;
    return p;
  }
  return undefined;
}

/** Nothing in text[from, to) but quotes, MASK, spaces and punctuation (. , ; : ! ? and dashes). */
function onlyQuotesAndPunctuation(text: string, spans: Span[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const sp = spanAt(spans, k);
    if (sp) {
      k = sp.end - 1;
      continue;
    }
    const c = text.charCodeAt(k);
    if (c === MASK || isSpaceCode(c)) continue;
    if (c === 0x2e || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x2014 || c === 0x2013 || c === 0x2d) continue;
    return false;
  }
  return true;
}

/** Person-like names outside quotes (titles, given name + surname), for resolving pronouns and titles. */
function collectPersons(out: PersonMention[], known: KnownSpeaker[]): void {
  const surnames = new Set<string>();
  let i = 0;
  while (i < tokCount) {
    const startsSeq = (isCap(i) && !is(i, W_NOT_NAME)) || is(i, W_TITLE);
    if (!startsSeq) {
      i++;
      continue;
    }
    const end = seqRight(i, tokCount);
    if (end === i) {
      i++;
      continue;
    }
    const titleBefore = i > 0 && is(i - 1, W_TITLE) ? TITLES.get(tokLower(i - 1))! : null;
    const c = cleanName(i, end, titleBefore);
    i = end;
    if (c !== 'name') continue;
    const single = nameTo - nameFrom === 1;
    // Only a person, or a lone word that may be the surname of one, is kept.
    if (!namePerson && (!single || surnames.size === 0)) continue;
    const nameStart = tokStart[nameFrom]!;
    const nameEnd = tokEnd[nameTo - 1]!;
    if (knownAt(known, nameStart, nameEnd)) continue; // already there, canonical
    const last = tokLower(nameTo - 1);
    if (namePerson || (surnames.has(last) && !NON_PERSON.has(last))) {
      // A surname alone after the full name keeps the full name.
      let name = nameText(nameFrom, nameTo);
      let title = nameTitle;
      if (single) {
        const suffix = ` ${last}`;
        for (let j = out.length - 1; j >= 0; j--) {
          const p = out[j];
          if (!p.known && p.name.toLowerCase().endsWith(suffix)) {
            name = p.name;
            title = title ?? p.title;
            break;
          }
        }
      }
      out.push({ name, start: nameStart, end: nameEnd, title, known: false });
      surnames.add(last);
    }
  }
}
