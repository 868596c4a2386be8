/** Article repository: idempotent bulk inserts and lookups. */
import { createHash } from 'node:crypto';
import type { NormalizedArticle } from '../feeds/types.ts';
import { copyOrInsert, type CopyType } from './copy.ts';
import type { Db } from './db.ts';

export interface StoredArticle extends NormalizedArticle {
  id: string;
  feedId: number | null;
  source: string;
  firstSeenAt: Date;
  baseline: boolean;
}

export interface ArticleInsert {
  article: NormalizedArticle;
  feedId: number | null;
  /** Where it came from: `feed:<id>` for a registered feed, else the URL or file path as given. */
  sourceKey: string;
  /** The feed URL or file path shown to users. */
  source: string;
  baseline: boolean;
  seenAt: Date;
}

/** The article id: a stable hash of where it came from and its identity, so re-ingesting is a no-op. */
export function articleId(sourceKey: string, identity: string): string {
  return createHash('sha256').update(sourceKey).update('\n').update(identity).digest('hex').slice(0, 16);
}

type Row = Record<string, unknown>;

const COLUMNS = `id, feed_id, source, identity, identity_source, guid, url, canonical_url, title, html, body, author,
  categories, language, published_at, published_estimated, first_seen_at, baseline`;

function toArticle(r: Row): StoredArticle {
  return {
    id: r.id as string,
    feedId: r.feed_id == null ? null : Number(r.feed_id),
    source: r.source as string,
    identity: r.identity as string,
    identitySource: r.identity_source as StoredArticle['identitySource'],
    guid: (r.guid as string) ?? null,
    url: (r.url as string) ?? null,
    canonicalUrl: (r.canonical_url as string) ?? null,
    title: r.title as string,
    html: r.html as string,
    text: r.body as string,
    author: (r.author as string) ?? null,
    categories: (r.categories as string[]) ?? [],
    language: (r.language as StoredArticle['language']) ?? null,
    publishedAt: r.published_at as Date,
    publishedEstimated: Boolean(r.published_estimated),
    firstSeenAt: r.first_seen_at as Date,
    baseline: Boolean(r.baseline),
  };
}

/** The columns an insert fills, in the order both insert paths send them. */
const INSERT_COLUMNS = `id, feed_id, source, identity, identity_source, guid, url, canonical_url, title, html, body,
  author, categories, language, published_at, published_estimated, first_seen_at, baseline`;
/** Their types, for the binary COPY. */
const INSERT_TYPES: CopyType[] = ['text', 'int4', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
  'text', 'text[]', 'text', 'timestamptz', 'bool', 'timestamptz', 'bool'];

// Rows per INSERT: large enough to amortize round trips, small enough to keep parameter arrays modest.
const BATCH = 1000;

/**
 * JSON text without its NUL escapes: PostgreSQL text cannot hold U+0000 and rejects the whole document
 * for one. An escape counts only after an even run of backslashes (`\\u0000` is a backslash and "u0000").
 */
function withoutNul(json: string): string {
  return json.indexOf('\\u0000') === -1 ? json : json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}

/** Creates the article repository over a database handle. */
export function createArticleStore(db: Db) {
  return {
    /**
     * Inserts articles that are not stored yet, in one statement per batch.
     * Returns the ids of all inputs in order, and which of them were new.
     */
    async insertMany(items: ArticleInsert[]): Promise<{ ids: string[]; inserted: Set<string> }> {
      const ids = items.map((i) => articleId(i.sourceKey, i.article.identity));
      const inserted = new Set<string>();
      if (items.length === 0) return { ids, inserted };
      // Most items of a changed feed are already stored: ask which, and send only the others. The insert
      // still ignores conflicts, so a concurrent writer of the same item cannot make it count twice.
      const { rows: knownRows } = await db.query<{ id: string }>('select id from articles where id = any($1::text[])', [ids]);
      const known = new Set(knownRows.map((r) => r.id));
      const fresh: Array<{ item: ArticleInsert; id: string }> = [];
      for (let k = 0; k < items.length; k++) {
        if (known.has(ids[k]!)) continue;
        known.add(ids[k]!); // a feed listing one item twice sends it once
        fresh.push({ item: items[k]!, id: ids[k]! });
      }
      for (let start = 0; start < fresh.length; start += BATCH) {
        const chunk = fresh.slice(start, start + BATCH).map((x) => x.item);
        const chunkIds = fresh.slice(start, start + BATCH).map((x) => x.id);
        // Embedded PGlite: a binary COPY reads rows about twice as fast as any INSERT (its JSON and
        // array parsing is the slow part). A row another writer stored since the check above sends the
        // chunk through the INSERT that skips conflicts.
        const copied = await copyOrInsert(db, `articles (${INSERT_COLUMNS})`, INSERT_TYPES, chunk.map((i, k) => [
          chunkIds[k], i.feedId, i.source, i.article.identity, i.article.identitySource, i.article.guid,
          i.article.url, i.article.canonicalUrl, i.article.title, i.article.html, i.article.text,
          i.article.author, i.article.categories, i.article.language, i.article.publishedAt,
          i.article.publishedEstimated, i.seenAt, i.baseline,
        ]), async () => {
          // One JSON document per batch: PostgreSQL reads a JSON array of records about twice as fast as
          // eighteen parallel text arrays (array literals are parsed and unescaped element by element).
          const records = chunk.map((i, k) => ({
            id: chunkIds[k],
            feed_id: i.feedId,
            source: i.source,
            identity: i.article.identity,
            identity_source: i.article.identitySource,
            guid: i.article.guid,
            url: i.article.url,
            canonical_url: i.article.canonicalUrl,
            title: i.article.title,
            html: i.article.html,
            body: i.article.text,
            author: i.article.author,
            categories: i.article.categories,
            language: i.article.language,
            published_at: i.article.publishedAt.toISOString(),
            published_estimated: i.article.publishedEstimated,
            first_seen_at: i.seenAt.toISOString(),
            baseline: i.baseline,
          }));
          const { rows } = await db.query<{ ids: string[] | null }>(
            `with ins as (insert into articles (${INSERT_COLUMNS})
             select u.id, u.feed_id, u.source, u.identity, u.identity_source, u.guid, u.url, u.canonical_url, u.title,
               u.html, u.body, u.author, u.categories, u.language, u.published_at, u.published_estimated,
               u.first_seen_at, u.baseline
             from jsonb_to_recordset($1::jsonb) as u(id text, feed_id int, source text, identity text,
               identity_source text, guid text, url text, canonical_url text, title text, html text, body text,
               author text, categories text[], language text, published_at timestamptz, published_estimated boolean,
               first_seen_at timestamptz, baseline boolean)
             on conflict (id) do nothing
             returning id)
             select array_agg(id) as ids from ins`,
            [withoutNul(JSON.stringify(records))],
          );
          for (const id of rows[0]?.ids ?? []) inserted.add(id);
        });
        if (copied) for (const id of chunkIds) inserted.add(id);
      }
      return { ids, inserted };
    },

    async get(id: string): Promise<StoredArticle | null> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from articles where id = $1`, [id]);
      return rows[0] ? toArticle(rows[0]) : null;
    },

    async byIds(ids: string[]): Promise<StoredArticle[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<Row>(`select ${COLUMNS} from articles where id = any($1::text[])`, [ids]);
      const byId = new Map(rows.map((r) => [r.id as string, toArticle(r)]));
      return ids.map((id) => byId.get(id)).filter((a): a is StoredArticle => a !== undefined);
    },

    async recentForFeed(feedId: number, limit = 20): Promise<StoredArticle[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from articles where feed_id = $1 order by published_at desc limit $2`,
        [feedId, limit],
      );
      return rows.map(toArticle);
    },

    /** Replaces an article's body with the full text extracted from its page. */
    async setFullText(id: string, html: string, text: string): Promise<void> {
      await db.query('update articles set html = $2, body = $3, full_text = true where id = $1', [id, html, text]);
    },

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from articles');
      return Number(rows[0]!.n);
    },
  };
}

export type ArticleStore = ReturnType<typeof createArticleStore>;
