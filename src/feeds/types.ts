/**
 * Shapes that flow through feed ingestion: fetch -> parse -> normalize.
 * Parsing keeps what the feed said (raw strings); normalizing decides what it means.
 */

/** What a feed document said about itself, before normalizing. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  /** The site link (not the feed's own URL). */
  link: string | null;
  /** rel="self" URL, if the feed declares one (WebSub topic). */
  selfUrl: string | null;
  /** WebSub hubs declared in the document (rel="hub"). */
  hubs: string[];
  language: string | null;
  /** RSS <ttl>, minutes. */
  ttlMinutes: number | null;
  /** xml:base on the root/channel, if any. */
  base: string | null;
  items: ParsedItem[];
  /** Non-fatal problems met while reading (bad dates, recovered markup...). */
  warnings: string[];
}

export interface ParsedItem {
  guid: string | null;
  link: string | null;
  title: string | null;
  /** Full content as HTML (content:encoded, atom content, content_html). Untrusted. */
  contentHtml: string | null;
  /** Summary/description as HTML. Untrusted. */
  summaryHtml: string | null;
  /** Plain text content when the feed supplies it (JSON Feed content_text). */
  contentText: string | null;
  /** Published time as a Date when it could be read, else null. */
  published: Date | null;
  updated: Date | null;
  author: string | null;
  categories: string[];
  /** xml:lang or JSON Feed language of the item. */
  language: string | null;
  /** Effective xml:base for resolving the item's relative links. */
  base: string | null;
}

/** One article as Frontera stores it. */
export interface NormalizedArticle {
  /** Stable identity hash within a feed (sha256 hex of the chosen identity key). */
  identity: string;
  /** Which key the identity came from: guid, link, or title+content. */
  identitySource: 'guid' | 'link' | 'content';
  guid: string | null;
  /** Absolute link as published (resolved). */
  url: string | null;
  /** url without tracking parameters and fragments, for de-duplication across feeds. */
  canonicalUrl: string | null;
  title: string;
  /** Sanitized HTML: no scripts, event handlers, javascript: URLs. */
  html: string;
  /** Plain text of the body. */
  text: string;
  publishedAt: Date;
  /** True when the feed gave no usable date and publishedAt is the time we first saw it. */
  publishedEstimated: boolean;
  language: 'en' | 'es' | null;
  author: string | null;
  categories: string[];
}

/** Options for normalizing the items of one feed. */
export interface NormalizeContext {
  /** The URL the feed was fetched from (or file path for local files). */
  feedUrl: string;
  /** When we saw the items (used as publishedAt fallback). */
  seenAt: Date;
}

/** What we remember about a feed between polls, sent with the next request. */
export interface FetchValidators {
  etag?: string | null;
  lastModified?: string | null;
  /** sha256 hex of the last body we parsed; a 200 with the same body counts as unchanged. */
  bodyHash?: string | null;
}

/** Hints from the response about when to poll next. All optional. */
export interface CacheHints {
  /** Cache-Control max-age (or s-maxage), seconds. */
  maxAgeSeconds?: number;
  /** Expires header as a Date. */
  expires?: Date;
  /** Retry-After, seconds from the response time. */
  retryAfterSeconds?: number;
}

export type FetchOutcome =
  | {
      kind: 'unchanged';
      /** 'not-modified' for a 304; 'same-etag' or 'same-body' for a 200 we did not need. */
      reason: 'not-modified' | 'same-etag' | 'same-body';
      finalUrl: string;
      /** Set when a 301/308 moved the feed: store this as the feed's URL from now on. */
      permanentUrl: string | null;
      etag: string | null;
      lastModified: string | null;
      hints: CacheHints;
      headers: Record<string, string>;
    }
  | {
      kind: 'changed';
      finalUrl: string;
      permanentUrl: string | null;
      etag: string | null;
      lastModified: string | null;
      hints: CacheHints;
      /** Decompressed body bytes (encoding not yet decoded: the parser decides). */
      body: Uint8Array;
      bodyHash: string;
      contentType: string | null;
      headers: Record<string, string>;
    };

/** The HTTP side of ingestion; implementations throw FetchError on failure. */
export interface Fetcher {
  /** Fetch a feed with conditional request headers. */
  fetchFeed(url: string, validators?: FetchValidators): Promise<FetchOutcome>;
  /** Fetch any page (article pages for full text, WebSub discovery); same guard and limits. */
  fetchPage(url: string): Promise<{ finalUrl: string; body: Uint8Array; contentType: string | null; headers: Record<string, string> }>;
  /** POSTs a form (WebSub hub requests) under the same guard and limits; any status is returned, not thrown. */
  postForm(url: string, formBody: string): Promise<{ status: number; body: string }>;
}
