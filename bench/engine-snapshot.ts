/**
 * A deterministic dump of everything the engine decides (analyses, stories with their summaries, quotes,
 * mentions, learned names and roles) for the evaluation set, fed one outlet at a time, and for generated
 * on-beat feeds, fed in batches as the pipeline benchmark does.
 *
 * For speed work: run it before and after a change and diff the two files; a change meant only to be
 * faster must leave the dump identical.
 *
 *   npx tsx bench/engine-snapshot.ts > before.json   # (make the change)
 *   npx tsx bench/engine-snapshot.ts > after.json && cmp before.json after.json
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { storeFeedDocument } from '../src/feeds/ingest.ts';
import { silentLogger } from '../src/log.ts';
import { DEFAULT_EVAL_DIR } from '../src/newsroom/eval.ts';
import { buildEngine } from '../src/newsroom/setup.ts';
import { openDb } from '../src/store/db.ts';
import { createStores } from '../src/store/index.ts';
import { migrate } from '../src/store/migrate.ts';
import { generateBeatFeed } from './gen.ts';

const GENERATED_FEEDS = Number(process.env.SNAPSHOT_FEEDS ?? 16);

async function snapshot(feeds: Array<{ bytes: Uint8Array; name: string }>): Promise<unknown> {
  const db = await openDb({ memory: true });
  try {
    await migrate(db);
    const stores = createStores(db);
    const engine = buildEngine(stores.newsroom, silentLogger());
    const analyses: unknown[] = [];
    for (const f of feeds) {
      const { items } = await storeFeedDocument(stores.articles, {
        bytes: f.bytes, url: `https://snapshot.invalid/${f.name}`, feedId: null, sourceKey: `snap:${f.name}`,
        source: f.name, baseline: false, seenAt: new Date(),
      });
      analyses.push(...(await engine.process(items.map((i) => i.id))));
    }
    const q = async (sql: string) => (await db.query(sql)).rows;
    return {
      analyses,
      stories: await q(`select id, headline, summary, quote, whats_new, covered, actors, topics, importance,
        importance_reasons, article_count, source_count, languages, first_seen, updated_at, version from stories order by id`),
      articles: await q(`select id, relevance, relevant, relevance_reasons, story_id, duplicate_of, actors, topics
        from articles order by id`),
      mentions: await q('select article_id, actor_id, surface, count from mentions order by article_id, actor_id'),
      quotes: await q('select article_id, speaker, speaker_id, text, sentence from quotes order by article_id, text'),
      roles: await q('select actor_id, role, article_id, sentence from learned_roles order by actor_id, role, article_id'),
      learned: await q('select key, name, mention_count from learned_actors order by key'),
    };
  } finally {
    await db.close();
  }
}

const labels = YAML.parse(fs.readFileSync(path.join(DEFAULT_EVAL_DIR, 'labels.yaml'), 'utf8')) as { items: Array<{ feed: string }> };
const evalFeeds = [...new Set(labels.items.map((i) => i.feed))].map((feed) => ({
  name: feed, bytes: new Uint8Array(fs.readFileSync(path.join(DEFAULT_EVAL_DIR, feed))),
}));
const generated = Array.from({ length: GENERATED_FEEDS }, (_, f) => ({ name: `outlet${f}`, bytes: Buffer.from(generateBeatFeed(f, 200)) }));
const out = { eval: await snapshot(evalFeeds), generated: await snapshot(generated) };
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
