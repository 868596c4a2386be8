/**
 * The newsroom engine: turns stored articles into analysed ones (relevance, actors, topics, quotes,
 * duplicates) and groups the relevant ones into stories with summaries and importance.
 *
 * It keeps two in-memory indexes (near-duplicates and stories) over a recent window; both are rebuilt
 * from the database by `warm()`, so a restart loses nothing. Because of those indexes the engine is a
 * single writer: one process runs `process-article` at a time (polling scales out separately).
 */
import type { BeatPack } from '../kb/pack.ts';
import type { Logger } from '../log.ts';
import type { EngineArticle, NewsroomStore, QuoteRow, StoryRow } from '../store/newsroom.ts';
import { createActorMatcher, findRoles, type ActorMention } from './actors.ts';
import { rateImportance } from './importance.ts';
import { abstractiveSummary } from './llm.ts';
import { createDuplicateIndex, fingerprint } from './minhash.ts';
import { extractQuotes } from './quotes.ts';
import { createRelevanceModel, type Example, type RelevanceModel } from './relevance.ts';
import { createStoryIndex } from './stories.ts';
import { summarizeStory, type SummaryArticle } from './summarize.ts';
import { createTopicTagger } from './topics.ts';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string | null;
  model: string;
}

export interface EngineDeps {
  newsroom: NewsroomStore;
  pack: BeatPack;
  examples: Example[];
  logger: Logger;
  llm?: LlmConfig | null;
}

/** What the engine decided about one article. */
export interface Analysis {
  id: string;
  relevant: boolean;
  score: number;
  reasons: string[];
  story: string | null;
  duplicateOf: string | null;
  /** Canonical actor names. */
  actors: string[];
  topics: string[];
}

const WINDOW_DAYS = 14;
/** Stories whose articles stay in memory between batches (the busiest recent ones). */
const STORY_CACHE_MAX = 3_000;

/** What a story refresh reads of one article: the analysed article and its quotes. */
interface StoryMember {
  article: EngineArticle;
  quotes: QuoteRow[];
}

/** Builds the engine: trains the relevance model and prepares the matchers (a second or so). */
export function createEngine(deps: EngineDeps) {
  const { pack, newsroom } = deps;
  const relevance: RelevanceModel = createRelevanceModel({
    examples: deps.examples,
    lexicon: pack.lexicon as never,
    actorTerms: pack.actors.flatMap((a) => [a.name, ...(a.aliases ?? [])]),
  });
  const matcher = createActorMatcher(pack);
  const topics = createTopicTagger(pack.topics);
  const dup = createDuplicateIndex();
  const storyIndex = createStoryIndex();
  const nameOf = (id: string) => matcher.actor(id)?.name ?? (id.startsWith('cand:') ? id.slice(5) : id);
  let warmed = false;
  // Story membership only grows (an article's story is set once), so a story's articles can be kept
  // between batches and extended in place, instead of read back from the database on every refresh.
  const storyCache = new Map<string, StoryMember[]>();
  // The last row this engine saved for each recent story (what its summary covered, for "what's new").
  const lastRows = new Map<string, StoryRow>();

  /** Rebuilds the indexes from articles analysed in the recent window (call once at start). */
  async function warm(): Promise<number> {
    warmed = true;
    // The window ends at the newest analysed article, not at the wall clock, so replayed archives
    // (last year's feeds) continue their stories across runs as they would have then.
    const newest = await newsroom.newestAnalysed();
    if (!newest) return 0;
    const recent = await newsroom.analysedSince(new Date(newest.getTime() - WINDOW_DAYS * 86_400_000));
    for (const a of recent) restore(a);
    return recent.length;
  }

  function restore(a: EngineArticle): void {
    // The fingerprint is computed again from the text rather than stored: writing the 512-byte
    // signature with every analysis cost more than recomputing it once per restart (migration 008).
    const fp = fingerprint(`${a.title}\n\n${a.text}`);
    dup.add(a.id, fp, { publishedAt: a.publishedAt, shingles: fp.shingles, words: fp.words });
    if (a.relevant && a.storyId) {
      storyIndex.restore({ id: a.id, publishedAt: a.publishedAt, language: a.language, title: a.title, text: a.text, actors: a.actors, duplicateOf: a.duplicateOf }, a.storyId);
    }
  }

  /** Analyses the given articles (oldest published first) and updates their stories. */
  async function process(ids: string[]): Promise<Analysis[]> {
    if (!warmed) await warm();
    // Already analysed articles (a re-delivered job, a sweep racing a hand-off) are reported, not redone.
    // Both reads are posted at once: the batch waits for one answer instead of two in turn.
    const [all, byUrl] = await Promise.all([newsroom.articles(ids), newsroom.firstWithCanonicalUrlsOf(ids)]);
    const done = all.filter((a) => a.relevance !== null);
    const articles = all.filter((a) => a.relevance === null).sort(
      (a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id.localeCompare(b.id),
    );
    const analyses: Analysis[] = [];
    const rows: Parameters<NewsroomStore['saveAnalyses']>[0] = [];
    const mentions: Parameters<NewsroomStore['saveMentions']>[0] = [];
    const quotes: Parameters<NewsroomStore['saveQuotes']>[0] = [];
    const roles: Parameters<NewsroomStore['saveRoles']>[0] = [];
    const learned = new Map<string, { key: string; name: string; mentions: number; seenAt: Date }>();
    const touched = new Set<string>();
    const now = new Date();

    for (const a of articles) {
      const full = `${a.title}\n\n${a.text}`;
      const rel = relevance.score({ title: a.title, text: a.text, language: a.language });
      const found = matcher.match(full, { onBeat: rel.relevant, candidates: rel.relevant });
      const actorIds = countActors(found);

      // Duplicates: the same canonical URL seen earlier, else a near-identical text (syndicated copy).
      const fp = fingerprint(full);
      let duplicateOf: string | null = null;
      const sameUrl = a.canonicalUrl ? byUrl.get(a.canonicalUrl) : undefined;
      if (sameUrl && sameUrl.id !== a.id && sameUrl.publishedAt <= a.publishedAt) duplicateOf = sameUrl.id;
      else duplicateOf = dup.findDuplicate(fp, a.publishedAt, { excludeId: a.id })?.id ?? null;
      dup.add(a.id, fp, { publishedAt: a.publishedAt, shingles: fp.shingles, words: fp.words });
      if (a.canonicalUrl && !byUrl.has(a.canonicalUrl)) byUrl.set(a.canonicalUrl, { id: a.id, publishedAt: a.publishedAt });

      // Terms in the pack (FTO, narcobloqueos) help matching and topics but are not actors to list.
      const packActors = [...actorIds.keys()].filter((id) => !id.startsWith('cand:') && matcher.actor(id)?.type !== 'term');
      let story: string | null = null;
      if (rel.relevant) {
        const s = storyIndex.assign({
          id: a.id, publishedAt: a.publishedAt, language: a.language, title: a.title, text: a.text,
          actors: [...actorIds.keys()], duplicateOf,
        });
        story = s.storyId;
        touched.add(story);
        // A story born in this batch has no rows in the database yet: its members are all here.
        if (s.isNew && !storyCache.has(story)) storyCache.set(story, []);
        const firstQuote = quotes.length;
        collectKnowledge(a, found, quotes, roles, learned);
        storyCache.get(story)?.push({
          article: { ...a, relevance: rel.score, relevant: true, storyId: story, duplicateOf, actors: [...actorIds.keys()] },
          quotes: quotes.slice(firstQuote).map((q) => ({ ...q })),
        });
      }
      for (const [actorId, m] of actorIds) mentions.push({ articleId: a.id, actorId, surface: m.surface, count: m.count });
      const tags = topics.tag(full);
      rows.push({
        id: a.id, relevance: rel.score, relevant: rel.relevant, reasons: rel.reasons, storyId: story, duplicateOf,
        actors: [...actorIds.keys()], topics: tags, processedAt: now,
      });
      analyses.push({
        id: a.id, relevant: rel.relevant, score: round(rel.score), reasons: rel.reasons, story, duplicateOf,
        actors: packActors.map(nameOf), topics: tags,
      });
    }

    // The writes go to the database (its own thread, with PGlite) while the summaries are computed here;
    // refreshStories waits for them before it reads story membership back or saves the stories. All five
    // are posted now: chained, each write after the first would wait for the summaries to finish, since
    // only then does this thread get to post the next. (They touch different tables, none with a foreign key.)
    const saving = Promise.all([
      newsroom.saveAnalyses(rows),
      newsroom.saveMentions(mentions),
      newsroom.saveQuotes(quotes),
      newsroom.saveRoles(roles),
      newsroom.saveLearnedActors([...learned.values()]),
    ]).then(() => undefined);
    saving.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled
    await refreshStories([...touched], saving);
    await saving;
    if (articles.length > 0) dup.evict();
    for (const a of done) {
      analyses.push({
        id: a.id, relevant: Boolean(a.relevant), score: round(a.relevance ?? 0), reasons: [], story: a.storyId,
        duplicateOf: a.duplicateOf, actors: a.actors.filter((x) => !x.startsWith('cand:')).map(nameOf), topics: [],
      });
    }
    const order = new Map(ids.map((id, i) => [id, i]));
    return analyses.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  }

  function collectKnowledge(
    a: EngineArticle,
    found: ActorMention[],
    quotes: Parameters<NewsroomStore['saveQuotes']>[0],
    roles: Parameters<NewsroomStore['saveRoles']>[0],
    learned: Map<string, { key: string; name: string; mentions: number; seenAt: Date }>,
  ): void {
    const people = found.filter((m) => m.type === 'person' || m.via === 'candidate');
    // Offsets from the matcher are into title + "\n\n" + text; quotes are read from the body.
    const shift = a.title.length + 2;
    const speakers = people
      .filter((m) => m.start >= shift)
      .map((m) => ({ start: m.start - shift, end: m.end - shift, name: m.name, id: m.via === 'candidate' ? undefined : m.actorId }));
    for (const q of extractQuotes(a.text, { language: a.language, knownSpeakers: speakers })) {
      quotes.push({ articleId: a.id, speaker: q.speaker, speakerId: q.speakerId ?? null, text: q.text, sentence: q.sentence, publishedAt: a.publishedAt });
    }
    for (const r of findRoles(a.text, found.filter((m) => m.start >= shift).map((m) => ({ ...m, start: m.start - shift, end: m.end - shift })))) {
      const actorId = matcher.actor(r.actor) ? r.actor : `cand:${r.actor}`;
      roles.push({ actorId, role: r.role, articleId: a.id, sentence: r.sentence, seenAt: a.publishedAt });
    }
    for (const m of found) {
      if (m.via !== 'candidate') continue;
      const l = learned.get(m.actorId) ?? { key: m.actorId, name: m.surface, mentions: 0, seenAt: a.publishedAt };
      l.mentions++;
      learned.set(m.actorId, l);
    }
  }

  /** A story's articles in published order, from memory or, the first time, from the database. */
  async function storyMembers(storyIds: string[]): Promise<Map<string, StoryMember[]>> {
    const missing = storyIds.filter((id) => !storyCache.has(id));
    if (missing.length > 0) {
      const articles = await newsroom.storyArticles(missing);
      const quotes = await newsroom.quotesFor(articles.map((a) => a.id));
      const quotesBy = new Map<string, QuoteRow[]>();
      for (const q of quotes) {
        const list = quotesBy.get(q.articleId);
        if (list) list.push(q);
        else quotesBy.set(q.articleId, [q]);
      }
      for (const id of missing) storyCache.set(id, []);
      for (const a of articles) if (a.storyId) storyCache.get(a.storyId)?.push({ article: a, quotes: quotesBy.get(a.id) ?? [] });
    }
    const out = new Map<string, StoryMember[]>();
    for (const id of storyIds) {
      const list = storyCache.get(id)!;
      // Most recently used last, so the oldest entries are the ones evicted.
      storyCache.delete(id);
      storyCache.set(id, list);
      list.sort((x, y) => x.article.publishedAt.getTime() - y.article.publishedAt.getTime() || (x.article.id < y.article.id ? -1 : x.article.id > y.article.id ? 1 : 0));
      out.set(id, list);
    }
    for (const key of storyCache.keys()) {
      if (storyCache.size <= STORY_CACHE_MAX) break;
      storyCache.delete(key);
      lastRows.delete(key);
    }
    return out;
  }

  /** Recomputes summary and importance of the given stories from all their articles. */
  async function refreshStories(storyIds: string[], saving: Promise<void>): Promise<void> {
    if (storyIds.length === 0) return;
    // What each story covered last time, from memory when this engine wrote it.
    // A story in memory without a saved row was born in this batch: it has no previous summary.
    const unknown = storyIds.filter((id) => !lastRows.has(id) && !storyCache.has(id));
    const previous = new Map(storyIds.filter((id) => lastRows.has(id)).map((id) => [id, lastRows.get(id)!]));
    for (const s of await newsroom.stories(unknown)) previous.set(s.id, s);
    // Membership read back from the database needs this batch's analyses saved first.
    if (storyIds.some((id) => !storyCache.has(id))) await saving;
    const members = await storyMembers(storyIds);

    const out: StoryRow[] = [];
    for (const id of storyIds) {
      const storyList = members.get(id) ?? [];
      if (storyList.length === 0) continue;
      const list = storyList.map((m) => m.article);
      const originals = storyList.filter((m) => !m.article.duplicateOf);
      const summaryInput = originals.map(summaryArticle);
      const prev = previous.get(id);
      const summary = summarizeStory(summaryInput, { actorNames: nameOf, previous: prev ? { covered: prev.covered } : undefined });
      let bullets: StoryRow['summary'] = summary.bullets.map((b) => ({ text: b.text, articleId: b.articleId }));
      if (deps.llm) {
        const ab = await abstractiveSummary({ ...summary, articles: summaryInput }, deps.llm);
        bullets = ab.bullets.map((b) => ({ text: b.text, articleId: b.articleId }));
        if (ab.problems.length) deps.logger.debug({ story: id, problems: ab.problems }, 'abstractive summary fell back');
      }
      const reports = distinctReports(originals.map((m) => m.article));
      const imp = rateImportance({ reports, actors: summary.actors, keyActors: KEY_ACTORS, now: list.at(-1)!.publishedAt });
      out.push({
        id, headline: summary.headline, summary: bullets, quote: summary.quote, whatsNew: summary.whatsNew,
        covered: summary.covered, actors: summary.actors, topics: topics.tag(list.map((a) => a.title).join('\n')),
        importance: imp.level, importanceReasons: imp.reasons, articleCount: list.length,
        sourceCount: new Set(list.map(outletOf)).size,
        languages: [...new Set(list.map((a) => a.language).filter((l): l is 'en' | 'es' => !!l))].sort(),
        firstSeen: list[0]!.publishedAt, updatedAt: list.at(-1)!.publishedAt,
      });
    }
    // The stories are posted now, behind this batch's writes, not after they finish: waiting first left
    // the database free to start whatever else had been posted meanwhile (the next feed's insert, in the
    // running bot), and the batch then waited for that too. Nothing reads one table through the other.
    await Promise.all([saving, newsroom.upsertStories(out)]);
    for (const row of out) lastRows.set(row.id, row);
    for (const id of lastRows.keys()) {
      if (lastRows.size <= STORY_CACHE_MAX) break;
      lastRows.delete(id);
    }
  }

  return { process, warm, threshold: relevance.threshold, nameOf };
}

export type Engine = ReturnType<typeof createEngine>;

// Heads of state, top security officials and cartel leaders: their involvement makes a story notable.
const KEY_ACTORS = new Set([
  'donald-trump', 'claudia-sheinbaum', 'marco-rubio', 'pete-hegseth', 'pam-bondi', 'omar-garcia-harfuch',
  'ricardo-trevilla-trejo', 'nemesio-oseguera-cervantes', 'ismael-zambada-garcia', 'nicolas-maduro', 'cjng',
  'sinaloa-cartel', 'los-chapitos',
]);

function countActors(found: ActorMention[]): Map<string, { surface: string; count: number }> {
  const out = new Map<string, { surface: string; count: number }>();
  for (const m of found) {
    const id = m.via === 'candidate' ? `cand:${m.actorId}` : m.actorId;
    const e = out.get(id);
    if (e) e.count++;
    else out.set(id, { surface: m.surface, count: 1 });
  }
  return out;
}

// A member's article and quotes never change once it has joined its story, so the summary's view of it
// is built once and reused by every later refresh of the story.
const summaryArticles = new WeakMap<StoryMember, SummaryArticle>();

function summaryArticle(m: StoryMember): SummaryArticle {
  let s = summaryArticles.get(m);
  if (s) return s;
  const a = m.article;
  s = {
    id: a.id, title: a.title, text: a.text, url: a.url, source: outletOf(a), publishedAt: a.publishedAt,
    language: a.language, actors: a.actors,
    quotes: m.quotes.map((q) => ({ text: q.text, speaker: q.speaker, speakerId: q.speakerId ?? undefined, sentence: q.sentence })),
  };
  summaryArticles.set(m, s);
  return s;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

// Every refresh of a story names the outlet of each of its reports, and most reports come from files or
// unregistered feeds whose outlet is their link's host: parse each article's URL once, not per refresh.
const outlets = new WeakMap<EngineArticle, string>();

/** An outlet's identity and display name: the registered feed's name, else the host of its links, else the input. */
function outletOf(a: EngineArticle): string {
  let o = outlets.get(a);
  if (o === undefined) outlets.set(a, (o = a.sourceName ?? hostOf(a.url) ?? a.source));
  return o;
}

/** One report per outlet: its earliest article in the story. */
function distinctReports(list: EngineArticle[]) {
  const seen = new Map<string, { source: string; tier: EngineArticle['tier']; publishedAt: Date }>();
  for (const a of list) {
    const key = outletOf(a);
    if (!seen.has(key)) seen.set(key, { source: key, tier: a.tier, publishedAt: a.publishedAt });
  }
  return [...seen.values()];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
