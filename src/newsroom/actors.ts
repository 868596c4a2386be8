/**
 * Actors in text: a gazetteer matcher built from the beat pack, proper-name candidates for people and
 * bodies the pack does not know, and roles stated in the text ("House Judiciary Chairman Jim Jordan").
 *
 * Matching works on folded word tokens (text.ts): each name, alias and ambiguous alias of the pack is a path
 * in a trie keyed by folded words, so one pass over the text with one hash look-up per word finds every
 * match; the cost is linear in the text length.
 *
 * Case: matching ignores case and accents, except that a word of an alias written in capitals with at most
 * four letters ("ICE", "CIA", "DEA", "GN", "CDN", the "US" of "U.S. government") must appear in exactly that
 * case, as a whole word ("ice", "Ice" or "Gn" never match). Dots inside acronyms are ignored: "C.I.A." = "CIA".
 *
 * Overlaps: the longest match wins (in words); at equal length a strong alias beats an ambiguous one.
 * "Cártel de Jalisco Nueva Generación" is one CJNG mention, never a "Jalisco" one.
 *
 * AMBIGUOUS ALIASES (pack field ambiguous_aliases: "Mayo", "Marina", "Defensa", "Rubio", "la presidenta"...)
 * count only when ALL the surface guards pass and at least one context rule holds.
 *   Surface guards
 *   - G1 capitals: every word the alias writes with a capital must be capitalised in the text ("mayo",
 *     "marina", "defensa" in lowercase are common words and never match).
 *   - G2 dates: an alias that is a month name does not match inside a date: "5 de mayo", "Cinco de Mayo",
 *     "mayo de 2025".
 *   - G3 other people's titles: a lowercase title alias ("la presidenta", "border czar") does not match when
 *     "de/del/of" + something other than México follows ("la presidenta de la Suprema Corte").
 *   Context rules, strongest first (an alias shared by several actors goes to the actor with the strongest
 *   rule; a tie drops the mention):
 *   - C1 same actor: the actor is also named in the text by its name or a strong alias
 *     ("Mayo Zambada ... Zambada", "Sheinbaum ... la presidenta").
 *   - C2 related actor: an actor named strongly in the text is linked to it by a pack relation (either
 *     direction) or a role org ("Trevilla ... Defensa" because Trevilla's role org is SEDENA).
 *   - C3 person titles (people only): the word before is a title ("Sen. Rubio", "canciller Rubio",
 *     "Secretary Rubio"), or the alias is ONE capitalised word, not at the start of a sentence, not next to
 *     another capitalised word (so not part of a longer name such as "Fidel Castro"), and the text is on
 *     the beat. "On the beat" is the caller's `onBeat` option when given (e.g. from the relevance score),
 *     otherwise: at least two different pack actors are named strongly in the text.
 */
import type { Actor, BeatPack } from '../kb/pack.ts';
import { fold, isAllCaps, isWordCode, lastSharedSpans, sharedTokenSpans, splitSentences, tokenSpans, type Token } from './text.ts';

export type MentionVia = 'name' | 'alias' | 'ambiguous' | 'candidate';

export interface ActorMention {
  /** Pack actor id, or for a candidate its folded key ("roman villalvazo barrios"). */
  actorId: string;
  /** Canonical name from the pack, or the candidate's surface. */
  name: string;
  /** The text as written. */
  surface: string;
  start: number;
  end: number;
  via: MentionVia;
  /** Pack actor type (person, cartel, agency, ...); undefined for candidates. */
  type?: string;
}

export interface MatchOptions {
  /** Whether the text is known to be on the beat (rule C3); default: two or more pack actors named strongly. */
  onBeat?: boolean;
  /** Also return proper-name candidates not in the pack, with via 'candidate'. */
  candidates?: boolean;
}

export interface ActorMatcher {
  match(text: string, options?: MatchOptions): ActorMention[];
  /** The pack actor with this id. */
  actor(id: string): Actor | undefined;
}

// ───────────────────────────── word lists ─────────────────────────────

/** Words that, right before a surname, make it a person reference (folded, no dot). */
const PERSON_TITLES = new Set([
  'secretary', 'sen', 'senator', 'rep', 'representative', 'congressman', 'congresswoman', 'gen', 'general', 'adm',
  'admiral', 'judge', 'gov', 'governor', 'ambassador', 'president', 'mr', 'mrs', 'ms', 'dr', 'mayor', 'chairman',
  'chairwoman', 'director', 'commander', 'minister', 'speaker', 'justice', 'attorney',
  'secretario', 'secretaria', 'canciller', 'senador', 'senadora', 'diputado', 'diputada', 'juez', 'jueza',
  'gobernador', 'gobernadora', 'embajador', 'embajadora', 'presidente', 'presidenta', 'sr', 'sra', 'lic', 'dra',
  'alcalde', 'alcaldesa', 'fiscal', 'almirante', 'gral', 'comandante', 'congresista', 'titular', 'ministro', 'ministra',
]);

const MONTHS = new Set([
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre',
  'noviembre', 'diciembre', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december',
]);
const NUMBER_WORDS = new Set([
  'uno', 'primero', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce',
  'trece', 'catorce', 'quince', 'dieciseis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte', 'treinta',
]);

// ───────────────────────────── trie ─────────────────────────────

type Kind = 'name' | 'alias' | 'ambiguous';

interface Entry {
  actorId: string;
  kind: Kind;
  /** Per word: the exact (dot-less) spelling required, for short all-caps acronyms; null = any case. */
  exact: (string | null)[] | null;
  /** Per word: must start with a capital in the text (ambiguous aliases only). */
  cap: boolean[] | null;
  /** All words lowercase ("la presidenta", "border czar"): guard G3 applies. */
  lowerTitle: boolean;
  /** Folded single word (for the month guard), else null. */
  single: string | null;
}

interface TrieNode {
  next: Map<string, TrieNode> | null;
  entries: Entry[] | null;
  /** Hard punctuation some alias has between the previous word and this one ("Resources, Inc."). */
  gap: string;
}

/** Punctuation that separates names: a multi-word alias matches across it only where the alias has it. */
function hardPunct(s: string, from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x28 || c === 0x29 ||
      c === 0x5b || c === 0x5d || c === 0x2e || c === 0x22 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb) {
      const ch = c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb ? '"' : s[k]!;
      if (!out.includes(ch)) out += ch;
    }
  }
  return out;
}

/** A short all-caps acronym word: only letters in capitals (digits allowed), 1 to 4 letters. */
function isShortAcronym(raw: string): boolean {
  let letters = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) letters++;
    else if (c >= 0x30 && c <= 0x39) continue;
    else return false;
  }
  return letters >= 1 && letters <= 4;
}

/** Per UTF-16 code unit above ASCII, filled on first use: 0 = not yet known, 1 = changes when lowercased, 2 = not. */
const UPPER_UNIT = new Uint8Array(0x10000);

/** The first character changes when lowercased (a capital). Called for most words of every article. */
function startsUpper(raw: string): boolean {
  const c = raw.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  if (!(c < 0x10000)) return false; // NaN: empty word
  let v = UPPER_UNIT[c]!;
  if (v === 0) {
    const ch = raw[0]!;
    UPPER_UNIT[c] = v = ch !== ch.toLowerCase() ? 1 : 2;
  }
  return v === 1;
}

function addEntry(root: TrieNode, alias: string, actorId: string, kind: Kind): void {
  const toks = tokenSpans(alias);
  if (toks.length === 0) return;
  let node = root;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (!node.next) node.next = new Map();
    let child = node.next.get(t.norm);
    if (!child) {
      child = { next: null, entries: null, gap: '' };
      node.next.set(t.norm, child);
    }
    if (k > 0) {
      for (const ch of hardPunct(alias, toks[k - 1]!.end, t.start)) if (!child.gap.includes(ch)) child.gap += ch;
    }
    node = child;
  }
  const exactList = toks.map((t) => (isShortAcronym(t.raw) ? t.raw : null));
  const exact = exactList.some((e) => e !== null) ? exactList : null;
  const cap = kind === 'ambiguous' ? toks.map((t, i) => exactList[i] === null && startsUpper(t.raw)) : null;
  const entry: Entry = {
    actorId,
    kind,
    exact,
    cap,
    lowerTitle: kind === 'ambiguous' && toks.every((t) => !startsUpper(t.raw)),
    single: toks.length === 1 ? toks[0]!.norm : null,
  };
  const list = (node.entries ??= []);
  // One entry per actor, kind and case pattern ("Cartel de los Soles" / "Cartel de Los Soles" fold alike).
  const same = list.find((e) => e.actorId === actorId && JSON.stringify(e.exact) === JSON.stringify(exact) && JSON.stringify(e.cap) === JSON.stringify(cap));
  if (same) {
    if (same.kind === 'ambiguous' && kind !== 'ambiguous') Object.assign(same, entry);
    return;
  }
  list.push(entry);
}

function passes(e: Entry, toks: Token[], i: number): boolean {
  if (e.exact) {
    for (let k = 0; k < e.exact.length; k++) {
      const want = e.exact[k];
      if (want !== null && toks[i + k]!.raw !== want) return false;
    }
  }
  if (e.cap) {
    for (let k = 0; k < e.cap.length; k++) {
      if (e.cap[k] && !startsUpper(toks[i + k]!.raw)) return false;
    }
  }
  return true;
}

// ───────────────────────────── context helpers ─────────────────────────────

/** Only spaces between two offsets. */
function onlySpaces(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0) return false;
  }
  return true;
}

/** Token i opens a sentence: nothing before it but opening punctuation since a terminal or the text start. */
function isSentenceInitial(text: string, toks: Token[], i: number): boolean {
  let k = toks[i]!.start - 1;
  while (k >= 0) {
    const c = text.charCodeAt(k);
    if (c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x22 || c === 0x27 || c === 0x201c || c === 0x2018 ||
      c === 0xbf || c === 0xa1 || c === 0x28 || c === 0xab || c === 0x2014 || c === 0x2013) {
      k--;
      continue;
    }
    break;
  }
  if (k < 0) return true;
  const c = text.charCodeAt(k);
  if (c === 0x0a || c === 0x0d || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x3a) return true;
  if (c === 0x2e) {
    // "Gen. Rubio": the dot of a title abbreviation does not start a sentence.
    const prev = i > 0 ? toks[i - 1]! : null;
    if (prev && prev.end === k && (PERSON_TITLES.has(prev.norm) || prev.raw.length === 1)) return false;
    return true;
  }
  return false;
}

/** A capitalised word right before or after (only spaces between): the alias is part of a longer name. */
function capitalisedNeighbour(text: string, toks: Token[], i: number, j: number): boolean {
  const prev = i > 0 ? toks[i - 1]! : null;
  const next = j < toks.length ? toks[j]! : null;
  // "Fidel Castro": a capitalised word before, unless it is a function word opening the sentence ("El Rubio").
  if (prev && onlySpaces(text, prev.end, toks[i]!.start) && startsUpper(prev.raw) && !/^(el|la|los|las|the|a|en|in|y|and|de|del)$/.test(prev.norm)) return true;
  if (next && onlySpaces(text, toks[j - 1]!.end, next.start) && startsUpper(next.raw)) return true;
  return false;
}

// ───────────────────────────── matcher ─────────────────────────────

/**
 * tokenSpans(text), taken from the last text tokenized through sharedTokenSpans when `text` is the end of it.
 * The engine matches title + "\n\n" + body and then reads roles from the body: findRoles takes the body's
 * tokens from there rather than tokenizing it again. Checked by content, so it only ever serves the same
 * characters.
 */
function tokensOf(text: string): Token[] {
  const { text: lastText, spans: lastToks } = lastSharedSpans();
  const offset = lastText.length - text.length;
  if (offset === 0 && lastText === text) return lastToks;
  // Past a character that neither joins nor belongs to a word, tokenizing a suffix gives the same words.
  if (offset > 0 && !isWordCode(lastText.charCodeAt(offset - 1)) && lastText.charCodeAt(offset - 1) !== 0x2e && lastText.endsWith(text)) {
    let lo = 0;
    let hi = lastToks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastToks[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    const out: Token[] = new Array(lastToks.length - lo);
    for (let k = lo; k < lastToks.length; k++) {
      const t = lastToks[k]!;
      out[k - lo] = { start: t.start - offset, end: t.end - offset, norm: t.norm, raw: t.raw, dot: t.dot };
    }
    return out;
  }
  return tokenSpans(text);
}

interface Cand {
  i: number;
  j: number;
  entries: Entry[];
  strong: boolean;
}

export function createActorMatcher(pack: BeatPack): ActorMatcher {
  const root: TrieNode = { next: new Map(), entries: null, gap: '' };
  const byId = new Map<string, Actor>();
  const related = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    let s = related.get(a);
    if (!s) related.set(a, (s = new Set()));
    s.add(b);
  };
  /** Folded ambiguous aliases: an unresolved "Marina" is a pack word, not a new name candidate. */
  const ambiguousKeys = new Set<string>();
  /** Folded non-first words of each person's canonical name, for surname back-references. */
  const surnameWords = new Map<string, string[]>();
  for (const a of pack.actors) {
    byId.set(a.id, a);
    if (a.type === 'person') {
      surnameWords.set(
        a.id,
        tokenSpans(a.name)
          .slice(1)
          .filter((w) => w.raw.length >= 4 && startsUpper(w.raw) && !PARTICLES.has(w.norm) && !NOT_NAMES.has(w.norm))
          .map((w) => w.norm),
      );
    }
    for (const alias of a.ambiguous_aliases) ambiguousKeys.add(tokenSpans(alias).map((t) => t.norm).join(' '));
    addEntry(root, a.name, a.id, 'name');
    for (const alias of a.aliases) addEntry(root, alias, a.id, 'alias');
    for (const alias of a.ambiguous_aliases) addEntry(root, alias, a.id, 'ambiguous');
    for (const r of a.relations) {
      link(a.id, r.target);
      link(r.target, a.id);
    }
    for (const r of a.roles) {
      if (r.org) {
        link(a.id, r.org);
        link(r.org, a.id);
      }
    }
  }

  /** Context rule level for an ambiguous entry (0 = no support). */
  function support(e: Entry, text: string, toks: Token[], c: Cand, strongIds: Set<string>, onBeat: boolean): number {
    if (strongIds.has(e.actorId)) return 3;
    const rel = related.get(e.actorId);
    if (rel) for (const r of rel) if (strongIds.has(r)) return 2;
    const actor = byId.get(e.actorId);
    const prev = c.i > 0 ? toks[c.i - 1]! : null;
    if (actor?.type === 'person' && prev && PERSON_TITLES.has(prev.norm) && onlySpaces(text, prev.dot ? prev.end + 1 : prev.end, toks[c.i]!.start)) return 1;
    if (onBeat && c.j - c.i === 1 && startsUpper(toks[c.i]!.raw) && !isSentenceInitial(text, toks, c.i) && !capitalisedNeighbour(text, toks, c.i, c.j)) return 1;
    return 0;
  }

  function guardsFail(e: Entry, toks: Token[], c: Cand): boolean {
    if (e.single && MONTHS.has(e.single)) {
      const p1 = toks[c.i - 1];
      const p2 = toks[c.i - 2];
      const n1 = toks[c.j];
      const n2 = toks[c.j + 1];
      if (p1 && (p1.norm === 'de' || p1.norm === 'of') && p2 && (/^\d+$/.test(p2.norm) || NUMBER_WORDS.has(p2.norm))) return true;
      if (p1 && /^\d+$/.test(p1.norm)) return true;
      if (n1 && (n1.norm === 'de' || n1.norm === 'del') && n2 && /^\d{4}$/.test(n2.norm)) return true;
      if (n1 && /^\d{1,4}$/.test(n1.norm)) return true;
    }
    if (e.lowerTitle) {
      const n1 = toks[c.j];
      const n2 = toks[c.j + 1];
      if (n1 && (n1.norm === 'de' || n1.norm === 'del' || n1.norm === 'of') && !(n2 && n2.norm === 'mexico')) return true;
    }
    return false;
  }

  const rootNext = root.next!;
  /** Which words own each token while resolving overlaps; reused across calls (grown when a text is longer). */
  let ownerScratch = new Int32Array(1024);

  function match(text: string, options: MatchOptions = {}): ActorMention[] {
    const toks = sharedTokenSpans(text);
    const n = toks.length;
    const cands: Cand[] = [];
    for (let i = 0; i < n; i++) {
      let node = rootNext.get(toks[i]!.norm);
      if (!node) continue;
      let bestStrong: Cand | null = null;
      let bestAmb: Cand | null = null;
      let j = i + 1;
      for (;;) {
        if (node.entries) {
          let strong: Entry | null = null;
          let amb: Entry[] | null = null;
          for (const e of node.entries) {
            if (!passes(e, toks, i)) continue;
            if (e.kind === 'ambiguous') (amb ??= []).push(e);
            else if (!strong || (e.kind === 'name' && strong.kind !== 'name')) strong = e;
          }
          if (strong) bestStrong = { i, j, entries: [strong], strong: true };
          if (amb) bestAmb = { i, j, entries: amb, strong: false };
        }
        if (j >= n || !node.next) break;
        const child = node.next.get(toks[j]!.norm);
        if (!child) break;
        const prevTok = toks[j - 1]!;
        const gap = hardPunct(text, prevTok.end, toks[j]!.start);
        if (gap) {
          let ok = true;
          for (const ch of gap) {
            // The dot of an abbreviation or initial ("Gen. Guillot", "Donald J. Trump") is part of the word.
            if (ch === '.' && prevTok.dot && prevTok.raw.length <= 4) continue;
            if (!child.gap.includes(ch)) ok = false;
          }
          if (!ok) break;
        }
        node = child;
        j++;
      }
      if (bestStrong) cands.push(bestStrong);
      if (bestAmb) cands.push(bestAmb);
    }
    if (cands.length === 0 && !options.candidates) return [];

    // Longest first; strong before ambiguous at equal length; then left to right.
    cands.sort((a, b) => b.j - b.i - (a.j - a.i) || (a.strong === b.strong ? 0 : a.strong ? -1 : 1) || a.i - b.i);
    if (ownerScratch.length < n) ownerScratch = new Int32Array(n * 2);
    const owner = ownerScratch; // only [0, n) is used
    owner.fill(-1, 0, n);
    const accepted: number[] = [];
    const tryAccept = (idx: number) => {
      const c = cands[idx]!;
      for (let k = c.i; k < c.j; k++) if (owner[k] !== -1) return false;
      for (let k = c.i; k < c.j; k++) owner[k] = idx;
      accepted.push(idx);
      return true;
    };
    for (let idx = 0; idx < cands.length; idx++) tryAccept(idx);

    const strongIds = new Set<string>();
    for (const idx of accepted) if (cands[idx]!.strong) strongIds.add(cands[idx]!.entries[0]!.actorId);
    const onBeat = options.onBeat ?? strongIds.size >= 2;

    // Resolve ambiguous mentions; free the words of those that fail.
    const resolved = new Map<number, string>();
    let freed = false;
    for (const idx of accepted) {
      const c = cands[idx]!;
      if (c.strong) continue;
      let best = 0;
      let bestIds = new Set<string>();
      for (const e of c.entries) {
        if (guardsFail(e, toks, c)) continue;
        const s = support(e, text, toks, c, strongIds, onBeat);
        if (s > best) {
          best = s;
          bestIds = new Set([e.actorId]);
        } else if (s === best && s > 0) bestIds.add(e.actorId);
      }
      if (best > 0 && bestIds.size === 1) resolved.set(idx, [...bestIds][0]!);
      else {
        for (let k = c.i; k < c.j; k++) owner[k] = -1;
        freed = true;
      }
    }
    let final = accepted.filter((idx) => cands[idx]!.strong || resolved.has(idx));
    if (freed) {
      // A strong alias hidden under a dropped ambiguous one gets its chance.
      const taken = new Set(final);
      accepted.length = 0;
      for (let idx = 0; idx < cands.length; idx++) if (cands[idx]!.strong && !taken.has(idx)) tryAccept(idx);
      final = final.concat(accepted);
    }

    const out: ActorMention[] = final.map((idx) => {
      const c = cands[idx]!;
      const actorId = c.strong ? c.entries[0]!.actorId : resolved.get(idx)!;
      const actor = byId.get(actorId)!;
      const start = toks[c.i]!.start;
      const end = toks[c.j - 1]!.end;
      return {
        actorId,
        name: actor.name,
        surface: text.slice(start, end),
        start,
        end,
        via: c.strong ? (c.entries[0]!.kind as 'name' | 'alias') : 'ambiguous',
        type: actor.type,
      };
    });
    addSurnames(text, toks, owner, out);
    // Unresolved ambiguous aliases ("Marina" with no support) are pack words, not new names.
    if (options.candidates) out.push(...candidateMentions(text, out, toks).filter((c) => !ambiguousKeys.has(c.actorId)));
    out.sort((a, b) => a.start - b.start);
    return out;
  }

  /**
   * Surname back-references: once a pack person is named strongly, a later capitalised word equal to one of
   * the non-first words of their canonical name ("Villalvazo" after "Román Villalvazo Barrios") is that
   * person too (via 'ambiguous'), unless two people named in the text share the word.
   */
  function addSurnames(text: string, toks: Token[], owner: Int32Array, out: ActorMention[]): void {
    const surnames = new Map<string, string | null>();
    for (const m of out) {
      if (m.type !== 'person' || m.via === 'ambiguous') continue;
      for (const w of surnameWords.get(m.actorId) ?? []) {
        const prev = surnames.get(w);
        surnames.set(w, prev === undefined || prev === m.actorId ? m.actorId : null);
      }
    }
    if (surnames.size === 0) return;
    for (let k = 0; k < toks.length; k++) {
      if (owner[k] !== -1) continue;
      const t = toks[k]!;
      if (!startsUpper(t.raw)) continue;
      const id = surnames.get(t.norm);
      if (!id || capitalisedNeighbour(text, toks, k, k + 1)) continue;
      const actor = byId.get(id)!;
      out.push({ actorId: id, name: actor.name, surface: text.slice(t.start, t.end), start: t.start, end: t.end, via: 'ambiguous', type: actor.type });
    }
  }

  return { match, actor: (id) => byId.get(id) };
}

// ───────────────────────────── proper-name candidates ─────────────────────────────

export interface Candidate {
  /** First spelling seen. */
  surface: string;
  /** Folded key: "roman villalvazo barrios". */
  key: string;
  count: number;
  spans: { start: number; end: number }[];
}

/** Words that head a role or title: never part of a name, and what comes right before them is a modifier. */
const TITLE_HEADS = new Set([
  'secretary', 'chairman', 'chairwoman', 'chair', 'director', 'commander', 'administrator', 'ambassador',
  'senator', 'sen', 'representative', 'rep', 'congressman', 'congresswoman', 'governor', 'gov', 'mayor', 'judge',
  'spokesman', 'spokeswoman', 'spokesperson', 'minister', 'president', 'general', 'gen', 'admiral', 'adm', 'czar',
  'prosecutor', 'attorney', 'chief', 'sheriff', 'leader', 'head', 'founder', 'boss', 'lieutenant', 'lt', 'colonel',
  'col', 'captain', 'capt', 'envoy', 'adviser', 'advisor', 'speaker', 'justice', 'sgt', 'sergeant', 'officer',
  'secretario', 'secretaria', 'titular', 'directora', 'comandante', 'jefe', 'jefa', 'gobernador', 'gobernadora',
  'presidente', 'presidenta', 'fiscal', 'embajador', 'embajadora', 'vocero', 'vocera', 'portavoz', 'lider',
  'alcalde', 'alcaldesa', 'canciller', 'almirante', 'senador', 'senadora', 'diputado', 'diputada', 'juez', 'jueza',
  'coordinador', 'coordinadora', 'subsecretario', 'subsecretaria', 'fundador', 'operador', 'gral', 'ministro',
  'ministra', 'procurador', 'congresista', 'mandatario', 'mandataria', 'cabecilla',
  'analyst', 'expert', 'researcher', 'professor', 'lawyer', 'activist', 'journalist', 'economist', 'analista',
  'experto', 'experta', 'investigador', 'investigadora', 'abogado', 'abogada', 'periodista', 'activista',
]);
/** Honorifics: dropped from names, not roles. */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'dr', 'sr', 'sra', 'srta', 'lic', 'licda', 'ing', 'dra', 'don', 'dona', 'mtro', 'mtra']);
/** Particles allowed inside a name when a capitalised word follows. */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y']);
/** Capitalised words that are not names: function words at sentence starts, days, months, demonyms. */
const NOT_NAMES = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'but', 'and', 'or', 'after', 'before', 'as', 'if', 'when', 'while', 'this',
  'that', 'these', 'those', 'he', 'she', 'it', 'they', 'we', 'i', 'his', 'her', 'their', 'its', 'our', 'there',
  'according', 'meanwhile', 'however', 'also', 'some', 'many', 'more', 'most', 'no', 'not', 'for', 'from', 'to',
  'with', 'by', 'of', 'what', 'who', 'why', 'how', 'where', 'here', 'yes', 'former', 'officials', 'authorities',
  'el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'en', 'pero', 'y', 'o', 'tras', 'este', 'esta', 'estos',
  'estas', 'ese', 'esa', 'eso', 'su', 'sus', 'se', 'lo', 'por', 'con', 'al', 'del', 'de', 'ademas', 'sin', 'segun',
  'desde', 'durante', 'para', 'como', 'cuando', 'donde', 'que', 'quien', 'hoy', 'ayer', 'manana', 'ya', 'no', 'si',
  'mientras', 'aunque', 'entre', 'sobre', 'ante', 'autoridades', 'funcionarios',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo',
  ...MONTHS,
  'mexican', 'mexicans', 'american', 'americans', 'venezuelan', 'colombian', 'canadian', 'chinese', 'cuban',
  'mexicano', 'mexicana', 'mexicanos', 'mexicanas', 'estadounidense', 'estadounidenses', 'venezolano', 'venezolana',
  'democrat', 'democrats', 'republican', 'republicans', 'democratic', 'democrata', 'democratas', 'republicano', 'republicanos',
  'us', 'usa', 'eeuu', 'eu',
]);
/** Places and other names that are background on this beat, not new actors. */
const PLACES = new Set([
  'mexico', 'mexico city', 'ciudad de mexico', 'cdmx', 'estados unidos', 'united states', 'washington', 'sinaloa',
  'culiacan', 'mazatlan', 'jalisco', 'guadalajara', 'tamaulipas', 'reynosa', 'matamoros', 'nuevo laredo', 'michoacan',
  'guerrero', 'sonora', 'chihuahua', 'ciudad juarez', 'juarez', 'tijuana', 'baja california', 'nuevo leon',
  'monterrey', 'zacatecas', 'guanajuato', 'colima', 'durango', 'coahuila', 'veracruz', 'tabasco', 'texas',
  'california', 'arizona', 'new mexico', 'el paso', 'san diego', 'new york', 'brooklyn', 'chicago', 'venezuela',
  'caracas', 'colombia', 'canada', 'china', 'cuba', 'caribbean', 'caribe', 'pacific', 'pacifico', 'latin america',
  'america latina', 'north america', 'norteamerica', 'palacio nacional', 'national palace', 'capitol', 'capitol hill',
  'gulf', 'golfo', 'america', 'americas', 'europe', 'ottawa', 'florida', 'miami', 'houston', 'los angeles',
  'cinco de mayo',
]);

function isNameWord(t: Token): boolean {
  return startsUpper(t.raw);
}

/**
 * Candidate names for the same text as `tokenSpans(text)`; `blocked` marks words that are known mentions.
 * Internal: shared by findNameCandidates and the matcher's `candidates` option.
 */
function collectCandidates(text: string, toks: Token[], blocked: Uint8Array): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const n = toks.length;
  let i = 0;
  while (i < n) {
    const t = toks[i]!;
    if (blocked[i] || !isNameWord(t)) {
      i++;
      continue;
    }
    // Grow a run of capitalised words, particles and initials joined only by spaces.
    let j = i + 1;
    while (j < n && !blocked[j]) {
      const prev = toks[j - 1]!;
      const gapStart = prev.dot && prev.raw.length <= 4 && (prev.raw.length === 1 || HONORIFICS.has(prev.norm) || TITLE_HEADS.has(prev.norm)) ? prev.end + 1 : prev.end;
      if (!onlySpaces(text, gapStart, toks[j]!.start) || gapStart > toks[j]!.start) break;
      const w = toks[j]!;
      if (isNameWord(w)) {
        j++;
        continue;
      }
      if (PARTICLES.has(w.raw) && j + 1 < n && !blocked[j + 1] && isNameWord(toks[j + 1]!) && onlySpaces(text, w.end, toks[j + 1]!.start)) {
        j++;
        continue;
      }
      break;
    }
    emitRun(text, toks, i, j, byKey);
    i = j;
  }
  // A shorter form counts toward the one fuller name it ends or belongs to ("Gámez Mendívil", "Mendívil"
  // -> "Juan de Dios Gámez Mendívil"); when two different full names could claim it, it stays apart.
  const words = (k: string) => k.split(' ').length;
  const keys = [...byKey.keys()].sort((x, y) => words(y) - words(x));
  for (const k of keys) {
    const lone = byKey.get(k);
    if (!lone) continue;
    const single = !k.includes(' ');
    const fuller = [...byKey.keys()].filter(
      (f) => f !== k && words(f) > words(k) && words(f) <= 6 && (f.endsWith(` ${k}`) || (single && f.split(' ').includes(k))),
    );
    const maximal = fuller.filter((f) => !fuller.some((g) => g !== f && (g.endsWith(` ${f}`) || g.includes(` ${f} `))));
    if (maximal.length !== 1) continue;
    const target = byKey.get(maximal[0]!)!;
    target.count += lone.count;
    target.spans.push(...lone.spans);
    target.spans.sort((x, y) => x.start - y.start);
    byKey.delete(k);
  }
  return [...byKey.values()];
}

function emitRun(text: string, toks: Token[], i: number, j: number, byKey: Map<string, Candidate>): void {
  // Split at title heads and honorifics; a fragment right before a title head is a role modifier
  // ("House Judiciary" Chairman), not a name.
  let s = i;
  for (let k = i; k <= j; k++) {
    const isBreak = k < j && (TITLE_HEADS.has(toks[k]!.norm) || HONORIFICS.has(toks[k]!.norm));
    if (k === j || isBreak) {
      const beforeTitle = k < j && TITLE_HEADS.has(toks[k]!.norm);
      if (!beforeTitle) emitFragment(text, toks, s, k, byKey);
      s = k + 1;
    }
  }
}

function emitFragment(text: string, toks: Token[], i: number, j: number, byKey: Map<string, Candidate>): void {
  // Trim particles at both ends and function words at the start.
  while (i < j && (PARTICLES.has(toks[i]!.raw) || NOT_NAMES.has(toks[i]!.norm))) {
    // A capitalised article mid-sentence starts a nickname: "alias El Jardinero".
    if ((toks[i]!.raw === 'El' || toks[i]!.raw === 'La') && j - i >= 2 && !isSentenceInitial(text, toks, i)) break;
    i++;
  }
  while (j > i && PARTICLES.has(toks[j - 1]!.raw)) j--;
  if (j <= i) return;
  const first = toks[i]!;
  // The organisation part of a role ("secretario de Seguridad", "Secretary of State") is not a new name.
  if (i >= 2 && CONNECTORS.has(toks[i - 1]!.norm) && TITLE_HEADS.has(toks[i - 2]!.norm)) return;
  if (i >= 3 && CONNECTORS.has(toks[i - 1]!.norm) && CONNECTORS.has(toks[i - 2]!.norm) && TITLE_HEADS.has(toks[i - 3]!.norm)) return;
  if (j - i === 1) {
    if (isSentenceInitial(text, toks, i)) return; // a lone capitalised word opening a sentence says nothing
    if (first.raw.length < 2) return;
    if (first.raw.length < 3 && isAllCaps(first.raw)) return;
  }
  let key = first.norm;
  for (let k = i + 1; k < j; k++) key += ` ${toks[k]!.norm}`;
  if (PLACES.has(key) || NOT_NAMES.has(key)) return;
  const start = first.start;
  const end = toks[j - 1]!.end;
  const existing = byKey.get(key);
  if (existing) {
    existing.count++;
    existing.spans.push({ start, end });
  } else {
    byKey.set(key, { surface: text.slice(start, end), key, count: 1, spans: [{ start, end }] });
  }
}

/**
 * Per-token flags, zeroed for [0, n) and reused from call to call (a typed array per article was a
 * measurable share of the matcher). One per use, and no user of one calls another user of the same one.
 */
class FlagScratch {
  private flags = new Uint8Array(1024);
  zeroed(n: number): Uint8Array {
    if (this.flags.length < n) this.flags = new Uint8Array(n * 2);
    this.flags.fill(0, 0, n);
    return this.flags;
  }
}
const blockedScratch = new FlagScratch();
const personScratch = new FlagScratch();

/** Tokens inside a known mention; only [0, toks.length) of the result is meaningful. */
function blockedFrom(toks: Token[], known: readonly { start: number; end: number }[]): Uint8Array {
  const blocked = blockedScratch.zeroed(toks.length);
  if (known.length === 0) return blocked;
  const spans = [...known].sort((a, b) => a.start - b.start);
  let s = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    while (s < spans.length && spans[s]!.end <= t.start) s++;
    for (let q = s; q < spans.length && spans[q]!.start < t.end; q++) {
      if (spans[q]!.end > t.start) {
        blocked[k] = 1;
        break;
      }
    }
  }
  return blocked;
}

/**
 * Proper-name candidates not in the pack: runs of capitalised words (with the particles de, del, la, los,
 * las, y between them, and initials such as "J."), minus known mentions, titles ("Secretary", "general"),
 * honorifics, the modifiers before a title ("House Judiciary" in "House Judiciary Chairman"), function words
 * and lone words that open a sentence, days, months, demonyms and the beat's common places.
 * Counts repeat mentions by folded key; a lone surname is counted toward the one fuller name that contains it.
 */
export function findNameCandidates(text: string, known: readonly ActorMention[]): Candidate[] {
  const toks = tokenSpans(text);
  return collectCandidates(text, toks, blockedFrom(toks, known));
}

function candidateMentions(text: string, known: readonly ActorMention[], toks: Token[]): ActorMention[] {
  const out: ActorMention[] = [];
  for (const c of collectCandidates(text, toks, blockedFrom(toks, known))) {
    for (const sp of c.spans) {
      out.push({ actorId: c.key, name: c.surface, surface: text.slice(sp.start, sp.end), start: sp.start, end: sp.end, via: 'candidate' });
    }
  }
  return out;
}

// ───────────────────────────── roles ─────────────────────────────

export interface RoleFinding {
  /** Pack actor id, or the candidate's folded key. */
  actor: string;
  /** Canonical name or candidate surface. */
  name: string;
  /** The role as the text states it: "House Judiciary Chairman", "comandante de la Novena Zona Militar". */
  role: string;
  /** The sentence the role was read from. */
  sentence: string;
}

/** Lowercase words that may sit inside a title phrase before a name ("border czar", "former defense secretary"). */
const TITLE_MODIFIERS = new Set([
  'former', 'deputy', 'acting', 'interim', 'border', 'press', 'foreign', 'defense', 'security', 'then', 'ex',
  'top', 'state', 'federal', 'district', 'army', 'navy', 'national', 'homeland', 'war', 'trade', 'commerce', 'justice',
  'interino', 'interina', 'adjunto', 'adjunta', 'fronterizo', 'general', 'us',
]);
const CONNECTORS = new Set(['of', 'for', 'de', 'del', 'la', 'las', 'los', 'y', 'and', 'the']);
const DETERMINERS = new Set(['the', 'a', 'an', 'el', 'la', 'los', 'las', 'un', 'una', 'former', 'ex', 'then']);
const VERBS = new Set([
  'said', 'says', 'told', 'added', 'is', 'was', 'are', 'were', 'has', 'had', 'have', 'will', 'would', 'who', 'which',
  'that', 'dijo', 'afirmo', 'declaro', 'senalo', 'aseguro', 'indico', 'es', 'fue', 'era', 'ha', 'habia', 'quien',
  'que', 'cual', 'explico', 'informo', 'anuncio', 'announced',
]);

function isPersonLike(m: ActorMention): boolean {
  return m.via === 'candidate' || m.type === 'person';
}

function phraseText(text: string, toks: Token[], i: number, j: number): string {
  return text.slice(toks[i]!.start, toks[j - 1]!.end);
}

/**
 * Roles the text states for people it names, in three precise patterns (English and Spanish):
 *  1. title before the name: "House Judiciary Chairman Jim Jordan", "Defense Secretary Pete Hegseth",
 *     "el secretario de Seguridad Omar García Harfuch", "el general X";
 *  2. apposition after the name, closed by a comma or the sentence end: "Gen. X, commander of U.S. Northern
 *     Command, said", "X, secretario de Seguridad, dijo", "el general X, comandante de la Zona Militar";
 *  3. a title with its determiner, a comma, then the name: "the mayor of Culiacán, X", "el titular de la
 *     SSPC, X".
 * Only people (pack persons and candidates) get roles. Pass candidate mentions (match(text, {candidates:
 * true})) to read roles of people the pack does not know.
 */
export function findRoles(text: string, mentions: readonly ActorMention[]): RoleFinding[] {
  // Only people get roles: with none among the mentions there is nothing to read.
  if (!mentions.some(isPersonLike)) return [];
  const toks = tokensOf(text);
  if (toks.length === 0) return [];
  const sentences = splitSentences(text);
  // Token index whose start (or end) is exactly at an offset: binary search, no per-article maps.
  const findTok = (offset: number, byEnd: boolean): number | undefined => {
    let lo = 0;
    let hi = toks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = byEnd ? toks[mid]!.end : toks[mid]!.start;
      if (v === offset) return mid;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const firstTok = { get: (o: number) => findTok(o, false) };
  const lastTok = { get: (o: number) => findTok(o, true) };
  // Words of pack people stop title phrases; organisations and candidates ("Novena Zona Militar") may be part of them.
  const personAt = personScratch.zeroed(toks.length);
  for (const m of mentions) {
    if (m.type !== 'person') continue;
    const a = firstTok.get(m.start);
    const b = lastTok.get(m.end);
    if (a === undefined || b === undefined) continue;
    for (let k = a; k <= b; k++) personAt[k] = 1;
  }
  const sentenceOf = (pos: number) => {
    let lo = 0;
    let hi = sentences.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const sn = sentences[mid]!;
      if (pos < sn.start) hi = mid - 1;
      else if (pos >= sn.end) lo = mid + 1;
      else return sn;
    }
    return { text, start: 0, end: text.length };
  };

  const out: RoleFinding[] = [];
  const seen = new Set<string>();
  const add = (m: ActorMention, role: string, sentence: string) => {
    const r = role.replace(/\s+/g, ' ').trim();
    const key = `${m.actorId}\u0000${fold(r)}`;
    if (!r || seen.has(key)) return;
    seen.add(key);
    out.push({ actor: m.actorId, name: m.name, role: r, sentence });
  };

  for (const m of mentions) {
    if (!isPersonLike(m)) continue;
    const a = firstTok.get(m.start);
    const b = lastTok.get(m.end);
    if (a === undefined || b === undefined) continue;
    const sent = sentenceOf(m.start);

    // 1. Title before the name.
    let k = a - 1;
    let gapEnd = toks[a]!.start;
    while (k >= 0 && toks[k]!.start >= sent.start && !personAt[k]) {
      const t = toks[k]!;
      const gapFrom = t.dot ? t.end + 1 : t.end;
      if (gapFrom > gapEnd || !onlySpaces(text, gapFrom, gapEnd)) break;
      const ok = TITLE_HEADS.has(t.norm) || TITLE_MODIFIERS.has(t.norm) || CONNECTORS.has(t.norm) || (startsUpper(t.raw) && !NOT_NAMES.has(t.norm) && !HONORIFICS.has(t.norm));
      if (!ok) break;
      if (startsUpper(t.raw) && isSentenceInitial(text, toks, k) && NOT_NAMES.has(t.norm)) break;
      gapEnd = t.start;
      k--;
    }
    let s = k + 1;
    // Trim connectors/determiners on the left; a title must not end in a connector.
    while (s < a && (CONNECTORS.has(toks[s]!.norm) || HONORIFICS.has(toks[s]!.norm))) s++;
    if (s < a && !CONNECTORS.has(toks[a - 1]!.norm)) {
      let hasHead = false;
      for (let q = s; q < a; q++) if (TITLE_HEADS.has(toks[q]!.norm)) hasHead = true;
      if (hasHead) {
        // Drop modifiers before the first head that are sentence-initial function words ("The").
        let phraseEnd = toks[a - 1]!.end;
        if (toks[a - 1]!.dot && TITLE_HEADS.has(toks[a - 1]!.norm)) phraseEnd++;
        add(m, text.slice(toks[s]!.start, phraseEnd), sent.text);
      }
    }

    // 2. Apposition after the name: ", [det] head ... ," or up to the sentence end.
    const after = b + 1;
    if (after < toks.length && text.slice(toks[b]!.end, toks[after]!.start).trim() === ',') {
      let q = after;
      while (q < toks.length && DETERMINERS.has(toks[q]!.norm) && q - after < 2) q++;
      if (q < toks.length && TITLE_HEADS.has(toks[q]!.norm)) {
        let e = q + 1;
        let closed = false;
        while (e < toks.length && e - q < 14) {
          const between = text.slice(toks[e - 1]!.end, toks[e]!.start);
          if (/[,;:()\u2014]/.test(between) || (/[.!?]/.test(between) && !toks[e - 1]!.dot)) {
            closed = true;
            break;
          }
          if (toks[e]!.start >= sent.end || personAt[e]) {
            closed = toks[e]!.start >= sent.end;
            break;
          }
          if (VERBS.has(toks[e]!.norm)) break;
          e++;
        }
        if (e === toks.length) closed = true;
        if (closed) add(m, phraseText(text, toks, after, e), sent.text);
      }
    }

    // 3. "[det] head [of ...], Name": a title phrase closed by the comma right before the name.
    if (a >= 2 && text.slice(toks[a - 1]!.end, toks[a]!.start).trim() === ',') {
      let q = a - 1;
      let head = -1;
      while (q >= 0 && toks[q]!.start >= sent.start && a - 1 - q < 12) {
        const t = toks[q]!;
        if (q < a - 1 && !onlySpaces(text, t.dot ? t.end + 1 : t.end, toks[q + 1]!.start)) break;
        if (personAt[q]) break;
        if (TITLE_HEADS.has(t.norm)) head = q;
        else if (!(CONNECTORS.has(t.norm) || startsUpper(t.raw) || TITLE_MODIFIERS.has(t.norm))) break;
        q--;
      }
      if (head >= 0) {
        // The word before the head must be a determiner (possibly after capitalised modifiers).
        let d = head - 1;
        while (d >= 0 && startsUpper(toks[d]!.raw) && !NOT_NAMES.has(toks[d]!.norm) && toks[d]!.start >= sent.start) d--;
        if (d >= 0 && DETERMINERS.has(toks[d]!.norm) && toks[d]!.start >= sent.start) {
          add(m, phraseText(text, toks, d + 1, a), sent.text);
        }
      }
    }
  }
  return out;
}
