/**
 * Issue 3 benchmarks: the whole pipeline (parse, normalize, store, relevance, actors, quotes, dedupe,
 * stories, summaries) on generated items, and how per-article time scales with the archive size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { storeFeedDocument } from '../src/feeds/ingest.ts';
import { silentLogger } from '../src/log.ts';
import { buildEngine } from '../src/newsroom/setup.ts';
import { openDb } from '../src/store/db.ts';
import { createStores, type Stores } from '../src/store/index.ts';
import { migrate } from '../src/store/migrate.ts';
import { refreshStatistics } from '../src/store/statistics.ts';
import { generateBeatFeed as generateFeed } from './gen.ts';
import type { BenchResult } from './lib.ts';

// A file-backed database in a temp dir: an in-memory one would hold a 100,000-article archive inside
// PGlite's 2 GiB WebAssembly heap.
async function tempStores(): Promise<Stores & { cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-pipe-'));
  const db = await openDb({ dataDir: dir });
  await migrate(db);
  const stores = createStores(db);
  return { ...stores, async cleanup() { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * Stores and analyses generated feeds; returns elapsed ms. Shaped like the running bot: feeds are
 * stored as they arrive (the poll workers) while the single engine analyses the previous batch (the
 * process-article worker), so parsing and analysis on the main thread overlap the database thread.
 */
async function runPipeline(stores: Stores, engine: ReturnType<typeof buildEngine>, docs: Buffer[], offset: number): Promise<number> {
  const t = performance.now();
  let analysing: Promise<unknown> = Promise.resolve();
  const analysed: Array<Promise<unknown>> = [];
  for (let f = 0; f < docs.length; f++) {
    // At most one stored batch waits for the engine: feed f is stored while batch f - 1 is analysed,
    // once batch f - 2 is done. (The running bot bounds nothing here: its poll workers keep storing.)
    if (f >= 2) await analysed[f - 2];
    const { items } = await storeFeedDocument(stores.articles, {
      bytes: docs[f]!, url: `https://outlet${f}.example/feed`, feedId: null, sourceKey: `bench:${offset + f}`,
      source: `outlet${f}`, baseline: false, seenAt: new Date(),
    });
    const ids = items.map((i) => i.id);
    // One engine, one batch at a time, in arrival order.
    analysing = analysing.then(() => engine.process(ids));
    analysed[f] = analysing;
  }
  await analysing;
  return performance.now() - t;
}

/** 1. Whole pipeline on 20,000 items vs plain rss-parser on the same bytes. */
export async function benchPipeline(): Promise<BenchResult> {
  const FEEDS = Number(process.env.BENCH_PIPELINE_FEEDS ?? 100);
  const PER = 200;
  const docs = Array.from({ length: FEEDS }, (_, f) => Buffer.from(generateFeed(f, PER)));
  const parser = new Parser();
  await parser.parseString(docs[0]!.toString('utf8'));
  let t = performance.now();
  for (const d of docs) await parser.parseString(d.toString('utf8'));
  const plainMs = performance.now() - t;

  const stores = await tempStores();
  const engine = buildEngine(stores.newsroom, silentLogger());
  const ms = await runPipeline(stores, engine, docs, 0);
  const { rows } = await stores.db.query<{ relevant: number; stories: number }>(
    'select count(*) filter (where relevant)::int as relevant, count(distinct story_id)::int as stories from articles',
  );
  await stores.cleanup();
  const perSecond = (FEEDS * PER) / (ms / 1000);
  return {
    name: 'pipeline: parse, normalize, store, relevance, actors, quotes, dedupe, stories, summaries on 20,000 items',
    figures: {
      items: FEEDS * PER, relevant: rows[0]!.relevant, stories: rows[0]!.stories, ms: Math.round(ms),
      itemsPerSecond: Math.round(perSecond), rssParserMs: Math.round(plainMs), ratioToRssParser: (ms / plainMs).toFixed(1),
    },
    target: 'at least 1,500 items/s',
    pass: perSecond >= 1500,
  };
}

/** 2. Per-article time with 1,000 and with 100,000 archived articles. */
export async function benchScaling(): Promise<BenchResult> {
  const PER = 200;
  const measure = async (stores: Stores, engine: ReturnType<typeof buildEngine>, from: number) => {
    const docs = Array.from({ length: 5 }, (_, i) => Buffer.from(generateFeed(from + i, PER, 10_000)));
    const ms = await runPipeline(stores, engine, docs, 1_000_000 + from);
    return ms / (5 * PER);
  };
  const sizes: Record<number, number> = {};
  for (const archive of [1_000, 100_000]) {
    const stores = await tempStores();
    const engine = buildEngine(stores.newsroom, silentLogger());
    for (let f = 0; f < archive / PER; f++) await runPipeline(stores, engine, [Buffer.from(generateFeed(f, PER))], f);
    // The archive as a running bot would have it: the scheduler refreshes planner statistics as it grows.
    await refreshStatistics(stores.db);
    sizes[archive] = await measure(stores, engine, 900);
    await stores.cleanup();
  }
  const ratio = sizes[100_000]! / sizes[1_000]!;
  return {
    name: 'scaling: per-article time with 100,000 archived vs 1,000',
    figures: { msPerArticleAt1k: sizes[1_000]!.toFixed(3), msPerArticleAt100k: sizes[100_000]!.toFixed(3), ratio: ratio.toFixed(2) },
    target: 'ratio within 2x',
    pass: ratio <= 2,
  };
}
