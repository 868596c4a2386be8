import { describe, expect, it } from 'vitest';
import { fold, isAllCaps, lastSharedSpans, sharedTokenSpans, splitSentences, tokenize, tokenSpans } from '../../src/newsroom/text.ts';
import { createTopicTagger } from '../../src/newsroom/topics.ts';

const texts = (s: string) => splitSentences(s).map((x) => x.text);

describe('fold', () => {
  it('lowercases, strips accents and normalises quotes, dashes and spaces', () => {
    expect(fold('  Cártel de  Jalisco “Nueva” Generación — CJNG ')).toBe('cartel de jalisco "nueva" generacion - cjng');
    expect(fold('Señor’s\u00a0Año\tÜber–Ñ')).toBe("senor's ano uber-n");
    expect(fold('Michoacán\n\nGuanajuato')).toBe('michoacan guanajuato');
  });
  it('handles decomposed accents the same as precomposed ones', () => {
    expect(fold('Cártel'.normalize('NFD'))).toBe(fold('Cártel'));
  });
});

describe('tokenize / tokenSpans', () => {
  it('keeps Spanish letters (folded) and digits, splits on punctuation', () => {
    expect(tokenize('El Cártel de Sinaloa envió 3.5 toneladas; ¿y el Año?')).toEqual([
      'el', 'cartel', 'de', 'sinaloa', 'envio', '3.5', 'toneladas', 'y', 'el', 'ano',
    ]);
    expect(tokenize("Mexico's MS-13 and Z-40")).toEqual(['mexico', 's', 'ms', '13', 'and', 'z', '40']);
  });
  it('joins dotted abbreviations and keeps their final dot in the span', () => {
    const text = 'La DEA y EE.UU. acusaron a la C.I.A. en U.S. courts';
    const toks = tokenSpans(text);
    const eeuu = toks.find((t) => t.norm === 'eeuu')!;
    expect(text.slice(eeuu.start, eeuu.end)).toBe('EE.UU.');
    expect(eeuu.raw).toBe('EEUU');
    expect(toks.find((t) => t.norm === 'cia')!.raw).toBe('CIA');
    expect(toks.map((t) => t.norm)).toContain('us');
  });
  it('marks a word followed by a dot (titles, initials)', () => {
    const toks = tokenSpans('Gen. Guillot and Donald J. Trump');
    expect(toks[0]!.dot).toBe(true);
    expect(toks.find((t) => t.raw === 'J')!.dot).toBe(true);
    expect(toks.find((t) => t.raw === 'Guillot')!.dot).toBe(false);
  });
  it('shares the words of the last text between stages, and only for the same characters', () => {
    const article = 'Sheinbaum y Trump hablaron de aranceles. Tariffs on steel were discussed.';
    const first = sharedTokenSpans(article);
    expect(first).toEqual(tokenSpans(article));
    // Asked again (by the topic tagger after the actor matcher), the same words come back without a new scan.
    expect(sharedTokenSpans(article)).toBe(first);
    expect(lastSharedSpans()).toEqual({ text: article, spans: first });
    // Another text of the same length is read afresh.
    const same = 'x'.repeat(article.length);
    expect(sharedTokenSpans(same).map((t) => t.norm)).toEqual(['x'.repeat(article.length)]);
    // A tagger reading the shared words tags each text by its own words.
    const tagger = createTopicTagger([{ id: 'trade', name: 'Trade', name_es: 'Comercio', terms_en: ['tariffs on steel'], terms_es: ['aranceles'] }]);
    expect(tagger.tag(article)).toEqual(['trade']);
    expect(tagger.tag(same)).toEqual([]);
    expect(tagger.tag(article)).toEqual(['trade']);
  });
  it('detects all-caps words', () => {
    expect(isAllCaps('ICE')).toBe(true);
    expect(isAllCaps('Ice')).toBe(false);
    expect(isAllCaps('MS13')).toBe(true);
    expect(isAllCaps('2025')).toBe(false);
  });
});

describe('splitSentences', () => {
  it('does not split after English titles, initials, months and decimals', () => {
    expect(texts('Gen. Gregory Guillot briefed Sen. Tim Kaine on Jan. 20 about a $3.5 billion plan. Donald J. Trump signed it. Rep. Brian Mast agreed.')).toEqual([
      'Gen. Gregory Guillot briefed Sen. Tim Kaine on Jan. 20 about a $3.5 billion plan.',
      'Donald J. Trump signed it.',
      'Rep. Brian Mast agreed.',
    ]);
  });
  it('keeps U.S. inside a sentence but ends one at U.S. before a sentence opener', () => {
    expect(texts('The U.S. Treasury sanctioned three banks. Fentanyl seizures rose in the U.S. The figures were released Monday.')).toEqual([
      'The U.S. Treasury sanctioned three banks.',
      'Fentanyl seizures rose in the U.S.',
      'The figures were released Monday.',
    ]);
  });
  it('handles Spanish abbreviations, EE.UU., ¿? and ¡!', () => {
    expect(texts('El Sr. López y el Lic. Pérez viajaron a EE.UU. el lunes. ¿Habrá ataques con drones? ¡No lo permitiremos! La presidenta respondió.')).toEqual([
      'El Sr. López y el Lic. Pérez viajaron a EE.UU. el lunes.',
      '¿Habrá ataques con drones?',
      '¡No lo permitiremos!',
      'La presidenta respondió.',
    ]);
  });
  it('ends at closing quotes and keeps offsets', () => {
    const text = 'Sheinbaum said: "There will be no invasion." Hegseth disagreed.';
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(['Sheinbaum said: "There will be no invasion."', 'Hegseth disagreed.']);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
  });
  it('breaks at blank lines and ignores a lowercase continuation', () => {
    expect(texts('Headline without a dot\n\nFirst paragraph. second part stays. Next one.')).toEqual([
      'Headline without a dot',
      'First paragraph. second part stays.',
      'Next one.',
    ]);
  });
  it('is linear on pathological input', () => {
    const text = 'a. '.repeat(50_000) + '.'.repeat(50_000) + ' U.S.'.repeat(20_000);
    const t = performance.now();
    splitSentences(text);
    tokenSpans(text);
    expect(performance.now() - t).toBeLessThan(1500);
  });
});
