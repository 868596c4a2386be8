/**
 * Builds the platform-neutral alert and thread-update documents from the newsroom store. Every string is
 * plain feed text; the platform adapters escape it.
 */
import { loadBeatPack, type BeatPack } from '../kb/pack.ts';
import { stripDateline } from '../newsroom/summarize-text.ts';
import { splitSentences } from '../newsroom/text.ts';
import type { EngineArticle, NewsroomStore, StoryRow } from '../store/newsroom.ts';
import type { AlertDocument, AlertSource, ThreadUpdateDocument } from './types.ts';

let packNames: Map<string, { name: string; type: string }> | null = null;

/** The beat pack's display names, read once (alerts name actors, not their ids). */
function names(): Map<string, { name: string; type: string }> {
  if (!packNames) {
    let pack: BeatPack | null = null;
    try {
      pack = loadBeatPack();
    } catch {
      pack = null; // a broken pack is reported at start; alerts then show ids rather than fail
    }
    packNames = new Map((pack?.actors ?? []).map((a) => [a.id, { name: a.name, type: a.type }]));
  }
  return packNames;
}

/**
 * Actor ids as a reader wants them: pack names, without the engine's unconfirmed name candidates
 * (`cand:...`, often places) and without pack terms (FTO, narcobloqueos), which are not actors.
 */
export function actorNames(ids: string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (id.startsWith('cand:')) continue;
    const known = names().get(id);
    if (known?.type === 'term') continue;
    out.push(known?.name ?? id);
  }
  return out;
}

/** The outlet name for an article: its feed's name, else the host of its link, else its source key. */
export function outletName(a: Pick<EngineArticle, 'sourceName' | 'url' | 'source'>): string {
  if (a.sourceName) return a.sourceName;
  try {
    return new URL(a.url ?? a.source).hostname.replace(/^www\./, '');
  } catch {
    return a.source;
  }
}

/** The story's alert as of now, or null when the story is unknown. */
export async function buildAlert(newsroom: NewsroomStore, storyId: string, reason?: string): Promise<AlertDocument | null> {
  const story = await newsroom.story(storyId);
  if (!story) return null;
  const articles = (await newsroom.storyArticles([storyId])).filter((a) => !a.duplicateOf && a.relevant !== false);
  return alertFrom(story, articles, reason);
}

/** Pure part of buildAlert (benchmarks and tests call it with their own rows). */
export function alertFrom(story: StoryRow, articles: EngineArticle[], reason?: string): AlertDocument {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const sources: AlertSource[] = [];
  const seen = new Set<string>();
  for (const a of articles) {
    if (!a.url || seen.has(a.url)) continue;
    seen.add(a.url);
    sources.push({ label: outletName(a), url: a.url, published: a.publishedAt.toISOString(), ...(a.language ? { language: a.language } : {}) });
  }
  const lead = articles.find((a) => a.tier === 'official' && a.url) ?? articles.find((a) => a.url);
  return {
    storyId: story.id,
    headline: story.headline,
    url: lead?.url ?? '',
    bullets: story.summary.map((b) => {
      const a = b.articleId ? byId.get(b.articleId) : undefined;
      return { text: b.text, links: a?.url ? [{ label: outletName(a), url: a.url }] : [] };
    }),
    actors: actorNames(story.actors),
    topics: story.topics,
    sources,
    importance: story.importance,
    ...(reason ? { reason } : {}),
    updatedAt: story.updatedAt.toISOString(),
  };
}

/** One later report, for the alert's thread. */
export function threadUpdateFrom(story: StoryRow, a: EngineArticle): ThreadUpdateDocument {
  return {
    storyId: story.id,
    articleId: a.id,
    title: a.title,
    url: a.url ?? '',
    source: outletName(a),
    published: a.publishedAt.toISOString(),
    ...(leadOf(a) ? { whatsNew: leadOf(a)! } : {}),
  };
}

/** What a later report says first: its opening sentence, unless that only repeats its title. */
function leadOf(a: EngineArticle): string | null {
  const first = splitSentences(a.text)[0]?.text;
  if (!first) return null;
  const lead = stripDateline(first.replace(/\s+/g, ' ').trim());
  if (lead.length < 20 || lead.toLowerCase() === a.title.trim().toLowerCase()) return null;
  return lead.length > 300 ? `${lead.slice(0, 297).trimEnd()}…` : lead;
}
