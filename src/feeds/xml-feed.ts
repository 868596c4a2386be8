/**
 * Maps an XML feed's object tree to ParsedFeed: RSS 0.9x/2.0 (versioned or not, namespaced or not),
 * RSS 1.0 and 0.90 (RDF), Atom 0.3/1.0, and Microsoft CDF. Dates are read here from raw strings.
 */
import type { ParsedFeed, ParsedItem } from './types.ts';
import { attr, kid, kids, textOf, trimmed, type Names, type XNode } from './xml-tree.ts';
import {
  Warnings,
  alternateLink,
  categoryLabels,
  constructHtml,
  constructText,
  firstDate,
  linkElements,
  personName,
  resolveBase,
  type LinkInfo,
} from './xml-text.ts';

export type XmlKind = 'rss' | 'rdf' | 'atom' | 'cdf';

/** What kind of feed a root element name announces, or null for anything else. */
export function feedKind(rootName: string): XmlKind | null {
  const local = rootName.slice(rootName.indexOf(':') + 1);
  if (local === 'CHANNEL') return 'cdf';
  switch (local.toLowerCase()) {
    case 'rss':
      return 'rss';
    case 'rdf':
      return 'rdf';
    case 'feed':
      return 'atom';
    case 'channel':
      return 'rss'; // an RSS channel without its <rss> wrapper
    default:
      return null;
  }
}

interface Ctx {
  names: Names;
  warnings: Warnings;
  /** Atom treats untyped text as plain text; RSS as HTML. */
  textType: 'html' | 'text';
}

function lang(node: XNode | undefined): string | null {
  return attr(node, 'xml:lang')?.trim() || null;
}

function ttlOf(node: XNode | undefined): number | null {
  const raw = trimmed(node);
  if (!raw || !/^\d{1,7}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 ? n : null;
}

/** The rel="self" and rel="hub" links (WebSub), from Atom links in any document. */
function selfAndHubs(links: LinkInfo[]): { selfUrl: string | null; hubs: string[] } {
  const selfUrl = links.find((l) => l.rel === 'self')?.href ?? null;
  const hubs = [...new Set(links.filter((l) => l.rel === 'hub').map((l) => l.href))];
  return { selfUrl, hubs };
}

function itemDates(item: XNode, c: Ctx): { published: Date | null; updated: Date | null } {
  const { names } = c;
  const published = firstDate(
    [
      kid(item, names.core('pubDate')),
      kid(item, names.core('published')),
      kid(item, names.core('issued')),
      kid(item, names.ns('dc', 'date')),
      kid(item, names.ns('dcterms', 'issued')),
      kid(item, names.ns('dcterms', 'created')),
      kid(item, names.core('created')),
    ],
    c.warnings,
  );
  const updated = firstDate(
    [kid(item, names.core('updated')), kid(item, names.core('modified')), kid(item, names.ns('dcterms', 'modified'))],
    c.warnings,
  );
  return { published, updated };
}

function itemCategories(item: XNode, names: Names): string[] {
  return categoryLabels([
    ...kids(item, names.core('category')),
    ...kids(item, names.ns('dc', 'subject')),
    ...kids(item, names.ns('itunes', 'category')),
  ]);
}

function itemAuthor(item: XNode, names: Names, fallback: string | null): string | null {
  const candidates = [
    kid(item, names.core('author')),
    kid(item, names.ns('dc', 'creator')),
    kid(item, names.ns('itunes', 'author')),
    kid(item, names.ns('dc', 'author')), // not Dublin Core, but written by some generators
  ];
  for (const node of candidates) {
    const name = personName(node, names);
    if (name) return name;
  }
  return fallback;
}

/** A Media RSS field on the item or inside its <media:group> (video and podcast feeds use these alone). */
function mediaField(item: XNode, names: Names, local: string): XNode | undefined {
  return kid(item, names.ns('media', local)) ?? kid(kid(item, names.ns('media', 'group')), names.ns('media', local));
}

/** One RSS or RDF item. */
function rssItem(item: XNode, c: Ctx, base: string | null): ParsedItem {
  const { names } = c;
  const guidNode = kid(item, names.core('guid'));
  const guid = trimmed(guidNode) ?? trimmed(kid(item, names.ns('dc', 'identifier'))) ?? attr(item, 'rdf:about')?.trim() ?? null;
  let link: string | null = null;
  for (const l of kids(item, names.core('link'))) {
    link = trimmed(l);
    if (link) break;
  }
  link ??= alternateLink(linkElements(item, names.ns('atom', 'link')));
  // RSS 2.0: a guid is the permalink unless it says isPermaLink="false".
  if (!link && guid && guidNode && attr(guidNode, 'isPermaLink')?.trim().toLowerCase() !== 'false' && /^https?:\/\//i.test(guid)) link = guid;
  const content =
    constructHtml(kid(item, names.ns('content', 'encoded')), 'html') ??
    constructHtml(kid(item, names.ns('xhtml', 'body')), 'html') ??
    constructHtml(kid(item, ['body']), 'html') ??
    constructHtml(kid(item, names.core('fullitem')), 'html');
  const summary =
    constructHtml(kid(item, names.core('description')), 'html') ??
    constructHtml(kid(item, names.ns('dc', 'description')), 'html') ??
    constructHtml(kid(item, names.core('summary')), c.textType) ??
    constructHtml(kid(item, names.ns('itunes', 'summary')), 'text') ??
    constructHtml(mediaField(item, names, 'description'), 'text');
  return {
    guid,
    link,
    title:
      constructHtml(kid(item, names.core('title')), 'html') ??
      constructHtml(kid(item, names.ns('dc', 'title')), 'html') ??
      constructHtml(mediaField(item, names, 'title'), 'text'),
    contentHtml: content,
    summaryHtml: summary,
    contentText: null,
    ...itemDates(item, c),
    author: itemAuthor(item, names, null),
    categories: itemCategories(item, names),
    language: lang(item) ?? trimmed(kid(item, names.ns('dc', 'language'))),
    base: resolveBase(attr(item, 'xml:base'), base),
  };
}

/** One Atom entry. */
function atomEntry(entry: XNode, c: Ctx, base: string | null, feedAuthor: string | null): ParsedItem {
  const { names } = c;
  const entryBase = resolveBase(attr(entry, 'xml:base'), base);
  return {
    guid: trimmed(kid(entry, names.core('id'))) ?? trimmed(kid(entry, names.ns('dc', 'identifier'))),
    link: alternateLink(linkElements(entry, names.core('link'))),
    title: constructHtml(kid(entry, names.core('title')), 'text'),
    contentHtml: constructHtml(kid(entry, names.core('content')), 'text'),
    summaryHtml:
      constructHtml(kid(entry, names.core('summary')), 'text') ??
      constructHtml(kid(entry, names.ns('dc', 'description')), 'html') ??
      constructHtml(mediaField(entry, names, 'description'), 'text'),
    contentText: null,
    ...itemDates(entry, c),
    author: itemAuthor(entry, names, feedAuthor),
    categories: itemCategories(entry, names),
    // Multilingual feeds tag the entry or, as often, just its text constructs.
    language: lang(entry) ?? lang(kid(entry, names.core('content'))) ?? lang(kid(entry, names.core('title'))),
    base: entryBase,
  };
}

/**
 * The root's own base attribute, resolved against the document URL when that is an absolute URL. No
 * attribute means no base: the document URL alone is the normalizer's last resort, not a declared base.
 */
function rootXmlBase(root: XNode, name: string, docUrl: string | null): string | null {
  const value = attr(root, name);
  if (!value?.trim()) return null;
  let parent: string | null = null;
  try {
    parent = docUrl ? new URL(docUrl).href : null;
  } catch {
    parent = null; // a file path: nothing to resolve against
  }
  return resolveBase(value, parent);
}

function emptyFeed(format: ParsedFeed['format'], warnings: string[]): ParsedFeed {
  return { format, title: null, link: null, selfUrl: null, hubs: [], language: null, ttlMinutes: null, base: null, items: [], warnings };
}

function mapRss(root: XNode, rootName: string, kind: 'rss' | 'rdf', c: Ctx, docUrl: string | null, sink: string[]): ParsedFeed {
  const { names } = c;
  const channel = /(^|:)channel$/i.test(rootName) ? root : kid(root, names.core('channel'));
  const rootBase = rootXmlBase(root, 'xml:base', docUrl);
  const base = channel && channel !== root ? resolveBase(attr(channel, 'xml:base'), rootBase) : rootBase;
  const atomLinks = linkElements(channel, names.ns('atom', 'link'));
  let link: string | null = null;
  for (const l of kids(channel, names.core('link'))) {
    link = trimmed(l);
    if (link) break;
  }
  // Items belong in the channel (RSS 2.0) or beside it (RSS 1.0); broken feeds put them anywhere.
  const itemNodes = channel === root ? kids(root, names.core('item')) : [...kids(channel, names.core('item')), ...kids(root, names.core('item'))];
  const feed = emptyFeed(kind, sink);
  feed.title = constructText(kid(channel, names.core('title')), 'html') ?? constructText(kid(channel, names.ns('dc', 'title')), 'html');
  feed.link = link ?? alternateLink(atomLinks);
  Object.assign(feed, selfAndHubs(atomLinks));
  feed.language =
    trimmed(kid(channel, names.core('language'))) ?? trimmed(kid(channel, names.ns('dc', 'language'))) ?? lang(channel) ?? lang(root);
  feed.ttlMinutes = ttlOf(kid(channel, names.core('ttl')));
  feed.base = base;
  feed.items = itemNodes.map((it) => rssItem(it, c, base));
  return feed;
}

function mapAtom(root: XNode, c: Ctx, docUrl: string | null, sink: string[]): ParsedFeed {
  const { names } = c;
  const base = rootXmlBase(root, 'xml:base', docUrl);
  const links = linkElements(root, names.core('link'));
  const feed = emptyFeed('atom', sink);
  feed.title = constructText(kid(root, names.core('title')), 'text');
  feed.link = alternateLink(links);
  Object.assign(feed, selfAndHubs(links));
  feed.language = lang(root) ?? trimmed(kid(root, names.ns('dc', 'language')));
  feed.base = base;
  const feedAuthor = personName(kid(root, names.core('author')), names);
  // Some Atom 0.3 generators wrote <item> for <entry>.
  const entries = [...kids(root, names.core('entry')), ...kids(root, names.core('item'))];
  feed.items = entries.map((e) => atomEntry(e, c, base, feedAuthor));
  return feed;
}

/** CDF attributes and children are upper case; accept either case. */
function cdf(node: XNode | undefined, name: string): XNode | undefined {
  return kid(node, [name, name.toLowerCase()]);
}
function cdfAttr(node: XNode | undefined, name: string): string | undefined {
  return attr(node, name) ?? attr(node, name.toLowerCase());
}

function mapCdf(root: XNode, c: Ctx, docUrl: string | null, sink: string[]): ParsedFeed {
  const base = rootXmlBase(root, attr(root, 'BASE') !== undefined ? 'BASE' : 'base', docUrl);
  const feed = emptyFeed('rss', sink);
  feed.title = constructText(cdf(root, 'TITLE'), 'html');
  feed.link = cdfAttr(root, 'HREF')?.trim() || null;
  feed.base = base;
  feed.items = kids(root, ['ITEM', 'item']).map((it): ParsedItem => ({
    guid: null,
    link: cdfAttr(it, 'HREF')?.trim() || null,
    title: constructHtml(cdf(it, 'TITLE'), 'html'),
    contentHtml: null,
    summaryHtml: constructHtml(cdf(it, 'ABSTRACT'), 'html'),
    contentText: null,
    published: null,
    updated: firstDate([cdfAttr(it, 'LASTMOD')], c.warnings),
    author: null,
    categories: [],
    language: null,
    base: resolveBase(cdfAttr(it, 'BASE'), base),
  }));
  return feed;
}

/**
 * Maps the root element's subtree to a ParsedFeed.
 * @param docUrl the document's own URL, against which a relative root xml:base resolves
 */
export function mapXmlFeed(kind: XmlKind, rootName: string, root: XNode, names: Names, docUrl: string | null, warnings: string[]): ParsedFeed {
  const w = new Warnings(warnings);
  const c: Ctx = { names, warnings: w, textType: kind === 'atom' ? 'text' : 'html' };
  const node: XNode = typeof root === 'object' && root !== null ? root : { _: textOf(root) };
  let feed: ParsedFeed;
  if (kind === 'atom') feed = mapAtom(node, c, docUrl, warnings);
  else if (kind === 'cdf') feed = mapCdf(node, c, docUrl, warnings);
  else feed = mapRss(node, rootName, kind, c, docUrl, warnings);
  w.finish();
  return feed;
}
