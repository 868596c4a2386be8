/**
 * Beat pack loader: reads actors.yaml, events.yaml, topics.yaml and lexicon.yaml from a beat directory,
 * validates them with zod, cross-checks references, and throws one PackError listing every problem with
 * the file and line it comes from (so a broken pack is a clear start-up error, not a stack trace).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { FronteraError } from '../errors.ts';

// ───────────────────────────── schemas ─────────────────────────────

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const URL_RE = /^https?:\/\/\S+$/;

export const ACTOR_TYPES = [
  'person', 'government', 'agency', 'military', 'cartel', 'faction', 'gang', 'operation',
  'program', 'legislature', 'court', 'party', 'term', 'place',
] as const;
export const RELATION_TYPES = [
  'leads', 'member_of', 'faction_of', 'successor_of', 'predecessor_of', 'allied_with', 'rival_of',
  'part_of', 'reports_to', 'counterpart_of', 'led_by', 'founded', 'designated_by',
] as const;

/** YYYY, YYYY-MM or YYYY-MM-DD naming a real calendar day. */
function isIsoDate(s: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  if (year < 1900 || year > 2100) return false;
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A date as YAML gives it (a bare year comes back as a number), normalised to a string. */
const isoDate = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v))
  .refine(isIsoDate, { message: 'expected a date as YYYY, YYYY-MM or YYYY-MM-DD' });

const id = z.string().regex(KEBAB, 'expected a kebab-case id (lowercase letters, digits, dashes)');
const url = z.string().regex(URL_RE, 'expected an http(s) URL');
const text = z.string().trim().min(1, 'expected a non-empty string');

const RoleSchema = z.object({
  title: text,
  title_es: text.optional(),
  org: id.nullish(),
  from: isoDate.nullish(),
  to: isoDate.nullish(),
  source: url.nullish(),
});

const RelationSchema = z.object({
  type: z.enum(RELATION_TYPES),
  target: id,
  source: url.nullish(),
});

export const ActorSchema = z.object({
  id,
  name: text,
  type: z.enum(ACTOR_TYPES),
  country: z.string().regex(/^[a-z]{2,4}$/, 'expected a lowercase country code'),
  aliases: z.array(text).default([]),
  ambiguous_aliases: z.array(text).default([]),
  roles: z.array(RoleSchema).default([]),
  stance: text.optional(),
  summary: text,
  relations: z.array(RelationSchema).default([]),
  sources: z.array(url).min(1, 'expected at least one source URL'),
});

export const EventSchema = z.object({
  id,
  date: isoDate,
  end_date: isoDate.nullish(),
  title: text,
  title_es: text,
  description: text,
  actors: z.array(id).min(1, 'expected at least one actor'),
  topics: z.array(id).min(1, 'expected at least one topic'),
  places: z.array(text).default([]),
  sources: z.array(url).min(1, 'expected at least one source URL'),
});

export const TopicSchema = z.object({
  id,
  name: text,
  name_es: text,
  terms_en: z.array(text).min(1),
  terms_es: z.array(text).min(1),
});

const weights = z.record(z.string(), z.number().min(0.5, 'weight below 0.5').max(3, 'weight above 3.0'));
export const LexiconSchema = z.object({
  positive: z.object({ en: weights, es: weights }),
  negative: z.object({ en: weights, es: weights }),
  anchors: z.object({ en: z.array(text), es: z.array(text) }),
});


export type Actor = z.infer<typeof ActorSchema>;
export type ActorRole = z.infer<typeof RoleSchema>;
export type ActorRelation = z.infer<typeof RelationSchema>;
export type BeatEvent = z.infer<typeof EventSchema>;
export type Topic = z.infer<typeof TopicSchema>;
export type Lexicon = z.infer<typeof LexiconSchema>;

export interface BeatPack {
  /** Absolute directory the pack was read from. */
  dir: string;
  actors: Actor[];
  events: BeatEvent[];
  topics: Topic[];
  lexicon: Lexicon;
}

// ───────────────────────────── errors ─────────────────────────────

export interface PackProblem {
  file: string;
  /** 1-based line of the offending entry (0 when unknown, e.g. a missing file). */
  line: number;
  /** Path inside the file, e.g. actors[12].roles[0].from */
  path: string;
  message: string;
}

export class PackError extends FronteraError {
  readonly problems: PackProblem[];
  constructor(dir: string, problems: PackProblem[]) {
    const lines = problems.map((p) => `${p.file}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    super(
      'beat_pack',
      `Invalid beat pack in ${dir} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${lines.join('\n  - ')}`,
    );
    this.name = 'PackError';
    this.problems = problems;
  }
}

// ───────────────────────────── loading ─────────────────────────────

/** beats/us-mexico-security in this repository, found from this module's own location. */
export function defaultPackDir(): string {
  return fileURLToPath(new URL('../../beats/us-mexico-security/', import.meta.url));
}

type PathKey = string | number;

function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}

/** One parsed YAML file: its document, line counter and raw text, for mapping paths to lines. */
class Source {
  readonly doc: Document.Parsed;
  readonly lc = new LineCounter();
  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lc, prettyErrors: false, uniqueKeys: true });
  }

  /** Line of the deepest existing node on `path` (the entry itself when the key is missing). */
  lineOf(path: readonly PathKey[]): number {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lc.linePos(node.range[0]).line;
    }
    return 1;
  }

  problem(path: readonly PathKey[], message: string): PackProblem {
    return { file: this.file, line: this.lineOf(path), path: describe(this, path), message };
  }
}

/** actors[12] (id "marco-rubio").roles[0].from — names the entry by id when it has one. */
function describe(src: Source, path: readonly PathKey[]): string {
  const base = formatPath(path);
  if (path.length >= 2 && typeof path[1] === 'number') {
    const entryId = src.doc.getIn([path[0]!, path[1], 'id']);
    if (typeof entryId === 'string') {
      const head = formatPath(path.slice(0, 2));
      return `${head} (id "${entryId}")${base.slice(head.length)}`;
    }
  }
  return base;
}

function readSource(dir: string, name: string, problems: PackProblem[]): Source | null {
  const file = join(dir, name);
  if (!existsSync(file)) {
    problems.push({ file, line: 0, path: '', message: 'file not found' });
    return null;
  }
  const src = new Source(file, readFileSync(file, 'utf8'));
  for (const err of [...src.doc.errors, ...src.doc.warnings]) {
    const line = err.linePos?.[0]?.line ?? src.lc.linePos(err.pos[0]).line;
    problems.push({ file, line, path: '', message: `YAML: ${err.message.split('\n')[0]}` });
  }
  return src;
}

function report(src: Source, prefix: PathKey[], error: z.ZodError, problems: PackProblem[]): void {
  for (const issue of error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    problems.push(src.problem([...prefix, ...path], issue.message));
  }
}

function validate<T>(src: Source | null, schema: z.ZodType<T>, problems: PackProblem[]): T | null {
  if (!src || src.doc.errors.length > 0) return null;
  const result = schema.safeParse(src.doc.toJS());
  if (result.success) return result.data;
  report(src, [], result.error, problems);
  return null;
}

/**
 * A file holding one list under `key`: every entry is validated on its own, so one bad entry neither hides
 * the problems of the others nor stops the cross-checks over the valid ones. Returns entries with their
 * index in the file (null when the file cannot be read at all).
 */
function validateList<T>(src: Source | null, key: string, schema: z.ZodType<T>, problems: PackProblem[]): Indexed<T>[] | null {
  if (!src || src.doc.errors.length > 0) return null;
  const data: unknown = src.doc.toJS();
  const list = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) {
    problems.push(src.problem([key], `expected a list under "${key}:"`));
    return null;
  }
  const out: Indexed<T>[] = [];
  list.forEach((entry, index) => {
    const result = schema.safeParse(entry);
    if (result.success) out.push({ index, value: result.data });
    else report(src, [key, index], result.error, problems);
  });
  return out;
}

interface Indexed<T> {
  index: number;
  value: T;
}

/** Case- and accent-insensitive key used for the alias clash check. */
function aliasKey(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function crossCheck(
  actorsSrc: Source,
  eventsSrc: Source | null,
  topicsSrc: Source | null,
  actors: Indexed<Actor>[],
  events: Indexed<BeatEvent>[] | null,
  topics: Indexed<Topic>[] | null,
  problems: PackProblem[],
): void {
  const actorIds = new Map<string, number>();
  // Ids of entries that failed validation still exist for reference checks.
  const rawActors = actorsSrc.doc.toJS()?.actors;
  if (Array.isArray(rawActors)) for (const a of rawActors) if (typeof a?.id === 'string') actorIds.set(a.id, -1);
  for (const { index: i, value: a } of actors) {
    const first = actorIds.get(a.id);
    if (first !== undefined && first !== -1) {
      problems.push(actorsSrc.problem(['actors', i, 'id'], `duplicate actor id "${a.id}" (first at actors[${first}])`));
    } else actorIds.set(a.id, i);
  }
  const strong = new Map<string, string>();
  for (const { index: i, value: a } of actors) {
    a.relations.forEach((r, j) => {
      if (!actorIds.has(r.target)) problems.push(actorsSrc.problem(['actors', i, 'relations', j, 'target'], `unknown relation target "${r.target}"`));
      else if (r.target === a.id) problems.push(actorsSrc.problem(['actors', i, 'relations', j, 'target'], 'an actor cannot be related to itself'));
    });
    a.roles.forEach((r, j) => {
      if (r.org != null && !actorIds.has(r.org)) problems.push(actorsSrc.problem(['actors', i, 'roles', j, 'org'], `unknown role org "${r.org}"`));
      if (r.from != null && r.to != null && r.from > r.to) problems.push(actorsSrc.problem(['actors', i, 'roles', j], `role starts (${r.from}) after it ends (${r.to})`));
    });
    const names = [a.name, ...a.aliases];
    names.forEach((alias, j) => {
      const key = aliasKey(alias);
      const owner = strong.get(key);
      if (owner !== undefined && owner !== a.id) {
        const path = j === 0 ? ['actors', i, 'name'] : ['actors', i, 'aliases', j - 1];
        problems.push(actorsSrc.problem(path, `alias "${alias}" also identifies "${owner}"; list it under ambiguous_aliases`));
      } else strong.set(key, a.id);
    });
  }

  const topicIds = new Set<string>();
  if (topics && topicsSrc) {
    for (const { index: i, value: t } of topics) {
      if (topicIds.has(t.id)) problems.push(topicsSrc.problem(['topics', i, 'id'], `duplicate topic id "${t.id}"`));
      topicIds.add(t.id);
    }
  }
  if (events && eventsSrc) {
    const seen = new Set<string>();
    for (const { index: i, value: e } of events) {
      if (seen.has(e.id)) problems.push(eventsSrc.problem(['events', i, 'id'], `duplicate event id "${e.id}"`));
      seen.add(e.id);
      if (e.end_date != null && e.end_date < e.date) problems.push(eventsSrc.problem(['events', i, 'end_date'], `end_date ${e.end_date} is before date ${e.date}`));
      e.actors.forEach((a, j) => {
        if (!actorIds.has(a)) problems.push(eventsSrc.problem(['events', i, 'actors', j], `unknown actor "${a}"`));
      });
      if (topics) {
        e.topics.forEach((t, j) => {
          if (!topicIds.has(t)) problems.push(eventsSrc.problem(['events', i, 'topics', j], `unknown topic "${t}"`));
        });
      }
    }
  }
}

/**
 * Loads and validates a beat pack. Throws PackError naming every problem (file:line path: message).
 * @example const pack = loadBeatPack(defaultPackDir());
 */
export function loadBeatPack(dir: string = defaultPackDir()): BeatPack {
  const problems: PackProblem[] = [];
  const actorsSrc = readSource(dir, 'actors.yaml', problems);
  const eventsSrc = readSource(dir, 'events.yaml', problems);
  const topicsSrc = readSource(dir, 'topics.yaml', problems);
  const lexiconSrc = readSource(dir, 'lexicon.yaml', problems);

  const actors = validateList(actorsSrc, 'actors', ActorSchema, problems);
  const events = validateList(eventsSrc, 'events', EventSchema, problems);
  const topics = validateList(topicsSrc, 'topics', TopicSchema, problems);
  const lexicon = validate(lexiconSrc, LexiconSchema, problems);

  if (actors && actorsSrc) crossCheck(actorsSrc, eventsSrc, topicsSrc, actors, events, topics, problems);

  if (problems.length > 0 || !actors || !events || !topics || !lexicon) {
    throw new PackError(dir, problems);
  }
  const values = <T>(list: Indexed<T>[]) => list.map((x) => x.value);
  return { dir, actors: values(actors), events: values(events), topics: values(topics), lexicon };
}
