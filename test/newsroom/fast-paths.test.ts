/**
 * Fast paths of text.ts and topics.ts against straightforward reference versions, on real feed text and on
 * many generated strings mixing accents, Spanish punctuation, numbers, URLs, emoji and odd whitespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBeatPack, type Topic } from '../../src/kb/pack.ts';
import { fold, isWordCode, tokenize, tokenSpans, type Token } from '../../src/newsroom/text.ts';
import { createTopicTagger } from '../../src/newsroom/topics.ts';

/** tokenSpans as first written: one Token per word, built from slices (the behaviour to keep). */
function referenceTokenSpans(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let dotted = false;
    for (;;) {
      while (i < n && isWordCode(text.charCodeAt(i))) i++;
      if (i + 1 < n && text.charCodeAt(i) === 0x2e && isWordCode(text.charCodeAt(i + 1))) {
        dotted = true;
        i++;
        continue;
      }
      break;
    }
    let end = i;
    const surface = text.slice(start, end);
    let raw = surface;
    let norm = fold(surface);
    if (dotted) {
      if (/^[\d.]+$/.test(surface)) norm = surface;
      else {
        raw = surface.replaceAll('.', '');
        norm = fold(raw);
        if (end < n && text.charCodeAt(end) === 0x2e) {
          end++;
          i = end;
        }
      }
    }
    out.push({ start, end, norm, raw, dot: end < n && text.charCodeAt(end) === 0x2e });
  }
  return out;
}

const PIECES = [
  'a', 'Z', 'el', 'Cártel', 'NIÑO', 'año', 'über', 'Straße', 'ç', 'İstanbul', 'ǅ', 'Ω', 'жена', '東京', 'x\u0301',
  '3', '3.5', '1,200', 'U.S.', 'EE.UU.', 'H.Res.168', 'e.g.', 'a.', '.', '..', '...', '…', ',', ';', ':', '¿', '?', '¡', '!',
  '"', "'", '“', '”', '‘', '’', '«', '»', '-', '–', '—', '/', '(', ')', '[', ']', '&', '#', '$', '%', '@', '_',
  'https://example.com/a.b?c=1&d=2', 'www.gob.mx', 'user@mail.mx', '😀', '🇲🇽', '\ud800', '\udc00',
  ' ', ' ', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\u00a0', '\u2009', '\u200b', '\u2028', '\u3000', '\ufeff',
];

/** Deterministic pseudo-random strings (xorshift), so a failure is reproducible. */
function generated(count: number, seed = 12345): string[] {
  let x = seed;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const len = 1 + Math.floor(rnd() * 40);
    let s = '';
    for (let j = 0; j < len; j++) s += PIECES[Math.floor(rnd() * PIECES.length)];
    out.push(s);
  }
  return out;
}

/** Real text: the evaluation feeds (raw XML/JSON, markup and entities included) and the beat examples. */
function realTexts(): string[] {
  const root = path.resolve(__dirname, '../..');
  const out: string[] = [];
  const feeds = path.join(root, 'eval/us-mexico-security/feeds');
  if (fs.existsSync(feeds)) {
    for (const f of fs.readdirSync(feeds)) {
      // whole files and their lines: long texts and many short ones
      const body = fs.readFileSync(path.join(feeds, f), 'utf8');
      out.push(body, ...body.split('\n'));
    }
  }
  const beats = path.join(root, 'beats');
  if (fs.existsSync(beats)) {
    for (const b of fs.readdirSync(beats)) {
      const ex = path.join(beats, b, 'examples.jsonl');
      if (fs.existsSync(ex)) out.push(...fs.readFileSync(ex, 'utf8').split('\n'));
    }
  }
  return out;
}

const SAMPLES = [...generated(5000), ...realTexts()];

/** fold as first written: one folded code unit appended at a time. */
function referenceFold(s: string): string {
  let out = '';
  let pendingSpace = false;
  for (const ch of s.split('')) {
    if (/^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]$/.test(ch)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += fold(ch);
  }
  return out;
}

describe('fold fast path', () => {
  it('folds like the character-by-character version on every sample', () => {
    for (const s of SAMPLES) expect(fold(s), JSON.stringify(s)).toBe(referenceFold(s));
  });
});

describe('tokenSpans / tokenize fast paths', () => {
  it('has real and generated samples', () => {
    expect(SAMPLES.length).toBeGreaterThan(5100);
  });
  it('tokenSpans matches the reference on every sample', () => {
    for (const s of SAMPLES) expect(tokenSpans(s), JSON.stringify(s)).toEqual(referenceTokenSpans(s));
  });
  it('tokenize gives the norms of tokenSpans on every sample', () => {
    for (const s of SAMPLES) expect(tokenize(s), JSON.stringify(s)).toEqual(referenceTokenSpans(s).map((t) => t.norm));
  });
});

/** The topic tagger as first written: a Map of hits per topic id, ties by localeCompare. */
function referenceTagger(topics: Topic[]): (text: string) => string[] {
  const byFirst = new Map<string, Array<{ tokens: string[]; topic: string }>>();
  for (const t of topics) {
    for (const term of [...(t.terms_en ?? []), ...(t.terms_es ?? [])]) {
      const tokens = tokenize(term);
      if (tokens.length === 0) continue;
      byFirst.set(tokens[0]!, [...(byFirst.get(tokens[0]!) ?? []), { tokens, topic: t.id }]);
    }
  }
  return (text) => {
    const words = tokenize(text);
    const hits = new Map<string, number>();
    words.forEach((w, i) => {
      for (const c of byFirst.get(w) ?? []) {
        if (c.tokens.every((x, j) => words[i + j] === x)) hits.set(c.topic, (hits.get(c.topic) ?? 0) + 1);
      }
    });
    return [...hits.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  };
}

describe('topic tagger', () => {
  const beat = path.resolve(__dirname, '../../beats/us-mexico-security');
  const packTopics = loadBeatPack(beat).topics;
  // Ids that localeCompare orders differently from code units, a repeated id, and terms sharing first words.
  const odd: Topic[] = [
    { id: 'b-Two', name: 'x', terms_en: ['cartel violence', 'cartel', 'U.S. troops'], terms_es: ['cárteles'] },
    { id: 'B-one', name: 'x', terms_en: ['cartel', 'border'], terms_es: ['frontera'] },
    { id: 'a_z', name: 'x', terms_en: ['border', 'troops'] },
    { id: 'é', name: 'x', terms_en: ['fentanyl'] },
    { id: 'e', name: 'x', terms_en: ['fentanyl', 'cartel'] },
    { id: 'B-one', name: 'x', terms_en: ['año'] },
  ] as Topic[];
  const texts = [
    ...SAMPLES,
    'Cartel violence on the border; the cartel moved fentanyl. U.S. troops, troops and the frontera. Año.',
    'cartel cartel border frontera fentanyl fentanyl cárteles año año',
  ];
  it.each([
    ['the beat pack', packTopics],
    ['odd ids', odd],
  ])('tags like the reference with %s', (_, topics) => {
    const fast = createTopicTagger(topics as Topic[]);
    const slow = referenceTagger(topics as Topic[]);
    let tagged = 0;
    for (const s of texts) {
      const want = slow(s);
      expect(fast.tag(s), JSON.stringify(s)).toEqual(want);
      if (want.length > 1) tagged++;
    }
    expect(tagged).toBeGreaterThan(0);
  });
});
