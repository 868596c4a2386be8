/**
 * A seeded newsroom for command tests: the four demo feeds run through the real engine, plus facts about a
 * person the pack does not know, written through the repositories as the engine would write them.
 */
import fs from 'node:fs';
import { storeFeedDocument } from '../../src/feeds/ingest.ts';
import { silentLogger } from '../../src/log.ts';
import { createEngine } from '../../src/newsroom/engine.ts';
import { loadBeat } from '../../src/newsroom/setup.ts';
import { openDb } from '../../src/store/db.ts';
import { createStores, type Stores } from '../../src/store/index.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Caller, CommandDeps } from '../../commands/types.ts';

export const FEEDS = ['demo/feeds/border-desk.xml', 'demo/feeds/jornada-fronteriza.atom', 'demo/feeds/capitol-brief.json', 'demo/feeds/gaceta-seguridad.xml'];
export const LEARNED = { key: 'rosendo aguilar quintero', name: 'Rosendo Aguilar Quintero', role: 'comandante de la Quinta Zona Militar' };

export const caller: Caller = { platform: 'console', userId: 'tester', channelId: 'console', workspaceId: 'console', isAdmin: false };

/** Opens an in-memory database and fills it; returns the stores and command deps over them. */
export async function seed(): Promise<{ stores: Stores; deps: CommandDeps }> {
  const beat = loadBeat();
  const db = await openDb({ memory: true });
  await migrate(db);
  const stores = createStores(db);
  const engine = createEngine({ newsroom: stores.newsroom, pack: beat.pack, examples: beat.examples, logger: silentLogger() });
  const ids: string[] = [];
  for (const f of FEEDS) {
    const { items } = await storeFeedDocument(stores.articles, {
      bytes: new Uint8Array(fs.readFileSync(f)), url: `https://demo.invalid/${f}`, feedId: null, sourceKey: `test:${f}`,
      source: f, baseline: false, seenAt: new Date('2026-03-01T00:00:00Z'),
    });
    ids.push(...items.map((i) => i.id));
  }
  await engine.process(ids);

  // A person only the news knows: named in the Tapalpa story's first report, with a role and a quote.
  const { rows } = await db.query<{ id: string; published_at: Date }>(
    `select id, published_at from articles where story_id is not null and title ilike '%Tapalpa%' order by published_at limit 1`,
  );
  const a = rows[0]!;
  const id = `cand:${LEARNED.key}`;
  await stores.newsroom.saveLearnedActors([{ key: LEARNED.key, name: LEARNED.name, mentions: 2, seenAt: a.published_at }]);
  await stores.newsroom.saveMentions([{ articleId: a.id, actorId: id, surface: LEARNED.name, count: 2 }]);
  await stores.newsroom.saveRoles([{ actorId: id, role: LEARNED.role, articleId: a.id, sentence: `El ${LEARNED.role}, ${LEARNED.name}, encabezó el despliegue.`, seenAt: a.published_at }]);
  await stores.newsroom.saveQuotes([
    { articleId: a.id, speaker: LEARNED.name, speakerId: null, text: 'El despliegue se mantendrá en la región', sentence: 'dijo el general.', publishedAt: a.published_at },
    { articleId: a.id, speaker: 'Claudia Sheinbaum Pardo', speakerId: 'claudia-sheinbaum', text: 'Coordinación sí, subordinación nunca', sentence: 'afirmó la presidenta.', publishedAt: a.published_at },
  ]);
  const deps: CommandDeps = { stores, pack: beat.pack, logger: silentLogger(), now: () => new Date('2026-03-10T12:00:00Z'), queryTimeoutMs: 5000 };
  return { stores, deps };
}
