import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../commands/index.ts';
import type { CommandDeps, Reply, ReplyLine } from '../../commands/types.ts';
import type { Stores } from '../../src/store/index.ts';
import { caller, LEARNED, seed } from './seed.ts';

let stores: Stores;
let deps: CommandDeps;
const ask = (line: string) => runCommandLine(line, caller, deps);
const lines = (r: Reply, heading?: string): ReplyLine[] =>
  r.sections.filter((s) => heading === undefined || s.heading === heading).flatMap((s) => s.lines ?? []);
const isHttp = (l: ReplyLine) => (l.links ?? []).some((k) => /^https?:\/\//.test(k.url));

beforeAll(async () => {
  ({ stores, deps } = await seed());
});
afterAll(async () => {
  await stores.db.close();
});

describe('/brief', () => {
  it('answers for a misspelt name with role, stance, aliases, relations, stories and quote, every line sourced', async () => {
    const r = await ask('/brief sheinbaun');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe('Claudia Sheinbaum Pardo');
    const fields = r.sections.flatMap((s) => s.fields ?? []);
    expect(fields.find((f) => f.name === 'Role')?.value).toBe('President of Mexico');
    expect(fields.find((f) => f.name === 'Since')?.value).toBe('2024-10-01');
    expect(fields.find((f) => f.name === 'Also known as')?.value).toContain('presidenta Sheinbaum');
    expect(lines(r, 'Stance')).toHaveLength(1);
    expect(lines(r, 'Related').length).toBeGreaterThan(0);
    const stories = lines(r, 'Latest stories');
    expect(stories.length).toBeGreaterThan(0);
    expect(stories.length).toBeLessThanOrEqual(3);
    expect(lines(r, 'Latest quote')[0]!.text).toContain('subordinación nunca');
    for (const l of lines(r)) expect(isHttp(l), l.text).toBe(true);
    expect(r.ephemeral).toBe(true);
  });

  it('keeps curated roles over learned ones and marks what the news added', async () => {
    // The news calls Sheinbaum "President": the curated "President of Mexico" wins, nothing learned is shown.
    const shein = lines(await ask('/brief Sheinbaum'), 'Roles');
    expect(shein.every((l) => !l.learned)).toBe(true);
    const mencho = lines(await ask('/brief mencho'), 'Roles');
    expect(mencho.some((l) => !l.learned)).toBe(true);
    const learned = mencho.filter((l) => l.learned);
    expect(learned.length).toBeGreaterThan(0);
    for (const l of learned) expect(isHttp(l)).toBe(true);
  });

  it('resolves Spanish and partial names: "cartel jalisco" is the CJNG', async () => {
    expect((await ask('/brief cartel jalisco')).title).toBe('Cártel de Jalisco Nueva Generación');
    expect((await ask('/brief Cártel de Sinaloa')).title).toBe((await ask('/brief cartel de sinaloa')).title);
  });

  it('briefs a person known only from the news: role as stated, stories, quote, all marked learned', async () => {
    const r = await ask('/brief aguilar quintero');
    expect(r.kind).toBe('answer');
    expect(r.title).toBe(LEARNED.name);
    const roles = lines(r, 'Role, as the news states it');
    expect(roles[0]!.text).toContain(LEARNED.role);
    expect(roles[0]!.learned).toBe(true);
    expect(isHttp(roles[0]!)).toBe(true);
    expect(lines(r, 'Latest stories')[0]!.text).toMatch(/Tapalpa/);
    expect(lines(r, 'Latest quote')[0]!.text).toContain('El despliegue se mantendrá');
  });

  it('briefs a topic by its Spanish name', async () => {
    const r = await ask('/brief fentanilo');
    expect(r.title).toBe('Fentanyl');
    expect(lines(r, 'Latest stories').every(isHttp)).toBe(true);
  });

  it('offers a choice list for an ambiguous name, each choice a command that resolves', async () => {
    const r = await ask('/brief Guzman');
    expect(r.kind).toBe('choices');
    expect(r.choices!.length).toBeGreaterThan(2);
    expect(r.choices!.every((c) => c.command.startsWith('/brief '))).toBe(true);
    const again = await ask(r.choices![0]!.command);
    expect(again.kind).toBe('answer');
  });

  it('never answers an unknown name with nothing', async () => {
    expect((await ask('/brief Sheinbom Pardoo')).title).toBe('Claudia Sheinbaum Pardo');
    for (const q of ['Napoleon Bonaparte', 'qqqxxzz']) {
      const r = await ask(`/brief ${q}`);
      expect(r.kind).toBe('choices');
      expect(r.choices!.length).toBeGreaterThan(0);
    }
  });
});

describe('/timeline', () => {
  it('merges curated events and stories, newest last, and pages back in time', async () => {
    const p1 = await ask('/timeline Sheinbaum');
    expect(p1.kind).toBe('answer');
    const l1 = lines(p1);
    const dates = l1.map((l) => l.date!.slice(0, 10));
    expect([...dates].sort()).toEqual(dates);
    expect(l1.some((l) => l.learned)).toBe(true);
    expect(l1.some((l) => !l.learned)).toBe(true);
    expect(l1.every(isHttp)).toBe(true);
    expect(p1.page!.index).toBe(1);
    expect(p1.page!.count).toBeGreaterThan(1);
    expect(p1.page!.next).toBe('/timeline Claudia Sheinbaum Pardo page 2');
    const p2 = await ask(p1.page!.next!);
    expect(p2.page!.index).toBe(2);
    expect(lines(p2).at(-1)!.date!.slice(0, 10) <= dates[0]!).toBe(true);
  });

  it('limits to a date or a period', async () => {
    const r = await ask('/timeline Sheinbaum since 2026-02-01');
    expect(lines(r).every((l) => l.date!.slice(0, 10) >= '2026-02')).toBe(true);
    const recent = await ask('/timeline transfers since 30d');
    expect(['answer', 'empty']).toContain(recent.kind);
    const bad = await ask('/timeline Sheinbaum since whenever');
    expect(bad.kind).toBe('error');
  });
});

describe('/quotes', () => {
  it('lists what someone said with date, outlet and link', async () => {
    const r = await ask('/quotes Brian Mast');
    expect(r.kind).toBe('answer');
    expect(lines(r)[0]!.text).toContain('on the menu');
    expect(lines(r)[0]!.date).toMatch(/^2026-/);
    expect(isHttp(lines(r)[0]!)).toBe(true);
  });

  it('filters by words, accents ignored', async () => {
    expect(lines(await ask('/quotes Sheinbaum about subordinacion'))[0]!.text).toContain('subordinación');
    expect((await ask('/quotes Sheinbaum about aranceles')).kind).toBe('empty');
  });

  it('finds quotes of a person known only from the news', async () => {
    expect(lines(await ask(`/quotes ${LEARNED.name}`))[0]!.text).toContain('despliegue');
  });
});

describe('/latest and /story', () => {
  it('lists the newest stories with importance and summary, paged', async () => {
    const r = await ask('/latest');
    expect(r.sections).toHaveLength(5);
    expect(r.page!.next).toBe('/latest page 2');
    const updated = r.sections.map((s) => s.lines!.at(-1)!.date!);
    expect([...updated].sort().reverse()).toEqual(updated);
    const p2 = await ask('/latest page 2');
    expect(p2.sections[0]!.heading).not.toBe(r.sections[0]!.heading);
  });

  it('filters by topic or actor', async () => {
    const r = await ask('/latest transfers');
    expect(r.title).toBe('Latest: Transfers and extraditions of cartel figures');
    expect(r.sections.length).toBeGreaterThan(0);
  });

  it('shows one story with summary, sources, actors and updates', async () => {
    const latest = await ask('/latest');
    const id = /story (\S+)$/.exec(latest.sections[0]!.lines!.at(-1)!.text.split(' · ')[1]!)![1]!;
    const r = await ask(`/story ${id}`);
    expect(r.kind).toBe('answer');
    expect(lines(r, 'Summary').length).toBeGreaterThan(0);
    expect(lines(r, 'Sources').every(isHttp)).toBe(true);
    expect(lines(r, 'Updates').length).toBeGreaterThan(0);
    expect(r.sections.flatMap((s) => s.fields ?? []).find((f) => f.name === 'Actors')?.value).toBeTruthy();
    expect((await ask('/story s000000000')).kind).toBe('error');
  });
});

describe('/search', () => {
  it('finds Spanish text with or without accents, and English text through Spanish words', async () => {
    const accented = await ask('/search extradición');
    const plain = await ask('/search extradicion');
    expect(accented.kind).toBe('answer');
    expect(lines(plain).map((l) => l.text)).toEqual(lines(accented).map((l) => l.text));
    const es = await ask('/search cárteles');
    expect(lines(es).some((l) => /cárteles/i.test(l.text))).toBe(true);
    expect(lines(es).some((l) => /\bcartels\b/i.test(l.text))).toBe(true);
  });

  it('ranks English stems and gives plain-text snippets with links', async () => {
    const r = await ask('/search airspace closure');
    expect(lines(r)[0]!.text).toMatch(/airspace/i);
    for (const l of lines(r)) {
      expect(l.text).not.toMatch(/<\/?b>/);
      // Each hit names its outlet (the feed's name, else the link's host).
      expect(l.text).toMatch(/^(Story \S+|[\w.-]+\.example):/);
      expect(isHttp(l)).toBe(true);
    }
  });

  it('matches a misspelt name through trigram similarity', async () => {
    const r = await ask('/search Hellerstien');
    expect(r.kind).toBe('answer');
    expect(lines(r).some((l) => /Maduro/.test(l.text))).toBe(true);
  });

  it('finds what mentions a person when the name is misspelt', async () => {
    const r = await ask('/search sheinbaun');
    expect(r.kind).toBe('answer');
    expect(lines(r).some((l) => /Sheinbaum/.test(l.text))).toBe(true);
  });

  it('indexes only what the engine analysed, once, and catches up on new analyses', async () => {
    const { syncSearchIndex } = await import('../../src/store/search.ts');
    expect(await syncSearchIndex(stores.db)).toBe(0);
    const { rows } = await stores.db.query<{ kind: string; n: number }>('select kind, count(*)::int as n from search_docs group by kind order by kind');
    const relevant = await stores.db.query<{ n: number }>('select count(*)::int as n from articles where relevant and duplicate_of is null');
    expect(rows.find((r) => r.kind === 'article')?.n).toBe(relevant.rows[0]!.n);
    expect(rows.find((r) => r.kind === 'story')?.n).toBeGreaterThan(0);
    // An off-beat article (the World Cup opener) is not searchable.
    expect((await ask('/search World Cup opener')).sections.flatMap((s) => s.lines ?? []).some((l) => /World Cup opener/.test(l.text))).toBe(false);
  });

  it('says so when nothing matches, and pages long results', async () => {
    expect((await ask('/search zzyzx quokka')).kind).toBe('empty');
    const r = await ask('/search mexico');
    expect(r.page?.next).toBe('/search mexico page 2');
    expect((await ask('/search mexico page 2')).page?.index).toBe(2);
  });
});

describe('/help', () => {
  it('lists every command with usage, and explains one', async () => {
    const r = await ask('/help');
    const text = lines(r).map((l) => l.text).join('\n');
    for (const c of ['/brief', '/timeline', '/quotes', '/latest', '/search', '/story']) expect(text).toContain(c);
    expect((await ask('/help timeline')).title).toMatch(/^\/timeline/);
    expect((await ask('/help nope')).kind).toBe('error');
  });
});
