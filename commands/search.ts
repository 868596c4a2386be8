/** `/search <query>`: ranked full-text search over articles and stories, English and Spanish, with snippets. */
import { searchDocs, syncSearchIndex } from '../src/store/search.ts';
import type { Command, CommandDeps } from './types.ts';
import { dbOf, kbOf, linkTo, nextPage, takePage } from './util.ts';
import { clip } from '../src/cli/output.ts';
import type { NameIndex } from '../src/kb/names.ts';
import { fold, tokenize } from '../src/newsroom/text.ts';
import type { KbStore } from '../src/store/kb.ts';

const PER_PAGE = 6;
/** Articles the catch-up indexes before one search (the engine indexes as it goes; this covers gaps). */
const CATCH_UP = 500;

/** Names written into search documents: pack names, and learned names by their key. */
export function searchNameOf(names: NameIndex): (actorId: string) => string {
  return (id) => names.nameOf(id.startsWith('cand:') ? id.slice(5) : id);
}

/**
 * Brings the search index fully up to date (the console does this before its first command, so a
 * `frontera ingest` followed by `frontera ask "/search ..."` finds everything just ingested).
 */
export async function catchUpSearch(deps: CommandDeps): Promise<number> {
  const nameOf = searchNameOf(kbOf(deps).names);
  let total = 0;
  for (;;) {
    const n = await syncSearchIndex(deps.stores.db, nameOf, 5000);
    if (n === 0) return total;
    total += n;
  }
}

/**
 * Canonical names a short query probably means when it is a misspelt or partial name ("sheinbaun",
 * "vilalvazo"): pack names by edit distance, learned names by trigram similarity. Exact words need no help.
 */
async function namesMeant(query: string, names: NameIndex, kb: KbStore): Promise<string[]> {
  const words = tokenize(query);
  if (words.length === 0 || words.length > 4 || /["-]/.test(query)) return [];
  const out: string[] = [];
  const best = names.match(query)[0];
  if (best && best.target.kind === 'actor' && best.score >= 0.6 && best.score < 0.95) out.push(fold(best.target.name));
  if (out.length === 0) {
    for (const l of await kb.findLearned(words.join(' '), 2)) if (l.similarity >= 0.6 && l.key !== words.join(' ')) out.push(l.key);
  }
  return out;
}

export const search: Command = {
  name: 'search',
  description: 'Search articles and stories in English and Spanish (names may be misspelt)',
  usage: '/search <words> [page N]',
  options: [
    { name: 'query', description: 'Words, a "quoted phrase", or -word to exclude', type: 'string', required: true },
    { name: 'page', description: 'Page number', type: 'integer' },
  ],
  parse(text) {
    const p = takePage(text);
    if (typeof p === 'string') return p;
    if (!p.text) return 'Tell me what to look for: /search extradition, /search "Operation Southern Spear", /search aranceles.';
    return { query: p.text, page: p.page };
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const query = String(args.query ?? '');
    const page = Number(args.page ?? 1) || 1;
    await syncSearchIndex(deps.stores.db, searchNameOf(names), CATCH_UP);
    const at = { limit: PER_PAGE, offset: (page - 1) * PER_PAGE };
    let hits = await searchDocs(dbOf(deps), query, at);
    // Few or no hits: the query may be a misspelt name; search again with the names it probably means.
    if (hits.length <= PER_PAGE && page === 1) {
      const meant = await namesMeant(query, names, kb);
      if (meant.length) hits = await searchDocs(dbOf(deps), query, { ...at, names: meant });
    }
    const more = hits.length > PER_PAGE;
    // A story and one of its own reports on the same page say the same thing: keep the story.
    const storiesShown = new Set(hits.filter((h) => h.kind === 'story').map((h) => h.id));
    const shown = hits.slice(0, PER_PAGE).filter((h) => h.kind === 'story' || !h.storyId || !storiesShown.has(h.storyId));
    if (hits.length === 0) {
      return {
        kind: 'empty', title: `Search: ${query}`, sections: [], ephemeral: true,
        text: page > 1 ? `No more results (page ${page}).` : `Nothing in the archive matches "${query}". Try fewer words, the Spanish or English form, or /brief for a name.`,
      };
    }
    return {
      kind: 'answer', title: `Search: ${query}`, ephemeral: true,
      sections: [{
        lines: shown.map((h) => ({
          text: `${h.kind === 'story' ? `Story ${h.id}` : h.outlet ?? 'Article'}: ${h.title}${h.snippet ? ` — ${clip(h.snippet, 240)}` : ''}`,
          date: h.publishedAt.toISOString(),
          links: linkTo(h.url, h.outlet ?? 'source'),
        })),
      }],
      ...(more || page > 1 ? { page: { index: page, count: more ? page + 1 : page, next: more ? nextPage('search', query, page, page + 1) : undefined } } : {}),
      footer: 'English and Spanish; accents and word endings do not matter.',
    };
  },
};
