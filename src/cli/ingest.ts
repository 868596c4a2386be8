/** `frontera ingest <file|url>... [--json]`: read feeds now and store their items, no chat posting. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeError, FetchError } from '../errors.ts';
import { storeFeedDocument, type StoredItem } from '../feeds/ingest.ts';
import type { Fetcher } from '../feeds/types.ts';
import type { Analysis, Engine } from '../newsroom/engine.ts';
import type { ArticleStore } from '../store/articles.ts';
import type { FeedStore } from '../store/feeds.ts';
import type { Out } from './output.ts';

export interface IngestDeps {
  articles: ArticleStore;
  feeds: FeedStore;
  fetcher: Fetcher;
  now: () => Date;
  /** The newsroom engine; without it the newsroom fields are null. */
  engine?: Engine;
}

/** One line of `ingest --json` output, per the contract in DESIGN.md. */
export interface IngestLine {
  id: string;
  feed: string;
  url: string | null;
  title: string;
  published: string;
  language: string | null;
  relevant: boolean | null;
  score: number | null;
  story: string | null;
  duplicateOf: string | null;
  actors: string[] | null;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Reads one input (URL or file) into bytes. */
async function readInput(fetcher: Fetcher, input: string) {
  if (isUrl(input)) {
    // No validators: we want the document now, whatever a poll saw before.
    const res = await fetcher.fetchFeed(input, {});
    if (res.kind !== 'changed') throw new FetchError('read', `The server sent no body for ${input}.`);
    return { bytes: res.body, contentType: res.contentType, url: res.finalUrl };
  }
  try {
    const bytes = await fs.readFile(input);
    return { bytes: new Uint8Array(bytes), contentType: null, url: path.resolve(input) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new FetchError('read', `Cannot read ${input}: ${why}.`, { cause: err });
  }
}

/**
 * Ingests every input, then analyses all their items in one batch (ordered by published time, so the
 * result does not depend on the order of the inputs), then prints per input in input order.
 * Returns the exit status (2 when any input failed).
 */
export async function runIngest(deps: IngestDeps, inputs: string[], opts: { json: boolean }, out: Out): Promise<number> {
  const results: Array<{ input: string; items: StoredItem[] } | { input: string; error: { code: string; message: string } }> = [];
  for (const input of inputs) {
    try {
      const doc = await readInput(deps.fetcher, input);
      const registered = isUrl(input) ? await deps.feeds.getByUrl(input) : null;
      const sourceKey = registered ? `feed:${registered.id}` : isUrl(input) ? input : `file:${doc.url}`;
      const { items } = await storeFeedDocument(deps.articles, {
        bytes: doc.bytes,
        contentType: doc.contentType,
        url: doc.url,
        feedId: registered?.id ?? null,
        sourceKey,
        source: input,
        baseline: false,
        seenAt: deps.now(),
      });
      results.push({ input, items });
    } catch (err) {
      results.push({ input, error: describeError(err) });
    }
  }
  const ids = [...new Set(results.flatMap((r) => ('items' in r ? r.items.map((i) => i.id) : [])))];
  const analyses = deps.engine && ids.length > 0
    ? new Map((await deps.engine.process(ids)).map((a) => [a.id, a]))
    : new Map<string, Analysis>();
  let failed = 0;
  for (const r of results) {
    if ('error' in r) {
      failed++;
      if (opts.json) out.line(JSON.stringify({ input: r.input, error: r.error }));
      else out.err(`${r.input}: error (${r.error.code}): ${r.error.message}`);
    } else if (opts.json) {
      for (const item of r.items) out.line(JSON.stringify(toLine(r.input, item, analyses.get(item.id))));
    } else {
      out.line(summaryLine(r.input, r.items, r.items.map((i) => analyses.get(i.id)).filter((a): a is Analysis => !!a)));
    }
  }
  return failed > 0 ? 2 : 0;
}

function toLine(feed: string, item: StoredItem, analysis: Analysis | undefined): IngestLine {
  const a = item.article;
  return {
    id: item.id,
    feed,
    url: a.url,
    title: a.title,
    published: a.publishedAt.toISOString(),
    language: a.language,
    relevant: analysis ? analysis.relevant : null,
    score: analysis ? analysis.score : null,
    story: analysis ? analysis.story : null,
    duplicateOf: analysis ? analysis.duplicateOf : null,
    actors: analysis ? analysis.actors : null,
  };
}

function summaryLine(input: string, items: StoredItem[], analyses: Analysis[]): string {
  const fresh = items.filter((i) => i.isNew).length;
  const base = `${input}: ${items.length} item${items.length === 1 ? '' : 's'} (${fresh} new)`;
  if (analyses.length === 0) return base;
  const relevant = analyses.filter((a) => a.relevant).length;
  const stories = new Set(analyses.map((a) => a.story).filter(Boolean)).size;
  const dups = analyses.filter((a) => a.duplicateOf).length;
  return `${base}: ${relevant} on the beat in ${stories} stor${stories === 1 ? 'y' : 'ies'}, ${dups} duplicate${dups === 1 ? '' : 's'}`;
}
