import { describe, expect, it } from 'vitest';
import { createStoryIndex, type StoryInput } from '../../src/newsroom/stories.ts';
import { articleFeatures, featureWords, leadOf, WordTable } from '../../src/newsroom/stories-features.ts';
import { splitSentences, tokenize } from '../../src/newsroom/text.ts';

// The story index reads words with its own scanner and keeps terms as integer keys; these tests hold the
// fast paths to the plain ones they replace.

/** The lead as the index read it before: its sentences joined by spaces, then tokenized. */
function referenceLeadWords(text: string): string[] {
  let lead = '';
  let count = 0;
  for (const s of splitSentences(text.length > 3000 ? text.slice(0, 3000) : text)) {
    lead += (lead ? ' ' : '') + s.text;
    count += s.text.split(' ').length;
    if (count >= 60) break;
  }
  return tokenize(lead);
}

const filler = (n: number) => Array.from({ length: n }, (_, k) => `palabra${k % 7}`).join(' ');
const TEXTS: [string, string][] = [
  ['Mexico hands 29 prisoners to the U.S. on Feb. 27', 'The U.S. Justice Department said the transfer was the second. Officials in EE.UU. confirmed it.'],
  ['Traslado del 27 de febrero', 'México envió a tres personas.\n\nEl  gabinete   de seguridad lo informó el 00 de mayo y el 5 de mayo 00.'],
  ['Once more: twenty troops', 'Gen. Smith, J. Doe and Sr. Pérez met at 3.5 km from H.Res.168 on May 00. Then May 5.'],
  ['İstanbul ÇEVİK Ǆungla', 'Ünïcödé wörds, ﬁne ligatures, combining e\u0301 marks, Ⅻ numerals, ΑΘΗΝΑ and 東京 in one line.'],
  ['Long lead', `${filler(45)}. ${filler(30)}. ${filler(30)}. Not in the lead anymore.`],
  ['Cut body', `${filler(20)}. ${'x'.repeat(2990)} tail words past the cut.`],
  ['Tabs\tand\u00a0spaces', '  Leading space.   Trailing dots... "Quoted opener." (Brackets) ¿Pregunta? ¡Sí!  '],
  ['İİ U.S.A.', 'İİ abc. Sentence U.S. The end. A.B.C. d.e 1.2.3 x.'],
  ['', ''],
];

describe('story features scanner', () => {
  it('reads the words tokenize gives for the title and for the lead joined from its sentences', () => {
    for (const [title, text] of TEXTS) {
      const words = featureWords(title, text);
      expect(words.title).toEqual(tokenize(title));
      expect(words.lead).toEqual(referenceLeadWords(text));
    }
  });

  it('takes the day after the month, else the one before "de" ("mayo 00" is no date)', () => {
    expect([...articleFeatures('El 5 de mayo 00', '').numbers].filter((n) => n.startsWith('d:'))).toEqual([]);
    expect([...articleFeatures('El 5 de mayo', '').numbers]).toContain('d:5-5');
    expect([...articleFeatures('Feb. 27 and 3 de febrero', '').numbers]).toEqual(['d:2-27', 'd:2-3', 'n:27', 'n:3']);
  });
});

describe('word table', () => {
  it('finds a word by its lower-cased offsets as by its string, across growth', () => {
    const table = new WordTable();
    // Short words are compared packed in the table, longer ones through their strings.
    const words = Array.from({ length: 3000 }, (_, k) => `w${k.toString(36)}x${'yz'.slice(0, k % 3)}${k % 7 === 0 ? 'long' : ''}`);
    words.forEach((w, k) => expect(table.add(w)).toBe(k));
    const text = `Say ${words.map((w) => w.toUpperCase()).join(' ')} now`;
    let at = 4;
    for (let k = 0; k < words.length; k++) {
      expect(table.idOfAscii(text, at, at + words[k]!.length)).toBe(k);
      expect(table.idOf(words[k]!)).toBe(k);
      at += words[k]!.length + 1;
    }
    expect(table.idOfAscii(text, 0, 3)).toBe(-1);
    expect(table.idOf('W1X')).toBe(-1);
    expect(table.add(words[7]!)).toBe(7);
    expect(table.size).toBe(3000);
    // Only an equal lower-case ASCII string is found by offsets: not "México", nor a prefix, nor upper case.
    const other = new WordTable();
    other.add('méxico');
    other.add('ABC');
    other.add('abcd');
    expect(other.idOfAscii('Mexico abc', 0, 6)).toBe(-1);
    expect(other.idOfAscii('Mexico abc', 7, 10)).toBe(-1);
    expect(other.idOfAscii('ABCD', 0, 4)).toBe(2);
    expect(other.idOf('méxico')).toBe(0);
  });
});

const H = 3_600_000;
const T0 = Date.parse('2025-03-10T14:00:00Z');
const WORDS = ['border', 'tariff', 'cartel', 'fentanyl', 'ottawa', 'dairy', 'storm', 'rain', 'court', 'judge', 'troops',
  'drones', 'migrants', 'asylum', 'steel', 'autos', 'election', 'senate', 'governor', 'mayor', 'prison', 'extradition'];

/** A stream of invented reports on a few dozen topics, each reported several times over a few days. */
function stream(n: number): StoryInput[] {
  const out: StoryInput[] = [];
  const id = (i: number) => `${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}${(i + 0x10000000).toString(16)}`;
  for (let i = 0; i < n; i++) {
    const topic = (i * 7) % 37;
    const w = (k: number) => WORDS[(topic * 3 + k) % WORDS.length]!;
    const own = (k: number) => `${String.fromCharCode(97 + (topic % 26))}${String.fromCharCode(97 + ((topic * 5 + k) % 26))}zq${k}`;
    out.push({
      id: id(i),
      publishedAt: new Date(T0 + i * 0.5 * H),
      language: i % 3 === 0 ? 'es' : 'en',
      title: `${w(0)} ${own(1)} ${w(2)} ${own(i % 4)} report`,
      text: `The ${w(3)} and ${own(2)} story on ${topic * 11 + 3} continued with ${w(i % 5)} news. More on ${own(3)} ${w(5)}.`,
      actors: [`cand:place${topic % 11}`, ...(i % 4 === 0 ? ['mexico-government'] : [])],
      duplicateOf: i % 13 === 12 ? id(i - 1) : null,
    });
  }
  return out;
}

/** What a run of the index decided, in brief: stories founded, the last stories joined, summed scores. */
function summary(index: ReturnType<typeof createStoryIndex>, items: StoryInput[]) {
  const out = items.map((x) => index.assign(x));
  return {
    founded: out.filter((r) => r.isNew).length,
    lastStories: out.slice(-6).map((r) => r.storyId),
    scoreSum: out.reduce((t, r) => t + r.score, 0).toFixed(9),
  };
}

describe('story index key vocabulary', () => {
  it('decides as the string-keyed index did when the vocabulary is compacted at each halving', () => {
    // Halving drops rarely seen keys and renumbers the others. The expected values come from the index
    // before terms became integer keys (a Map of prefixed strings), run with the same halving period.
    const items = stream(400);
    expect(summary(createStoryIndex({ dfHalving: 40 }), items)).toEqual(EXPECTED_HALVING_40);
    expect(summary(createStoryIndex(), items)).toEqual(EXPECTED_NO_HALVING);
  });
});

const EXPECTED_HALVING_40 = {
  founded: 12,
  lastStories: ['s0000000010', 'sb54cda2610', 's538453d710', 's8ff3473910', 's9e3779b110', 'sec48c90d10'],
  scoreSum: '379.647221716',
};
const EXPECTED_NO_HALVING = { ...EXPECTED_HALVING_40, scoreSum: '379.175420971' };

describe('lead', () => {
  it('is the first sentences up to about sixty words, joined by spaces', () => {
    for (const [, text] of TEXTS) expect(tokenize(leadOf(text))).toEqual(referenceLeadWords(text));
    expect(leadOf('One two.\n\n  Three four.')).toBe('One two. Three four.');
  });
});

describe('number words that are also stopwords', () => {
  it('"once" is eleven in Spanish text only', () => {
    expect([...articleFeatures('Once detenidos en Culiacán', '', 'es').numbers]).toContain('n:11');
    expect([...articleFeatures('Once again the cartel struck in Culiacán', '', 'en').numbers]).not.toContain('n:11');
    expect([...articleFeatures('Once again the cartel struck in Culiacán', '').numbers]).not.toContain('n:11');
    // Number words that are no stopword count in any language.
    expect([...articleFeatures('Fifteen arrested in Culiacán', '', 'en').numbers]).toContain('n:15');
  });
});
