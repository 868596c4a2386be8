import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleId, type ArticleInsert } from '../../src/store/articles.ts';
import { migrate } from '../../src/store/migrate.ts';
import { refreshStatistics } from '../../src/store/statistics.ts';
import type { Stores } from '../../src/store/index.ts';
import type { NormalizedArticle } from '../../src/feeds/types.ts';
import { backends, truncateAll } from '../helpers/db.ts';

function article(n: number, over: Partial<NormalizedArticle> = {}): NormalizedArticle {
  return {
    identity: `id-${n}`,
    identitySource: 'guid',
    guid: `guid-${n}`,
    url: `https://news.example/a/${n}`,
    canonicalUrl: `https://news.example/a/${n}`,
    title: `Report number ${n}`,
    html: `<p>Body ${n}</p>`,
    text: `Body ${n}`,
    publishedAt: new Date(Date.UTC(2026, 0, 1, 12, n)),
    publishedEstimated: false,
    language: 'en',
    author: null,
    categories: ['border', 'cartels'],
    ...over,
  };
}

const insert = (a: NormalizedArticle, feedId: number | null, baseline = false): ArticleInsert => ({
  article: a,
  feedId,
  sourceKey: feedId ? `feed:${feedId}` : '/tmp/x.xml',
  source: feedId ? 'https://news.example/feed' : '/tmp/x.xml',
  baseline,
  seenAt: new Date('2026-01-02T00:00:00Z'),
});

describe.each(backends())('store on $name', (backend) => {
  let s: Stores;
  beforeAll(async () => {
    s = await backend.open();
  });
  afterAll(async () => {
    await s.db.close();
  });
  beforeEach(async () => {
    await truncateAll(s);
  });

  it('applies migrations once', async () => {
    expect(await migrate(s.db)).toEqual([]);
    const { rows } = await s.db.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1);
  });

  it('adds a feed once per URL and finds it by id or URL', async () => {
    const a = await s.feeds.add({ url: 'https://news.example/feed', name: 'News', tier: 'wire', topics: ['border'] });
    const b = await s.feeds.add({ url: 'https://news.example/feed', name: 'Other name' });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.feed.id).toBe(a.feed.id);
    expect(b.feed.name).toBe('News');
    expect((await s.feeds.find(String(a.feed.id)))?.url).toBe('https://news.example/feed');
    expect((await s.feeds.find('https://news.example/feed'))?.tier).toBe('wire');
    expect((await s.feeds.list()).map((f) => f.topics)).toEqual([['border']]);
  });

  it('records failures, disables, and re-enables', async () => {
    const { feed } = await s.feeds.add({ url: 'https://down.example/feed' });
    const next = new Date(Date.now() + 60_000);
    let f = await s.feeds.recordFailure(feed.id, { code: 'http_5xx', message: 'HTTP 503', nextPollAt: next, disable: false });
    expect(f?.status).toBe('failing');
    expect(f?.errorCount).toBe(1);
    f = await s.feeds.recordFailure(feed.id, { code: 'gone', message: 'HTTP 410 Gone', nextPollAt: next, disable: true });
    expect(f?.status).toBe('disabled');
    expect(f?.disabledReason).toBe('HTTP 410 Gone');
    expect(await s.feeds.due(new Date(Date.now() + 3_600_000))).toEqual([]);
    await s.feeds.enable(feed.id);
    const again = await s.feeds.get(feed.id);
    expect(again?.status).toBe('active');
    expect(again?.errorCount).toBe(0);
  });

  it('stores validators and schedule on success', async () => {
    const { feed } = await s.feeds.add({ url: 'https://ok.example/feed' });
    const next = new Date('2030-01-01T00:00:00Z');
    await s.feeds.recordSuccess(feed.id, {
      etag: '"v1"', lastModified: 'Wed, 01 Jan 2026 00:00:00 GMT', bodyHash: 'abc', nextPollAt: next,
      pollReason: 'max-age', newItems: 3, title: 'OK News', baselineDone: true,
    });
    const f = (await s.feeds.get(feed.id))!;
    expect(f.etag).toBe('"v1"');
    expect(f.nextPollAt.toISOString()).toBe(next.toISOString());
    expect(f.itemCount).toBe(3);
    expect(f.name).toBe('OK News');
    expect(f.baselineDone).toBe(true);
    expect(await s.feeds.due(new Date('2029-12-31T00:00:00Z'))).toEqual([]);
    expect((await s.feeds.due(new Date('2030-01-02T00:00:00Z'))).map((x) => x.id)).toEqual([feed.id]);
  });

  it('moves a feed on a permanent redirect, or disables it when the target is already a feed', async () => {
    const a = (await s.feeds.add({ url: 'https://old.example/feed' })).feed;
    const b = (await s.feeds.add({ url: 'https://other.example/feed' })).feed;
    expect(await s.feeds.moveTo(a.id, 'https://new.example/feed')).toBe('moved');
    expect((await s.feeds.get(a.id))?.url).toBe('https://new.example/feed');
    expect(await s.feeds.moveTo(b.id, 'https://new.example/feed')).toBe('duplicate');
    expect((await s.feeds.get(b.id))?.status).toBe('disabled');
  });

  it('inserts articles idempotently and reports which were new', async () => {
    const { feed } = await s.feeds.add({ url: 'https://news.example/feed' });
    const first = await s.articles.insertMany([insert(article(1), feed.id), insert(article(2), feed.id)]);
    expect(first.inserted.size).toBe(2);
    const again = await s.articles.insertMany([insert(article(2), feed.id), insert(article(3), feed.id, true)]);
    expect([...again.inserted]).toEqual([articleId(`feed:${feed.id}`, 'id-3')]);
    expect(await s.articles.count()).toBe(3);
    const got = await s.articles.get(again.ids[1]!);
    expect(got?.baseline).toBe(true);
    expect(got?.categories).toEqual(['border', 'cartels']);
    expect(got?.publishedAt.toISOString()).toBe('2026-01-01T12:03:00.000Z');
    expect((await s.articles.recentForFeed(feed.id)).map((a) => a.title)).toEqual([
      'Report number 3', 'Report number 2', 'Report number 1',
    ]);
  });

  it('keeps quotes, accents and empty categories intact', async () => {
    const a = article(9, { title: `El "Mencho" y la Guardia Nacional: ¿qué sigue?`, categories: [], author: "O'Neil" });
    const { ids } = await s.articles.insertMany([insert(a, null)]);
    const got = (await s.articles.byIds(ids))[0]!;
    expect(got.title).toBe(`El "Mencho" y la Guardia Nacional: ¿qué sigue?`);
    expect(got.categories).toEqual([]);
    expect(got.author).toBe("O'Neil");
    expect(got.feedId).toBeNull();
  });

  it('keeps every character a feed can carry through the bulk path, and drops NUL', async () => {
    const tricky = 'tab\there, "quoted", back\\slash, line\nbreak, cr\r, comma, {brace}, NULL, \u00e9\u00f1 \u{1F600}';
    const a = article(12, {
      title: tricky, html: `<p>${tricky}</p>`, text: `${tricky}\0end`, author: '',
      categories: ['a,b', '"q"', 'NULL', '{x}', 'back\\slash', ''],
    });
    const { ids } = await s.articles.insertMany([insert(a, null)]);
    const got = (await s.articles.byIds(ids))[0]!;
    expect(got.title).toBe(tricky);
    expect(got.text).toBe(`${tricky}end`);
    expect(got.author).toBe('');
    expect(got.categories).toEqual(['a,b', '"q"', 'NULL', '{x}', 'back\\slash', '']);
    expect(got.publishedAt.toISOString()).toBe(a.publishedAt.toISOString());
  });

  it('counts each item once when two writers store overlapping items at the same time', async () => {
    // Both check which ids exist before either writes; the second bulk write then meets the first's
    // rows and must fall back to the insert that skips them, losing nothing and counting nothing twice.
    const left = Array.from({ length: 30 }, (_, n) => insert(article(n), null));
    const right = Array.from({ length: 30 }, (_, n) => insert(article(n + 15), null));
    const [a, b] = await Promise.all([s.articles.insertMany(left), s.articles.insertMany(right)]);
    expect(a.inserted.size + b.inserted.size).toBe(45);
    expect(new Set([...a.inserted, ...b.inserted]).size).toBe(45);
    expect(await s.articles.count()).toBe(45);
  });

  it('stores mentions and quotes once, and a retried batch updates mentions instead of failing', async () => {
    const { ids } = await s.articles.insertMany([insert(article(70), null)]);
    const at = new Date('2026-01-03T00:00:00Z');
    const mention = { articleId: ids[0]!, actorId: 'cjng', surface: 'CJNG', count: 1 };
    const quote = { articleId: ids[0]!, speaker: 'Omar García Harfuch', speakerId: 'omar-garcia-harfuch', text: 'No habrá impunidad', sentence: '"No habrá impunidad", dijo.', publishedAt: at };
    await s.newsroom.saveMentions([mention]);
    await s.newsroom.saveQuotes([quote]);
    await s.newsroom.saveMentions([{ ...mention, count: 3 }, { ...mention, actorId: 'sinaloa-cartel', surface: 'Sinaloa' }]);
    await s.newsroom.saveQuotes([quote]);
    const { rows } = await s.db.query<{ actor_id: string; count: number }>('select actor_id, count from mentions order by actor_id');
    expect(rows).toEqual([{ actor_id: 'cjng', count: 3 }, { actor_id: 'sinaloa-cartel', count: 1 }]);
    expect((await s.newsroom.quotesFor(ids)).map((q) => q.text)).toEqual(['No habrá impunidad']);
  });

  it('finds the earliest analysed article for each canonical URL, skipping articles not analysed yet', async () => {
    const url = 'https://news.example/shared';
    const { ids } = await s.articles.insertMany([
      insert(article(80, { canonicalUrl: url, publishedAt: new Date('2026-01-01T10:00:00Z') }), null),
      insert(article(81, { canonicalUrl: url, publishedAt: new Date('2026-01-01T09:00:00Z') }), null),
      insert(article(82, { canonicalUrl: url, publishedAt: new Date('2026-01-01T08:00:00Z') }), null),
      insert(article(83), null),
    ]);
    const analysed = (id: string) => ({
      id, relevance: 0.9, relevant: true, reasons: [], storyId: null, duplicateOf: null, actors: [], topics: [],
      processedAt: new Date('2026-01-02T00:00:00Z'),
    });
    // 82 is the earliest but not analysed yet: the engine only links to articles it has decided on.
    await s.newsroom.saveAnalyses([analysed(ids[0]!), analysed(ids[1]!), analysed(ids[3]!)]);
    // 82 (not analysed) and 83 (analysed) ask for their URLs; an id that is not stored finds nothing.
    const found = await s.newsroom.firstWithCanonicalUrlsOf([ids[2]!, ids[3]!, 'ffffffffffffffff']);
    expect([...found.keys()].sort()).toEqual(['https://news.example/a/83', url]);
    expect(found.get(url)).toEqual({ id: ids[1], publishedAt: new Date('2026-01-01T09:00:00Z') });
    expect(found.get('https://news.example/a/83')!.id).toBe(ids[3]);
  });

  it('checks no foreign key on the rows the engine bulk-writes per article (migration 007)', async () => {
    const { rows } = await s.db.query<{ table: string }>(
      `select conrelid::regclass::text as table from pg_constraint
       where contype = 'f' and conrelid in (to_regclass('mentions'), to_regclass('quotes'), to_regclass('learned_roles'))`,
    );
    expect(rows).toEqual([]);
    // The rows still need their columns: a mention without an article id is refused.
    await expect(s.newsroom.saveMentions([{ articleId: null as never, actorId: 'cjng', surface: 'CJNG', count: 1 }])).rejects.toThrow();
  });

  it('inserts more rows than one batch', async () => {
    const many = Array.from({ length: 2500 }, (_, n) => insert(article(n), null));
    const { inserted } = await s.articles.insertMany(many);
    expect(inserted.size).toBe(2500);
    expect(await s.articles.count()).toBe(2500);
  });

  it('stores categories as a text array and ignores a feed listing one item twice', async () => {
    const a = article(41, { categories: ['seguridad', 'frontera'] });
    const { ids, inserted } = await s.articles.insertMany([insert(a, null), insert(a, null)]);
    expect(ids[0]).toBe(ids[1]);
    expect(inserted.size).toBe(1);
    expect((await s.articles.byIds([ids[0]!]))[0]!.categories).toEqual(['seguridad', 'frontera']);
  });

  it('gives the planner statistics once a table has grown, even without autovacuum', async () => {
    // Small tables plan well on guesses (these test rows are tiny, so the threshold is lowered here).
    expect(await refreshStatistics(s.db, { minPages: 16 })).toEqual([]);
    await s.articles.insertMany(Array.from({ length: 3000 }, (_, n) => insert(article(5000 + n), null)));
    expect(await refreshStatistics(s.db, { minPages: 16 })).toContain('articles');
    const { rows } = await s.db.query<{ n: number }>(`select reltuples::float8 as n from pg_class where oid = to_regclass('articles')`);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(3000);
    // Analysed and not grown since: not again.
    expect(await refreshStatistics(s.db, { minPages: 16 })).not.toContain('articles');
  });
});
