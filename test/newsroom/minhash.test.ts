import { describe, expect, it } from 'vitest';
import {
  candidateProbability,
  createDuplicateIndex,
  estimateContainment,
  estimateJaccard,
  fingerprint,
  foldText,
  NUM_HASHES,
  shingleHashes,
  signature,
  signatureOfHashes,
} from '../../src/newsroom/minhash.ts';

// Invented wire copy, written for these tests.
const EN_TITLE = 'Mexico hands over 26 cartel suspects to U.S. prosecutors';
const EN_PARAS = [
  'MEXICO CITY — Mexico sent 26 men accused of running drug and weapons networks to the United States on Tuesday, the second large transfer this year, officials in both countries said.',
  'The men were flown from several federal prisons to airports in Texas, New York and Virginia aboard Mexican military aircraft, according to the attorney general\'s office in Mexico City.',
  'Among them were two regional commanders of the Jalisco cartel and a money launderer wanted since 2019 on charges of moving fentanyl proceeds through currency exchange houses.',
  'A Justice Department spokesperson said the defendants would appear before federal judges later this week and that prosecutors would seek to keep them in custody until trial.',
  'Security officials in Mexico described the transfer as a sovereign decision and said it was not a response to pressure over tariffs, a point they have repeated since the first transfer in February.',
  'The previous group included a founder of the Sinaloa cartel who had spent decades in Mexican prisons, and several of those defendants have since pleaded not guilty in U.S. courts.',
];
const EN_ORIGINAL = `${EN_TITLE}\n\n${EN_PARAS.join('\n\n')}`;

// Same wire story re-run by a client paper: new headline, last paragraph trimmed, credit line added,
// a dateline and some punctuation/case changed.
const EN_COPY = [
  'Twenty-six accused traffickers flown to the US in second mass transfer',
  EN_PARAS[0].replace('MEXICO CITY —', 'Mexico City (AP) -').replace('Tuesday,', 'Tuesday'),
  EN_PARAS[1].replace("attorney general's office", "Attorney General's Office"),
  EN_PARAS[2],
  EN_PARAS[3].toUpperCase().slice(0, 40) + EN_PARAS[3].slice(40),
  EN_PARAS[4],
  'Reporting by the wire desk; additional reporting by staff.',
].join('\n\n');

// Another outlet's own report of the same event: same facts, different wording.
const EN_OTHER_OUTLET = `US receives 26 alleged cartel operatives from Mexico in new mass extradition

Twenty-six people facing drug trafficking and arms charges arrived in the United States on Tuesday after Mexico agreed to hand them over, in what U.S. officials called the second such operation of the year.
Mexican Air Force planes carried the prisoners to Texas, New York and Virginia, the Mexican Attorney General said in a statement.
The group reportedly includes two senior figures from the Jalisco New Generation Cartel and a financier accused of laundering fentanyl money via exchange bureaus since 2019.
U.S. Justice officials said the detainees will be arraigned in federal court in the coming days and that the government will ask that they be held without bail.
Mexican authorities insisted the move was their own decision and had nothing to do with tariff threats from Washington.`;

const EN_UNRELATED = `Storm brings heavy rain to the Gulf coast as forecasters watch a second system

Forecasters said a slow-moving storm would drop up to ten inches of rain on parts of the Gulf coast through Thursday, raising the risk of flash floods in low-lying neighbourhoods.
Schools in three counties closed early and officials opened shelters for residents whose homes flooded during a similar storm last autumn.
A second system far out in the Atlantic had a low chance of strengthening over the next week, the hurricane center said.`;

const ES_TITLE = 'México entrega a 26 presuntos integrantes de cárteles a Estados Unidos';
const ES_PARAS = [
  'CIUDAD DE MÉXICO.— El gobierno de México envió este martes a 26 presuntos integrantes de organizaciones criminales a Estados Unidos, en el segundo traslado masivo del año, informaron autoridades de ambos países.',
  'Los detenidos fueron trasladados desde varios penales federales en aeronaves de la Fuerza Aérea Mexicana hacia aeropuertos de Texas, Nueva York y Virginia, de acuerdo con la Fiscalía General de la República.',
  'Entre ellos figuran dos mandos regionales del Cártel de Jalisco Nueva Generación y un operador financiero buscado desde 2019 por mover ganancias del fentanilo a través de casas de cambio.',
  'El Departamento de Justicia señaló que los acusados comparecerán ante jueces federales esta semana y que la fiscalía pedirá que permanezcan en prisión hasta el juicio.',
  'Funcionarios del gabinete de seguridad afirmaron que la decisión fue soberana y negaron que respondiera a las presiones arancelarias de Washington.',
  'En febrero, un primer grupo incluyó a uno de los fundadores del Cártel de Sinaloa, quien pasó décadas en prisiones mexicanas.',
];
const ES_ORIGINAL = `${ES_TITLE}\n\n${ES_PARAS.join('\n\n')}`;
const ES_COPY = [
  'Envían a EU a 26 reos ligados al narco en segundo envío masivo',
  ES_PARAS[0].replace('CIUDAD DE MÉXICO.—', 'Ciudad de Mexico (Agencias).').replace('México', 'Mexico'),
  ES_PARAS[1].replace('Fiscalía General de la República', 'FISCALIA GENERAL DE LA REPUBLICA'),
  ES_PARAS[2],
  ES_PARAS[3],
  ES_PARAS[4],
  'Con información de agencias.',
].join('\n\n');
const ES_OTHER_OUTLET = `Llegan a Estados Unidos 26 reos enviados por México; es el segundo envío del año

Veintiséis personas acusadas de narcotráfico y tráfico de armas aterrizaron el martes en territorio estadounidense luego de que el gobierno mexicano aceptara entregarlas.
Según la FGR, aviones militares mexicanos llevaron a los reos a Texas, Nueva York y Virginia.
En el grupo habría dos jefes de plaza del CJNG y un financiero que desde 2019 lavaba dinero del fentanilo con casas de cambio, según fuentes estadounidenses.
La Justicia de Estados Unidos informó que los detenidos serán presentados ante tribunales federales en los próximos días.
Las autoridades mexicanas sostuvieron que se trató de una decisión propia, sin relación con la amenaza de aranceles.`;

const T0 = new Date('2025-08-12T14:00:00Z');
const later = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** Deterministic pseudo-random 32-bit values (for constructed sets). */
function* stream(seed: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    yield (z ^ (z >>> 15)) >>> 0;
  }
}

describe('folding and shingles', () => {
  it('folds case, accents and punctuation', () => {
    expect(foldText('¿Qué dijo el Presidente?  «México», don’t stop—NOW!')).toBe('que dijo el presidente mexico dont stop now');
    expect(foldText('Niño, ÁRBOL: Ñandú.')).toBe('nino arbol nandu');
  });

  it('gives identical shingles for case/punctuation/accent variants', () => {
    expect(Array.from(shingleHashes('La Fiscalía General, en México.'))).toEqual(
      Array.from(shingleHashes('la FISCALIA general en Mexico')),
    );
  });
});

describe('signature', () => {
  it('has 128 positions, is deterministic and equal texts estimate 1', () => {
    const a = signature(EN_ORIGINAL);
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a.length).toBe(NUM_HASHES);
    expect(Array.from(signature(EN_ORIGINAL))).toEqual(Array.from(a));
    expect(estimateJaccard(a, signature(EN_ORIGINAL))).toBe(1);
  });

  it('is insensitive to case, accents and punctuation', () => {
    const a = signature(ES_ORIGINAL);
    const b = signature(foldText(ES_ORIGINAL).toUpperCase());
    expect(estimateJaccard(a, b)).toBe(1);
  });

  it('treats two empty texts as not similar', () => {
    expect(estimateJaccard(signature(''), signature('   ...  '))).toBe(0);
  });

  it('estimates Jaccard exactly as the position-by-position definition, empty positions included', () => {
    const EMPTY = 0x7fffffff;
    // The definition: positions where both are empty count for nothing; two empty signatures give 0.
    const reference = (a: Uint32Array, b: Uint32Array) => {
      let same = 0;
      let used = 0;
      for (let i = 0; i < a.length; i++) {
        if (a[i] === EMPTY && b[i] === EMPTY) continue;
        used++;
        if (a[i] === b[i]) same++;
      }
      return used === 0 ? 0 : same / used;
    };
    let x = 7;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 2000; k++) {
      const a = new Uint32Array(NUM_HASHES);
      const b = new Uint32Array(NUM_HASHES);
      const emptyRate = k % 4; // none, a few, many, almost all
      for (let i = 0; i < NUM_HASHES; i++) {
        a[i] = next() % 8 < emptyRate * 2 ? EMPTY : next() % 4;
        b[i] = next() % 8 < emptyRate * 2 ? EMPTY : next() % 4 === 0 ? a[i] : next() % 4;
      }
      expect(estimateJaccard(a, b)).toBe(reference(a, b));
    }
    const empty = new Uint32Array(NUM_HASHES).fill(EMPTY);
    expect(estimateJaccard(empty, empty)).toBe(reference(empty, empty));
  });

  it('estimates the true Jaccard of constructed sets within 0.1', () => {
    const errors: number[] = [];
    for (const [size, truth] of [
      [200, 0.1], [300, 0.25], [150, 0.4], [500, 0.5], [250, 0.6], [400, 0.75], [120, 0.85], [600, 0.95],
    ] as const) {
      const gen = stream(size * 7919 + Math.round(truth * 1000));
      const shared = Math.round(size * truth);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < shared; i++) {
        const v = gen.next().value as number;
        a.push(v);
        b.push(v);
      }
      for (let i = shared; i < size; i++) ((i & 1) === 0 ? a : b).push(gen.next().value as number);
      const est = estimateJaccard(signatureOfHashes(a), signatureOfHashes(b));
      const err = Math.abs(est - shared / size);
      errors.push(err);
      expect(err, `size ${size} J ${truth}: estimate ${est}`).toBeLessThanOrEqual(0.1);
    }
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    expect(mean).toBeLessThan(0.05);
  });

  it('estimates containment from Jaccard and sizes', () => {
    // |A| = 100, |B| = 80, B ⊂ A: J = 0.8, containment 1.
    expect(estimateContainment(0.8, 100, 80)).toBeCloseTo(1, 5);
    expect(estimateContainment(0, 100, 80)).toBe(0);
    expect(estimateContainment(0.5, 0, 80)).toBe(0);
  });
});

describe('LSH parameters', () => {
  it('finds copies with high probability and rarely pairs below 0.3', () => {
    expect(candidateProbability(0.7)).toBeGreaterThan(0.98);
    expect(candidateProbability(0.6)).toBeGreaterThan(0.85);
    expect(candidateProbability(0.3)).toBeLessThan(0.07);
    expect(candidateProbability(0.1)).toBeLessThan(0.001);
  });

  it('rejects impossible banding', () => {
    expect(() => createDuplicateIndex({ bands: 40, rows: 4 })).toThrow(RangeError);
  });
});

describe('duplicate index', () => {
  function seeded() {
    const index = createDuplicateIndex();
    index.add('en-orig', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    index.add('es-orig', fingerprint(ES_ORIGINAL), { publishedAt: later(5) });
    index.add('en-other', fingerprint(EN_OTHER_OUTLET), { publishedAt: later(10) });
    index.add('es-other', fingerprint(ES_OTHER_OUTLET), { publishedAt: later(12) });
    index.add('storm', fingerprint(EN_UNRELATED), { publishedAt: later(15) });
    return index;
  }

  it('matches a syndicated English copy (new headline, trimmed paragraph, credit line, case changes)', () => {
    const index = seeded();
    const hit = index.findDuplicate(EN_COPY, later(60));
    expect(hit?.id).toBe('en-orig');
    // True Jaccard of this pair is 0.68 (a 30-word paragraph of 185 shingles is gone): accepted through
    // the containment check, which the sizes in a fingerprint make possible.
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.55);
    expect(index.candidates(signature(EN_COPY))).toContain('en-orig');
  });

  it('matches a syndicated Spanish copy', () => {
    const index = seeded();
    expect(index.findDuplicate(ES_COPY, later(60))?.id).toBe('es-orig');
  });

  it('matches by bare signature too (Jaccard threshold only, no sizes)', () => {
    const index = createDuplicateIndex();
    index.add('en-orig', signature(EN_ORIGINAL), { publishedAt: T0 });
    const relabelled = EN_ORIGINAL.replace(EN_TITLE, 'Second mass transfer sends 26 to U.S. courts') + '\n\n(c) Wire service.';
    expect(index.findDuplicate(signature(relabelled), later(60))?.id).toBe('en-orig');
    // The trimmed copy needs the sizes: with a bare signature it falls below 0.7 ...
    expect(index.findDuplicate(signature(EN_COPY), later(60))).toBeNull();
    // ... and matches when the caller passes them (or a fingerprint, or the text).
    const fp = fingerprint(EN_COPY);
    index.add('en-orig-2', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    expect(index.findDuplicate(fp.signature, later(60), { shingles: fp.shingles, words: fp.words })?.id).toBe('en-orig-2');
  });

  it('does not match other outlets reporting the same event, nor unrelated news, nor translations', () => {
    const index = createDuplicateIndex();
    index.add('en-orig', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    index.add('es-orig', fingerprint(ES_ORIGINAL), { publishedAt: T0 });
    expect(index.findDuplicate(EN_OTHER_OUTLET, later(30))).toBeNull();
    expect(index.findDuplicate(ES_OTHER_OUTLET, later(30))).toBeNull();
    expect(index.findDuplicate(EN_UNRELATED, later(30))).toBeNull();
    expect(estimateJaccard(signature(EN_ORIGINAL), signature(EN_OTHER_OUTLET))).toBeLessThan(0.2);
    expect(estimateJaccard(signature(ES_ORIGINAL), signature(ES_OTHER_OUTLET))).toBeLessThan(0.2);
  });

  it('returns the earliest matching item, and never a later one', () => {
    const index = createDuplicateIndex();
    index.add('copy-2', fingerprint(EN_COPY), { publishedAt: later(90) });
    index.add('orig', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    index.add('copy-1', fingerprint(EN_ORIGINAL + '\n\nThis story has been corrected.'), { publishedAt: later(30) });
    expect(index.findDuplicate(EN_ORIGINAL, later(120))?.id).toBe('orig');
    // Query published before everything stored: nothing earlier to be a copy of.
    expect(index.findDuplicate(EN_ORIGINAL, later(-10))).toBeNull();
    // Query between: only the original qualifies.
    expect(index.findDuplicate(EN_COPY, later(45))?.id).toBe('orig');
    // Excluding the article itself.
    expect(index.findDuplicate(fingerprint(EN_ORIGINAL), T0, { excludeId: 'orig' })).toBeNull();
  });

  it('matches a short feed item re-run under a new headline (containment check)', () => {
    const body =
      'Mexican marines arrested a regional leader of the Gulf cartel in a raid in Reynosa on Sunday, ' +
      'the navy said, adding that two rifles, a grenade launcher and several kilos of methamphetamine were seized at the house.';
    const index = createDuplicateIndex();
    index.add('orig', fingerprint(`Marines capture Gulf cartel boss in Reynosa. ${body}`), { publishedAt: T0 });
    expect(index.findDuplicate(`Navy says Gulf cartel chief held after border city raid ${body}`, later(20))?.id).toBe(
      'orig',
    );
  });

  it('never matches very short texts on their own', () => {
    const index = createDuplicateIndex();
    const short = 'Mexico extradites 26 suspects';
    index.add('s1', fingerprint(short), { publishedAt: T0 });
    expect(index.findDuplicate(short, later(5))).toBeNull();
    index.add('long', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    expect(index.findDuplicate(short, later(5))).toBeNull();
    expect(index.findDuplicate(signature(short), later(5), { words: 4 })).toBeNull();
  });

  it('removes items', () => {
    const index = seeded();
    expect(index.remove('en-orig')).toBe(true);
    expect(index.remove('en-orig')).toBe(false);
    expect(index.has('en-orig')).toBe(false);
    expect(index.findDuplicate(EN_COPY, later(60))).toBeNull();
    expect(index.candidates(signature(EN_ORIGINAL))).not.toContain('en-orig');
  });

  it('replaces an item added twice under one id', () => {
    const index = createDuplicateIndex();
    index.add('x', fingerprint(EN_UNRELATED), { publishedAt: T0 });
    index.add('x', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    expect(index.size).toBe(1);
    expect(index.findDuplicate(EN_COPY, later(5))?.id).toBe('x');
    expect(index.findDuplicate(EN_UNRELATED, later(5))).toBeNull();
  });

  it('evicts items older than the window, measured from the newest published time', () => {
    const day = 86_400_000;
    const index = createDuplicateIndex({ windowMs: 14 * day });
    index.add('old', fingerprint(EN_ORIGINAL), { publishedAt: T0 });
    index.add('mid', fingerprint(ES_ORIGINAL), { publishedAt: new Date(T0.getTime() + 5 * day) });
    expect(index.size).toBe(2);
    index.add('new', fingerprint(EN_UNRELATED), { publishedAt: new Date(T0.getTime() + 15 * day) });
    expect(index.has('old')).toBe(false);
    expect(index.has('mid')).toBe(true);
    expect(index.findDuplicate(EN_COPY, new Date(T0.getTime() + 15 * day))).toBeNull();
    expect(index.findDuplicate(ES_COPY, new Date(T0.getTime() + 15 * day))?.id).toBe('mid');
    expect(index.evict(new Date(T0.getTime() + 30 * day))).toBe(2);
    expect(index.size).toBe(0);
  });

  it('keeps at most maxItems, dropping the oldest published first', () => {
    const index = createDuplicateIndex({ maxItems: 3 });
    const gen = stream(99);
    const texts = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 40 }, () => `w${(gen.next().value as number) % 100000}`).join(' ') + ` item ${i}`,
    );
    // Out of order: item 4 is the oldest.
    index.add('i4', fingerprint(texts[4]), { publishedAt: later(-100) });
    for (let i = 0; i < 4; i++) index.add(`i${i}`, fingerprint(texts[i]), { publishedAt: later(i) });
    expect(index.size).toBe(3);
    expect(index.has('i4')).toBe(false);
    expect(index.has('i0')).toBe(false);
    expect(['i1', 'i2', 'i3'].every((id) => index.has(id))).toBe(true);
    expect(index.findDuplicate(texts[3], later(10))?.id).toBe('i3');
  });

  it('handles 5,000 adds and queries over random texts without false matches', () => {
    const index = createDuplicateIndex();
    const gen = stream(7);
    let found = 0;
    for (let i = 0; i < 5_000; i++) {
      const words = Array.from({ length: 60 }, () => `w${(gen.next().value as number) % 50000}`).join(' ');
      const fp = fingerprint(words);
      const at = new Date(T0.getTime() + i * 60_000);
      if (index.findDuplicate(fp, at)) found++;
      index.add(`a${i}`, fp, { publishedAt: at });
    }
    expect(found).toBe(0);
    expect(index.size).toBe(5_000);
  });
});
