/** `frontera stories [--since 48h|DATE|all] [--limit N] [--json]`: the stories the engine has grouped. */
import { parseDuration } from '../config.ts';
import type { App } from '../main.ts';
import { clip, type Out } from './output.ts';

/** One story in the `stories --json` contract of DESIGN.md. */
export interface StoryJson {
  id: string;
  headline: string;
  summary: string[];
  articles: Array<{ id: string; url: string | null; title: string; source: string; published: string; language: string | null }>;
  actors: string[];
  importance: 'routine' | 'notable' | 'breaking';
  firstSeen: string;
  updatedAt: string;
}

/** Reads `--since`: a duration back from now (48h, 7d), an ISO date, or "all" (the default). */
export function parseSince(text: string | undefined, now: Date): Date | null | 'invalid' {
  if (!text || text === 'all') return new Date(0);
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now.getTime() - ms);
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? 'invalid' : d;
}

/** Lists stories; returns the exit status. */
export async function runStories(app: App, nameOf: (actorId: string) => string, opts: { since?: string; limit?: string; json: boolean }, out: Out): Promise<number> {
  const since = parseSince(opts.since, app.now());
  if (since === 'invalid' || since === null) {
    out.err(`--since "${opts.since}" is not a duration (48h, 7d), a date (2026-02-22) or "all".`);
    return 64;
  }
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    out.err('--limit must be a whole number from 1 to 1000.');
    return 64;
  }
  const stories = await app.stores.newsroom.recentStories(since, limit);
  const articles = await app.stores.newsroom.storyArticles(stories.map((s) => s.id));
  const result: StoryJson[] = stories.map((s) => ({
    id: s.id,
    headline: s.headline,
    summary: s.summary.map((b) => b.text),
    articles: articles.filter((a) => a.storyId === s.id).map((a) => ({
      id: a.id, url: a.url, title: a.title, source: a.sourceName ?? hostOf(a.url) ?? a.source,
      published: a.publishedAt.toISOString(), language: a.language,
    })),
    actors: s.actors.filter((x) => !x.startsWith('cand:')).map(nameOf),
    importance: s.importance,
    firstSeen: s.firstSeen.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  }));
  if (opts.json) {
    out.line(JSON.stringify(result));
    return 0;
  }
  if (result.length === 0) {
    out.line('No stories yet. Ingest some feeds first: frontera ingest <file|url>');
    return 0;
  }
  for (const s of result) {
    const mark = s.importance === 'breaking' ? 'BREAKING' : s.importance === 'notable' ? 'notable' : 'routine';
    out.line(`${s.id}  [${mark}]  ${s.headline}`);
    for (const b of s.summary) out.line(`  • ${b}`);
    if (s.actors.length) out.line(`  actors: ${s.actors.slice(0, 8).join(', ')}`);
    out.line(`  ${s.articles.length} report(s): ${clip([...new Set(s.articles.map((a) => a.source))].join(', '), 100)}  ·  ${s.firstSeen.slice(0, 16).replace('T', ' ')} → ${s.updatedAt.slice(0, 16).replace('T', ' ')} UTC`);
    out.line('');
  }
  return 0;
}

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}
