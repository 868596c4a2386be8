/**
 * Full text for feeds that publish only summaries: fetch the article page, pick out the article with
 * Mozilla Readability (over linkedom's DOM, so no browser and no jsdom), then sanitize. The page is
 * untrusted like any feed content, so the HTML that leaves here has been through sanitizeHtml.
 */
import { isUtf8 } from 'node:buffer';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { htmlToText, sanitizeHtml } from './sanitize.ts';
import type { Fetcher } from './types.ts';

/** The article Readability found on a page. */
export interface FullText {
  title: string | null;
  /** Sanitized article HTML, links absolute. */
  html: string;
  /** Plain text of the article (paragraphs separated by blank lines). */
  text: string;
  byline: string | null;
}

/** Bytes of the page searched for a <meta charset>, as the HTML spec's prescan does. */
const PRESCAN_BYTES = 1024;

function clean(value: string | null | undefined): string | null {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : null;
}

/** Finds the document's <base href>, resolved against the page URL; falls back to the page URL. */
function baseUrlOf(document: Document, pageUrl: string): string {
  const href = document.querySelector('base[href]')?.getAttribute('href');
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return pageUrl;
  }
}

/**
 * Extracts the main article of an HTML page, or null when the page has no article-like content.
 * `url` is the page's (final) URL, used to resolve relative links and images.
 */
export function extractFullText(html: string, url: string): FullText | null {
  let document: Document;
  try {
    document = parseHTML(html).document as unknown as Document;
  } catch {
    return null;
  }
  const base = baseUrlOf(document, url);
  // Readability mutates the document; we do not use it afterwards.
  const article = new Readability(document).parse();
  if (!article?.content) return null;
  const safe = sanitizeHtml(article.content, base);
  const text = htmlToText(safe);
  if (!text) return null;
  return { title: clean(article.title) ?? clean(document.title), html: safe, text, byline: clean(article.byline) };
}

/** The charset label in a Content-Type header, if any. */
function httpCharset(contentType: string | null): string | null {
  const m = contentType ? /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType) : null;
  return m ? m[1] : null;
}

/** The charset from a <meta charset> or <meta http-equiv content="...; charset=..."> near the top. */
function metaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PRESCAN_BYTES)).toString('latin1');
  const m = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return m ? m[1] : null;
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label.toLowerCase()).decode(bytes);
  } catch {
    return null; // unknown label: fall through to the next piece of evidence
  }
}

/**
 * Decodes an HTML page: byte order mark, then the HTTP charset, then <meta charset>, then UTF-8 when the
 * bytes are valid UTF-8, else windows-1252 (what browsers assume for unlabelled legacy pages).
 */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const fromHttp = httpCharset(contentType);
  const decodedHttp = fromHttp ? tryDecode(fromHttp, bytes) : null;
  if (decodedHttp !== null) return decodedHttp;
  let fromMeta = metaCharset(bytes);
  // A page that could read its own <meta> in ASCII is not UTF-16, whatever it says (HTML spec).
  if (fromMeta && /^utf-?16/i.test(fromMeta)) fromMeta = 'utf-8';
  const decodedMeta = fromMeta ? tryDecode(fromMeta, bytes) : null;
  if (decodedMeta !== null) return decodedMeta;
  return new TextDecoder(isUtf8(bytes) ? 'utf-8' : 'windows-1252').decode(bytes);
}

/** True for content types worth running Readability on (HTML, or unknown). */
function looksLikeHtml(contentType: string | null): boolean {
  if (!contentType) return true;
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

/**
 * Fetches an article page through the guarded fetcher and extracts its full text; null when the page is
 * not HTML or has no article. Fetch errors (FetchError) propagate to the caller.
 */
export async function fetchFullText(fetcher: Fetcher, url: string): Promise<(FullText & { finalUrl: string }) | null> {
  const page = await fetcher.fetchPage(url);
  if (!looksLikeHtml(page.contentType)) return null;
  const extracted = extractFullText(decodeHtml(page.body, page.contentType), page.finalUrl);
  return extracted ? { ...extracted, finalUrl: page.finalUrl } : null;
}
