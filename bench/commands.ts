/**
 * Issue 4 benchmark: latency of the lookup commands (/brief, /timeline, /quotes, /search) through the
 * real dispatcher, over an archive of 200,000 articles and 20,000 stories with mentions, quotes, learned
 * roles and search documents, on embedded PGlite and on a PostgreSQL server (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; a database of its own is created and dropped).
 * BENCH_ARTICLES scales the archive down for a quick look.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommandLine } from '../commands/index.ts';
import type { Caller, CommandDeps } from '../commands/types.ts';
import { loadBeatPack, type BeatPack } from '../src/kb/pack.ts';
import { silentLogger } from '../src/log.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { createStores } from '../src/store/index.ts';
import { migrate } from '../src/store/migrate.ts';
import { indexForSearch } from '../src/store/search.ts';
import type { BenchResult } from './lib.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 200_000);
const STORIES = Math.max(10, Math.round(ARTICLES / 10));
const RUNS = 60;
const WARMUP = 5;
const TARGET_P95_MS = 50;

/** Actors the generated news is about (pack ids), most talked-about first. */
const ACTORS = [
  'claudia-sheinbaum', 'donald-trump', 'omar-garcia-harfuch', 'marco-rubio', 'cjng', 'sinaloa-cartel', 'pete-hegseth',
  'pam-bondi', 'los-chapitos', 'ismael-zambada-garcia', 'ricardo-trevilla-trejo', 'nemesio-oseguera-cervantes',
  'juan-ramon-de-la-fuente', 'marcelo-ebrard', 'us-state-department', 'semar', 'dea', 'cbp', 'northcom', 'cartel-del-noreste',
];
const TOPICS = ['designations', 'military-action', 'transfers-extraditions', 'fentanyl', 'tariffs-trade', 'sovereignty', 'border-security'];

// Word pools for generated text (our own lists of beat vocabulary and filler).
const EN = `officials said the cartel network border security fentanyl precursor shipments seized tariffs trade talks
extradition request transfer prisoners federal court indictment drone strike navy patrol boat Caribbean sovereignty
cooperation intelligence sharing raid laboratory methamphetamine governor senator hearing committee sanctions treasury
designation terrorist organization weapons trafficking smuggling tunnel checkpoint migrants deployment troops national
guard agreement negotiations deadline reciprocal duties exports steel autos avocado investigation prosecutors witness
plea deal sentencing custody arrest warrant reward informant violence blockade ambush convoy soldiers marines helicopter
radar airspace closure cyber money laundering bank remittances casino shell companies`.split(/\s+/);
const ES = `funcionarios dijeron el cártel la red seguridad fronteriza fentanilo precursores cargamentos asegurados aranceles
negociaciones comerciales solicitud de extradición traslado presos tribunal federal acusación ataque con drones marina
patrullaje lancha Caribe soberanía cooperación intercambio de inteligencia operativo laboratorio metanfetamina gobernador
senadora audiencia comisión sanciones Tesorería designación organización terrorista armas tráfico contrabando túnel
retén migrantes despliegue tropas Guardia Nacional acuerdo plazo aranceles recíprocos exportaciones acero autos aguacate
investigación fiscales testigo acuerdo de culpabilidad sentencia custodia detención orden de aprehensión recompensa
violencia bloqueo emboscada convoy soldados marinos helicóptero radar espacio aéreo lavado de dinero banco remesas`.split(/\s+/);

// Filler words (syllable triples: 8,000 distinct) so that beat words are as rare in the archive as in real news.
const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'van', 'ros', 'pe', 'dul', 'ix', 'bra', 'sen', 'to', 'gur', 'al', 'ne', 'fio', 'cam', 'zu', 'ren', 'obi'];

/** Fills an empty, migrated database with the benchmark archive. */
export async function buildCommandArchive(db: Db, pack: BeatPack): Promise<void> {
  const names = Object.fromEntries(ACTORS.map((id) => [id, pack.actors.find((a) => a.id === id)?.name ?? id]));
  const people = ACTORS.filter((id) => pack.actors.find((a) => a.id === id)?.type === 'person');
  await db.query(`insert into feeds (url, name, tier) select 'https://outlet' || n || '.example/feed', 'Outlet ' || n, 'outlet' from generate_series(1, 40) n`);
  // Stories: 2-3 actors and 1-2 topics each, one every ~25 minutes back from 2026-07-01.
  await db.query(
    `insert into stories (id, headline, summary, actors, topics, importance, article_count, source_count, languages, first_seen, updated_at)
     select 'b' || n,
       ($2::jsonb ->> ($1::text[])[1 + n % 20]) || ' ' || ($3::text[])[1 + n % cardinality($3::text[])] || ' ' || ($3::text[])[1 + (n * 7) % cardinality($3::text[])] || ' ' || ($3::text[])[1 + (n * 13) % cardinality($3::text[])],
       jsonb_build_array(jsonb_build_object('text', ($2::jsonb ->> ($1::text[])[1 + n % 20]) || ' ' || ($3::text[])[1 + (n * 3) % cardinality($3::text[])] || ' ' || ($3::text[])[1 + (n * 5) % cardinality($3::text[])] || ' ' || ($3::text[])[1 + (n * 11) % cardinality($3::text[])], 'articleId', null)),
       array[($1::text[])[1 + n % 20], ($1::text[])[1 + (n / 3) % 20], ($1::text[])[1 + (n * 7) % 20]],
       array[($4::text[])[1 + n % 7], ($4::text[])[1 + (n / 7) % 7]],
       (array['routine', 'routine', 'routine', 'notable', 'breaking'])[1 + n % 5], 10, 6, array['en', 'es'],
       timestamptz '2026-07-01' - n * interval '25 minutes', timestamptz '2026-07-01' - n * interval '25 minutes' + interval '6 hours'
     from generate_series(1, $5::int) n`,
    [ACTORS, JSON.stringify(names), EN, TOPICS, STORIES],
  );
  // Articles: ten per story, alternating English and Spanish, ~60 words of body each.
  for (let start = 1; start <= ARTICLES; start += 20_000) {
    const end = Math.min(ARTICLES, start + 19_999);
    await db.query(
      `insert into articles (id, feed_id, source, identity, identity_source, url, canonical_url, title, html, body, language,
         published_at, relevance, relevant, story_id, actors, topics, processed_at)
       select 'ba' || n, 1 + n % 40, 'bench', 'i' || n, 'guid', 'https://outlet' || (1 + n % 40) || '.example/a/' || n,
         'https://outlet' || (1 + n % 40) || '.example/a/' || n, s.headline || ' (' || n || ')', '', x.body,
         case when n % 2 = 0 then 'en' else 'es' end, s.first_seen + (n / $3::int) * interval '30 minutes', 0.9, true,
         s.id, s.actors, s.topics, timestamptz '2026-07-02'
       from generate_series($1::int, $2::int) n
       join stories s on s.id = 'b' || (1 + n % $3::int)
       cross join lateral (select array_to_string(array(
           select case
             when i % 4 <> 0 then ($8::text[])[1 + (n * 7 + i * i * 13) % 20] || ($8::text[])[1 + (n * 11 + i * 3) % 20] || ($8::text[])[1 + (n + i * 29) % 20]
             when n % 2 = 0 then ($4::text[])[1 + (n * 31 + i * 17) % $6::int] else ($5::text[])[1 + (n * 29 + i * 19) % $7::int] end
           from generate_series(1, 60) i), ' ') as body) x`,
      [start, end, STORIES, EN, ES, EN.length, ES.length, SYLLABLES],
    );
  }
  await db.query(`insert into mentions (article_id, actor_id, surface, count) select a.id, u.actor, u.actor, 1 from articles a, unnest(a.actors) u(actor) on conflict do nothing`);
  // A quote in every fourth article, by one of the people of its story.
  await db.query(
    `insert into quotes (article_id, speaker, speaker_id, text, sentence, published_at)
     select a.id, p.name, p.id, 'We will ' || ($3::text[])[1 + (n * 3) % cardinality($3::text[])] || ' the ' || ($3::text[])[1 + (n * 5) % cardinality($3::text[])], 'a sentence', a.published_at
     from generate_series(4, $4::int, 4) n join articles a on a.id = 'ba' || n
     cross join lateral (select ($1::text[])[1 + n % $2::int] as id) pi
     cross join lateral (select pi.id, ($5::jsonb ->> pi.id) as name) p`,
    [people, people.length, EN, ARTICLES, JSON.stringify(names)],
  );
  await db.query(
    `insert into learned_roles (actor_id, role, article_id, sentence, seen_at)
     select ($1::text[])[1 + n % $2::int], 'spokesperson number ' || (n % 50), 'ba' || n, 'a sentence', timestamptz '2026-06-01' + n * interval '1 minute'
     from generate_series(10, $3::int, 40) n on conflict do nothing`,
    [people, people.length, ARTICLES],
  );
  await db.query(
    `insert into learned_actors (key, name, mention_count, first_seen, last_seen)
     select lower(x.name), x.name, 1 + n % 9, timestamptz '2026-01-01', timestamptz '2026-06-01'
     from generate_series(1, $2::int) n
     cross join lateral (select initcap(($1::text[])[1 + n % 20] || ($1::text[])[1 + (n / 20) % 20]) || ' ' ||
       initcap(($1::text[])[1 + (n / 400) % 20] || ($1::text[])[1 + (n * 7) % 20] || ($1::text[])[1 + (n * 3) % 20]) || ' ' || n as name) x`,
    [SYLLABLES, Math.round(ARTICLES / 40)],
  );
  const nameOf = (id: string) => names[id] ?? id;
  for (let start = 1; start <= ARTICLES; start += 5000) {
    const ids = Array.from({ length: Math.min(5000, ARTICLES - start + 1) }, (_, i) => `ba${start + i}`);
    const storyIds = Array.from({ length: ids.length / 10 }, (_, i) => `b${(start - 1) / 10 + i + 1}`);
    await indexForSearch(db, ids, storyIds, nameOf);
  }
  // Everything is indexed: the search catch-up starts after the newest analysed article.
  await db.query(
    `insert into search_state (id, processed_at) select 1, max(processed_at) from articles`,
  );
  await db.exec('analyze');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(deps: CommandDeps, lines: string[]): Promise<{ p50: number; p95: number; errors: number }> {
  const caller: Caller = { platform: 'console', userId: 'bench', channelId: 'console', workspaceId: 'console', isAdmin: false };
  for (let i = 0; i < WARMUP; i++) await runCommandLine(lines[i % lines.length]!, caller, deps);
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await runCommandLine(lines[i % lines.length]!, caller, deps);
    times.push(performance.now() - t);
    if (r.kind === 'error') errors++;
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(percentile(times, 50) * 10) / 10, p95: Math.round(percentile(times, 95) * 10) / 10, errors };
}

const QUERIES: Record<string, string[]> = {
  brief: ['/brief sheinbaun', '/brief Harfuch', '/brief cartel jalisco', '/brief Rubio', '/brief Los Chapitos', '/brief Hegseth'],
  timeline: ['/timeline Sheinbaum', '/timeline Trump since 2026-05', '/timeline CJNG page 2', '/timeline fentanyl since 30d', '/timeline Bondi'],
  quotes: ['/quotes Sheinbaum', '/quotes Trump about tariffs', '/quotes Harfuch', '/quotes Rubio page 2', '/quotes Bondi'],
  search: ['/search extradition request', '/search fentanilo laboratorio', '/search aranceles recíprocos', '/search sheinbaun', '/search "money laundering" casino', '/search túnel contrabando'],
};

async function benchOn(label: string, db: Db, pack: BeatPack): Promise<BenchResult[]> {
  let t = performance.now();
  await migrate(db);
  await buildCommandArchive(db, pack);
  const buildS = Math.round((performance.now() - t) / 100) / 10;
  const deps: CommandDeps = { stores: createStores(db), pack, logger: silentLogger(), now: () => new Date('2026-07-02T00:00:00Z'), queryTimeoutMs: 5000 };
  const out: BenchResult[] = [];
  for (const [name, lines] of Object.entries(QUERIES)) {
    t = performance.now();
    const m = await measure(deps, lines);
    out.push({
      name: `/${name} on ${label} (${ARTICLES.toLocaleString('en')} articles, ${STORIES.toLocaleString('en')} stories)`,
      figures: { p50_ms: m.p50, p95_ms: m.p95, runs: RUNS, error_replies: m.errors, archive_build_s: buildS },
      target: `p95 < ${TARGET_P95_MS} ms`,
      pass: m.p95 < TARGET_P95_MS && m.errors === 0,
    });
  }
  return out;
}

/** The lookup commands on PGlite (file-backed, in a temp dir) and on a PostgreSQL server. */
export async function benchCommands(): Promise<BenchResult[]> {
  const pack = loadBeatPack();
  const results: BenchResult[] = [];
  // BENCH_BACKENDS=postgres (or pglite) runs one of the two.
  const only = process.env.BENCH_BACKENDS;
  if (!only || only === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-cmd-'));
    const lite = await openDb({ dataDir: dir });
    try {
      results.push(...(await benchOn('PGlite', lite, pack)));
    } finally {
      await lite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === 'pglite') return results;
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`(no PostgreSQL server at ${serverUrl}: ${(err as Error).message}; PGlite figures only)`);
    return results;
  }
  const name = `frontera_bench_cmds_${process.pid}`;
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = await openDb({ databaseUrl: url.toString() });
  try {
    results.push(...(await benchOn('PostgreSQL', server, pack)));
  } finally {
    await server.close();
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { report } = await import('./lib.ts');
  for (const r of await benchCommands()) report(r);
}
