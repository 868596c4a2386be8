/**
 * From feed bytes to stored articles: parse, normalize, store. Shared by the poll-feed job, WebSub
 * pushes and `frontera ingest`, so a file replayed from disk is stored exactly as a poll would store it.
 */
import type { ArticleStore } from '../store/articles.ts';
import { normalizeItems } from './normalize.ts';
import { parseFeed } from './parser.ts';
import type { NormalizedArticle, ParsedFeed } from './types.ts';

export interface StoreDocumentInput {
  bytes: Uint8Array;
  contentType?: string | null;
  /** URL the document came from (for resolving relative links), or the file path. */
  url: string;
  feedId: number | null;
  sourceKey: string;
  /** What users see as the article's feed: the URL or path as given. */
  source: string;
  /** First poll of a new feed: store as seen, alert nobody. */
  baseline: boolean;
  seenAt: Date;
}

export interface StoredItem {
  id: string;
  article: NormalizedArticle;
  /** False when this item was stored by an earlier poll or ingest. */
  isNew: boolean;
}

export interface StoreDocumentResult {
  parsed: ParsedFeed;
  items: StoredItem[];
}

/** Parses one feed document and stores its items; throws ParseError when it is not a readable feed. */
export async function storeFeedDocument(
  articles: ArticleStore,
  input: StoreDocumentInput,
): Promise<StoreDocumentResult> {
  const parsed = await parseFeed(input.bytes, { contentType: input.contentType ?? null, url: input.url });
  const normalized = normalizeItems(parsed, { feedUrl: input.url, seenAt: input.seenAt });
  const { ids, inserted } = await articles.insertMany(
    normalized.map((article) => ({
      article,
      feedId: input.feedId,
      sourceKey: input.sourceKey,
      source: input.source,
      baseline: input.baseline,
      seenAt: input.seenAt,
    })),
  );
  // A feed can list the same item twice; only the first occurrence counts as new.
  const seen = new Set<string>();
  const items = normalized.map((article, i) => {
    const id = ids[i]!;
    const isNew = inserted.has(id) && !seen.has(id);
    seen.add(id);
    return { id, article, isNew };
  });
  return { parsed, items };
}

/**
 * Median gap between the items' published times, in seconds: how often this feed publishes.
 * Null when fewer than three dated items.
 */
export function observedEntryInterval(articles: NormalizedArticle[]): number | null {
  const times = articles
    .filter((a) => !a.publishedEstimated)
    .map((a) => a.publishedAt.getTime())
    .sort((a, b) => b - a)
    .slice(0, 30);
  if (times.length < 3) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i - 1]! - times[i]!) / 1000);
  gaps.sort((a, b) => a - b);
  const mid = gaps[Math.floor(gaps.length / 2)]!;
  return Math.max(1, Math.round(mid));
}
