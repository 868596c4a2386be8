/**
 * Feed bytes -> ParsedFeed. JSON Feed goes to our own reader; XML goes through rss-parser (its xml2js
 * front end and version detection) with the fixes it needs around it:
 * - bytes are decoded by decode.ts (rss-parser ignores the XML declaration's encoding);
 * - the DTD, HTML entities and bare ampersands are dealt with by xml-prepare.ts (rss-parser throws);
 * - the raw tree is mapped by xml-feed.ts, which reads dates itself (rss-parser throws on one bad Atom
 *   date), keeps xml:base/xml:lang, and reads namespaced and CDF feeds;
 * - a document the strict parser refuses is repaired (xml-prepare.ts) and read as tag soup (xml-soup.ts)
 *   before we give up.
 */
import Parser from 'rss-parser';
import { ParseError } from '../errors.ts';
import { decodeDocument } from './decode.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import type { ParsedFeed } from './types.ts';
import { feedKind, mapXmlFeed } from './xml-feed.ts';
import { prepareXml, repairXml } from './xml-prepare.ts';
import { Names, type XNode, type XObj } from './xml-tree.ts';
import { soupTree } from './xml-soup.ts';

export interface ParseFeedOptions {
  /** HTTP Content-Type of the response, if any (charset). */
  contentType?: string | null;
  /** The document's URL: the base for a relative root xml:base. */
  url?: string;
}

const RAW = Symbol('raw tree');
type Captured = { [RAW]: XObj };

/**
 * rss-parser with its item mapping replaced: its builders lose xml:base, xml:lang and repeated links and
 * throw on bad Atom dates, so each one hands the xml2js root over to xml-feed.ts instead.
 */
class RawTreeParser extends Parser {
  buildAtomFeed(xmlObj: XObj): Captured {
    return { [RAW]: xmlObj };
  }
  buildRSS0_9(xmlObj: XObj): Captured {
    return { [RAW]: xmlObj };
  }
  buildRSS1(xmlObj: XObj): Captured {
    return { [RAW]: xmlObj };
  }
  buildRSS2(xmlObj: XObj): Captured {
    return { [RAW]: xmlObj };
  }
}

/** Strict parse through rss-parser; resolves to the xml2js result object. */
async function strictTree(xml: string): Promise<XObj> {
  // A fresh parser per document: xml2js keeps per-parse state that a failed parse can leave behind.
  const parser = new RawTreeParser({ defaultRSS: 2 });
  const out = (await parser.parseString(xml)) as unknown as Captured;
  return out[RAW];
}

const CLOUDFLARE_MARKERS = /cf-chl|challenge-platform|cf-browser-verification|cf_chl_opt|__cf_chl|<title>\s*(?:just a moment|attention required)/i;

/** A Cloudflare interstitial ("Just a moment...") served instead of the feed. */
export function isCloudflareChallenge(text: string): boolean {
  return CLOUDFLARE_MARKERS.test(text.slice(0, 100_000));
}

function notAFeed(text: string, what: string): ParseError {
  if (isCloudflareChallenge(text)) {
    return new ParseError('cloudflare', 'Cloudflare answered with a browser challenge page instead of the feed.');
  }
  return new ParseError('not_a_feed', what);
}

function looksLikeJson(text: string): boolean {
  return text.charCodeAt(0) === 0x7b /* { */ || /^\s*[[{]/.test(text.slice(0, 64));
}

/** Finds the root element in a parsed tree (the only key that is an element). */
function rootOf(tree: XObj, expected: string): { name: string; node: XNode } | null {
  if (tree[expected] !== undefined) return { name: expected, node: tree[expected] as XNode };
  for (const [name, node] of Object.entries(tree)) if (name !== '$' && name !== '_') return { name, node: node as XNode };
  return null;
}

/**
 * Parses feed bytes (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF, JSON Feed 1.0/1.1).
 * Throws ParseError: 'cloudflare' for a challenge page, 'not_a_feed' for HTML or other documents,
 * 'parse' for a feed broken beyond repair.
 */
export async function parseFeed(bytes: Uint8Array, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  try {
    return await parseDocument(bytes, opts);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    // Anything else is a bug or a resource limit (stack depth) on hostile input: still a per-feed error.
    throw new ParseError('parse', `The feed could not be read: ${firstLine(err)}`, { cause: err });
  }
}

async function parseDocument(bytes: Uint8Array, opts: ParseFeedOptions): Promise<ParsedFeed> {
  const decoded = decodeDocument(bytes, opts.contentType);
  const warnings = [...decoded.warnings];
  const text = decoded.text;
  if (!text.trim()) throw new ParseError('not_a_feed', 'The document is empty.');
  if (looksLikeJson(text)) return parseJsonFeed(text, warnings);

  const prepared = prepareXml(text);
  warnings.push(...prepared.warnings);
  if (!prepared.root) throw notAFeed(text, 'The document has no XML elements; it is not a feed.');
  const kind = feedKind(prepared.root);
  if (!kind) {
    const what = /^html$/i.test(prepared.root) ? 'The document is an HTML page, not a feed.' : `The document is XML with root <${prepared.root}>, not a feed.`;
    throw notAFeed(text, what);
  }

  let tree: XObj | null = null;
  // rss-parser recognizes only these exact root names; anything else (prefixed roots, CDF) is read leniently.
  if (prepared.root === 'rss' || prepared.root === 'feed' || prepared.root === 'rdf:RDF') {
    try {
      tree = await strictTree(prepared.xml);
    } catch (err) {
      warnings.push(`not well-formed XML (${firstLine(err)}); read leniently`);
    }
  }
  // The soup reader does not throw on bad markup; what it cannot make sense of ends as "no root" below.
  tree ??= soupTree(repairXml(prepared.xml));
  const root = rootOf(tree, prepared.root);
  if (!root) throw new ParseError('parse', 'The feed is broken beyond repair: no readable root element.');
  return mapXmlFeed(kind, root.name, root.node, new Names(prepared.xml), opts.url ?? null, warnings);
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
