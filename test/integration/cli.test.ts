import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { runFeeds } from '../../src/cli/feeds.ts';
import { runIngest } from '../../src/cli/ingest.ts';
import type { Out } from '../../src/cli/output.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createApp, type App } from '../../src/main.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';
import { rss } from '../helpers/feeds.ts';

function capture(): Out & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, line: (t) => lines.push(t), err: (t) => errs.push(t) };
}

let dir: string;
let app: App;
let server: TestServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-cli-'));
  app = await createApp(loadConfig({ FRONTERA_ALLOW_PRIVATE_FEEDS: '1' }, { dataDir: dir }), silentLogger());
  server = await startHttpServer({
    'GET /feed.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss([{ guid: 'x1', title: 'Harfuch announces a transfer' }, { guid: 'x2', title: 'Guard deployed to the border' }]));
    },
    'GET /page.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Not a feed</title></head><body>hi</body></html>');
    },
  });
});
afterAll(async () => {
  await app.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ingestDeps = () => ({ articles: app.stores.articles, feeds: app.stores.feeds, fetcher: app.fetcher, now: () => new Date('2026-02-23T00:00:00Z') });

describe('frontera ingest', () => {
  it('prints one contract line per item in input order, an error line per bad input, and exits 2', async () => {
    const out = capture();
    const code = await runIngest(ingestDeps(), ['demo/feeds/capitol-brief.json', 'missing.xml', server.url('/feed.xml'), server.url('/page.html')], { json: true }, out);
    expect(code).toBe(2);
    const rows = out.lines.map((l) => JSON.parse(l));
    const fileRows = rows.filter((r) => r.feed === 'demo/feeds/capitol-brief.json');
    expect(fileRows).toHaveLength(6);
    for (const r of fileRows) {
      // The order of the contract in DESIGN.md, not just the set of keys.
      expect(Object.keys(r)).toEqual(['id', 'feed', 'url', 'title', 'published', 'language', 'relevant', 'score', 'story', 'duplicateOf', 'actors']);
      expect(r.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(r.language).toBe('en');
    }
    expect(rows[6]).toEqual({ input: 'missing.xml', error: { code: 'read', message: expect.stringContaining('no such file') } });
    expect(rows.slice(7, 9).map((r) => r.title)).toEqual(['Harfuch announces a transfer', 'Guard deployed to the border']);
    expect(rows[9]).toMatchObject({ input: server.url('/page.html'), error: { code: 'not_a_feed' } });
  });

  it('is idempotent: ingesting the same file again gives the same ids and stores nothing twice', async () => {
    const a = capture();
    const b = capture();
    await runIngest(ingestDeps(), ['demo/feeds/gaceta-seguridad.xml'], { json: true }, a);
    const before = await app.stores.articles.count();
    await runIngest(ingestDeps(), ['demo/feeds/gaceta-seguridad.xml'], { json: true }, b);
    expect(b.lines).toEqual(a.lines);
    expect(await app.stores.articles.count()).toBe(before);
  });
});

describe('ingest with the newsroom engine, then stories', () => {
  it('fills every newsroom field and lists the stories in the contract shape', async () => {
    const { buildEngine } = await import('../../src/newsroom/setup.ts');
    const { runStories } = await import('../../src/cli/stories.ts');
    const engine = buildEngine(app.stores.newsroom, silentLogger());
    const out = capture();
    expect(await runIngest({ ...ingestDeps(), engine }, ['demo/feeds/border-desk.xml', 'demo/feeds/jornada-fronteriza.atom'], { json: true }, out)).toBe(0);
    const rows = out.lines.map((l) => JSON.parse(l));
    for (const r of rows) {
      expect(typeof r.relevant).toBe('boolean');
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(Array.isArray(r.actors)).toBe(true);
      if (r.relevant) expect(r.story).toMatch(/^s[0-9a-f]{10}$/);
      else expect(r.story).toBeNull();
    }
    const mencho = rows.filter((r) => r.actors.includes('Nemesio Rubén Oseguera Cervantes'));
    expect(new Set(mencho.map((r) => r.story)).size).toBeLessThan(mencho.length);

    const st = capture();
    expect(await runStories(app, (id) => id, { json: true }, st)).toBe(0);
    const stories = JSON.parse(st.lines[0]!);
    expect(stories.length).toBeGreaterThan(0);
    expect(Object.keys(stories[0])).toEqual(['id', 'headline', 'summary', 'articles', 'actors', 'importance', 'firstSeen', 'updatedAt']);
    expect(Object.keys(stories[0].articles[0])).toEqual(['id', 'url', 'title', 'source', 'published', 'language']);
    expect(['routine', 'notable', 'breaking']).toContain(stories[0].importance);
    const bad = capture();
    expect(await runStories(app, (id) => id, { json: true, since: 'yesterday-ish' }, bad)).toBe(64);
  });
});

describe('frontera feeds', () => {
  it('adds a feed with a baseline, lists it, exports and re-imports OPML, and removes it', async () => {
    const add = capture();
    expect(await runFeeds(app, { sub: 'add', rest: [server.url('/feed.xml')], json: false, tier: 'wire' }, add)).toBe(0);
    expect(add.lines[0]).toMatch(/2 current item\(s\) stored as a baseline/);

    const list = capture();
    await runFeeds(app, { sub: 'list', rest: [], json: true }, list);
    const feeds = JSON.parse(list.lines[0]!);
    expect(feeds).toHaveLength(1);
    expect(feeds[0]).toMatchObject({ url: server.url('/feed.xml'), tier: 'wire', status: 'active', items: 2, name: 'Test Desk' });

    const opmlFile = path.join(dir, 'out.opml');
    await runFeeds(app, { sub: 'export', rest: [], json: false, out: opmlFile }, capture());
    expect(fs.readFileSync(opmlFile, 'utf8')).toContain(`xmlUrl="${server.url('/feed.xml')}"`);

    const rm = capture();
    expect(await runFeeds(app, { sub: 'remove', rest: [String(feeds[0].id)], json: false }, rm)).toBe(0);
    const imp = capture();
    await runFeeds(app, { sub: 'import', rest: [opmlFile], json: false }, imp);
    expect(imp.lines[0]).toMatch(/1 new feed/);
    // The round trip keeps what Frontera's own export carries.
    expect(await app.stores.feeds.getByUrl(server.url('/feed.xml'))).toMatchObject({ tier: 'wire', language: 'en', name: 'Test Desk' });
  });

  it('refuses a feed that cannot be read, with the reason', async () => {
    const out = capture();
    expect(await runFeeds(app, { sub: 'add', rest: [server.url('/page.html')], json: false }, out)).toBe(2);
    expect(out.errs[0]).toMatch(/Not added: .*not_a_feed/);
    expect(await app.stores.feeds.getByUrl(server.url('/page.html'))).toBeNull();
  });

  it('gives helpful errors for bad arguments', async () => {
    const bad = capture();
    expect(await runFeeds(app, { sub: 'add', rest: ['not a url'], json: false }, bad)).toBe(64);
    expect(bad.errs[0]).toMatch(/is not a URL/);
    const tier = capture();
    expect(await runFeeds(app, { sub: 'add', rest: ['https://x.example/f'], json: false, tier: 'gossip' }, tier)).toBe(64);
    expect(tier.errs[0]).toMatch(/--tier must be one of/);
    const unknown = capture();
    expect(await runFeeds(app, { sub: 'frobnicate', rest: [], json: false }, unknown)).toBe(64);
    expect(unknown.errs[0]).toMatch(/Unknown feeds subcommand/);
  });

  it('imports the shipped default feed list', async () => {
    const out = capture();
    expect(await runFeeds(app, { sub: 'import', rest: ['beats/us-mexico-security/feeds.yaml'], json: false }, out)).toBe(0);
    const all = await app.stores.feeds.list();
    expect(all.some((f) => f.tier === 'official')).toBe(true);
    expect(all.some((f) => f.language === 'es')).toBe(true);
  });

  it('checks a feed without storing it', async () => {
    const out = capture();
    const before = await app.stores.articles.count();
    expect(await runFeeds(app, { sub: 'check', rest: [server.url('/feed.xml')], json: true }, out)).toBe(0);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ ok: true, format: 'rss', items: 2, title: 'Test Desk' });
    expect(await app.stores.articles.count()).toBe(before);
  });
});

describe('frontera command line', () => {
  it('reports configuration problems with the variable name and exit 78', async () => {
    const out = capture();
    expect(await main(['feeds', 'list'], { env: { PORT: 'abc', DATABASE_URL: 'mysql://x' }, out, logger: silentLogger() })).toBe(78);
    expect(out.errs.join('\n')).toMatch(/PORT/);
    expect(out.errs.join('\n')).toMatch(/DATABASE_URL/);
  });

  it('explains unknown commands and options', async () => {
    const a = capture();
    expect(await main(['fly'], { env: {}, out: a, logger: silentLogger() })).toBe(64);
    expect(a.errs[0]).toMatch(/Unknown command "fly"/);
    const b = capture();
    expect(await main(['ingest', '--bogus'], { env: {}, out: b, logger: silentLogger() })).toBe(64);
    expect(b.errs[0]).toMatch(/bogus/);
    const c = capture();
    expect(await main(['ingest'], { env: {}, out: c, logger: silentLogger() })).toBe(64);
    expect(c.errs[0]).toMatch(/at least one feed file or URL/);
  });
});
