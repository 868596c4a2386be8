/** `/quotes <actor> [about WORDS]`: what someone said, newest first, with date, outlet and link. */
import { resolveName } from '../src/kb/lookup.ts';
import { tokenize } from '../src/newsroom/text.ts';
import type { Command } from './types.ts';
import { choicesReply, kbOf, linkTo, nextPage, takePage } from './util.ts';

const PER_PAGE = 8;

export const quotes: Command = {
  name: 'quotes',
  description: 'What an actor said, newest first, with date, outlet and link',
  usage: '/quotes <actor> [about WORDS] [page N]',
  options: [
    { name: 'name', description: 'Who said it', type: 'string', required: true, autocomplete: 'actor' },
    { name: 'about', description: 'Only quotes with these words', type: 'string' },
    { name: 'page', description: 'Page number', type: 'integer' },
  ],
  parse(text) {
    const p = takePage(text);
    if (typeof p === 'string') return p;
    const m = /^(.*?)\s+(?:about|sobre)\s+(.+)$/i.exec(p.text);
    const name = (m ? m[1]! : p.text).trim();
    if (!name) return 'Tell me whose quotes: /quotes Sheinbaum, /quotes Rubio about tariffs.';
    return { name, page: p.page, ...(m ? { about: m[2]!.trim() } : {}) };
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const query = String(args.name ?? '');
    const page = Number(args.page ?? 1) || 1;
    const about = args.about ? tokenize(String(args.about)) : [];
    const res = await resolveName(query, names, kb);
    if (res.status !== 'found') return choicesReply(res, query, 'quotes', names);
    const t = res.target;
    if (t.kind === 'topic') {
      return { kind: 'error', title: `${t.name} is a topic`, text: `Quotes are by people: try /brief ${t.name} or /search ${t.name}.`, sections: [], ephemeral: true };
    }
    const speaker = t.kind === 'actor' ? { id: t.id } : { name: t.name };
    const rows = await kb.quotes(speaker, { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE, about });
    const more = rows.length > PER_PAGE;
    const aboutText = args.about ? ` about "${args.about}"` : '';
    if (rows.length === 0) {
      return {
        kind: 'empty', title: `Quotes: ${t.name}`, sections: [], ephemeral: true,
        text: page > 1 ? `No more quotes${aboutText} (page ${page}).` : `No quotes by ${t.name}${aboutText} in the archive yet. Try /brief ${t.name}.`,
      };
    }
    const argText = `${t.name}${args.about ? ` about ${args.about}` : ''}`;
    return {
      kind: 'answer', title: `Quotes: ${t.name}${aboutText}`, ephemeral: true,
      sections: [{
        lines: rows.slice(0, PER_PAGE).map((q) => ({
          text: `"${q.text}" — ${q.outlet ?? 'source'}: ${q.title}`, date: q.publishedAt.toISOString(),
          links: linkTo(q.url, q.outlet ?? 'article'), learned: true,
        })),
      }],
      ...(more || page > 1 ? { page: { index: page, count: more ? page + 1 : page, next: more ? nextPage('quotes', argText, page, page + 1) : undefined } } : {}),
      footer: 'Quotes are read from the articles by the bot; check the source before publishing.',
    };
  },
};
