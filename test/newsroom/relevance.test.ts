import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRelevanceModel, type Example, type Lexicon, type RelevanceModel } from '../../src/newsroom/relevance.ts';
import { ACTOR, POSITIVE, PhraseTrie, TokenTable, fold, stem, tokenize, type Entry } from '../../src/newsroom/relevance-text.ts';

const PACK = new URL('../../beats/us-mexico-security/', import.meta.url);
const examples: Example[] = readFileSync(new URL('examples.jsonl', PACK), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const lexicon: Lexicon = parse(readFileSync(new URL('lexicon.yaml', PACK), 'utf8'));
const actorTerms: string[] = parse(readFileSync(new URL('actors.yaml', PACK), 'utf8')).actors.flatMap(
  (a: { name: string; aliases?: string[] }) => [a.name, ...(a.aliases ?? [])],
);

const doc = (title: string, text: string, language: 'en' | 'es' | null = null) => ({ title, text, language });

describe('relevance text plumbing', () => {
  it('folds case and accents and splits on punctuation', () => {
    expect(tokenize('Cártel de Jalisco: U.S.-Mexico ÑANDÚ').words).toEqual(['cartel', 'de', 'jalisco', 'u', 's', 'mexico', 'nandu']);
    expect(tokenize('DEA agents, Dea').caps).toEqual([1, 0, 0]);
    expect(fold('Sedena Culiacán')).toBe('sedena culiacan');
  });

  it('stems English and Spanish plurals together', () => {
    expect(stem('cartels')).toBe(stem('cartel'));
    expect(stem('carteles')).toBe(stem('cartel'));
    expect(stem('autoridades')).toBe(stem('autoridad'));
    expect(stem('business')).toBe('business');
  });

  it('matches multiword terms accent-insensitively and acronyms case-sensitively, longest first', () => {
    const trie = new PhraseTrie();
    trie.add('cartel', POSITIVE, 1);
    trie.add('Cártel de Sinaloa', POSITIVE, 3);
    trie.add('ICE', ACTOR, 1);
    const found = (text: string) => {
      const out: Entry[] = [];
      trie.scan(tokenize(text), (e) => out.push(e));
      return out.map((e) => e.label);
    };
    expect(found('El cartel de Sinaloa y otro cártel')).toEqual(['Cártel de Sinaloa', 'cartel']);
    expect(found('ICE agents detained him')).toEqual(['ICE']);
    expect(found('ice hockey on thin ice')).toEqual([]);
  });
});

describe('TokenTable', () => {
  // Pieces that exercise folding (accents, ß -> ss, upper case), separators and characters above 0x250.
  const PIECES = ['a', 'El', 'CJNG', 'Cártel', 'CÁRTEL', 'cartel', 'Straße', 'STRASSE', 'strasse', 'año', 'Año', 'ÑU',
    'x\u0301', '3.5', 'U.S.', 'EE.UU.', 'MS-13', "Mexico's", 'ǅ', 'Ω', 'жена', '😀', '\u00a0', ' ', ' ', '\n', ',', '¿', '!'];
  const samples: string[] = [];
  let x = 99;
  for (let k = 0; k < 3000; k++) {
    let s = '';
    const len = 1 + (k % 30);
    for (let j = 0; j < len; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s += PIECES[x % PIECES.length];
    }
    samples.push(s);
  }
  samples.push(...examples.flatMap((e) => [e.title, e.summary]));

  it('gives the words and caps of tokenize, with each word described once however it is spelled', () => {
    const described = new Map<string, number>();
    const table = new TokenTable((w) => {
      described.set(w, (described.get(w) ?? 0) + 1);
      return { word: w };
    }, 1_000_000);
    for (const s of samples) {
      const want = tokenize(s);
      const got = table.tokenize(s);
      expect(got.words).toEqual(want.words);
      expect(got.caps).toEqual(want.caps);
      expect(got.infos.map((i) => i.word)).toEqual(want.words);
    }
    expect([...described.values()].every((n) => n === 1)).toBe(true);
    // several spellings (Cártel, CÁRTEL, cartel) of one word
    expect(table.size).toBeGreaterThan(described.size);
  });

  it('stays bounded and correct when it fills up and starts over', () => {
    const table = new TokenTable((w) => ({ word: w }), 50);
    for (const s of samples) {
      const got = table.tokenize(s);
      expect(got.words).toEqual(tokenize(s).words);
      expect(got.infos.map((i) => i.word)).toEqual(got.words);
      expect(table.size).toBeLessThanOrEqual(50);
    }
  });
});

describe('createRelevanceModel', () => {
  let model: RelevanceModel;
  beforeAll(() => {
    model = createRelevanceModel({ examples, lexicon, actorTerms });
  });

  // Training time is a benchmark figure (npm run bench), not a test assertion.
  it('exposes a precision-first threshold', () => {
    expect(model.threshold).toBeGreaterThanOrEqual(0.3);
    expect(model.threshold).toBeLessThanOrEqual(0.9);
    expect(model.crossValidation.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic: the same data gives the same threshold and scores', () => {
    const again = createRelevanceModel({ examples, lexicon, actorTerms });
    expect(again.threshold).toBe(model.threshold);
    for (const e of examples.slice(0, 40)) {
      expect(again.score(doc(e.title, e.summary)).score).toBe(model.score(doc(e.title, e.summary)).score);
    }
  });

  it('returns a probability and decides by the threshold', () => {
    for (const e of examples.slice(0, 60)) {
      const r = model.score(doc(e.title, e.summary, e.lang));
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.relevant).toBe(r.score >= model.threshold);
    }
    const empty = model.score(doc('', ''));
    expect(empty.relevant).toBe(false);
    expect(empty.reasons).toEqual([]);
  });

  it('generalises to held-out examples (fixed 80/20 split): precision >= 0.9, recall >= 0.85', () => {
    const train = examples.filter((_, i) => i % 5 !== 0);
    const test = examples.filter((_, i) => i % 5 === 0);
    const m = createRelevanceModel({ examples: train, lexicon, actorTerms });
    let tp = 0, fp = 0, fn = 0;
    for (const e of test) {
      const r = m.score(doc(e.title, e.summary, e.lang));
      if (r.relevant && e.label) tp++;
      else if (r.relevant) fp++;
      else if (e.label) fn++;
    }
    expect(test.length).toBe(100);
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.9);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.85);
  });

  // Probes written for this test, not taken from the beat pack files.
  const implicitPositives: [string, string][] = [
    ['Rival factions vie to succeed slain CJNG leader as violence spikes in western towns', 'Gunmen loyal to two commanders clashed days after the funeral, local officials said.'],
    ['Treasury bars transfers with CIBanco over laundering for traffickers', 'FinCEN said the lender moved money for groups that buy fentanyl precursors from Asia.'],
    ['Sinaloa governor Rocha Moya indicted in New York on drug conspiracy charges', 'Prosecutors in Brooklyn accused him of protecting a faction in exchange for bribes.'],
    ['Pugna por la sucesión en el CJNG deja decenas de muertos', 'Células del grupo criminal se disputan el mando tras la muerte de su líder, informó la fiscalía estatal.'],
    ['Acusan en Nueva York al gobernador Rocha Moya por proteger a Los Chapitos', 'La fiscalía federal estadounidense sostiene que recibió sobornos del grupo criminal.'],
    ['FinCEN prohíbe operaciones con Intercam por presunto lavado para el narco', 'El Tesoro señaló que la institución movió recursos de grupos dedicados al tráfico de fentanilo.'],
  ];
  const hardNegatives: [string, string][] = [
    ['Netflix renews cartel drama for a third season', 'The streaming series about a smuggling family drew record viewers, the company said.'],
    ['US sends 2,000 more troops to Poland amid border tensions with Belarus', 'The Pentagon said the deployment would reinforce NATO’s eastern flank.'],
    ['Canada hits back at U.S. dairy tariffs', 'Ottawa said it would retaliate against duties on cheese and butter announced by the White House.'],
    ['Peso weakens as investors await central bank decision', 'The Mexican currency fell 0.8% against the dollar in morning trading.'],
    ['Hurricane forms in the Gulf, threatens Texas coast', 'Forecasters expect the storm to strengthen before landfall near Corpus Christi.'],
    ['FIFA opens second phase of World Cup ticket sales', 'Fans can apply for seats at matches in Mexico City, Toronto and Los Angeles.'],
    ['Dodgers and Padres split series in Mexico City', 'The two clubs drew sellout crowds for the regular-season games.'],
    ['EU fines truck makers in cartel case over price-fixing', 'Regulators said the companies colluded on prices for fourteen years.'],
    ['Huracán en el Golfo de México amenaza a Veracruz y Tamaulipas', 'Protección Civil pidió a la población resguardarse ante lluvias intensas.'],
    ['Diablos Rojos ganan el juego de béisbol en la Ciudad de México', 'El equipo capitalino remontó en la novena entrada ante un estadio lleno.'],
    ['Cofece multa a empresas por cártel de precios en la venta de pollo', 'La autoridad de competencia impuso sanciones por colusión de precios.'],
  ];

  it.each(implicitPositives)('finds the implicit positive "%s" without the word Mexico', (title, text) => {
    expect(`${title} ${text}`).not.toMatch(/m[eé]xic/i);
    const r = model.score(doc(title, text));
    expect(r.relevant).toBe(true);
  });

  it.each(hardNegatives)('rejects the hard negative "%s"', (title, text) => {
    const r = model.score(doc(title, text));
    expect(r.relevant).toBe(false);
    expect(r.score).toBeLessThan(0.5);
  });

  it('raises the score when a strong beat actor is added to a neutral text', () => {
    const text = 'Officials met on Tuesday to discuss the situation in the region, a spokesperson said.';
    const base = model.score(doc('Officials meet to discuss regional situation', text)).score;
    const withActor = model.score(doc('Officials meet to discuss CJNG', text)).score;
    const withMore = model.score(doc('Officials meet to discuss CJNG', `${text} El Mencho and García Harfuch were named.`)).score;
    expect(base).toBeLessThan(model.threshold);
    expect(withActor).toBeGreaterThan(base + 0.3);
    expect(withMore).toBeGreaterThanOrEqual(withActor);
  });

  it('lowers the score when an entertainment frame is added to a cartel headline', () => {
    const plain = model.score(doc('Cartel violence displaces families', 'Residents fled after gunfights between rival groups.')).score;
    const fiction = model.score(doc('Cartel violence displaces families in new Netflix series', 'The streaming series premieres in May; the box office hit inspired it.')).score;
    expect(fiction).toBeLessThan(plain);
  });

  it('names the contributing features in its reasons', () => {
    const pos = model.score(doc('CJNG cell caught moving fentanilo', 'Soldiers seized fentanilo in a safe house, the defense ministry said.'));
    expect(pos.reasons.length).toBeGreaterThan(0);
    expect(pos.reasons.length).toBeLessThanOrEqual(5);
    expect(pos.reasons).toContain('actor: CJNG');
    expect(pos.reasons).toContain('term: fentanilo');
    const neg = model.score(doc('Netflix announces a new cartel drama', 'The streaming series stars a famous actor.'));
    expect(neg.reasons.some((r) => r.startsWith('negative: '))).toBe(true);
    expect(neg.reasons).toContain('negative: Netflix');
  });
});
