/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) -> ParsedFeed. Every field is checked for its
 * type: a JSON document is as untrusted as an XML one, and a number where a string belongs must not
 * turn into "[object Object]" or a crash.
 */
import { ParseError } from '../errors.ts';
import { parseDate } from './dates.ts';
import type { ParsedFeed, ParsedItem } from './types.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t : null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** 1.1 `authors` (array) or 1.0 `author` (object): the first named person. */
function authorName(obj: Json): string | null {
  const list = Array.isArray(obj.authors) ? obj.authors : isObject(obj.author) ? [obj.author] : [];
  for (const a of list) {
    if (!isObject(a)) continue;
    const name = str(a.name) ?? str(a.url);
    if (name) return name;
  }
  return null;
}

function readDate(v: unknown, warnings: string[]): Date | null {
  const raw = str(v);
  if (!raw) return null;
  const d = parseDate(raw);
  if (!d && warnings.length < 20) warnings.push(`unreadable date "${raw.slice(0, 60)}"`);
  return d;
}

function readItem(raw: Json, feedAuthor: string | null, warnings: string[]): ParsedItem {
  // Ids may be numbers in the wild (1.0 allowed it loosely); they are still identities.
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : str(raw.id);
  const title = str(raw.title);
  const summary = str(raw.summary);
  const tags = Array.isArray(raw.tags) ? raw.tags.map(str).filter((t): t is string => t !== null) : [];
  return {
    guid: id,
    link: str(raw.url) ?? str(raw.external_url),
    // Titles and summaries are plain text in JSON Feed; ParsedItem carries HTML.
    title: title ? escapeHtml(title) : null,
    contentHtml: str(raw.content_html),
    summaryHtml: summary ? escapeHtml(summary) : null,
    contentText: str(raw.content_text),
    published: readDate(raw.date_published, warnings),
    updated: readDate(raw.date_modified, warnings),
    author: authorName(raw) ?? feedAuthor,
    categories: tags,
    language: str(raw.language),
    base: null,
  };
}

/** True when a parsed JSON value declares itself a JSON Feed (or looks exactly like one). */
function isJsonFeed(doc: unknown): doc is Json {
  if (!isObject(doc)) return false;
  const version = typeof doc.version === 'string' ? doc.version : '';
  if (/^https?:\/\/jsonfeed\.org\/version\//i.test(version)) return true;
  return !version && Array.isArray(doc.items) && (typeof doc.title === 'string' || typeof doc.home_page_url === 'string');
}

/**
 * Reads a JSON Feed document. Throws ParseError 'parse' for invalid JSON, 'not_a_feed' for JSON that is
 * not a JSON Feed.
 */
export function parseJsonFeed(text: string, warnings: string[] = []): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ParseError('parse', `The JSON document is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isJsonFeed(doc)) throw new ParseError('not_a_feed', 'The JSON document is not a JSON Feed (no jsonfeed.org version).');
  const feedAuthor = authorName(doc);
  const items = Array.isArray(doc.items) ? doc.items.filter(isObject).map((it) => readItem(it, feedAuthor, warnings)) : [];
  const hubs = Array.isArray(doc.hubs)
    ? doc.hubs.map((h) => (isObject(h) ? str(h.url) : null)).filter((u): u is string => u !== null)
    : [];
  return {
    format: 'json',
    title: str(doc.title),
    link: str(doc.home_page_url),
    selfUrl: str(doc.feed_url),
    hubs,
    language: str(doc.language),
    ttlMinutes: null,
    base: null,
    items,
    warnings,
  };
}
