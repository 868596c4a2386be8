/**
 * OPML import and export, the format every feed reader (Feedly, Inoreader, Miniflux, NetNewsWire...)
 * uses to move subscription lists around. Import is tolerant: readers disagree on attribute case,
 * folder nesting and escaping, and one bad outline must not lose the rest of a newsroom's list.
 */
import { XMLParser } from 'fast-xml-parser';

/** One feed read from an OPML file. */
export interface OpmlFeed {
  url: string;
  title?: string;
  htmlUrl?: string;
  /** Folder path, outermost first: ['Mexico', 'Official']. */
  category?: string[];
  /** Frontera's own extension attributes, when the file came from toOpml. */
  tier?: string;
  language?: string;
}

export interface OpmlImport {
  feeds: OpmlFeed[];
  /** One line per outline or document problem; the feeds that could be read are still returned. */
  errors: string[];
}

/** What toOpml writes for each feed. */
export interface OpmlExportFeed {
  url: string;
  title?: string;
  htmlUrl?: string;
  tier?: string;
  language?: string;
  category?: string[] | string;
}

/** Namespace of Frontera's extra outline attributes (OPML 2.0 allows namespaced attributes). */
export const FRONTERA_OPML_NS = 'urn:frontera:opml';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Readers write xmlUrl, xmlurl and XMLURL; OPML 1.0 files from old tools even upper-case tags.
  transformTagName: (name) => name.toLowerCase(),
  transformAttributeName: (name) => name.toLowerCase(),
  isArray: (name) => name === 'outline',
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
});

/**
 * Read the feeds of an OPML 1.0/2.0 document; never throws.
 * @example parseOpml(text).feeds // [{ url: 'https://...', title: 'Proceso', category: ['México'] }]
 */
export function parseOpml(text: string): OpmlImport {
  const errors: string[] = [];
  let doc: Node;
  try {
    doc = parser.parse(text.replace(/^\uFEFF/, '')) as Node;
  } catch (err) {
    return { feeds: [], errors: [`not readable as XML: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const opml = doc.opml;
  if (!isNode(opml)) return { feeds: [], errors: ['not an OPML document (no <opml> root element)'] };
  const body = opml.body;
  if (!isNode(body)) return { feeds: [], errors: ['OPML document has no <body>'] };

  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  walk(outlinesOf(body), [], feeds, seen, errors);
  return { feeds, errors };
}

function walk(outlines: Node[], path: string[], feeds: OpmlFeed[], seen: Set<string>, errors: string[]): void {
  for (const o of outlines) {
    const label = text(o, 'text') ?? text(o, 'title');
    const type = (attr(o, 'type') ?? '').toLowerCase();
    // Some exporters put the feed URL in `url` for type="rss"; `url` on type="link" is a web page.
    const rawUrl = attr(o, 'xmlurl') ?? (type === 'rss' || type === 'atom' ? attr(o, 'url') : undefined);
    const children = outlinesOf(o);

    if (rawUrl === undefined) {
      if (type === 'rss' || type === 'atom') errors.push(`outline "${label ?? '(untitled)'}" has type="${type}" but no xmlUrl`);
      // A folder: its name becomes part of the category path of everything inside it.
      if (children.length > 0) walk(children, label ? [...path, label] : path, feeds, seen, errors);
      continue;
    }

    const url = feedUrl(rawUrl);
    if (!url) {
      errors.push(`outline "${label ?? '(untitled)'}": xmlUrl "${rawUrl}" is not an http(s) URL`);
    } else if (!seen.has(url)) {
      seen.add(url);
      feeds.push(makeFeed(o, url, label, path));
    }
    // A feed outline with children is unusual but legal; do not lose what is nested in it.
    if (children.length > 0) walk(children, path, feeds, seen, errors);
  }
}

function makeFeed(o: Node, url: string, label: string | undefined, path: string[]): OpmlFeed {
  const feed: OpmlFeed = { url };
  const title = label ?? text(o, 'title');
  if (title) feed.title = title;
  const html = attr(o, 'htmlurl');
  const htmlUrl = html ? feedUrl(html) : null;
  if (htmlUrl) feed.htmlUrl = htmlUrl;
  const category = path.length > 0 ? path : categoryAttribute(attr(o, 'category'));
  if (category.length > 0) feed.category = category;
  const tier = attr(o, 'frontera:tier') ?? attr(o, 'tier');
  if (tier) feed.tier = tier;
  const language = attr(o, 'language');
  if (language) feed.language = language;
  return feed;
}

/** OPML 2.0 `category`: comma-separated slash paths ("/Mexico/Official,/Wires"); we keep the first. */
function categoryAttribute(value: string | undefined): string[] {
  if (!value) return [];
  const first = value.split(',')[0] ?? '';
  return first.split('/').map((s) => decodeHtmlEntities(s).trim()).filter(Boolean);
}

/** Absolute http(s) URL, normalized so duplicates spelled differently collapse; null if unusable. */
function feedUrl(raw: string): string | null {
  let s = raw.trim();
  // feed:// and feed:https:// are old browser conventions for "this is a feed".
  if (/^feed:\/\//i.test(s)) s = `http://${s.slice(7)}`;
  else if (/^feed:https?:/i.test(s)) s = s.slice(5);
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function outlinesOf(n: Node): Node[] {
  const list = n.outline;
  return Array.isArray(list) ? list.filter(isNode) : [];
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function attr(o: Node, name: string): string | undefined {
  const v = o[`@_${name}`];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t.length > 0 ? t : undefined;
}

/** A human-readable attribute: entity-decoded once more (readers often double-escape titles). */
function text(o: Node, name: string): string | undefined {
  const v = attr(o, name);
  if (v === undefined) return undefined;
  const t = decodeHtmlEntities(v).replace(/\s+/g, ' ').trim();
  return t.length > 0 ? t : undefined;
}

// Latin-1 named entities in code-point order from U+00A0: the accents Spanish titles need.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'.split(' ');
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
  ndash: '\u2013', mdash: '\u2014', lsquo: '\u2018', rsquo: '\u2019', sbquo: '\u201a',
  ldquo: '\u201c', rdquo: '\u201d', bdquo: '\u201e', hellip: '\u2026', bull: '\u2022',
  euro: '\u20ac', trade: '\u2122',
};
LATIN1.forEach((name, i) => (ENTITIES[name] = String.fromCharCode(0xa0 + i)));

/** Decode HTML named and numeric character references; unknown ones stay as written. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,7});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/**
 * Write feeds as an OPML 2.0 document, folders nested by category path, in input order.
 * @example toOpml(feeds, { title: 'Frontera feeds', dateCreated: new Date() })
 */
export function toOpml(feeds: OpmlExportFeed[], head: { title: string; dateCreated: Date }): string {
  const root = newFolder('');
  for (const f of feeds) {
    const path = typeof f.category === 'string' ? [f.category] : f.category ?? [];
    let folder = root;
    for (const name of path.map((p) => p.trim()).filter(Boolean)) {
      let next = folder.folders.get(name);
      if (!next) {
        next = newFolder(name);
        folder.folders.set(name, next);
        folder.items.push(next);
      }
      folder = next;
    }
    folder.items.push(f);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:frontera="${FRONTERA_OPML_NS}">`,
    '  <head>',
    `    <title>${escapeXml(head.title, false)}</title>`,
    `    <dateCreated>${head.dateCreated.toUTCString()}</dateCreated>`,
    '    <docs>http://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
    ...renderItems(root.items, 2),
    '  </body>',
    '</opml>',
    '',
  ];
  return lines.join('\n');
}

interface Folder {
  name: string;
  folders: Map<string, Folder>;
  items: Array<Folder | OpmlExportFeed>;
}

function newFolder(name: string): Folder {
  return { name, folders: new Map(), items: [] };
}

function renderItems(items: Array<Folder | OpmlExportFeed>, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  for (const item of items) {
    if ('folders' in item) {
      const name = escapeXml(item.name, true);
      out.push(`${pad}<outline text="${name}" title="${name}">`, ...renderItems(item.items, depth + 1), `${pad}</outline>`);
      continue;
    }
    const title = escapeXml(item.title ?? item.url, true);
    const attrs = [`type="rss"`, `text="${title}"`, `title="${title}"`, `xmlUrl="${escapeXml(item.url, true)}"`];
    if (item.htmlUrl) attrs.push(`htmlUrl="${escapeXml(item.htmlUrl, true)}"`);
    if (item.language) attrs.push(`language="${escapeXml(item.language, true)}"`);
    if (item.tier) attrs.push(`frontera:tier="${escapeXml(item.tier, true)}"`);
    out.push(`${pad}<outline ${attrs.join(' ')}/>`);
  }
  return out;
}

/**
 * Escape text for XML content or a double-quoted attribute. Characters XML 1.0 cannot carry at all
 * (most C0 controls, lone surrogates) are dropped; in attributes, line breaks and tabs become
 * character references so attribute-value normalization does not turn them into spaces.
 */
export function escapeXml(s: string, attribute: boolean): string {
  const cleaned = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  const escaped = cleaned.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!attribute) return escaped;
  return escaped.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
