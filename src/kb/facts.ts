/**
 * Curated and learned facts about one actor, merged: the beat pack's roles, stance and relations, and the
 * roles the news states. Curated facts win: a learned role that says the same as a curated title (or is
 * contained in it) is dropped; the others are kept and marked learned. Every fact carries its source link.
 */
import type { Actor, BeatPack } from './pack.ts';
import type { KbRole } from '../store/kb.ts';
import { fold } from '../newsroom/text.ts';

export interface Fact {
  text: string;
  /** ISO date (or YYYY / YYYY-MM from the pack) the fact is about. */
  date?: string;
  url: string | null;
  label: string;
  learned: boolean;
}

const RELATION_WORDS: Record<string, string> = {
  leads: 'leads', member_of: 'member of', faction_of: 'faction of', successor_of: 'successor of',
  predecessor_of: 'predecessor of', allied_with: 'allied with', rival_of: 'rival of', part_of: 'part of',
  reports_to: 'reports to', counterpart_of: 'counterpart of', led_by: 'led by', founded: 'founded',
  designated_by: 'designated by',
};

/** The current curated role (no end date), else the most recent one. */
export function currentRole(actor: Actor): Actor['roles'][number] | undefined {
  return actor.roles.find((r) => !r.to) ?? [...actor.roles].sort((a, b) => String(b.from ?? '').localeCompare(String(a.from ?? '')))[0];
}

/** "2025-01-20 to now", "2017 to 2021". */
export function roleSpan(r: { from?: string | null; to?: string | null }): string {
  if (!r.from && !r.to) return '';
  return `${r.from ?? '?'} to ${r.to ?? 'now'}`;
}

/** Curated roles first, then learned roles that add something (marked learned). */
export function roleFacts(actor: Actor | undefined, learned: KbRole[]): Fact[] {
  const out: Fact[] = [];
  const curated = actor?.roles ?? [];
  for (const r of curated) {
    const span = roleSpan(r);
    out.push({
      text: span ? `${r.title} (${span})` : r.title, date: r.from ?? undefined,
      url: r.source ?? actor!.sources[0] ?? null, label: 'source', learned: false,
    });
  }
  const titles = curated.flatMap((r) => [fold(r.title), r.title_es ? fold(r.title_es) : '']).filter(Boolean);
  for (const l of learned) {
    const f = fold(l.role);
    if (titles.some((t) => t === f || t.includes(f) || f.includes(t))) continue;
    out.push({
      text: `"${l.role}", as ${l.outlet ?? 'the news'} put it`, date: l.seenAt.toISOString(),
      url: l.url, label: l.outlet ?? 'article', learned: true,
    });
  }
  return out;
}

/** Relations from the pack, named ("leads U.S. Department of State"), each with its source. */
export function relationFacts(actor: Actor, pack: BeatPack, nameOf: (id: string) => string): Fact[] {
  const out: Fact[] = actor.relations.map((r) => ({
    text: `${RELATION_WORDS[r.type] ?? r.type} ${nameOf(r.target)}`,
    url: r.source ?? actor.sources[0] ?? null, label: 'source', learned: false,
  }));
  // Relations other actors declare towards this one ("X leads this"), when this actor does not say it.
  for (const other of pack.actors) {
    for (const r of other.relations) {
      if (r.target !== actor.id || actor.relations.some((x) => x.target === other.id)) continue;
      out.push({
        text: `${nameOf(other.id)} ${RELATION_WORDS[r.type] ?? r.type} ${actor.name}`,
        url: r.source ?? other.sources[0] ?? null, label: 'source', learned: false,
      });
    }
  }
  return out;
}

/** Pack events involving an actor or tagged with a topic, oldest first. */
export function eventsFor(pack: BeatPack, target: { actor?: string; topic?: string }) {
  return pack.events
    .filter((e) => (target.actor ? e.actors.includes(target.actor) : true) && (target.topic ? e.topics.includes(target.topic) : true))
    .sort((a, b) => a.date.localeCompare(b.date));
}
