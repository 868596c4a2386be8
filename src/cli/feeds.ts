/** `frontera feeds add|remove|list|check|enable|import|export`. */
import fs from 'node:fs/promises';
import { pollFeed } from '../../jobs/poll-feed.ts';
import { describeError } from '../errors.ts';
import { loadFeedList } from '../feeds/feed-list.ts';
import { parseOpml, toOpml } from '../feeds/opml.ts';
import { parseFeed } from '../feeds/parser.ts';
import type { App } from '../main.ts';
import { pollFeedDeps } from '../roles.ts';
import type { Feed, FeedTier, NewFeed } from '../store/feeds.ts';
import { clip, relativeTime, table, type Out } from './output.ts';

export interface FeedsArgs {
  sub: string;
  rest: string[];
  json: boolean;
  name?: string;
  tier?: string;
  language?: string;
  fullText?: boolean;
  noCheck?: boolean;
  out?: string;
}

const TIERS = ['official', 'wire', 'outlet', 'commentary'];

export const FEEDS_USAGE = `Usage:
  frontera feeds list [--json]
  frontera feeds add <url> [--name NAME] [--tier official|wire|outlet|commentary] [--language en|es] [--full-text] [--no-check]
  frontera feeds remove <id|url>
  frontera feeds check <id|url>... [--json]     fetch now and report, storing nothing
  frontera feeds enable <id|url>                re-enable a disabled feed and poll it soon
  frontera feeds import <file.opml|feeds.yaml>  add every feed in the file (no fetching)
  frontera feeds export [--out FILE]            OPML 2.0 on stdout or into FILE`;

/** Runs a feeds subcommand; returns the exit status. */
export async function runFeeds(app: App, a: FeedsArgs, out: Out): Promise<number> {
  switch (a.sub) {
    case 'list':
      return list(app, a, out);
    case 'add':
      return add(app, a, out);
    case 'remove':
      return remove(app, a, out);
    case 'check':
      return check(app, a, out);
    case 'enable':
      return enable(app, a, out);
    case 'import':
      return importFile(app, a, out);
    case 'export':
      return exportOpml(app, a, out);
    default:
      out.err(a.sub ? `Unknown feeds subcommand "${a.sub}".\n${FEEDS_USAGE}` : FEEDS_USAGE);
      return 64;
  }
}

function feedJson(f: Feed) {
  return {
    id: f.id, url: f.url, name: f.name, tier: f.tier, language: f.language, status: f.status,
    reason: f.status === 'disabled' ? f.disabledReason : f.lastError, errorCode: f.lastErrorCode,
    errorCount: f.errorCount, items: f.itemCount, lastSuccessAt: f.lastSuccessAt?.toISOString() ?? null,
    nextPollAt: f.status === 'disabled' ? null : f.nextPollAt.toISOString(), pollReason: f.pollReason,
    websub: f.websubState, fullText: f.fullText,
  };
}

async function list(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const feeds = await app.stores.feeds.list();
  if (a.json) {
    out.line(JSON.stringify(feeds.map(feedJson)));
    return 0;
  }
  if (feeds.length === 0) {
    out.line('No feeds yet. Add one with `frontera feeds add <url>` or `frontera feeds import beats/us-mexico-security/feeds.yaml`.');
    return 0;
  }
  const now = app.now();
  out.line(table(
    ['ID', 'STATUS', 'TIER', 'LANG', 'ITEMS', 'LAST OK', 'NEXT POLL', 'FEED'],
    feeds.map((f) => [
      String(f.id), f.status, f.tier, f.language ?? '-', String(f.itemCount), relativeTime(f.lastSuccessAt, now),
      f.status === 'disabled' ? '-' : relativeTime(f.nextPollAt, now), clip(f.name ? `${f.name} <${f.url}>` : f.url, 80),
    ]),
  ));
  const troubled = feeds.filter((f) => f.status !== 'active');
  if (troubled.length > 0) {
    out.line('');
    for (const f of troubled) {
      const why = f.status === 'disabled' ? f.disabledReason : f.lastError;
      out.line(`#${f.id} ${f.status}${f.errorCount ? ` after ${f.errorCount} failed poll(s)` : ''}: ${why ?? 'no reason recorded'}`);
    }
  }
  return 0;
}

async function add(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const url = a.rest[0];
  const problem = validateFeedInput(url, a);
  if (problem) {
    out.err(problem);
    return 64;
  }
  const input: NewFeed = {
    url: url!, name: a.name ?? null, tier: (a.tier as FeedTier) ?? 'outlet', language: a.language ?? null,
    fullText: a.fullText ?? false,
  };
  const { feed, created } = await app.stores.feeds.add(input, app.now());
  if (!created) {
    out.line(`Already watching ${feed.url} as feed #${feed.id}.`);
    return 0;
  }
  if (a.noCheck) {
    out.line(`Added feed #${feed.id} ${feed.url}; it will be polled when the bot runs.`);
    return 0;
  }
  // The first poll stores the feed's current items as a baseline, so adding a feed alerts nobody.
  const r = await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id });
  if (r.outcome === 'failed') {
    await app.stores.feeds.remove(feed.id);
    out.err(`Not added: ${r.message} (${r.code}). Fix the URL, or add it anyway with --no-check.`);
    return 2;
  }
  const items = r.outcome === 'changed' ? r.items : 0;
  out.line(`Added feed #${feed.id} ${feed.url}: ${items} current item(s) stored as a baseline (they will not alert).`);
  return 0;
}

function validateFeedInput(url: string | undefined, a: FeedsArgs): string | null {
  if (!url) return `Missing the feed URL.\n${FEEDS_USAGE}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL. Give the full address, e.g. https://example.com/feed.xml`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `Only http and https feeds are supported, not ${parsed.protocol}`;
  if (a.tier && !TIERS.includes(a.tier)) return `--tier must be one of ${TIERS.join(', ')}`;
  if (a.language && !['en', 'es'].includes(a.language)) return '--language must be en or es';
  return null;
}

async function remove(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const ref = a.rest[0];
  const feed = ref ? await app.stores.feeds.find(ref) : null;
  if (!feed) {
    out.err(ref ? `No feed "${ref}". See \`frontera feeds list\`.` : `Missing the feed id or URL.\n${FEEDS_USAGE}`);
    return ref ? 1 : 64;
  }
  await app.stores.feeds.remove(feed.id);
  out.line(`Removed feed #${feed.id} ${feed.url} (its stored articles stay).`);
  return 0;
}

async function enable(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const feed = a.rest[0] ? await app.stores.feeds.find(a.rest[0]) : null;
  if (!feed) {
    out.err(`No feed "${a.rest[0] ?? ''}". See \`frontera feeds list\`.`);
    return 1;
  }
  await app.stores.feeds.enable(feed.id, app.now());
  out.line(`Feed #${feed.id} is active again and will be polled now.`);
  return 0;
}

async function check(app: App, a: FeedsArgs, out: Out): Promise<number> {
  if (a.rest.length === 0) {
    out.err(`Missing the feed id or URL.\n${FEEDS_USAGE}`);
    return 64;
  }
  let failed = 0;
  for (const ref of a.rest) {
    const feed = /^\d+$/.test(ref) ? await app.stores.feeds.find(ref) : null;
    const url = feed?.url ?? ref;
    const started = Date.now();
    try {
      const res = await app.fetcher.fetchFeed(url, {});
      if (res.kind !== 'changed') throw new Error('the server sent no body');
      const parsed = await parseFeed(res.body, { contentType: res.contentType, url: res.finalUrl });
      const newest = parsed.items.map((i) => i.published?.getTime() ?? 0).reduce((m, t) => Math.max(m, t), 0);
      const report = {
        input: ref, ok: true, url: res.finalUrl, movedPermanently: res.permanentUrl, contentType: res.contentType,
        format: parsed.format, title: parsed.title, language: parsed.language, items: parsed.items.length,
        newest: newest ? new Date(newest).toISOString() : null, hubs: parsed.hubs, etag: res.etag,
        lastModified: res.lastModified, cache: res.hints, warnings: parsed.warnings.slice(0, 5),
        ms: Date.now() - started,
      };
      if (a.json) out.line(JSON.stringify(report));
      else {
        out.line(`${ref}: OK, ${report.format} feed "${report.title ?? ''}" with ${report.items} item(s), newest ${report.newest ?? 'undated'} (${report.ms} ms)`);
        if (report.movedPermanently) out.line(`  moved permanently to ${report.movedPermanently}`);
        if (report.hubs.length) out.line(`  WebSub hub: ${report.hubs.join(', ')}`);
        for (const w of report.warnings) out.line(`  warning: ${w}`);
      }
    } catch (err) {
      failed++;
      const error = describeError(err);
      if (a.json) out.line(JSON.stringify({ input: ref, ok: false, url, error, ms: Date.now() - started }));
      else out.line(`${ref}: FAILED (${error.code}) ${error.message}`);
    }
  }
  return failed > 0 ? 2 : 0;
}

async function importFile(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const file = a.rest[0];
  if (!file) {
    out.err(`Missing the file to import.\n${FEEDS_USAGE}`);
    return 64;
  }
  let entries: NewFeed[];
  let errors: string[] = [];
  try {
    if (/\.ya?ml$/i.test(file)) {
      entries = (await loadFeedList(file)).map((f) => ({
        url: f.url, name: f.name, language: f.language, tier: f.tier, country: f.country, topics: f.topics ?? [],
        fullText: f.fullText ?? false,
      }));
    } else {
      const parsed = parseOpml(await fs.readFile(file, 'utf8'));
      errors = parsed.errors;
      entries = parsed.feeds.map((f) => ({
        url: f.url,
        name: f.title ?? null,
        topics: f.category ?? [],
        // Frontera's own export carries tier and language; other readers' files do not.
        tier: f.tier && TIERS.includes(f.tier) ? (f.tier as FeedTier) : undefined,
        language: f.language === 'en' || f.language === 'es' ? f.language : null,
      }));
    }
  } catch (err) {
    out.err(`Cannot import ${file}: ${describeError(err).message}`);
    return 2;
  }
  let added = 0;
  for (const e of entries) if ((await app.stores.feeds.add(e, app.now())).created) added++;
  out.line(`Imported ${file}: ${added} new feed(s), ${entries.length - added} already present.`);
  for (const e of errors) out.err(`  skipped: ${e}`);
  return 0;
}

async function exportOpml(app: App, a: FeedsArgs, out: Out): Promise<number> {
  const feeds = await app.stores.feeds.list();
  const xml = toOpml(
    feeds.map((f) => ({ url: f.url, title: f.name ?? undefined, htmlUrl: f.siteUrl ?? undefined, tier: f.tier, language: f.language ?? undefined })),
    { title: 'Frontera feeds', dateCreated: app.now() },
  );
  if (a.out) {
    await fs.writeFile(a.out, xml);
    out.err(`Wrote ${feeds.length} feed(s) to ${a.out}.`);
  } else out.line(xml);
  return 0;
}
