import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// Structural checks over the hand-written beat pack (actors, events, topics, lexicon).
// The pack loader in src/kb/ reads the same files; these tests keep the data honest on its own.

const PACK = new URL('../../beats/us-mexico-security/', import.meta.url);

function load(name: string): any {
  return parse(readFileSync(new URL(name, PACK), 'utf8'));
}

interface Role {
  title: string;
  title_es?: string;
  org?: string;
  from?: string | number | null;
  to?: string | number | null;
  source?: string;
}
interface Relation {
  type: string;
  target: string;
  source?: string;
}
interface Actor {
  id: string;
  name: string;
  type: string;
  country: string;
  aliases?: string[];
  ambiguous_aliases?: string[];
  roles?: Role[];
  stance?: string;
  summary?: string;
  relations?: Relation[];
  sources: string[];
}
interface BeatEvent {
  id: string;
  date: string | number;
  end_date?: string | number | null;
  title: string;
  title_es: string;
  description: string;
  actors: string[];
  topics: string[];
  places?: string[];
  sources: string[];
}
interface Topic {
  id: string;
  name: string;
  name_es: string;
  terms_en: string[];
  terms_es: string[];
}

const actors: Actor[] = load('actors.yaml').actors;
const events: BeatEvent[] = load('events.yaml').events;
const topics: Topic[] = load('topics.yaml').topics;
const lexicon = load('lexicon.yaml');

const ACTOR_TYPES = new Set([
  'person', 'government', 'agency', 'military', 'cartel', 'faction', 'gang', 'operation',
  'program', 'legislature', 'court', 'party', 'term', 'place',
]);
const RELATION_TYPES = new Set([
  'leads', 'member_of', 'faction_of', 'successor_of', 'predecessor_of', 'allied_with', 'rival_of',
  'part_of', 'reports_to', 'counterpart_of', 'led_by', 'founded', 'designated_by',
]);
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const URL_RE = /^https?:\/\/\S+$/;

/** Case- and accent-insensitive key, as a gazetteer would compare names. */
function norm(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** YYYY, YYYY-MM or YYYY-MM-DD, and a real calendar date. A bare year may come back from YAML as a number. */
function isIsoDate(value: unknown): boolean {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  if (m[2] === undefined) return year >= 1900 && year <= 2100;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Strong names (canonical name + aliases) -> ids that claim them. */
function strongIndex(): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const a of actors) {
    for (const alias of [a.name, ...(a.aliases ?? [])]) {
      const key = norm(alias);
      if (!index.has(key)) index.set(key, new Set());
      index.get(key)!.add(a.id);
    }
  }
  return index;
}

const actorIds = new Set(actors.map((a) => a.id));
const topicIds = new Set(topics.map((t) => t.id));
const byId = new Map(actors.map((a) => [a.id, a]));

const STRONG = strongIndex();

function resolve(name: string): string | undefined {
  const ids = STRONG.get(norm(name));
  return ids && ids.size === 1 ? [...ids][0] : undefined;
}

describe('beats/us-mexico-security/actors.yaml', () => {
  it('has at least 70 actors with unique kebab-case ids', () => {
    expect(actors.length).toBeGreaterThanOrEqual(70);
    const seen = new Set<string>();
    for (const a of actors) {
      expect(a.id, JSON.stringify(a)).toMatch(KEBAB);
      expect(seen.has(a.id), `duplicate actor id ${a.id}`).toBe(false);
      seen.add(a.id);
    }
  });

  it('gives every actor a name, a known type, a country and a summary', () => {
    for (const a of actors) {
      expect(typeof a.name === 'string' && a.name.length > 0, a.id).toBe(true);
      expect(ACTOR_TYPES.has(a.type), `${a.id}: type ${a.type}`).toBe(true);
      expect(a.country, a.id).toMatch(/^[a-z]{2,4}$/);
      expect(typeof a.summary === 'string' && a.summary.length > 20, `${a.id}: summary`).toBe(true);
    }
  });

  it('gives every actor at least one http(s) source, and only URLs as sources', () => {
    for (const a of actors) {
      expect(Array.isArray(a.sources) && a.sources.length > 0, `${a.id}: no sources`).toBe(true);
      for (const s of a.sources) expect(s, a.id).toMatch(URL_RE);
      for (const r of a.roles ?? []) if (r.source != null) expect(r.source, `${a.id} role`).toMatch(URL_RE);
      for (const r of a.relations ?? []) if (r.source != null) expect(r.source, `${a.id} relation`).toMatch(URL_RE);
    }
  });

  it('uses lists of non-empty strings for aliases', () => {
    for (const a of actors) {
      for (const key of ['aliases', 'ambiguous_aliases'] as const) {
        const list = a[key];
        if (list === undefined) continue;
        expect(Array.isArray(list), `${a.id}.${key}`).toBe(true);
        for (const alias of list) expect(typeof alias === 'string' && alias.trim().length > 0, `${a.id}.${key}`).toBe(true);
      }
    }
  });

  it('has valid roles: title, optional org id, ISO dates, from <= to', () => {
    for (const a of actors) {
      for (const r of a.roles ?? []) {
        expect(typeof r.title === 'string' && r.title.length > 0, `${a.id} role title`).toBe(true);
        if (r.org != null) expect(actorIds.has(r.org), `${a.id} role org ${r.org}`).toBe(true);
        if (r.from != null) expect(isIsoDate(r.from), `${a.id} role from ${r.from}`).toBe(true);
        if (r.to != null) expect(isIsoDate(r.to), `${a.id} role to ${r.to}`).toBe(true);
        if (r.from != null && r.to != null) {
          expect(String(r.from) <= String(r.to), `${a.id} role ${r.from} > ${r.to}`).toBe(true);
        }
      }
    }
  });

  it('has relations of known types pointing at existing actors (never at themselves)', () => {
    for (const a of actors) {
      for (const r of a.relations ?? []) {
        expect(RELATION_TYPES.has(r.type), `${a.id}: relation type ${r.type}`).toBe(true);
        expect(actorIds.has(r.target), `${a.id}: relation target ${r.target}`).toBe(true);
        expect(r.target, `${a.id}: self relation`).not.toBe(a.id);
      }
    }
  });

  it('shares no strong alias between two actors (case- and accent-insensitive)', () => {
    const clashes: string[] = [];
    for (const [alias, ids] of STRONG) {
      if (ids.size > 1) clashes.push(`${alias}: ${[...ids].join(', ')}`);
    }
    expect(clashes).toEqual([]);
  });

  it('keeps common words and shared surnames out of the strong aliases', () => {
    const mustBeAmbiguous = [
      'Mayo', 'Marina', 'Defensa', 'Fiscalía', 'Fiscalia', 'Ejército', 'Rubio', 'Morena',
      'la presidenta', 'National Guard', 'Washington', 'Congress', 'Supreme Court', 'Zambada',
      'Joaquín Guzmán', 'Oseguera', 'Inzunza', 'Treasury', 'Sagitario', 'CDN', 'CDG',
    ];
    const strong = STRONG;
    for (const word of mustBeAmbiguous) {
      expect(strong.has(norm(word)), `"${word}" must only be an ambiguous alias`).toBe(false);
    }
    const ambiguous = new Set(actors.flatMap((a) => (a.ambiguous_aliases ?? []).map(norm)));
    for (const word of ['Mayo', 'Marina', 'Defensa', 'Fiscalía', 'Rubio', 'Morena']) {
      expect(ambiguous.has(norm(word)), `"${word}" should be listed under ambiguous_aliases`).toBe(true);
    }
  });

  it('resolves Spanish and English cartel names, accented and unaccented, to the right ids', () => {
    const expected: Record<string, string> = {
      'Cártel de Jalisco Nueva Generación': 'cjng',
      'Cartel de Jalisco Nueva Generacion': 'cjng',
      'Cártel Jalisco Nueva Generación': 'cjng',
      'Jalisco New Generation Cartel': 'cjng',
      'Jalisco cartel': 'cjng',
      CJNG: 'cjng',
      'El Mencho': 'nemesio-oseguera-cervantes',
      'Cártel de Sinaloa': 'sinaloa-cartel',
      'Cartel de Sinaloa': 'sinaloa-cartel',
      'Sinaloa Cartel': 'sinaloa-cartel',
      'Los Chapitos': 'los-chapitos',
      'La Chapiza': 'los-chapitos',
      'La Mayiza': 'la-mayiza',
      'El Mayo': 'ismael-zambada-garcia',
      'El Chapo': 'joaquin-guzman-loera',
      'El Ratón': 'ovidio-guzman-lopez',
      'El Raton': 'ovidio-guzman-lopez',
      'Cártel del Golfo': 'cartel-del-golfo',
      'Cartel del Golfo': 'cartel-del-golfo',
      'Gulf Cartel': 'cartel-del-golfo',
      'Cártel del Noreste': 'cartel-del-noreste',
      'Cartel del Noreste': 'cartel-del-noreste',
      'La Nueva Familia Michoacana': 'nueva-familia-michoacana',
      'Familia Michoacana': 'nueva-familia-michoacana',
      'Cárteles Unidos': 'carteles-unidos',
      'Carteles Unidos': 'carteles-unidos',
      'Beltrán Leyva': 'beltran-leyva-organization',
      'Beltran Leyva': 'beltran-leyva-organization',
      'Cártel de los Soles': 'cartel-de-los-soles',
      'Cartel de los Soles': 'cartel-de-los-soles',
      'Tren de Aragua': 'tren-de-aragua',
      'Mara Salvatrucha': 'ms-13',
      AMLO: 'andres-manuel-lopez-obrador',
      Harfuch: 'omar-garcia-harfuch',
      Sheinbaum: 'claudia-sheinbaum',
      SEDENA: 'sedena',
      'Guardia Nacional': 'guardia-nacional',
      'Gulf of America': 'gulf-of-america',
      'Golfo de México': 'gulf-of-america',
      'T-MEC': 'usmca',
      FTO: 'fto',
      'fentanyl WMD order': 'fentanyl-wmd-order',
      'mañanera': 'mananera',
      narcobloqueos: 'narcobloqueos',
    };
    for (const [name, id] of Object.entries(expected)) {
      expect(resolve(name), name).toBe(id);
    }
    // The literal spellings, not only their normalized forms, are listed for the cartels.
    const literal = (id: string) => new Set([byId.get(id)!.name, ...(byId.get(id)!.aliases ?? [])]);
    for (const [id, forms] of Object.entries({
      cjng: ['Cártel de Jalisco Nueva Generación', 'Cartel de Jalisco Nueva Generacion', 'CJNG'],
      'sinaloa-cartel': ['Cártel de Sinaloa', 'Cartel de Sinaloa'],
      'cartel-del-golfo': ['Cártel del Golfo', 'Cartel del Golfo'],
      'cartel-del-noreste': ['Cártel del Noreste', 'Cartel del Noreste'],
      'carteles-unidos': ['Cárteles Unidos', 'Carteles Unidos'],
      'nemesio-oseguera-cervantes': ['El Mencho'],
    })) {
      for (const form of forms) expect(literal(id).has(form), `${id} lists "${form}"`).toBe(true);
    }
  });
});

describe('beats/us-mexico-security/events.yaml', () => {
  it('has at least 90 events with unique ids', () => {
    expect(events.length).toBeGreaterThanOrEqual(90);
    const seen = new Set<string>();
    for (const e of events) {
      expect(e.id, JSON.stringify(e)).toMatch(KEBAB);
      expect(seen.has(e.id), `duplicate event id ${e.id}`).toBe(false);
      seen.add(e.id);
    }
  });

  it('has ISO dates, with end_date (when set) not before date', () => {
    for (const e of events) {
      expect(isIsoDate(e.date), `${e.id}: date ${e.date}`).toBe(true);
      if (e.end_date != null) {
        expect(isIsoDate(e.end_date), `${e.id}: end_date ${e.end_date}`).toBe(true);
        expect(String(e.end_date) >= String(e.date), `${e.id}: end_date before date`).toBe(true);
      }
    }
  });

  it('has bilingual titles, a description and http(s) sources', () => {
    for (const e of events) {
      expect(typeof e.title === 'string' && e.title.length > 0, `${e.id}: title`).toBe(true);
      expect(typeof e.title_es === 'string' && e.title_es.length > 0, `${e.id}: title_es`).toBe(true);
      expect(typeof e.description === 'string' && e.description.length > 20, `${e.id}: description`).toBe(true);
      expect(Array.isArray(e.sources) && e.sources.length > 0, `${e.id}: sources`).toBe(true);
      for (const s of e.sources) expect(s, e.id).toMatch(URL_RE);
    }
  });

  it('references only existing actor and topic ids', () => {
    for (const e of events) {
      expect(e.actors.length, `${e.id}: no actors`).toBeGreaterThan(0);
      expect(e.topics.length, `${e.id}: no topics`).toBeGreaterThan(0);
      for (const id of e.actors) expect(actorIds.has(id), `${e.id}: unknown actor ${id}`).toBe(true);
      for (const id of e.topics) expect(topicIds.has(id), `${e.id}: unknown topic ${id}`).toBe(true);
      expect(new Set(e.actors).size, `${e.id}: repeated actor`).toBe(e.actors.length);
    }
  });
});

describe('beats/us-mexico-security/topics.yaml', () => {
  const required = [
    'designations', 'military-action', 'transfers-extraditions', 'fentanyl', 'tariffs-trade', 'sovereignty',
    'border-security', 'boat-strikes', 'prosecutions', 'cartel-violence', 'intelligence', 'venezuela',
    'security-cooperation', 'world-cup-security', 'arms-trafficking', 'money-laundering-finance',
  ];

  it('has every required topic, with unique ids', () => {
    expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length);
    for (const id of required) expect(topicIds.has(id), id).toBe(true);
  });

  it('gives each topic names and 8 to 25 distinct terms per language, lowercase except acronyms', () => {
    for (const t of topics) {
      expect(t.name && t.name_es, t.id).toBeTruthy();
      for (const key of ['terms_en', 'terms_es'] as const) {
        const terms = t[key];
        expect(terms.length, `${t.id}.${key}`).toBeGreaterThanOrEqual(8);
        expect(terms.length, `${t.id}.${key}`).toBeLessThanOrEqual(25);
        expect(new Set(terms.map(norm)).size, `${t.id}.${key} has repeats`).toBe(terms.length);
        for (const term of terms) {
          // Every capital letter must sit in a word that is an acronym-like token (FTO, T-MEC, FinCEN, H.Res.168...).
          const ok = term.split(/\s+/).every((w) => w === w.toLowerCase() || /[A-Z].*[A-Z]/.test(w));
          expect(ok, `${t.id}.${key}: "${term}"`).toBe(true);
        }
      }
    }
  });
});

describe('beats/us-mexico-security/lexicon.yaml', () => {
  function checkWeights(map: Record<string, unknown>, label: string, min: number) {
    const entries = Object.entries(map ?? {});
    expect(entries.length, label).toBeGreaterThanOrEqual(min);
    const keys = new Set<string>();
    for (const [term, weight] of entries) {
      expect(typeof weight === 'number' && weight >= 0.5 && weight <= 3.0, `${label}: ${term} = ${weight}`).toBe(true);
      expect(keys.has(norm(term)), `${label}: ${term} repeated`).toBe(false);
      keys.add(norm(term));
    }
  }

  it('has at least 120 weighted positive terms per language', () => {
    checkWeights(lexicon.positive.en, 'positive.en', 120);
    checkWeights(lexicon.positive.es, 'positive.es', 120);
  });

  it('has at least 40 weighted negative terms per language', () => {
    checkWeights(lexicon.negative.en, 'negative.en', 40);
    checkWeights(lexicon.negative.es, 'negative.es', 40);
  });

  it('has at least 40 anchors per language', () => {
    for (const lang of ['en', 'es']) {
      const list: string[] = lexicon.anchors[lang];
      expect(Array.isArray(list), lang).toBe(true);
      expect(list.length, lang).toBeGreaterThanOrEqual(40);
      expect(new Set(list.map(norm)).size, `${lang} anchors repeat`).toBe(list.length);
    }
  });

  it('does not list a term as both positive and negative in one language', () => {
    for (const lang of ['en', 'es']) {
      const pos = new Set(Object.keys(lexicon.positive[lang]).map(norm));
      const both = Object.keys(lexicon.negative[lang]).filter((t) => pos.has(norm(t)));
      expect(both, lang).toEqual([]);
    }
  });

  it('includes the core beat signals in both languages', () => {
    for (const t of ['fentanyl', 'cartel', 'foreign terrorist organization', 'CJNG', 'Sinaloa Cartel']) {
      expect(lexicon.positive.en[t], `en ${t}`).toBeDefined();
    }
    for (const t of ['fentanilo', 'cártel', 'organización terrorista extranjera', 'CJNG', 'Cártel de Sinaloa']) {
      expect(lexicon.positive.es[t], `es ${t}`).toBeDefined();
    }
  });
});
