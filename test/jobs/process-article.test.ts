import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processArticleJob, processArticles } from '../../jobs/process-article.ts';
import { storeFeedDocument } from '../../src/feeds/ingest.ts';
import { silentLogger } from '../../src/log.ts';
import type { Analysis } from '../../src/newsroom/engine.ts';
import { buildEngine } from '../../src/newsroom/setup.ts';
import type { Stores } from '../../src/store/index.ts';
import { backends } from '../helpers/db.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await backends()[0]!.open();
});
afterAll(async () => {
  await stores.db.close();
});

describe('process-article job', () => {
  it('analyses a batch, hands the decisions on, and leaves nothing unprocessed', async () => {
    const { items } = await storeFeedDocument(stores.articles, {
      bytes: new Uint8Array(fs.readFileSync('demo/feeds/gaceta-seguridad.xml')), url: 'https://g.example/', feedId: null,
      sourceKey: 'test:gaceta', source: 'gaceta', baseline: false, seenAt: new Date(),
    });
    const ids = items.map((i) => i.id);
    expect(await stores.newsroom.unprocessed()).toEqual(expect.arrayContaining(ids));
    const handed: Analysis[][] = [];
    const engine = buildEngine(stores.newsroom, silentLogger());
    const out = await processArticles({ engine, analysed: async (a) => { handed.push(a); } }, { articleIds: ids });
    expect(out.map((a) => a.id)).toEqual(ids);
    expect(handed).toEqual([out]);
    expect(out.some((a) => a.relevant && a.story)).toBe(true);
    expect(await stores.newsroom.unprocessed()).toEqual([]);
  });

  it('rejects payloads that are not article ids', () => {
    expect(processArticleJob.payload.safeParse({ articleIds: ['not-an-id'] }).success).toBe(false);
    expect(processArticleJob.payload.safeParse({ articleIds: [] }).success).toBe(false);
    expect(processArticleJob.concurrency).toBe(1);
  });
});
