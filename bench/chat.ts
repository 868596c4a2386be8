/**
 * Issue 5 benchmarks, against the fake Slack API:
 * 1. Alert latency: feeds polled every second; an item appearing in a local feed until the fake Slack
 *    receives the chat.postMessage for it (alert or thread reply), over 200 items. Four outlets, each
 *    followed by its own channel (Slack allows about one message per second per channel).
 * 2. Slash-command acknowledgement through the Slack HTTP receiver (signed requests, real Bolt) at
 *    50 requests/s for 30 s, with 100,000 articles stored.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { pollFeed } from '../jobs/poll-feed.ts';
import { commands, runCommandLine } from '../commands/index.ts';
import { createSlackDelivery, createSlackSurface } from '../src/chat/slack/index.ts';
import { warmUp } from '../src/chat/warm-up.ts';
import { createChatStore } from '../src/store/chat.ts';
import { loadConfig } from '../src/config.ts';
import { loadBeatPack } from '../src/kb/pack.ts';
import { silentLogger } from '../src/log.ts';
import { createApp } from '../src/main.ts';
import { startRedisServer } from '../src/queue/redis-server.ts';
import { pollFeedDeps, startRoles } from '../src/roles.ts';
import { openDb } from '../src/store/db.ts';
import { createStores } from '../src/store/index.ts';
import { migrate } from '../src/store/migrate.ts';
import { startWebServer } from '../src/web/server.ts';
import { startFakeSlack } from '../test/fakes/slack-api.ts';
import { generateBeatFeed } from './gen.ts';
import type { BenchResult } from './lib.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 1. Item in a feed -> chat.postMessage at the fake Slack, 1-second polls. */
export async function benchAlertLatency(): Promise<BenchResult> {
  const FEEDS = [0, 4, 8, 12]; // generateBeatFeed: feeds 4 apart report different events
  const PER_FEED = 50;
  const EVERY_MS = 1_500;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-chat-'));
  const released = new Map<number, number>(FEEDS.map((f) => [f, 3]));
  const releasedAt = new Map<string, number>();
  const feedServer = http.createServer((req, res) => {
    const n = Number(/^\/f\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
    if (!released.has(n)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'no-cache' }).end(generateBeatFeed(n, released.get(n)!));
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', () => r()));
  const feedPort = (feedServer.address() as AddressInfo).port;
  const slack = await startFakeSlack();
  const config = loadConfig({
    FRONTERA_DATA_DIR: tmp, FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '1s', FRONTERA_POLL_MAX: '1s', FRONTERA_HOST_SPACING: '0ms',
  });
  const logger = silentLogger();
  const app = await createApp(config, logger);
  const redis = await startRedisServer(path.join(tmp, 'redis'), { persist: false });
  const chat = createChatStore(app.stores.db);
  for (const f of FEEDS) {
    const { feed } = await app.stores.feeds.add({ url: `http://127.0.0.1:${feedPort}/f/${f}`, name: `Outlet ${f}`, tier: 'outlet' });
    await pollFeed(pollFeedDeps(app, async () => {}), { feedId: feed.id }); // silent baseline
    await chat.saveSubscription({ platform: 'slack', workspaceId: 'T1', channelId: `C${f}` }, { sources: [`Outlet ${f}`] }, 'bench');
  }
  const bot = await startRoles(app, {
    roles: ['worker', 'scheduler'], redisUrl: redis.url, reconcileEveryMs: 1_000, chatSweepMs: 2_000,
    gateways: { slack: createSlackDelivery({ botToken: 'xoxb-bench', apiUrl: slack.apiUrl, logger }) },
  });
  for (let round = 0; round < PER_FEED; round++) {
    for (const f of FEEDS) {
      const i = released.get(f)!;
      released.set(f, i + 1);
      releasedAt.set(`beat${f}-${i}`, Date.now());
    }
    await sleep(EVERY_MS);
  }
  // Let the last items through (polls, engine, publish, deliver).
  const deadline = Date.now() + 30_000;
  let latencies: number[] = [];
  let missing = 0;
  while (Date.now() < deadline) {
    ({ latencies, missing } = await measure());
    if (missing === 0) break;
    await sleep(1_000);
  }
  await bot.stop();
  await redis.stop();
  await app.close();
  await slack.close();
  feedServer.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  const p95 = pct(latencies, 95);
  return {
    name: 'alert latency: item in feed -> chat.postMessage (1 s polls, 4 outlets/channels)',
    figures: { items: releasedAt.size, posted: latencies.length, notPosted: missing, p50_ms: Math.round(pct(latencies, 50)), p95_ms: Math.round(p95), max_ms: Math.round(Math.max(...latencies)) },
    target: 'p95 < 2000 ms',
    pass: p95 < 2_000,
  };

  /** Latency per released item: its delivery row's message -> the fake's arrival time for that post. */
  async function measure(): Promise<{ latencies: number[]; missing: number }> {
    const { rows } = await app.stores.db.query<{ guid: string; message_id: string | null; relevant: boolean | null; duplicate_of: string | null }>(
      `select a.guid, d.message_id, a.relevant, a.duplicate_of from articles a
       left join chat_deliveries d on d.article_id = a.id and d.kind in ('alert', 'thread') and d.message_id is not null
       where a.guid = any($1::text[])`, [[...releasedAt.keys()]],
    );
    const at = new Map(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200).map((c) => [String(c.result.ts), c.at]));
    const out: number[] = [];
    let missed = 0;
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.guid)) continue;
      if (r.message_id && at.has(r.message_id)) {
        seen.add(r.guid);
        out.push(at.get(r.message_id)! - releasedAt.get(r.guid)!);
      }
    }
    for (const g of releasedAt.keys()) if (!seen.has(g)) missed++;
    return { latencies: out, missing: missed };
  }
}

/** Generated archive rows: titles and bodies in English and Spanish. */
function* archive(n: number) {
  const W = 'cartel frontera fentanyl extradición border troops marina sinaloa tariffs aranceles sheinbaum security navy army court cargos transfer operativo'.split(' ');
  let x = 7;
  const w = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return W[x % W.length]!;
  };
  for (let i = 0; i < n; i++) {
    const title = `Report ${i}: ${Array.from({ length: 8 }, w).join(' ')}`;
    const text = Array.from({ length: 80 }, w).join(' ');
    yield { i, title, text };
  }
}

/** 2. Slash-command ack latency at 50 requests/s for 30 s with 100,000 articles stored. */
export async function benchSlashAck(): Promise<BenchResult> {
  const ARTICLES = 100_000;
  const RATE = 50;
  const SECONDS = 30;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-ack-'));
  const db = await openDb({ dataDir: tmp });
  await migrate(db);
  const stores = createStores(db);
  const logger = silentLogger();
  let batch: Parameters<typeof stores.articles.insertMany>[0] = [];
  const t0 = Date.UTC(2025, 0, 1);
  for (const a of archive(ARTICLES)) {
    const url = `https://outlet${a.i % 50}.example/n/${a.i}`;
    batch.push({
      article: { identity: `a${a.i}`, identitySource: 'guid', guid: `a${a.i}`, url, canonicalUrl: url, title: a.title, html: `<p>${a.text}</p>`, text: a.text,
        publishedAt: new Date(t0 + a.i * 60_000), publishedEstimated: false, language: a.i % 2 ? 'es' : 'en', author: null, categories: [] },
      feedId: null, sourceKey: `bench:${a.i % 50}`, source: `outlet${a.i % 50}`, baseline: false, seenAt: new Date(),
    });
    if (batch.length === 2_000) {
      await stores.articles.insertMany(batch);
      batch = [];
    }
  }
  if (batch.length) await stores.articles.insertMany(batch);

  const slack = await startFakeSlack();
  const secret = 'bench-secret';
  const deps = { stores, pack: loadBeatPack(), logger, now: () => new Date(), queryTimeoutMs: 2_500, services: { chat: { store: createChatStore(db), deliver: async () => {} } } };
  const surface = createSlackSurface({
    botToken: 'xoxb-bench', signingSecret: secret, apiUrl: slack.apiUrl, commands, logger,
    run: (line, caller) => runCommandLine(line, caller, deps), isAdmin: () => false,
  });
  const web = await startWebServer({ port: 0, host: '127.0.0.1', logger, routes: surface.routes });
  const lines = [['/latest', ''], ['/search', 'fentanyl'], ['/brief', 'Sheinbaum'], ['/help', ''], ['/frontera', 'search extradición'], ['/subscriptions', '']];
  // As `frontera start` does: one run of each command warms the lookup indexes before traffic arrives.
  await warmUp(deps);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const acks: number[] = [];
  const answers: number[] = [];
  let failed = 0;
  const slow: Array<[number, number, string]> = [];
  const byCommand = new Map<string, number[]>();
  const inflight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let n = 0; n < RATE * SECONDS; n++) {
    const due = start + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const [command, text] = lines[n % lines.length]!;
    const responseUrl = slack.responseUrl();
    const body = new URLSearchParams({ team_id: 'T1', channel_id: 'CB', user_id: 'UB', command: command!, text: text!, response_url: responseUrl, trigger_id: 't', api_app_id: 'A', token: 'x' }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const sent = performance.now();
    inflight.push((async () => {
      const res = await fetch(`${web.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) } });
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
      acks.push(performance.now() - sent);
      if (process.env.BENCH_DEBUG) slow.push([n, Math.round(performance.now() - sent), command!]);
      if (await slack.waitForResponse(responseUrl, 10_000).then(() => true, () => false)) {
        answers.push(performance.now() - sent);
        byCommand.set(`${command} ${text}`, [...(byCommand.get(`${command} ${text}`) ?? []), performance.now() - sent]);
      }
    })());
  }
  await Promise.all(inflight);
  loop.disable();
  if (process.env.BENCH_DEBUG) {
    console.log(slow.sort((a, b) => b[1] - a[1]).slice(0, 10));
    for (const [c, xs] of byCommand) console.log(c, 'answer p50', Math.round(pct(xs, 50)), 'p99', Math.round(pct(xs, 99)));
  }
  await web.close();
  await slack.close();
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  const p99 = pct(acks, 99);
  return {
    name: `slash command ack through the Slack HTTP receiver (${RATE}/s for ${SECONDS} s, ${ARTICLES.toLocaleString('en')} articles)`,
    figures: {
      requests: acks.length, non200: failed, ack_p50_ms: Math.round(pct(acks, 50)), ack_p99_ms: Math.round(p99),
      loop_delay_p99_ms: Math.round(loop.percentile(99) / 1e6), loop_delay_max_ms: Math.round(loop.max / 1e6),
      answer_p50_ms: Math.round(pct(answers, 50)), answer_p99_ms: Math.round(pct(answers, 99)), answered: answers.length,
    },
    target: 'ack p99 < 100 ms',
    pass: p99 < 100 && failed === 0,
  };
}
