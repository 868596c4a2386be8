/**
 * The beat pack's default feed list (beats/<beat>/feeds.yaml): schema, loader, and error messages
 * that point an editor at the file, line and entry to fix. Every problem is reported at once.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { FronteraError } from '../errors.ts';

export const FEED_TIERS = ['official', 'wire', 'outlet', 'commentary'] as const;
export const FEED_LANGUAGES = ['en', 'es'] as const;
export const FEED_COUNTRIES = ['us', 'mx', 'intl'] as const;

const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL');

/** One feed of the list. Unknown keys are errors, so a typo such as `fulltext:` is not silently ignored. */
export const feedEntrySchema = z.strictObject({
  url: httpUrl,
  name: z.string().trim().min(1, 'must not be empty'),
  language: z.enum(FEED_LANGUAGES),
  /** official sources weigh more in importance scoring; commentary least. */
  tier: z.enum(FEED_TIERS),
  country: z.enum(FEED_COUNTRIES),
  /** Beat-pack topic slugs (lower-case, dash-separated), e.g. `extraditions`. */
  topics: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'topics are lower-case slugs like "border-security"')).optional(),
  /** Fetch the article page for full text when the feed carries only summaries. */
  fullText: z.boolean().default(false),
  /** How the URL was found and how sure we are of it. */
  notes: z.string().optional(),
});

export const feedListSchema = z.strictObject({
  feeds: z.array(feedEntrySchema).min(1, 'the list has no feeds'),
});

/** A validated feed-list entry (fullText filled in). */
export type FeedListEntry = z.infer<typeof feedEntrySchema>;
export type FeedTier = (typeof FEED_TIERS)[number];
export type FeedLanguage = (typeof FEED_LANGUAGES)[number];
export type FeedCountry = (typeof FEED_COUNTRIES)[number];

/** A feed list that cannot be used; `problems` has one line per problem, each naming file and line. */
export class FeedListError extends FronteraError {
  readonly file: string;
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super('feed_list', `Invalid feed list ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'FeedListError';
    this.file = file;
    this.problems = problems;
  }
}

/**
 * Read and validate a feed list file.
 * @example const feeds = await loadFeedList('beats/us-mexico-security/feeds.yaml')
 */
export async function loadFeedList(path: string): Promise<FeedListEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FeedListError(path, [`cannot read the file: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return parseFeedList(text, path);
}

/** Validate feed-list YAML text; `file` only labels the error messages. Throws FeedListError. */
export function parseFeedList(text: string, file: string): FeedListEntry[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new FeedListError(
      file,
      doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: YAML syntax: ${firstLine(e.message)}`),
    );
  }

  const data: unknown = doc.toJS();
  const result = feedListSchema.safeParse(data);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(describeIssue(issue, data, doc, lines, file));
  } else {
    problems.push(...duplicateUrls(result.data.feeds, doc, lines, file));
  }
  if (problems.length > 0) throw new FeedListError(file, problems);
  return result.data!.feeds;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, doc: Document, lines: LineCounter, file: string): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const line = lineOf(doc, lines, path);
  const where = `${file}:${line ?? '?'}`;
  if (path[0] === 'feeds' && typeof path[1] === 'number') {
    const entry = entryLabel(data, path[1]);
    const field = path.slice(2).join('.') || (issue.code === 'unrecognized_keys' ? '' : 'entry');
    return `${where}: ${entry}${field ? `, ${field}` : ''}: ${issue.message}`;
  }
  return `${where}: ${path.join('.') || 'top level'}: ${issue.message}`;
}

/** "entry 3 (El Universal)": 1-based, with the name when there is one, as an editor counts. */
function entryLabel(data: unknown, index: number): string {
  const feeds = (data as { feeds?: unknown })?.feeds;
  const entry = Array.isArray(feeds) ? (feeds[index] as { name?: unknown; url?: unknown } | undefined) : undefined;
  const label = typeof entry?.name === 'string' && entry.name.trim() ? entry.name : typeof entry?.url === 'string' ? entry.url : null;
  return `entry ${index + 1}${label ? ` (${label})` : ''}`;
}

/** Line of the deepest node on `path` that exists (a missing key points at its entry). */
function lineOf(doc: Document, lines: LineCounter, path: Array<string | number>): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && Array.isArray(node.range)) return lines.linePos(node.range[0]).line;
  }
  return null;
}

/** Two entries for one URL would poll the same feed twice and double-count it as a source. */
function duplicateUrls(feeds: FeedListEntry[], doc: Document, lines: LineCounter, file: string): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  feeds.forEach((f, i) => {
    const key = new URL(f.url).href;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const line = lineOf(doc, lines, ['feeds', i, 'url']);
    problems.push(`${file}:${line ?? '?'}: entry ${i + 1} (${f.name}): url duplicates entry ${first + 1} (${feeds[first]!.name})`);
  });
  return problems;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!;
}
