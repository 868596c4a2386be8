import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFeedDocument, type StoredItem } from '../../src/feeds/ingest.ts';
import { silentLogger } from '../../src/log.ts';
import { createEngine, type Analysis, type Engine } from '../../src/newsroom/engine.ts';
import { loadBeat } from '../../src/newsroom/setup.ts';
import { openDb } from '../../src/store/db.ts';
import { createStores, type Stores } from '../../src/store/index.ts';
import { migrate } from '../../src/store/migrate.ts';
import { startFakeLlm } from '../fakes/llm-server.ts';

const beat = loadBeat();
let stores: Stores;
let engine: Engine;
const stored = new Map<string, StoredItem>();
const analyses = new Map<string, Analysis>();

async function ingest(s: Stores, file: string): Promise<StoredItem[]> {
  const { items } = await storeFeedDocument(s.articles, {
    bytes: new Uint8Array(fs.readFileSync(file)), url: `https://demo.invalid/${file}`, feedId: null, sourceKey: `test:${file}`,
    source: file, baseline: false, seenAt: new Date('2026-03-01T00:00:00Z'),
  });
  return items;
}

const byTitle = (part: string) => [...stored.values()].find((i) => i.article.title.includes(part))!;

beforeAll(async () => {
  const db = await openDb({ memory: true });
  await migrate(db);
  stores = createStores(db);
  engine = createEngine({ newsroom: stores.newsroom, pack: beat.pack, examples: beat.examples, logger: silentLogger() });
  for (const f of ['demo/feeds/border-desk.xml', 'demo/feeds/jornada-fronteriza.atom', 'demo/feeds/capitol-brief.json', 'demo/feeds/gaceta-seguridad.xml']) {
    for (const i of await ingest(stores, f)) stored.set(i.id, i);
  }
  // One batch, as `frontera ingest a b c` does: the engine orders it by published time.
  for (const a of await engine.process([...stored.keys()])) analyses.set(a.id, a);
});
afterAll(async () => {
  await stores.db.close();
});

describe('newsroom engine on the demo feeds', () => {
  it('keeps the beat and drops look-alikes', () => {
    expect(analyses.get(byTitle('El Mencho').id)).toMatchObject({ relevant: true });
    expect(analyses.get(byTitle('Peso ends week firmer').id)?.relevant).toBe(false);
    expect(analyses.get(byTitle('World Cup opener').id)?.relevant).toBe(false);
  });

  it('groups English and Spanish reports of one event into one story', async () => {
    const en = analyses.get(byTitle('El Mencho" killed').id)!;
    const story = en.story!;
    const members = [...analyses.values()].filter((a) => a.story === story).map((a) => stored.get(a.id)!.article.language);
    expect(members).toContain('en');
    expect(members).toContain('es');
    const row = await stores.newsroom.story(story);
    expect(row!.summary.length).toBeGreaterThanOrEqual(2);
    expect(row!.summary.every((b) => b.text.split(/\s+/).length <= 36)).toBe(true);
    expect(row!.actors).toContain('nemesio-oseguera-cervantes');
    expect(['notable', 'breaking']).toContain(row!.importance);
  });

  it('recognises a syndicated copy and puts it in its original story', () => {
    const copies = [...analyses.values()].filter((a) => a.duplicateOf);
    expect(copies.length).toBeGreaterThanOrEqual(1);
    for (const c of copies) expect(c.story).toBe(analyses.get(c.duplicateOf!)?.story);
  });

  it('names actors canonically and stores quotes and mentions', async () => {
    const a = analyses.get(byTitle('El Mencho" killed').id)!;
    expect(a.actors).toContain('Nemesio Rubén Oseguera Cervantes');
    const { rows } = await stores.db.query<{ n: number }>(`select count(*)::int as n from mentions where actor_id = 'cjng'`);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('reports already analysed articles without redoing them', async () => {
    const id = byTitle('El Mencho" killed').id;
    const [again] = await engine.process([id]);
    expect(again).toMatchObject({ id, story: analyses.get(id)!.story, relevant: true });
  });

  it('continues stories after a restart: a new engine rebuilds its indexes from the database', async () => {
    const fresh = createEngine({ newsroom: stores.newsroom, pack: beat.pack, examples: beat.examples, logger: silentLogger() });
    const restored = await fresh.warm();
    expect(restored).toBeGreaterThan(0);
    const upcoming = fs.readFileSync('demo/upcoming.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const first = upcoming[0];
    const doc = `<?xml version="1.0"?><rss version="2.0"><channel><title>Later</title><item><guid>${first.guid}</guid><title>${first.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title><link>${first.link}</link><pubDate>${new Date(first.published).toUTCString()}</pubDate><description>${first.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</description></item></channel></rss>`;
    const { items } = await storeFeedDocument(stores.articles, {
      bytes: new TextEncoder().encode(doc), url: 'https://later.invalid/', feedId: null, sourceKey: 'test:later', source: 'later', baseline: false, seenAt: new Date(),
    });
    const [a] = await fresh.process(items.map((i) => i.id));
    expect(a!.relevant).toBe(true);
    expect(a!.story).toBe(analyses.get(byTitle('El Mencho" killed').id)!.story);
  });

  it('still recognises a syndicated copy after a restart (fingerprints are rebuilt from the stored text)', async () => {
    const fresh = createEngine({ newsroom: stores.newsroom, pack: beat.pack, examples: beat.examples, logger: silentLogger() });
    await fresh.warm();
    const original = byTitle('El Mencho" killed');
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const later = new Date(original.article.publishedAt.getTime() + 3_600_000).toUTCString();
    const doc = `<?xml version="1.0"?><rss version="2.0"><channel><title>Reprints</title><item><guid>reprint-1</guid>
      <title>Reprinted under a headline of its own</title><link>https://reprints.invalid/1</link><pubDate>${later}</pubDate>
      <description>${esc(original.article.text)}</description></item></channel></rss>`;
    const { items } = await storeFeedDocument(stores.articles, {
      bytes: new TextEncoder().encode(doc), url: 'https://reprints.invalid/feed', feedId: null, sourceKey: 'test:reprints',
      source: 'reprints', baseline: false, seenAt: new Date(),
    });
    const [copy] = await fresh.process(items.map((i) => i.id));
    expect(copy!.duplicateOf).toBe(original.id);
    expect(copy!.story).toBe(analyses.get(original.id)!.story);
  });
});

describe('abstractive summaries through an LLM endpoint', () => {
  it('never keeps a sentence with a fact the sources do not have', async () => {
    const llm = await startFakeLlm('hallucinate');
    const db = await openDb({ memory: true });
    try {
      await migrate(db);
      const s = createStores(db);
      const e = createEngine({
        newsroom: s.newsroom, pack: beat.pack, examples: beat.examples, logger: silentLogger(),
        llm: { baseUrl: llm.baseUrl, apiKey: 'k', model: 'fake-model' },
      });
      const items = await ingest(s, 'demo/feeds/border-desk.xml');
      const out = await e.process(items.map((i) => i.id));
      const story = out.find((a) => a.story)!.story!;
      const row = (await s.newsroom.story(story))!;
      const sources = items.map((i) => `${i.article.title} ${i.article.text}`).join(' ');
      for (const b of row.summary) {
        for (const n of b.text.match(/\d[\d,.]*/g) ?? []) expect(sources).toContain(n.replace(/[.,]$/, ''));
      }
      expect(llm.requests.length).toBeGreaterThan(0);
    } finally {
      await db.close();
      await llm.close();
    }
  });
});
