/** `/brief <actor|topic>`: who or what it is, role, stance, aliases, relations, latest stories and quote. */
import { eventsFor, currentRole, relationFacts, roleFacts, type Fact } from '../src/kb/facts.ts';
import { resolveName, type Target } from '../src/kb/lookup.ts';
import type { NameIndex } from '../src/kb/names.ts';
import type { KbStore } from '../src/store/kb.ts';
import type { Command, CommandDeps, Reply, ReplyLine, ReplySection } from './types.ts';
import { choicesReply, day, kbOf, linkTo, storyLine } from './util.ts';

const factLine = (f: Fact): ReplyLine => ({
  text: f.text, ...(f.date ? { date: f.date } : {}), links: f.url ? linkTo(f.url, f.label) : [], ...(f.learned ? { learned: true } : {}),
});

async function latestQuote(kb: KbStore, speaker: { id?: string; name?: string }): Promise<ReplySection | null> {
  const [q] = await kb.quotes(speaker, { limit: 1 });
  if (!q) return null;
  return {
    heading: 'Latest quote',
    lines: [{ text: `"${q.text}" — ${q.speaker}, ${q.outlet ?? 'source'}`, date: q.publishedAt.toISOString(), links: linkTo(q.url, q.outlet ?? 'article'), learned: true }],
  };
}

async function briefActor(id: string, deps: CommandDeps, names: NameIndex, kb: KbStore): Promise<Reply> {
  const actor = names.actor(id)!;
  const role = currentRole(actor);
  const [learnedRoles, stories, quote] = await Promise.all([
    kb.learnedRoles(id, 5), kb.stories({ actor: id }, { limit: 3 }), actor.type === 'person' ? latestQuote(kb, { id }) : null,
  ]);
  const fields = [
    { name: 'Type', value: actor.type, inline: true },
    ...(role ? [{ name: role.to ? 'Last role' : 'Role', value: role.title, inline: true }] : []),
    ...(role?.from ? [{ name: 'Since', value: String(role.from), inline: true }] : []),
    ...(role?.to ? [{ name: 'Until', value: String(role.to), inline: true }] : []),
    ...(actor.aliases.length ? [{ name: 'Also known as', value: actor.aliases.slice(0, 10).join(', ') }] : []),
  ];
  const sections: ReplySection[] = [{ fields }];
  if (actor.stance) sections.push({ heading: 'Stance', lines: [{ text: actor.stance, links: linkTo(actor.sources[0], 'source') }] });
  const roles = roleFacts(actor, learnedRoles);
  if (roles.length) sections.push({ heading: 'Roles', lines: roles.map(factLine) });
  const related = relationFacts(actor, deps.pack, names.nameOf).slice(0, 8);
  if (related.length) sections.push({ heading: 'Related', lines: related.map(factLine) });
  const events = eventsFor(deps.pack, { actor: id }).slice(-3);
  if (events.length) sections.push({ heading: 'Recent events', lines: events.map((e) => ({ text: e.title, date: e.date, links: linkTo(e.sources[0], 'source') })) });
  sections.push({ heading: 'Latest stories', lines: stories.length ? stories.map((s) => storyLine(s)) : [{ text: 'No stories in the archive yet.' }] });
  if (quote) sections.push(quote);
  return {
    kind: 'answer', title: actor.name, url: actor.sources[0], text: actor.summary, sections, ephemeral: true,
    footer: `Beat pack facts, plus what the news says (marked learned). /timeline ${actor.name} · /quotes ${actor.name}`,
  };
}

async function briefTopic(id: string, deps: CommandDeps, names: NameIndex, kb: KbStore): Promise<Reply> {
  const topic = names.topic(id)!;
  const stories = await kb.stories({ topic: id }, { limit: 3 });
  const events = eventsFor(deps.pack, { topic: id }).slice(-5);
  const sections: ReplySection[] = [
    { fields: [{ name: 'En español', value: topic.name_es, inline: true }, { name: 'Words', value: [...topic.terms_en.slice(0, 6), ...topic.terms_es.slice(0, 6)].join(', ') }] },
  ];
  if (events.length) sections.push({ heading: 'Recent events', lines: events.map((e) => ({ text: `${e.title}: ${e.description}`, date: e.date, links: linkTo(e.sources[0], 'source') })) });
  sections.push({ heading: 'Latest stories', lines: stories.length ? stories.map((s) => storyLine(s)) : [{ text: 'No stories in the archive yet.' }] });
  return { kind: 'answer', title: topic.name, text: `Beat topic "${topic.id}".`, sections, ephemeral: true, footer: `/timeline ${topic.name} · /latest ${topic.name}` };
}

async function briefLearned(t: Extract<Target, { kind: 'learned' }>, kb: KbStore): Promise<Reply> {
  const [who, roles, stories, quote] = await Promise.all([
    kb.learnedActor(t.key), kb.learnedRoles(t.id, 5), kb.stories({ actor: t.id }, { limit: 3 }), latestQuote(kb, { name: t.name }),
  ]);
  const sections: ReplySection[] = [];
  if (who) {
    sections.push({ fields: [
      { name: 'Mentions', value: String(who.mentions), inline: true },
      { name: 'First seen', value: day(who.firstSeen), inline: true },
      { name: 'Last seen', value: day(who.lastSeen), inline: true },
    ] });
  }
  const roleLines = roleFacts(undefined, roles).map(factLine);
  sections.push({ heading: 'Role, as the news states it', lines: roleLines.length ? roleLines : [{ text: 'No role stated in the articles so far.', learned: true }] });
  sections.push({ heading: 'Latest stories', lines: stories.length ? stories.map((s) => storyLine(s)) : [{ text: 'No stories yet.' }] });
  if (quote) sections.push(quote);
  return {
    kind: 'answer', title: t.name, url: roles[0]?.url ?? stories[0]?.url ?? undefined,
    text: 'Known only from the news (not in the beat pack): everything below is learned from articles.',
    sections, ephemeral: true, footer: `/quotes ${t.name} · /timeline ${t.name}`,
  };
}

export const brief: Command = {
  name: 'brief',
  description: 'Who or what it is: role, stance, aliases, related actors, latest stories and quote',
  usage: '/brief <actor|topic>',
  options: [{ name: 'name', description: 'An actor or topic (any alias, English or Spanish)', type: 'string', required: true, autocomplete: 'actor-or-topic' }],
  parse(text) {
    const name = text.trim();
    return name ? { name } : 'Tell me who or what: /brief Sheinbaum, /brief CJNG, /brief fentanyl.';
  },
  async run({ args, deps }) {
    const { names, kb } = kbOf(deps);
    const query = String(args.name ?? '');
    const res = await resolveName(query, names, kb);
    if (res.status !== 'found') return choicesReply(res, query, 'brief', names);
    const t = res.target;
    if (t.kind === 'actor') return briefActor(t.id, deps, names, kb);
    if (t.kind === 'topic') return briefTopic(t.id, deps, names, kb);
    return briefLearned(t, kb);
  },
};

