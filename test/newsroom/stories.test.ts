import { describe, expect, it } from 'vitest';
import { createStoryIndex, type StoryInput } from '../../src/newsroom/stories.ts';
import { articleFeatures, numbersOf } from '../../src/newsroom/stories-features.ts';

// Short invented reports, written for these tests.
const H = 3_600_000;
const T0 = Date.parse('2025-03-10T14:00:00Z');
let counter = 0;
function article(p: Partial<StoryInput> & { title: string; text: string; hours: number }): StoryInput {
  counter++;
  const id = p.id ?? (counter.toString(16).padStart(4, '0') + 'abcdef0123456789').slice(0, 16);
  return {
    id,
    publishedAt: new Date(T0 + p.hours * H),
    language: p.language ?? 'en',
    title: p.title,
    text: p.text,
    actors: p.actors ?? [],
    duplicateOf: p.duplicateOf ?? null,
  };
}

const TRANSFER_A = () =>
  article({
    hours: 0,
    title: 'Mexico sends 31 cartel prisoners to the United States',
    text: 'Mexico flew 31 people accused of drug trafficking to the United States on Monday, the security cabinet said. Among them were two Gulf Cartel commanders and a Sinaloa Cartel money launderer wanted in Texas.',
    actors: ['mexico-government', 'security-cabinet', 'cartel-del-golfo', 'sinaloa-cartel'],
  });
const TRANSFER_B = () =>
  article({
    hours: 3,
    title: 'Gulf Cartel bosses among 31 flown from Mexico to U.S. courts',
    text: 'Two leaders of the Gulf Cartel were among 31 prisoners Mexico handed to U.S. authorities, officials said. The transfer of the prisoners is the largest this year, and the defendants will appear in Texas and New York.',
    actors: ['cartel-del-golfo', 'mexico-government', 'us-justice-department'],
  });
const TRANSFER_ES = () =>
  article({
    hours: 5,
    language: 'es',
    title: 'México entrega a 31 reos a Estados Unidos; hay mandos del Cártel del Golfo',
    text: 'El gabinete de seguridad informó que 31 personas acusadas de narcotráfico fueron enviadas a Estados Unidos. Entre ellas figuran dos jefes del Cártel del Golfo y un operador financiero del Cártel de Sinaloa.',
    actors: ['security-cabinet', 'cartel-del-golfo', 'sinaloa-cartel', 'mexico-government'],
  });
const DAIRY = () =>
  article({
    hours: 4,
    title: 'Wisconsin cheese makers brace for new dairy rules in Ottawa',
    text: 'Cheese makers in Wisconsin said a Canadian quota change would cut their exports by a fifth. Farm groups asked the trade office to raise the matter at talks next month.',
    actors: ['cand:wisconsin', 'cand:ottawa'],
  });

describe('story index', () => {
  it('joins two outlets reporting the same event', () => {
    const idx = createStoryIndex();
    const a = idx.assign(TRANSFER_A());
    const b = idx.assign(TRANSFER_B());
    expect(a.isNew).toBe(true);
    expect(b.isNew).toBe(false);
    expect(b.storyId).toBe(a.storyId);
    expect(b.reasons.join(' ')).toMatch(/cartel-del-golfo/);
    expect(idx.story(a.storyId)!.articleIds).toHaveLength(2);
  });

  it('joins an English and a Spanish report through shared actors and numbers', () => {
    const idx = createStoryIndex();
    const a = idx.assign(TRANSFER_A());
    const es = idx.assign(TRANSFER_ES());
    expect(es.storyId).toBe(a.storyId);
    const why = es.reasons.join(' ');
    expect(why).toMatch(/numbers [^;]*31/);
    expect(why).toMatch(/actors [^;]*security-cabinet/);
  });

  it('starts a new story for a look-alike event three weeks later with the same actors', () => {
    const idx = createStoryIndex();
    const first = idx.assign(TRANSFER_A());
    idx.assign(TRANSFER_B());
    const later = idx.assign({
      ...TRANSFER_A(),
      id: 'ffee000011112222',
      publishedAt: new Date(T0 + 21 * 24 * H),
      title: 'Mexico sends 24 more cartel prisoners to the United States',
      text: 'Mexico flew 24 people accused of drug trafficking to the United States on Tuesday, the security cabinet said. Gulf Cartel and Sinaloa Cartel figures were among them.',
    });
    expect(later.isNew).toBe(true);
    expect(later.storyId).not.toBe(first.storyId);
  });

  it('puts a syndicated copy into its original story, whatever its headline', () => {
    const idx = createStoryIndex();
    const orig = TRANSFER_A();
    const a = idx.assign(orig);
    idx.assign(DAIRY());
    const copy = idx.assign({ ...orig, id: '99aa99aa99aa99aa', title: 'Wire: a big week for the security cabinet', duplicateOf: orig.id, publishedAt: new Date(T0 + 40 * H) });
    expect(copy.storyId).toBe(a.storyId);
    expect(copy.reasons[0]).toMatch(/duplicate/);
    expect(idx.story(a.storyId)!.articleIds).toEqual([orig.id, '99aa99aa99aa99aa']);
  });

  it('keeps unrelated articles apart', () => {
    const idx = createStoryIndex();
    const a = idx.assign(TRANSFER_A());
    const d = idx.assign(DAIRY());
    const storm = idx.assign(
      article({
        hours: 6,
        title: 'Tropical storm to bring heavy rain to Veracruz and Tamaulipas',
        text: 'Forecasters said the storm could drop 30 centimetres of rain on the Gulf coast through Thursday. Schools in Tampico will close.',
        actors: ['cand:veracruz', 'cand:tampico'],
      }),
    );
    expect(new Set([a.storyId, d.storyId, storm.storyId]).size).toBe(3);
    expect(d.isNew && storm.isNew).toBe(true);
    expect(idx.size()).toBe(3);
  });

  it('derives story ids deterministically from the founding article id', () => {
    const run = () => {
      const idx = createStoryIndex();
      return [TRANSFER_A(), TRANSFER_B(), DAIRY()].map((x, i) => idx.assign({ ...x, id: `${i}0f1e2d3c4b5a697` }).storyId);
    };
    const one = run();
    expect(one).toEqual(run());
    expect(one[0]).toBe('s00f1e2d3c4');
    expect(one[1]).toBe('s00f1e2d3c4');
    expect(one[2]).toBe('s20f1e2d3c4');
  });

  it('continues a restored story after a restart', () => {
    const before = createStoryIndex();
    const a = TRANSFER_A();
    const sid = before.assign(a).storyId;
    const after = createStoryIndex();
    after.restore(a, sid);
    expect(after.story(sid)!.articleIds).toEqual([a.id]);
    const b = after.assign(TRANSFER_B());
    expect(b.storyId).toBe(sid);
    expect(after.story(sid)!.articleIds).toHaveLength(2);
    expect(after.story(sid)!.actors.get('cartel-del-golfo')).toBe(2);
  });

  it('evicts stories idle beyond the window', () => {
    const TOPICS = Array.from({ length: 100 }, (_, k) => `topic${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + Math.floor(k / 26))}word`);
    const idx = createStoryIndex({ windowHours: 48 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(idx.assign(article({ hours: i * 24, title: `${TOPICS[i]} ${TOPICS[i + 20]} ${TOPICS[i + 40]}`, text: `${TOPICS[i + 60]} ${TOPICS[i + 80]}.`, actors: [`cand:town${i}`] })).storyId);
      idx.evict(new Date(T0 + i * 24 * H));
    }
    // Stories whose last article is within 48 h of the last article survive: at most three.
    expect(idx.size()).toBeLessThanOrEqual(3);
    expect(idx.size()).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(20);
    expect(ids.slice(0, 17).every((id) => idx.story(id) === undefined)).toBe(true);
    expect(idx.story(ids[19]!)).toBeDefined();
  });

  it('does not join a story whose last article is beyond the window', () => {
    const idx = createStoryIndex({ windowHours: 48 });
    const a = idx.assign(TRANSFER_A());
    const b = idx.assign({ ...TRANSFER_B(), publishedAt: new Date(T0 + 60 * H) });
    expect(b.storyId).not.toBe(a.storyId);
  });
});

describe('story features', () => {
  it('normalises numbers across formats and languages', () => {
    const n = (s: string) => [...numbersOf(s)].sort();
    expect(n('$15 million')).toEqual(n('15 millones de dólares'));
    expect(n('10,000 troops')).toEqual(n('10.000 elementos'));
    expect(n('100 mil elementos')).toEqual(n('100,000 personnel'));
    expect(n('a 25% tariff')).toEqual(n('un arancel de 25 por ciento'));
    expect(n('$15 billion')).toEqual(n('15 mil millones'));
    expect(n('400 millas')).toEqual(['n:400']);
  });

  it('reads dates and number words in both languages', () => {
    const en = articleFeatures('Transfer on Feb. 27', 'Mexico sent twenty-nine, not three, people.').numbers;
    const es = articleFeatures('Traslado del 27 de febrero', 'México envió a tres personas.').numbers;
    expect(en.has('d:2-27')).toBe(true);
    expect(es.has('d:2-27')).toBe(true);
    expect(en.has('n:3') && es.has('n:3')).toBe(true);
  });
});
