import { describe, expect, it } from 'vitest';
import { summarizeStory, type SummaryArticle } from '../../src/newsroom/summarize.ts';
import { junkReason, numberKeys, stripDateline, trimToWords } from '../../src/newsroom/summarize-text.ts';
import { fold } from '../../src/newsroom/text.ts';

// Every text here is written for these tests; the events are invented.

const NAMES: Record<string, string> = {
  'claudia-sheinbaum': 'Claudia Sheinbaum',
  'marco-rubio': 'Marco Rubio',
  'omar-garcia-harfuch': 'Omar García Harfuch',
  'us-doj': 'Justice Department',
  cjng: 'CJNG',
};
const actorNames = (id: string) => NAMES[id];

const T0 = Date.parse('2026-03-10T14:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000);

function art(p: Partial<SummaryArticle> & Pick<SummaryArticle, 'id' | 'title' | 'text' | 'source'>): SummaryArticle {
  return { url: `https://example.test/${p.id}`, publishedAt: at(0), language: 'en', actors: [], ...p };
}

const wire = art({
  id: 'wire-1',
  source: 'Northwire',
  publishedAt: at(0),
  title: 'Mexico sends 37 cartel prisoners to the United States',
  actors: ['claudia-sheinbaum', 'omar-garcia-harfuch', 'us-doj'],
  text:
    'MEXICO CITY (Northwire) — Mexico sent 37 jailed cartel figures to the United States on Tuesday, the third mass transfer under President Claudia Sheinbaum. ' +
    'By Ana Torres. ' +
    'Security chief Omar García Harfuch said the prisoners were flown from four federal prisons to Houston and San Diego. ' +
    '“This is a decision of the Mexican state, taken within our law,” Harfuch told reporters. ' +
    'The Justice Department said the men face charges of drug trafficking, money laundering and murder in seven federal districts. ' +
    'Read more: how the earlier transfers worked. ' +
    'Why now? ' +
    'Mexico has rejected any U.S. military action on its soil.',
});
const outlet = art({
  id: 'outlet-1',
  source: 'Border Ledger',
  publishedAt: at(25),
  title: 'Sheinbaum government transfers 37 inmates to U.S. custody',
  actors: ['claudia-sheinbaum', 'omar-garcia-harfuch'],
  text:
    'WASHINGTON — Thirty-seven prisoners accused of cartel crimes arrived in the United States on Tuesday after Mexico handed them over, officials said. ' +
    'The group includes two alleged CJNG financial operators and a former police commander from Sinaloa, according to a list seen by the Ledger. ' +
    'Photo: Federal agents at the airport in Houston (Border Ledger). ' +
    'Harfuch said Mexico acted on its own terms and was not responding to tariff threats from Washington.',
});
const spanish = art({
  id: 'es-1',
  source: 'Diario del Norte',
  publishedAt: at(40),
  language: 'es',
  title: 'México envía a 37 reos a Estados Unidos',
  actors: ['claudia-sheinbaum', 'omar-garcia-harfuch'],
  text:
    'CIUDAD DE MÉXICO.— El gobierno de Claudia Sheinbaum envió a 37 presos ligados al narcotráfico a Estados Unidos este martes. ' +
    'El secretario Omar García Harfuch afirmó que la decisión fue soberana y apegada a la ley. ' +
    'Los reos salieron de cuatro penales federales en aviones de la Fiscalía General de la República.',
});
const copy = art({
  id: 'wire-1-copy',
  source: 'Northwire',
  publishedAt: at(50),
  title: 'Mexico sends 37 cartel prisoners to the U.S.',
  actors: ['claudia-sheinbaum', 'omar-garcia-harfuch', 'us-doj'],
  text: wire.text,
});
wire.quotes = [
  {
    text: 'This is a decision of the Mexican state, taken within our law',
    speaker: 'Omar García Harfuch',
    speakerId: 'omar-garcia-harfuch',
    sentence: '“This is a decision of the Mexican state, taken within our law,” Harfuch told reporters.',
  },
];
outlet.quotes = [{ text: 'We saw them', speaker: 'a witness', sentence: '"We saw them," a witness said.' }];

const story = [outlet, spanish, wire, copy];
const allText = story.map((a) => fold(`${a.title} ${a.text}`)).join(' \n ');
const words = (s: string) => s.trim().split(/\s+/).length;

describe("summarizeStory", () => {
  const s = summarizeStory(story, { actorNames });

  it('gives 2 or 3 bullets of at most 35 words, each taken from a source article', () => {
    expect(s.bullets.length).toBeGreaterThanOrEqual(2);
    expect(s.bullets.length).toBeLessThanOrEqual(3);
    for (const b of s.bullets) {
      expect(words(b.text)).toBeLessThanOrEqual(35);
      const body = fold(b.text.replace(/…$/, ''));
      const a = story.find((x) => x.id === b.articleId)!;
      expect(fold(a.text)).toContain(body);
      expect(allText).toContain(body);
    }
  });

  it('leads with the news, in the majority language, naming the main actors', () => {
    expect(s.bullets[0]!.text).toMatch(/^Mexico sent 37 jailed cartel figures/); // dateline stripped
    for (const b of s.bullets) expect(story.find((a) => a.id === b.articleId)!.language).toBe('en');
    const joined = s.bullets.map((b) => b.text).join(' ');
    expect(joined).toMatch(/Sheinbaum/);
    expect(joined).toMatch(/Harfuch/);
    expect(s.actors.slice(0, 2).sort()).toEqual(['claudia-sheinbaum', 'omar-garcia-harfuch']);
  });

  it('never picks bylines, credits, "Read more", questions or quotes, and no two bullets say the same', () => {
    const joined = s.bullets.map((b) => b.text).join('\n');
    expect(joined).not.toMatch(/By Ana|Photo:|Read more|Why now|This is a decision/);
    const keys = s.bullets.map((b) => fold(b.text));
    expect(new Set(keys).size).toBe(keys.length);
    // Only one bullet about "37 were sent", whatever the language.
    expect(s.bullets.filter((b) => /\b37\b|Thirty-seven/i.test(b.text))).toHaveLength(1);
  });

  it('picks the strongest quote with its speaker', () => {
    expect(s.quote).toEqual({
      text: 'This is a decision of the Mexican state, taken within our law',
      speaker: 'Omar García Harfuch',
      articleId: 'wire-1',
    });
  });

  it('lists every source once, earliest article first, and a plain headline', () => {
    expect(s.sources.map((x) => x.source)).toEqual(['Northwire', 'Border Ledger', 'Diario del Norte']);
    expect(s.sources[0]!.articleId).toBe('wire-1');
    expect(s.headline).toBe('Mexico sends 37 cartel prisoners to the United States');
    expect(s.whatsNew).toBeNull();
    expect(s.covered.length).toBeGreaterThanOrEqual(s.bullets.length);
  });

  it('prefers Spanish when asked, without repeating a fact across languages', () => {
    const es = summarizeStory(story, { actorNames, language: 'es' });
    expect(es.bullets.length).toBeGreaterThanOrEqual(2);
    for (const b of es.bullets) expect(b.articleId).toBe('es-1');
    expect(es.bullets.filter((b) => /\b37\b/.test(b.text))).toHaveLength(1);
  });

  it('a Spanish-majority story gets Spanish bullets and an English report of the same fact is not repeated', () => {
    const es2 = art({
      id: 'es-2',
      source: 'La Crónica Fronteriza',
      publishedAt: at(45),
      language: 'es',
      title: 'Trasladan a 37 narcotraficantes a EE.UU.',
      actors: ['claudia-sheinbaum', 'omar-garcia-harfuch'],
      text:
        'Treinta y siete presos fueron entregados a Estados Unidos por el gobierno de Sheinbaum, informó la Secretaría de Seguridad. ' +
        'Entre los enviados hay dos operadores financieros del CJNG y un excomandante de la policía de Sinaloa, según la lista oficial.',
    });
    const out = summarizeStory([wire, spanish, es2], { actorNames });
    expect(out.bullets.every((b) => b.articleId.startsWith('es-'))).toBe(true);
    const joined = out.bullets.map((b) => b.text).join('\n');
    expect(joined).not.toMatch(/Mexico sent 37/);
  });

  // Speed is measured by `npm run bench`, not asserted here.
  it('is deterministic whatever the input order, and lists each outlet once', () => {
    const again = summarizeStory([...story].reverse(), { actorNames });
    expect(again).toEqual(s);
    const ten: SummaryArticle[] = [];
    for (let i = 0; i < 10; i++) ten.push({ ...story[i % 3]!, id: `a${i}`, source: `Outlet ${i}`, text: story[i % 3]!.text.repeat(2) });
    const big = summarizeStory(ten, { actorNames });
    expect(big.sources).toHaveLength(10);
    expect(big.bullets.length).toBeGreaterThanOrEqual(2);
  });

  it('drops a rewrite whose wording sits inside a longer bullet', () => {
    const long = art({
      id: 'desk-1', source: 'Border Desk', title: 'Cartel leader dies after army operation in Jalisco',
      text: 'Intelligence from a U.S. task force helped Mexican troops find cartel leader Ramiro Falcón, who died Sunday after an army operation in Tapalpa, Jalisco. ' +
        'Road blockades followed in six states within hours. Officials said 14 vehicles were burned on highways near Guadalajara.',
    });
    const rewrite = art({
      id: 'desk-2', source: 'Gulf Courier', publishedAt: at(5), title: 'Falcón killed in Tapalpa',
      text: 'Cartel leader Ramiro Falcón died Sunday after troops wounded him during an army operation in Tapalpa, Jalisco. ' +
        'His group had controlled routes through the state for a decade, prosecutors said.',
    });
    const out = summarizeStory([long, rewrite]);
    const died = out.bullets.filter((b) => /died Sunday/.test(b.text));
    expect(died).toHaveLength(1);
    expect(out.bullets.length).toBeGreaterThanOrEqual(2);
  });

  it('handles a single short article and an empty story', () => {
    const one = summarizeStory([spanish], { actorNames });
    expect(one.bullets.length).toBeGreaterThanOrEqual(2);
    expect(one.sources).toHaveLength(1);
    const none = summarizeStory([]);
    expect(none).toMatchObject({ headline: '', bullets: [], quote: null, sources: [], actors: [] });
  });
});

describe("what's new", () => {
  it('picks a sentence with a new number when the story grows', () => {
    const first = summarizeStory([wire, outlet], { actorNames });
    const update = art({
      id: 'update-1',
      source: 'Northwire',
      publishedAt: at(180),
      title: 'Mexico adds transfer of cartel prisoners',
      actors: ['claudia-sheinbaum', 'omar-garcia-harfuch'],
      text:
        'Mexico sent 37 jailed cartel figures to the United States on Tuesday, the third mass transfer under President Claudia Sheinbaum. ' +
        'A second flight later carried 12 more prisoners, including a CJNG regional boss, bringing the total to 49, Harfuch said. ' +
        'Mexico has rejected any U.S. military action on its soil.',
    });
    const later = summarizeStory([wire, outlet, update], { actorNames, previous: { covered: first.covered } });
    expect(later.whatsNew).toMatch(/12 more prisoners/);
    expect(words(later.whatsNew!)).toBeLessThanOrEqual(35);
  });

  it('with articleIds, reads only the added articles, and is null when they add nothing', () => {
    const first = summarizeStory([wire], { actorNames });
    const previous = { covered: first.covered, articleIds: ['wire-1'] };
    expect(summarizeStory([wire, copy], { actorNames, previous }).whatsNew).toBeNull(); // a syndicated copy
    const grown = summarizeStory([wire, spanish], { actorNames, previous });
    expect(spanish.text).toContain(grown.whatsNew!.replace(/…$/, ''));
  });

  it('never repeats a covered sentence', () => {
    const first = summarizeStory([wire], { actorNames });
    const again = summarizeStory([wire, copy], { actorNames, previous: { covered: first.covered } });
    // Only already-covered or minor sentences remain; whatever is picked must not be a covered one.
    if (again.whatsNew) expect(first.covered).not.toContain(fold(again.whatsNew));
    const same = summarizeStory([wire], { actorNames, previous: { covered: summarizeStory([wire], { actorNames }).covered } });
    expect(same.whatsNew === null || !first.covered.includes(fold(same.whatsNew))).toBe(true);
  });
});

describe('helpers', () => {
  it('number keys ignore units and separators', () => {
    expect([...numberKeys('Seized $15 million, 1,200 rifles and 3.5 tons; 252 arrests')].sort()).toEqual(['1200', '15', '252', '3.5']);
    expect([...numberKeys('1.200 armas y 3,5 toneladas')].sort()).toEqual(['1200', '3.5']);
  });

  it('strips datelines', () => {
    expect(stripDateline('MEXICO CITY (Reuters) - Mexico sent 37 men.')).toBe('Mexico sent 37 men.');
    expect(stripDateline('CULIACÁN, Sin. (EFE).— Militares detuvieron a dos.')).toBe('Militares detuvieron a dos.');
    expect(stripDateline('WASHINGTON — The Treasury acted.')).toBe('The Treasury acted.');
    expect(stripDateline('Mexico sent 37 men to Texas.')).toBe('Mexico sent 37 men to Texas.');
  });

  it('flags junk sentences', () => {
    expect(junkReason('By Ana Torres and Luis Gómez in Mexico City')).toBe('boilerplate');
    expect(junkReason('Reporting by Ana Torres; Editing by Tom Hale')).toBe('boilerplate');
    expect(junkReason('Read more: the earlier transfers and what they changed')).toBe('boilerplate');
    expect(junkReason('¿Qué sigue para los presos enviados a Texas?')).toBe('question');
    expect(junkReason('“We will not be intimidated by anyone, ever,” he said.')).toBe('quote');
    expect(junkReason('Soldiers detained two men in Culiacán on Monday night.')).toBeNull();
  });

  it('trims long sentences at a clause, never mid-word', () => {
    const long =
      'The Treasury Department on Thursday sanctioned three Mexican banks, two currency exchanges and eleven people it accused of moving money for the Sinaloa cartel, ' +
      'in the largest action of its kind since the designation of cartels as terrorist groups last year under a new law.';
    const t = trimToWords(long);
    expect(words(t)).toBeLessThanOrEqual(35);
    expect(t.endsWith('…')).toBe(true);
    expect(long.replace(/\s+/g, ' ')).toContain(t.slice(0, -1));
    expect(t).toMatch(/Sinaloa cartel…$/);
    expect(trimToWords('Short one.')).toBe('Short one.');
  });
});

describe('summaries of big stories', () => {
  // Thirty reports of one invented seizure: each report's only sentence carries its own number, so a
  // bullet's number tells which report it was read from.
  // The reports a summary reads (the first 4, the latest 8) are in Spanish and the middle ones in English, so
  // a summary asked for English bullets shows where its sentences came from.
  const middle = (i: number) => i >= 4 && i < 22;
  const reports = Array.from({ length: 30 }, (_, i) => art({
    id: `seizure-${String(i).padStart(2, '0')}`,
    source: `Outlet ${i}`,
    publishedAt: at(i * 10),
    language: middle(i) ? 'en' : 'es',
    title: middle(i) ? `Navy seizes fentanyl pills at the port of Manzanillo, report ${i}` : `La Marina asegura pastillas de fentanilo en el puerto de Manzanillo, nota ${i}`,
    actors: i === 15 ? ['cjng', 'omar-garcia-harfuch'] : ['omar-garcia-harfuch'],
    text: middle(i)
      ? `Marines seized ${1000 + i} kilograms of fentanyl pills at the port of Manzanillo, security chief Omar García Harfuch said on Tuesday.`
      : `Marinos aseguraron ${1000 + i} kilos de pastillas de fentanilo en el puerto de Manzanillo, informó el martes Omar García Harfuch.`,
    quotes: i === 15 ? [{ text: 'We will keep seizing every shipment that reaches our ports', speaker: 'Omar García Harfuch', speakerId: 'omar-garcia-harfuch', sentence: '“We will keep seizing every shipment that reaches our ports,” García Harfuch said.' }] : [],
  }));

  it('reads sentences from the first and the latest reports only, and everything else from all of them', () => {
    const s = summarizeStory(reports, { actorNames, language: 'en' });
    const read = new Set([0, 1, 2, 3, 22, 23, 24, 25, 26, 27, 28, 29].map((i) => `seizure-${String(i).padStart(2, '0')}`));
    expect(s.bullets.length).toBeGreaterThan(0);
    for (const b of s.bullets) expect(read.has(b.articleId)).toBe(true);
    // Every outlet is still a source, the middle report's actor is still an actor and its quote still counts.
    expect(s.sources).toHaveLength(30);
    expect(s.actors).toContain('cjng');
    expect(s.quote?.articleId).toBe('seizure-15');
  });

  it("finds what's new in the report that just joined", () => {
    const before = summarizeStory(reports.slice(0, 29), { actorNames });
    const after = summarizeStory(reports, { actorNames, previous: { covered: before.covered, articleIds: reports.slice(0, 29).map((r) => r.id) } });
    expect(after.whatsNew).toContain('1029');
  });
});
