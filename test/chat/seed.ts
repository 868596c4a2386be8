/**
 * Test data for the chat stages: stories and their reports written through the real repositories
 * (articles, analyses, stories), as the newsroom engine would leave them.
 */
import type { Importance } from '../../src/chat/types.ts';
import { articleId } from '../../src/store/articles.ts';
import type { Stores } from '../../src/store/index.ts';
import type { StoryRow } from '../../src/store/newsroom.ts';

export interface SeedReport {
  key: string;
  title: string;
  text?: string;
  url?: string;
  language?: 'en' | 'es';
  feedName?: string;
  tier?: 'official' | 'wire' | 'outlet' | 'commentary';
  actors?: string[];
  publishedAt?: Date;
  relevance?: number;
}

let feedSeq = 0;

/** Stores one report of `storyId` (creating its feed), marks it analysed and on the beat; returns its id. */
export async function addReport(stores: Stores, storyId: string, r: SeedReport): Promise<string> {
  const { feed } = await stores.feeds.add({ url: `https://feeds.example/${r.feedName ?? 'wire'}-${++feedSeq}.xml`, name: r.feedName ?? 'Example Wire', tier: r.tier ?? 'wire' });
  const published = r.publishedAt ?? new Date();
  const url = r.url ?? `https://news.example/${r.key}`;
  const { ids } = await stores.articles.insertMany([{
    article: {
      identity: r.key, identitySource: 'guid', guid: r.key, url, canonicalUrl: url, title: r.title, html: `<p>${r.text ?? r.title}</p>`,
      text: r.text ?? r.title, publishedAt: published, publishedEstimated: false, language: r.language ?? 'en', author: null, categories: [],
    },
    feedId: feed.id, sourceKey: `feed:${feed.id}`, source: feed.url, baseline: false, seenAt: published,
  }]);
  const id = ids[0] ?? articleId(`feed:${feed.id}`, r.key);
  await stores.newsroom.saveAnalyses([{
    id, relevance: r.relevance ?? 0.9, relevant: true, reasons: [], storyId, duplicateOf: null, actors: r.actors ?? [], topics: [],
    processedAt: new Date(),
  }]);
  return id;
}

/** Creates or updates a story row. */
export async function saveStory(stores: Stores, s: Partial<StoryRow> & { id: string; headline: string; importance?: Importance }): Promise<void> {
  const now = new Date();
  await stores.newsroom.upsertStories([{
    summary: [{ text: `${s.headline}: first bullet.`, articleId: null }], quote: null, whatsNew: null, covered: [], actors: [], topics: [],
    importance: 'notable', importanceReasons: [], articleCount: 1, sourceCount: 1, languages: ['en'], firstSeen: now, updatedAt: now, ...s,
  }]);
}

/** A story with one report: returns the report id. */
export async function seedStory(stores: Stores, id: string, headline: string, over: Partial<StoryRow> & { report?: Partial<SeedReport> } = {}): Promise<string> {
  const { report, ...story } = over;
  const articleId = await addReport(stores, id, { key: `${id}-1`, title: headline, ...report });
  await saveStory(stores, { id, headline, ...story, summary: story.summary ?? [{ text: `${headline}: first bullet.`, articleId }] });
  return articleId;
}
