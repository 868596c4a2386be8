/** `/story <id>`: one story: summary, every source, actors, and its timeline of updates. */
import type { Command, ReplySection } from './types.ts';
import { kbOf, linkTo, nextPage, takePage } from './util.ts';

const UPDATES_PER_PAGE = 15;

export const story: Command = {
  name: 'story',
  description: 'One story: summary, all sources, actors and its updates',
  usage: '/story <id> [page N]',
  options: [
    { name: 'id', description: 'Story id (shown by /latest, /search and alerts)', type: 'string', required: true },
    { name: 'page', description: 'Page of updates', type: 'integer' },
  ],
  parse(text) {
    const p = takePage(text);
    if (typeof p === 'string') return p;
    if (!p.text) return 'Give a story id: /story 3f2a9c1d0b7e4a55 (ids are shown by /latest and /search).';
    if (!/^[A-Za-z0-9_:.-]{1,80}$/.test(p.text)) return `"${p.text}" is not a story id: ids are letters, digits and dashes, as /latest shows them.`;
    return { id: p.text, page: p.page };
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const id = String(args.id ?? '');
    const page = Number(args.page ?? 1) || 1;
    const s = await kb.story(id);
    if (!s) {
      return { kind: 'error', title: `No story "${id}"`, text: 'Story ids are shown by /latest and /search. Try /latest to see the newest ones.', sections: [], ephemeral: true };
    }
    const articles = await kb.storyArticles(id);
    const learned = await kb.learnedNames(s.actors.filter((a) => a.startsWith('cand:')).map((a) => a.slice(5)));
    const actorNames = s.actors.map((a) => (a.startsWith('cand:') ? learned.get(a.slice(5)) ?? a.slice(5) : names.nameOf(a)));
    const byId = new Map(articles.map((a) => [a.id, a]));
    const originals = articles.filter((a) => !a.duplicateOf);
    const outlets = [...new Map(originals.map((a) => [a.outlet ?? a.url ?? a.id, a])).values()];
    const pages = Math.max(1, Math.ceil(articles.length / UPDATES_PER_PAGE));
    const sections: ReplySection[] = [];
    if (page === 1) {
      sections.push({
        heading: 'Summary',
        lines: s.summary.map((b) => {
          const a = b.articleId ? byId.get(b.articleId) : undefined;
          return { text: b.text, links: linkTo(a?.url ?? s.url, a?.outlet ?? s.outlet ?? 'source'), learned: true };
        }),
      });
      sections.push({
        fields: [
          { name: 'Importance', value: s.importance, inline: true },
          { name: 'Reports', value: String(s.articleCount), inline: true },
          { name: 'First seen', value: s.firstSeen.toISOString().slice(0, 16).replace('T', ' ') + ' UTC', inline: true },
          ...(actorNames.length ? [{ name: 'Actors', value: actorNames.slice(0, 15).join(', ') }] : []),
        ],
      });
      sections.push({ heading: 'Sources', lines: outlets.map((a) => ({ text: `${a.outlet ?? 'source'}: ${a.title}`, date: a.publishedAt.toISOString(), links: linkTo(a.url, a.outlet ?? 'source') })) });
    }
    const updates = articles.slice((page - 1) * UPDATES_PER_PAGE, page * UPDATES_PER_PAGE);
    sections.push({
      heading: 'Updates',
      lines: updates.length ? updates.map((a) => ({
        text: `${a.outlet ?? 'source'}${a.language ? ` (${a.language})` : ''}: ${a.title}${a.duplicateOf ? ' (copy)' : ''}`,
        date: a.publishedAt.toISOString(), links: linkTo(a.url, a.outlet ?? 'source'),
      })) : [{ text: page > 1 ? `No page ${page}; this story has ${pages}.` : 'No reports stored.' }],
    });
    return {
      kind: 'answer', title: s.headline, url: s.url ?? undefined, sections, ephemeral: true,
      ...(pages > 1 ? { page: { index: page, count: pages, next: nextPage('story', id, page, pages) } } : {}),
    };
  },
};
