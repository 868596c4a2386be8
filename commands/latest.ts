/** `/latest [topic|actor]`: the newest stories with importance and summary. */
import { resolveName } from '../src/kb/lookup.ts';
import type { StoryFilter } from '../src/store/kb.ts';
import type { Command, ReplySection } from './types.ts';
import { choicesReply, kbOf, linkTo, nextPage, takePage } from './util.ts';

const PER_PAGE = 5;

export const latest: Command = {
  name: 'latest',
  description: 'The newest stories, with importance and summary; optionally about a topic or actor',
  usage: '/latest [topic|actor] [page N]',
  options: [
    { name: 'name', description: 'A topic or actor', type: 'string', autocomplete: 'actor-or-topic' },
    { name: 'page', description: 'Page number', type: 'integer' },
  ],
  parse(text) {
    const p = takePage(text);
    if (typeof p === 'string') return p;
    return { page: p.page, ...(p.text ? { name: p.text } : {}) };
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const page = Number(args.page ?? 1) || 1;
    let filter: StoryFilter = {};
    let label = '';
    if (args.name) {
      const query = String(args.name);
      const res = await resolveName(query, names, kb);
      if (res.status !== 'found') return choicesReply(res, query, 'latest', names);
      filter = res.target.kind === 'topic' ? { topic: res.target.id } : { actor: res.target.id };
      label = res.target.name;
    }
    const rows = await kb.stories(filter, { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE });
    const more = rows.length > PER_PAGE;
    const title = label ? `Latest: ${label}` : 'Latest stories';
    if (rows.length === 0) {
      return { kind: 'empty', title, sections: [], ephemeral: true, text: page > 1 ? `No more stories (page ${page}).` : 'No stories yet. Stories appear once feeds are ingested (frontera ingest, frontera start).' };
    }
    const sections: ReplySection[] = rows.slice(0, PER_PAGE).map((s) => ({
      heading: `${s.importance === 'routine' ? '' : `[${s.importance.toUpperCase()}] `}${s.headline}`,
      lines: [
        ...s.summary.slice(0, 3).map((b) => ({ text: b.text, learned: true })),
        { text: `${s.articleCount} report${s.articleCount === 1 ? '' : 's'} · story ${s.id} · /story ${s.id}`, date: s.updatedAt.toISOString(), links: linkTo(s.url, s.outlet ?? 'source') },
      ],
    }));
    return {
      kind: 'answer', title, sections, ephemeral: true,
      ...(more || page > 1 ? { page: { index: page, count: more ? page + 1 : page, next: more ? nextPage('latest', label, page, page + 1) : undefined } } : {}),
    };
  },
};
