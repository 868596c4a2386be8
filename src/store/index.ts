/** Opens the database, applies migrations and builds every repository. */
import { createArticleStore, type ArticleStore } from './articles.ts';
import { openDb, type Db, type OpenDbOptions } from './db.ts';
import { createFeedStore, type FeedStore } from './feeds.ts';
import { migrate } from './migrate.ts';
import { createNewsroomStore, type NewsroomStore } from './newsroom.ts';

export interface Stores {
  db: Db;
  feeds: FeedStore;
  articles: ArticleStore;
  newsroom: NewsroomStore;
}

/** Builds repositories over an open, migrated database. */
export function createStores(db: Db): Stores {
  return { db, feeds: createFeedStore(db), articles: createArticleStore(db), newsroom: createNewsroomStore(db) };
}

/** Opens and migrates the database, then builds the repositories. */
export async function openStores(opts: OpenDbOptions): Promise<Stores> {
  const db = await openDb(opts);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return createStores(db);
}
