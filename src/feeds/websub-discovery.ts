/**
 * WebSub discovery (W3C WebSub §4): which hubs serve a feed, and under which topic URL.
 *
 * Precedence, per field: HTTP Link headers, then links the feed parser already read, then a scan of
 * the body. Headers win because the spec says so and because a CDN or proxy may set them when the
 * document itself is stale.
 */
import { scanDocumentLinks, resolveHttpUrl } from './websub-document.ts';
import { headerValues, parseLinkHeader, type HeaderSource } from './websub-link.ts';

export interface DiscoverInput {
  /** Response headers of the feed fetch. */
  headers?: HeaderSource | null;
  /** The response body (raw bytes or decoded text). */
  body?: string | Uint8Array | null;
  contentType?: string | null;
  /** The URL the document was fetched from (after redirects): base for relative links, default topic. */
  feedUrl: string;
  /** Hubs the feed parser found (ParsedFeed.hubs). */
  parsedHubs?: string[] | null;
  /** rel="self" the feed parser found (ParsedFeed.selfUrl). */
  parsedSelf?: string | null;
}

export interface WebSubDiscovery {
  /** Absolute http(s) hub URLs, de-duplicated, in the order found. */
  hubs: string[];
  /** The topic to subscribe to: the feed's self URL, else the feed URL. */
  topic: string;
}

/**
 * Find the WebSub hubs and topic of a fetched feed; null when it names no hub.
 * @example discoverWebSub({ headers: { link: '<https://hub.example/>; rel="hub"' }, feedUrl: 'https://site/feed' })
 */
export function discoverWebSub(input: DiscoverInput): WebSubDiscovery | null {
  const { feedUrl } = input;
  const header = linksFromHeaders(input.headers, feedUrl);

  let hubs = header.hubs;
  let self = header.self;

  if (hubs.length === 0 || self === null) {
    const parsedHubs = (input.parsedHubs ?? []).map((h) => resolveHttpUrl(h, feedUrl)).filter(isString);
    const parsedSelf = input.parsedSelf ? resolveHttpUrl(input.parsedSelf, feedUrl) : null;
    if (hubs.length === 0) hubs = parsedHubs;
    if (self === null) self = parsedSelf;
  }

  if ((hubs.length === 0 || self === null) && input.body != null && input.body.length > 0) {
    const doc = scanDocumentLinks(input.body, input.contentType, feedUrl);
    if (hubs.length === 0) hubs = doc.hubs;
    if (self === null) self = doc.self;
  }

  const unique = [...new Set(hubs)];
  if (unique.length === 0) return null;
  return { hubs: unique, topic: self ?? feedUrl };
}

/** hub and self links from the Link headers, resolved against the request URL. */
export function linksFromHeaders(headers: HeaderSource | null | undefined, feedUrl: string): { hubs: string[]; self: string | null } {
  const values = headerValues(headers, 'link');
  const hubs: string[] = [];
  let self: string | null = null;
  const context = normalize(feedUrl);
  for (const link of parseLinkHeader(values)) {
    // A link with an anchor describes some other resource, not this feed (RFC 8288 §3.2).
    if (link.params.anchor !== undefined && normalize(resolveHttpUrl(link.params.anchor, feedUrl)) !== context) continue;
    const abs = resolveHttpUrl(link.target, feedUrl);
    if (!abs) continue;
    if (link.rels.includes('hub')) hubs.push(abs);
    if (link.rels.includes('self') && self === null) self = abs;
  }
  return { hubs, self };
}

function normalize(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function isString(v: string | null): v is string {
  return v !== null;
}
