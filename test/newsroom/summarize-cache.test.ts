import { describe, expect, it } from 'vitest';
import { summarizeStory, type SummaryArticle } from '../../src/newsroom/summarize.ts';
import { collapseSpaces, hasNumberWordHint, junkReason, numberKeys, sentenceKey, wordCount } from '../../src/newsroom/summarize-text.ts';
import { fold, tokenize } from '../../src/newsroom/text.ts';

// Every text here is written for these tests; the events are invented.

const T0 = Date.parse('2026-04-02T09:00:00Z');

function art(p: Partial<SummaryArticle> & Pick<SummaryArticle, 'id' | 'title' | 'text'>): SummaryArticle {
  return { url: null, source: `src-${p.id}`, publishedAt: new Date(T0), language: 'en', actors: [], ...p };
}

describe('summaries kept between refreshes', () => {
  it('a repeated summary of the same reports is the same', () => {
    const a = art({
      id: 'cache-a1',
      title: 'Port of Lázaro Cárdenas seizes 14 tons of precursor chemicals',
      text:
        'Customs officers at the port of Lázaro Cárdenas seized 14 tons of precursor chemicals on Monday, the navy said. ' +
        'The shipment had arrived from Shanghai declared as industrial cleaning supplies for a firm in Jalisco. ' +
        'Investigators said the firm was registered three months ago at an address that turned out to be a vacant lot.',
    });
    const b = art({
      id: 'cache-a2',
      publishedAt: new Date(T0 + 3_600_000),
      title: 'Navy details 14-ton chemical seizure at Pacific port',
      text:
        'The navy said on Tuesday that the 14 tons of chemicals seized at Lázaro Cárdenas could have made millions of pills. ' +
        'Officials said two customs brokers were questioned and released while the investigation continues in Michoacán.',
    });
    const first = summarizeStory([a, b]);
    expect(summarizeStory([a, b])).toEqual(first);
    expect(summarizeStory([b, a])).toEqual(first);
  });

  it('an article whose text changed is read again, even at the same length', () => {
    const before = 'Federal police arrested eleven suspects in Culiacán after a shootout near the airport on Friday night.';
    const after = 'State prosecutors charged eleven suspects in Mazatlán after a raid close to the harbour on Sunday eve.';
    expect(after.length).toBe(before.length);
    const v1 = art({ id: 'cache-b1', title: 'Arrests in Sinaloa', text: before });
    const v2 = { ...v1, text: after };
    expect(summarizeStory([v1]).bullets[0]!.text).toBe(before);
    expect(summarizeStory([v2]).bullets[0]!.text).toBe(after);
  });

  it('an actor renamed since the last refresh is looked for in the titles under its new name', () => {
    const articles = [
      art({
        id: 'cache-c1',
        title: 'Ortega visits the border crossing at Nogales',
        actors: ['actor-one', 'actor-two'],
        text: 'Officials from both governments met at the Nogales crossing on Thursday to review new inspection lanes for trucks.',
      }),
      art({
        id: 'cache-c2',
        publishedAt: new Date(T0 + 60_000),
        title: 'Ortega promises faster truck inspections',
        actors: ['actor-one', 'actor-two'],
        text: 'The new lanes should cut waiting times for freight trucks by half before the end of the year, officials said.',
      }),
    ];
    const names1: Record<string, string> = { 'actor-one': 'Lucía Méndez', 'actor-two': 'Rafael Ortega' };
    const names2: Record<string, string> = { 'actor-one': 'Lucía Ortega', 'actor-two': 'Rafael Méndez' };
    // The title bonus puts the actor the titles name first; articles and ids alone would put actor-one first.
    expect(summarizeStory(articles, { actorNames: (id) => names1[id] }).actors).toEqual(['actor-two', 'actor-one']);
    expect(summarizeStory(articles, { actorNames: (id) => names2[id] }).actors).toEqual(['actor-one', 'actor-two']);
  });
});

describe('text helper fast paths', () => {
  it('word counts agree with trim and split on any whitespace', () => {
    for (const s of ['', '   ', 'one', ' two  words ', 'tab\tand\nnewline', 'no\u00a0break\u2003em\u3000ideo', '\ufeffbom start', 'a\u200bb']) {
      const t = s.trim();
      expect(wordCount(s)).toBe(t ? t.split(/\s+/).length : 0);
    }
  });

  it('sentence keys and collapsed spaces are those of fold and the regex, ASCII or not', () => {
    for (const s of [
      'The Navy said 14 tons were SEIZED.', 'Ends with an ellipsis…', ' leading space', 'trailing space ', 'two  spaces',
      'tab\there', 'line\nbreak', 'Cártel de Jalisco “Nueva” Generación — CJNG', 'EE.UU. y México', '', 'x',
    ]) {
      expect(sentenceKey(s)).toBe(fold(s.replace(/…$/, '')));
      expect(collapseSpaces(s)).toBe(s.replace(/\s+/g, ' ').trim());
    }
  });

  it('the written-number hint is the regular expression it replaces', () => {
    const re = /(?:ten|teen|ty|elve|eleven|diez|dieci|doce|trece|catorce|quince|veint|nta)\b/i;
    for (const s of [
      'Thirty-seven', 'TWELVE men', 'eleven men', 'city_hall', 'ten_', 'TeN', 'veinte', 'veintidós', 'VEINTIDÓS',
      'cincuenta y dos', 'quincena', 'dieciocho', 'catorce.', 'forty2', 'fortY', 'tenant', 'written', 'teen',
      'caſty', 'citý', 'hasta', 'CANTA', 'nt', '', 'Treinta', 'doce,trece', 'steen', 'X ty',
    ]) {
      expect(hasNumberWordHint(s)).toBe(re.test(s));
    }
  });

  it('number keys from given tokens are the number keys of the text', () => {
    for (const s of [
      'Thirty-seven prisoners and twenty one guards; 1,200 rifles and 3,5 tons',
      'Veintidós detenidos y treinta y cinco armas, 007 casos',
      'The city council met in the security office on 4 May',
      'Fifteen agents, 0.50 grams and 1.200 pesos',
    ]) {
      expect(numberKeys(s, tokenize(s))).toEqual(numberKeys(s));
    }
    expect([...numberKeys('A 007 agent and 1,200 rifles')]).toEqual(['7', '1200']);
    expect([...numberKeys('v1.2.3., 3,5 tons, 12,, 1.200.000 pesos; 0.50 g, 4.')]).toEqual(['1.2.3', '3.5', '12', '1200000', '0.5', '4']);
  });

  it('written numbers: eleven counts, and words an object inherits are no numbers', () => {
    expect([...numberKeys('Eleven soldiers were hurt near Culiacán')]).toContain('11');
    expect([...numberKeys('Twenty constructor crews and the thirty toString agents')]).toEqual(['20', '30']);
    expect([...numberKeys('Thirty constructor jobs were lost in fourteen days')]).toEqual(['30', '14']);
  });

  it('boilerplate is found whatever its case, including letters that only match case-insensitively', () => {
    expect(junkReason('READ MORE about the transfer in our full coverage of the case')).toBe('boilerplate');
    expect(junkReason('Please ſign up for alerts from the border desk every morning')).toBe('boilerplate');
    expect(junkReason('To follow the story clic\u212A here for the live blog of the hearing')).toBe('boilerplate');
    expect(junkReason('Additional reporting by the border desk team in Tijuana and Juárez')).toBe('boilerplate');
    expect(junkReason('Fotografía: agentes federales en el aeropuerto de Culiacán este lunes por la tarde')).toBe('boilerplate');
    expect(junkReason('The full report is online at www.example.org for anyone who wants to read it')).toBe('boilerplate');
    expect(junkReason('The navy said the shipment was the largest seized at the port this year')).toBeNull();
  });
});
