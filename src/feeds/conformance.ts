/**
 * Feed-reading conformance over a directory of test feeds (the feedparser corpus under shared/): every
 * file is parsed and normalized as a poll would, in a child process with a per-file time limit so that
 * a hang is counted instead of hanging the run.
 *
 * What is counted:
 * - filesRead: .xml/.json/.rss/.atom files found;
 * - withEntries: files that produced at least one article;
 * - clearErrors: files rejected with a ParseError/FetchError (a per-feed error a user can be shown);
 * - crashes: any other exception, or a file that took longer than the time limit;
 * - sanitizeFailures: articles whose stored html or text still carries active content (see
 *   findActiveContent for exactly what is checked);
 * - wellformed: files under a wellformed/ folder; one "gives its entries" when its document has an
 *   item/entry element and yields >= 1 article, or has no item/entry element and parses without error.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeHTML } from 'entities';
import { FetchError } from '../errors.ts';
import { decodeDocument } from './decode.ts';
import { normalizeItems } from './normalize.ts';
import { parseFeed } from './parser.ts';

export const WELLFORMED_RULE =
  'A wellformed/ file gives its entries when its document contains an item/entry element and yields >= 1 article, ' +
  'or contains no item/entry element and parses without error.';

export interface FileReport {
  file: string;
  ms: number;
  articles: number;
  /** The document contains an <item>/<entry> element (outside comments). */
  hasItems: boolean;
  error: { kind: 'clear' | 'crash'; code: string; message: string } | null;
  sanitize: string[];
}

export interface ConformanceResult {
  dir: string;
  filesRead: number;
  withEntries: number;
  clearErrors: number;
  crashes: number;
  sanitizeFailures: number;
  wellformed: { files: number; satisfied: number; ratio: number; rule: string };
  slowest: { file: string; ms: number } | null;
  details: {
    crashes: { file: string; message: string }[];
    sanitize: { file: string; problems: string[] }[];
    unsatisfiedWellformed: string[];
  };
}

export interface ConformanceOptions {
  /** Per-file limit in ms before the file counts as a crash (default 10,000). */
  timeoutMs?: number;
  /** Run files in a child process so a hang can be stopped (default true). */
  isolate?: boolean;
}

const FEED_FILE = /\.(xml|json|rss|atom)$/i;

/** Every feed file under `dir`, sorted for stable output. */
export function listFeedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (FEED_FILE.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The `Header: Content-type:` of a corpus file's leading comment (decoded by BOM, so UTF-16/32 works). */
export function headerContentType(bytes: Uint8Array): string | null {
  const head = decodeDocument(bytes.subarray(0, 4096)).text;
  const comment = /<!--([\s\S]*?)-->/.exec(head)?.[1] ?? '';
  return /^\s*Header:\s*Content-type:\s*(.+?)\s*$/im.exec(comment)?.[1] ?? null;
}

const DANGEROUS_TAGS = /<\s*\/?\s*(script|iframe|object|embed|applet|style|form|base|meta|link|frame|frameset|svg|math|template)\b/i;
const TAG = /<[a-zA-Z][^>]*>/g;

const ATTR = /([^\s"'<>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g;

/**
 * Active content left in a normalized article. In `html` (markup): dangerous tags anywhere; inside tags,
 * on* event handler attributes, style attributes, attribute values that are javascript:/vbscript:/data:
 * URLs (entities decoded, whitespace and control characters removed, as browsers do) and CSS
 * expression(). Escaped text such as "&lt;script&gt;" is text, not a tag, and passes. In `text` (plain
 * text, escaped by every renderer): only markup that would run if a renderer forgot to escape it, i.e. a
 * dangerous tag or a tag with an on* handler.
 */
export function findActiveContent(html: string, text: string): string[] {
  const problems: string[] = [];
  const tag = DANGEROUS_TAGS.exec(html);
  if (tag) problems.push(`html has <${tag[1]}>`);
  for (const t of html.match(TAG) ?? []) {
    for (const [, rawName, rawValue] of t.slice(1).matchAll(ATTR)) {
      const name = rawName.toLowerCase();
      const value = decodeHTML(rawValue.replace(/^["']|["']$/g, '')).replace(/[\s\u0000-\u001f]+/g, '');
      if (name.startsWith('on')) problems.push(`html has an event handler: ${t.slice(0, 80)}`);
      if (name === 'style') problems.push(`html has a style attribute: ${t.slice(0, 80)}`);
      if (/^(javascript|vbscript|data):/i.test(value)) problems.push(`html has a script URL: ${t.slice(0, 80)}`);
      if (/expression\(/i.test(value)) problems.push(`html has a CSS expression: ${t.slice(0, 80)}`);
    }
  }
  const textTag = DANGEROUS_TAGS.exec(text);
  if (textTag) problems.push(`text has <${textTag[1]}>`);
  if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(text)) problems.push('text has a tag with an event handler');
  return problems;
}

/** Parses and normalizes one file; never throws. */
export async function checkFile(file: string): Promise<FileReport> {
  const start = performance.now();
  const report: FileReport = { file, ms: 0, articles: 0, hasItems: false, error: null, sanitize: [] };
  try {
    const bytes = readFileSync(file);
    const text = decodeDocument(bytes).text.replace(/<!--[\s\S]*?-->/g, '');
    report.hasItems = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/i.test(text) || /"items"\s*:\s*\[\s*\{/.test(text);
    const feed = await parseFeed(bytes, { contentType: headerContentType(bytes) });
    const articles = normalizeItems(feed, { feedUrl: file, seenAt: new Date() });
    report.articles = articles.length;
    for (const a of articles) report.sanitize.push(...findActiveContent(a.html, `${a.title}\n${a.text}`));
  } catch (err) {
    const e = err as Error;
    report.error = err instanceof FetchError ? { kind: 'clear', code: err.code, message: e.message } : { kind: 'crash', code: 'crash', message: e?.stack ?? String(err) };
  }
  report.ms = performance.now() - start;
  return report;
}

/** Runs files one at a time in a forked child; a file past the time limit kills the child and counts as a crash. */
async function runIsolated(files: string[], timeoutMs: number): Promise<FileReport[]> {
  const cli = fileURLToPath(new URL('./conformance-cli.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const reports: FileReport[] = [];
  let child: ChildProcess | null = null;
  const spawn = (): ChildProcess => fork(cli, ['--child'], { execArgv: ['--import', tsx], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    for (const file of files) {
      child ??= spawn();
      const current: ChildProcess = child;
      const report = await new Promise<FileReport>((resolve) => {
        const done = (r: FileReport): void => {
          clearTimeout(timer);
          current.off('message', onMessage);
          current.off('exit', onExit);
          resolve(r);
        };
        const onMessage = (msg: unknown): void => done(msg as FileReport);
        const onExit = (code: number | null): void => {
          child = null;
          done({ file, ms: 0, articles: 0, hasItems: false, error: { kind: 'crash', code: 'exit', message: `worker exited (${code})` }, sanitize: [] });
        };
        const timer = setTimeout(() => {
          current.off('exit', onExit);
          current.kill('SIGKILL');
          child = null;
          done({ file, ms: timeoutMs, articles: 0, hasItems: false, error: { kind: 'crash', code: 'timeout', message: `no result within ${timeoutMs} ms` }, sanitize: [] });
        }, timeoutMs);
        current.on('message', onMessage);
        current.on('exit', onExit);
        current.send(file);
      });
      reports.push(report);
    }
  } finally {
    (child as ChildProcess | null)?.kill();
  }
  return reports;
}

/** Child side of runIsolated: answers each file path with its FileReport. */
export function serveChild(): void {
  // If the parent goes away (killed, crashed), so do we.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (file: unknown) => {
    void checkFile(String(file)).then((r) => process.send?.(r));
  });
}

/** Counts what happened to every feed file under `dir`. */
export async function runConformance(dir: string, opts: ConformanceOptions = {}): Promise<ConformanceResult> {
  const files = listFeedFiles(dir);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let reports: FileReport[];
  if (opts.isolate === false) {
    reports = [];
    for (const f of files) reports.push(await checkFile(f));
  } else {
    reports = await runIsolated(files, timeoutMs);
  }
  return summarize(dir, reports, timeoutMs);
}

function summarize(dir: string, reports: FileReport[], timeoutMs: number): ConformanceResult {
  const rel = (f: string): string => relative(dir, f);
  const result: ConformanceResult = {
    dir,
    filesRead: reports.length,
    withEntries: 0,
    clearErrors: 0,
    crashes: 0,
    sanitizeFailures: 0,
    wellformed: { files: 0, satisfied: 0, ratio: 1, rule: WELLFORMED_RULE },
    slowest: null,
    details: { crashes: [], sanitize: [], unsatisfiedWellformed: [] },
  };
  for (const r of reports) {
    if (r.articles > 0) result.withEntries++;
    if (r.error?.kind === 'clear') result.clearErrors++;
    // A file that ran past the limit in-process (no child to kill) is a crash too.
    if (r.error?.kind === 'crash' || r.ms > timeoutMs) {
      result.crashes++;
      result.details.crashes.push({ file: rel(r.file), message: r.error?.message ?? `took ${Math.round(r.ms)} ms` });
    }
    if (r.sanitize.length) {
      result.sanitizeFailures++;
      result.details.sanitize.push({ file: rel(r.file), problems: [...new Set(r.sanitize)] });
    }
    if (!result.slowest || r.ms > result.slowest.ms) result.slowest = { file: rel(r.file), ms: Math.round(r.ms * 10) / 10 };
    if (/(^|[\\/])wellformed[\\/]/.test(rel(r.file))) {
      result.wellformed.files++;
      const ok = r.hasItems ? r.articles > 0 : r.error === null;
      if (ok) result.wellformed.satisfied++;
      else result.details.unsatisfiedWellformed.push(rel(r.file));
    }
  }
  result.wellformed.ratio = result.wellformed.files ? result.wellformed.satisfied / result.wellformed.files : 1;
  return result;
}

/** A few lines a person can read. */
export function formatSummary(r: ConformanceResult): string {
  const pct = (r.wellformed.ratio * 100).toFixed(1);
  const lines = [
    `Feed conformance: ${r.dir}`,
    `  files read          ${r.filesRead}`,
    `  with entries        ${r.withEntries}`,
    `  clear errors        ${r.clearErrors}`,
    `  crashes             ${r.crashes}`,
    `  sanitize failures   ${r.sanitizeFailures}`,
    `  wellformed          ${r.wellformed.satisfied}/${r.wellformed.files} give their entries (${pct}%)`,
    `  slowest file        ${r.slowest ? `${r.slowest.ms} ms  ${r.slowest.file}` : '-'}`,
    `  rule: ${r.wellformed.rule}`,
  ];
  for (const c of r.details.crashes.slice(0, 20)) lines.push(`  CRASH ${c.file}: ${c.message.split('\n')[0]}`);
  for (const s of r.details.sanitize.slice(0, 20)) lines.push(`  UNSAFE ${s.file}: ${s.problems.join('; ')}`);
  for (const f of r.details.unsatisfiedWellformed.slice(0, 20)) lines.push(`  NO ENTRIES ${f}`);
  return lines.join('\n');
}
