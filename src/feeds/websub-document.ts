/**
 * Finds WebSub `hub` and `self` links inside a feed or page body.
 *
 * This is a tolerant tag scan rather than a full parse on purpose: discovery runs on whatever the
 * server sent (broken RSS, HTML, Atom with odd prefixes such as `atom10:link`), and the feed parser
 * already hands over the links it found when the document was well-formed (parsedHubs/parsedSelf).
 */

/** Links found in a document; URLs are absolute (resolved), in document order. */
export interface DocumentLinks {
  hubs: string[];
  self: string | null;
}

/** Only the head of a feed matters, and scanning megabytes of entries for it would be wasted work. */
const MAX_SCAN_CHARS = 512 * 1024;

/** Scan a feed (RSS/Atom/RDF), HTML page or JSON Feed for hub and self links. */
export function scanDocumentLinks(body: string | Uint8Array, contentType: string | null | undefined, baseUrl: string): DocumentLinks {
  const text = (typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body.subarray(0, MAX_SCAN_CHARS)))
    .slice(0, MAX_SCAN_CHARS)
    .replace(/^\uFEFF/, '');
  if (looksLikeJson(text, contentType)) return scanJsonFeed(text, baseUrl);
  return scanMarkup(text, baseUrl);
}

function looksLikeJson(text: string, contentType: string | null | undefined): boolean {
  if (contentType && /json/i.test(contentType)) return true;
  return text.trimStart().startsWith('{');
}

/** JSON Feed 1.1 declares hubs as `hubs: [{ type: "WebSub", url }]` and itself as `feed_url`. */
function scanJsonFeed(text: string, baseUrl: string): DocumentLinks {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { hubs: [], self: null };
  }
  if (!doc || typeof doc !== 'object') return { hubs: [], self: null };
  const record = doc as { hubs?: unknown; feed_url?: unknown };
  const hubs: string[] = [];
  if (Array.isArray(record.hubs)) {
    for (const h of record.hubs) {
      if (!h || typeof h !== 'object') continue;
      const { type, url } = h as { type?: unknown; url?: unknown };
      if (typeof url !== 'string') continue;
      if (typeof type === 'string' && type.toLowerCase() !== 'websub') continue;
      const abs = resolveHttpUrl(url, baseUrl);
      if (abs) hubs.push(abs);
    }
  }
  const self = typeof record.feed_url === 'string' ? resolveHttpUrl(record.feed_url, baseUrl) : null;
  return { hubs, self };
}

const ATTRS = String.raw`((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>`;
const LINK_TAG = new RegExp(String.raw`<((?:[A-Za-z_][\w.-]*:)?link)` + ATTRS, 'gi');
const BASE_TAG = new RegExp(String.raw`<base` + ATTRS, 'i');
const ROOT_TAG = new RegExp(String.raw`<((?:[A-Za-z_][\w.-]*:)?(?:feed|rss|RDF|channel))` + ATTRS, 'gi');
/** Where feed-level metadata ends: the first item or entry, or an HTML body. */
const HEAD_END = /<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]|<body[\s>]/i;

function scanMarkup(raw: string, baseUrl: string): DocumentLinks {
  // Comments and CDATA can contain markup-looking text that is not markup.
  let text = raw.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/<!\[CDATA\[[\s\S]*?(?:\]\]>|$)/g, '');
  const end = text.search(HEAD_END);
  if (end >= 0) text = text.slice(0, end);

  const base = documentBase(text, baseUrl);
  const hubs: string[] = [];
  let self: string | null = null;
  for (const m of text.matchAll(LINK_TAG)) {
    const attrs = parseAttributes(m[2] ?? '');
    const rels = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const href = attrs.get('href');
    if (!href || rels.length === 0) continue;
    const linkBase = attrs.get('xml:base') ? resolveAnyUrl(attrs.get('xml:base')!, base) ?? base : base;
    const abs = resolveHttpUrl(href, linkBase);
    if (!abs) continue;
    if (rels.includes('hub')) hubs.push(abs);
    if (rels.includes('self') && self === null) self = abs;
  }
  return { hubs, self };
}

/** The base for relative links: HTML `<base href>`, else xml:base on the root/channel, else the URL. */
function documentBase(head: string, baseUrl: string): string {
  let base = baseUrl;
  const htmlBase = BASE_TAG.exec(head);
  if (htmlBase) {
    const href = parseAttributes(htmlBase[1] ?? '').get('href');
    if (href) return resolveAnyUrl(href, base) ?? base;
  }
  // Root then channel: each xml:base is relative to the one before it.
  for (const m of head.matchAll(ROOT_TAG)) {
    const xb = parseAttributes(m[2] ?? '').get('xml:base');
    if (xb) base = resolveAnyUrl(xb, base) ?? base;
  }
  return base;
}

const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Attribute names lower-cased; values entity-decoded. First occurrence wins, as in HTML. */
export function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (attrs.has(name)) continue;
    attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decode the XML entities and numeric references that appear in URLs (`&amp;` above all). */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Resolve `href` against `base`; null when it is not a usable URL. */
function resolveAnyUrl(href: string, base: string): string | null {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
  }
}

/** Resolve and keep only http(s): a hub or topic with another scheme is never something to POST to. */
export function resolveHttpUrl(href: string, base: string): string | null {
  const abs = resolveAnyUrl(href, base);
  if (!abs) return null;
  return abs.startsWith('http://') || abs.startsWith('https://') ? abs : null;
}
