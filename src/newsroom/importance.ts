/**
 * How important a story is: routine, notable or breaking.
 *
 * Independent sources: one entry per distinct source (folded name). The caller passes the story's reports
 * with syndicated copies already removed (a wire story republished by five sites is one report, from the
 * wire); if the same source appears twice anyway, only its earliest report counts. Commentary (opinion,
 * blogs, newsletters) never counts toward independence: it reacts to news rather than reporting it.
 *
 * Rules, checked in order (windows are inclusive: a gap of exactly 60 minutes is "within 60 minutes"):
 *
 * 1. breaking — a burst:
 *    a. 3 or more independent sources (official, wire or outlet) whose first reports fall within any
 *       60-minute window; or
 *    b. an official source and a wire service (a different source) within 30 minutes of each other: the
 *       government announced it and the wires are running it. An official source counts more: two sources
 *       suffice, in a shorter window.
 *    A burst is news only while it is fresh: when `now` is given and the burst ended more than 12 hours
 *    before it, the story is at most notable. Without `now`, the latest report's time is used (so replaying
 *    old feeds rates stories as they were rated live).
 * 2. notable — 2 or more independent sources at any distance in time, or one of `keyActors` (heads of
 *    state, top cabinet, cartel leaders) among the story's actors.
 * 3. routine — otherwise.
 *
 * Reports dated in the future (beyond `now` plus 5 minutes of clock skew) are treated as published at `now`.
 */

export type Tier = 'official' | 'wire' | 'outlet' | 'commentary';
export type ImportanceLevel = 'routine' | 'notable' | 'breaking';

export interface ImportanceInput {
  /** The story's reports, one per distinct source (see the module comment). */
  reports: Array<{ source: string; tier: Tier; publishedAt: Date }>;
  /** Actor ids of the story. */
  actors: string[];
  /** Actor ids whose involvement makes a story notable on its own. */
  keyActors?: Set<string>;
  now?: Date;
}

export interface Importance {
  level: ImportanceLevel;
  reasons: string[];
}

/** Burst windows and freshness, in minutes. */
export const BURST_WINDOW_MIN = 60;
export const OFFICIAL_WIRE_WINDOW_MIN = 30;
export const BURST_SOURCES = 3;
export const FRESH_HOURS = 12;
const SKEW_MS = 5 * 60_000;
const MIN = 60_000;

interface Report {
  source: string;
  tier: Tier;
  t: number;
}

function foldSource(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function minutes(ms: number): number {
  return Math.round(ms / MIN);
}

export function rateImportance(input: ImportanceInput): Importance {
  const reasons: string[] = [];
  // One report per source, the earliest; commentary kept apart.
  const bySource = new Map<string, Report>();
  const valid = input.reports.filter((r) => r && r.publishedAt instanceof Date && !Number.isNaN(r.publishedAt.getTime()));
  const latest = valid.reduce((m, r) => Math.max(m, r.publishedAt.getTime()), -Infinity);
  const now = input.now && !Number.isNaN(input.now.getTime()) ? input.now.getTime() : latest;
  for (const r of valid) {
    const key = foldSource(r.source);
    if (!key) continue;
    let t = r.publishedAt.getTime();
    if (Number.isFinite(now) && t > now + SKEW_MS) t = now;
    const prev = bySource.get(key);
    // The earliest report decides; a source seen with two tiers keeps the stronger one.
    if (!prev || t < prev.t) bySource.set(key, { source: r.source, tier: prev && rank(prev.tier) > rank(r.tier) ? prev.tier : r.tier, t });
    else if (rank(r.tier) > rank(prev.tier)) prev.tier = r.tier;
  }
  const independent = [...bySource.values()].filter((r) => r.tier !== 'commentary').sort((a, b) => a.t - b.t || (a.source < b.source ? -1 : 1));

  // Rule 1a: 3+ independent sources inside a 60-minute window.
  let burst: { reports: Report[]; end: number } | null = null;
  for (let i = 0, j = 0; j < independent.length; j++) {
    while (independent[j]!.t - independent[i]!.t > BURST_WINDOW_MIN * MIN) i++;
    if (j - i + 1 >= BURST_SOURCES) {
      const group = independent.slice(i, j + 1);
      if (!burst || group.length > burst.reports.length) burst = { reports: group, end: independent[j]!.t };
    }
  }
  let breakingReason: string | null = null;
  let burstEnd = -Infinity;
  if (burst) {
    const span = minutes(burst.end - burst.reports[0]!.t);
    breakingReason = `${burst.reports.length} independent sources within ${span} min (${burst.reports.map((r) => r.source).join(', ')})`;
    burstEnd = burst.end;
  }
  // Rule 1b: official + wire within 30 minutes.
  if (!breakingReason) {
    let best: { o: Report; w: Report; gap: number } | null = null;
    for (const o of independent) {
      if (o.tier !== 'official') continue;
      for (const w of independent) {
        if (w.tier !== 'wire' || w === o) continue;
        const gap = Math.abs(w.t - o.t);
        if (gap <= OFFICIAL_WIRE_WINDOW_MIN * MIN && (!best || gap < best.gap)) best = { o, w, gap };
      }
    }
    if (best) {
      breakingReason = `official source (${best.o.source}) and wire (${best.w.source}) within ${minutes(best.gap)} min`;
      burstEnd = Math.max(best.o.t, best.w.t);
    }
  }
  if (breakingReason) {
    if (Number.isFinite(now) && now - burstEnd > FRESH_HOURS * 3_600_000) {
      reasons.push(`${breakingReason}, but more than ${FRESH_HOURS} h ago`);
    } else {
      reasons.push(breakingReason);
      return { level: 'breaking', reasons };
    }
  }

  // Rule 2: notable.
  let notable = false;
  if (independent.length >= 2) {
    notable = true;
    reasons.push(`${independent.length} independent sources (${independent.map((r) => r.source).join(', ')})`);
  }
  const keys = input.keyActors ? [...new Set(input.actors)].filter((id) => input.keyActors!.has(id)) : [];
  if (keys.length) {
    notable = true;
    reasons.push(`key actors: ${keys.join(', ')}`);
  }
  if (notable) return { level: 'notable', reasons };

  reasons.push(
    independent.length === 1
      ? `one independent source (${independent[0]!.source})`
      : bySource.size > 0
        ? 'commentary only'
        : 'no reports',
  );
  return { level: 'routine', reasons };
}

function rank(t: Tier): number {
  return t === 'official' ? 3 : t === 'wire' ? 2 : t === 'outlet' ? 1 : 0;
}
