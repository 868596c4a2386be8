/**
 * ParsedFeed -> NormalizedArticle[]: decides what each item means for Frontera (identity, absolute and
 * canonical URL, clean title, sanitized HTML and plain text, publication time, language).
 */
import { hash } from 'node:crypto';
import { detectLanguage } from '../newsroom/language.ts';
import { htmlToText, sanitizeHtmlWithText } from './sanitize.ts';
import type { NormalizeContext, NormalizedArticle, ParsedFeed, ParsedItem } from './types.ts';
import { canonicalUrl, isWebUrl, resolveUrl } from './urls.ts';

const TITLE_WORDS = 12;
const MAX_TITLE = 300;
const MAX_CATEGORIES = 50;

function sha256(s: string): string {
  return hash('sha256', s, 'hex');
}

/**
 * Feeds decoded as Latin-1 that really were windows-1252 leave C1 control characters where curly quotes
 * and dashes belong; map them to what the publisher typed.
 */
const C1 = /[\u0080-\u009f]/;
const CP1252_C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
export function demoronize(s: string): string {
  if (!C1.test(s)) return s;
  return s.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
}

/**
 * One line of plain text: whitespace collapsed and control characters removed (a feed title with
 * terminal escape sequences must not reach a console or a chat message).
 */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * A title that is already one line of plain text: no markup, entities, control or C1 characters, and
 * only single plain spaces between words. Most are; they skip the clean-up passes.
 */
const NOT_PLAIN_TITLE = /[<>&\x00-\x1f\x7f-\x9f]|\s\s|^\s|\s$|[^\S ]/;

/** The title as plain text; without one, the first words of the body. */
function titleOf(item: ParsedItem, text: string): string {
  const raw = item.title;
  const fromFeed = raw && !NOT_PLAIN_TITLE.test(raw) ? raw : oneLine(demoronize(htmlToText(raw)));
  if (fromFeed) return fromFeed.length > MAX_TITLE ? `${fromFeed.slice(0, MAX_TITLE - 1)}…` : fromFeed;
  const words = oneLine(text).split(' ').filter(Boolean);
  if (words.length === 0) return '(untitled)';
  const head = words.slice(0, TITLE_WORDS).join(' ');
  return words.length > TITLE_WORDS || head.length > MAX_TITLE ? `${head.slice(0, MAX_TITLE - 1)}…` : head;
}

/** 'es-MX' -> 'es', 'en_US' -> 'en'; other languages -> null. */
export function mapLanguage(tag: string | null | undefined): 'en' | 'es' | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'en' || primary === 'es' ? primary : null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text from a feed: whitespace tidied within paragraphs, blank lines between them kept. */
function tidyParagraphs(s: string): string[] {
  return s
    .split(/\n\s*\n/)
    .map(oneLine)
    .filter(Boolean);
}

/**
 * Sanitized body HTML and its plain text: full content (HTML, then plain text) preferred over the summary.
 * The text is the feed's own plain text when it gave one for the content, else the HTML's text.
 */
function body(item: ParsedItem, base: string | null): { html: string; text: string } {
  if (item.contentHtml) {
    const content = sanitizeHtmlWithText(demoronize(item.contentHtml), base);
    if (content.html) return content;
  }
  if (item.contentText) {
    const paragraphs = tidyParagraphs(demoronize(item.contentText));
    if (paragraphs.length) return { html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''), text: paragraphs.join('\n\n') };
  }
  return item.summaryHtml ? sanitizeHtmlWithText(demoronize(item.summaryHtml), base) : { html: '', text: '' };
}

function cleanList(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = oneLine(demoronize(htmlToText(v)));
    const key = t.toLowerCase();
    if (!t || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
    if (out.length >= MAX_CATEGORIES) break;
  }
  return out;
}

/** An item's content hash, worked out only when asked for (see IdentityKeys). */
class ContentHash {
  private digest: string | null = null;
  constructor(private readonly title: string, private readonly text: string) {}
  get(): string {
    return (this.digest ??= sha256(`${this.title}\n${this.text}`));
  }
}

interface Seen {
  link: string;
  content: ContentHash;
  key: string;
}

interface Keyed {
  key: string;
  source: NormalizedArticle['identitySource'];
}

/**
 * Identity keys. The first occurrence of a guid (or link) keeps the plain key so identities stay stable
 * between polls; a later item repeating it gets its link or content hash appended, so two different
 * items never collapse. An exact repeat (same link and content) is the same item and keeps its twin's key.
 */
class IdentityKeys {
  private readonly seen = new Map<string, Seen | Seen[]>();

  /** `content` is lazy: hashing every item's text is only needed when its guid or link repeats. */
  key(base: Keyed, link: string, content: ContentHash): Keyed {
    const found = this.seen.get(base.key);
    if (!found) {
      // Nearly every key is seen once: keep a single record, not an array, on that path.
      this.seen.set(base.key, { link, content, key: base.key });
      return base;
    }
    const earlier = Array.isArray(found) ? found : [found];
    if (earlier !== found) this.seen.set(base.key, earlier);
    const twin = earlier.find((e) => e.link === link && e.content.get() === content.get());
    if (twin) return { key: twin.key, source: base.source };
    const key = earlier.some((e) => e.link === link) ? `${base.key}\ncontent:${content.get()}` : `${base.key}\nlink:${link}`;
    earlier.push({ link, content, key });
    return { key, source: base.source };
  }
}

/** Feed-level bases, resolved once per feed; item bases are cached because feeds repeat them. */
function baseResolver(feed: ParsedFeed, ctx: NormalizeContext): (itemBase: string | null) => string | null {
  const feedBase =
    resolveUrl(feed.base, [feed.link, ctx.feedUrl]) ?? resolveUrl(feed.link, [ctx.feedUrl]) ?? resolveUrl(ctx.feedUrl, []);
  const cache = new Map<string, string | null>();
  return (itemBase) => {
    if (!itemBase) return feedBase;
    let b = cache.get(itemBase);
    if (b === undefined) cache.set(itemBase, (b = resolveUrl(itemBase, [feedBase]) ?? feedBase));
    return b;
  };
}

/**
 * Normalizes every item of a parsed feed, in feed order.
 * @example normalizeItems(await parseFeed(bytes), { feedUrl: 'https://example.com/feed', seenAt: new Date() })
 */
export function normalizeItems(feed: ParsedFeed, ctx: NormalizeContext): NormalizedArticle[] {
  const baseFor = baseResolver(feed, ctx);
  const feedLanguage = mapLanguage(feed.language);
  const ids = new IdentityKeys();
  return feed.items.map((item): NormalizedArticle => {
    const base = baseFor(item.base);
    const resolved = resolveUrl(item.link, [base]);
    const url = isWebUrl(resolved) ? resolved : null;
    const canonical = canonicalUrl(url);
    const { html, text } = body(item, base);
    const title = titleOf(item, text);
    const contentHash = new ContentHash(title, text);
    const guid = item.guid?.trim() || null;
    const basic: Keyed = guid
      ? { key: `guid:${guid}`, source: 'guid' }
      : canonical
        ? { key: `link:${canonical}`, source: 'link' }
        : { key: `content:${contentHash.get()}`, source: 'content' };
    const { key, source } = ids.key(basic, canonical ?? '', contentHash);
    const published = item.published ?? item.updated;
    // An item's own language tag is deliberate; a channel-wide <language> is often a CMS default
    // ("en-us" on Spanish sites), so confident detection outranks it.
    const language = mapLanguage(item.language) ?? detectLanguage(`${title}\n${text}`) ?? feedLanguage;
    const author = item.author ? oneLine(demoronize(htmlToText(item.author))).slice(0, 200) || null : null;
    return {
      identity: sha256(key),
      identitySource: source,
      guid,
      url,
      canonicalUrl: canonical,
      title,
      html,
      text,
      publishedAt: published ?? ctx.seenAt,
      publishedEstimated: !published,
      language,
      author,
      categories: cleanList(item.categories),
    };
  });
}
