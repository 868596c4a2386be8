/**
 * Reading the object tree that xml2js (through rss-parser) or our tag-soup reader (xml-soup.ts)
 * produce, in xml2js's shape: every child element is an array under its qualified name, attributes under
 * `$`, text under `_`, and an element with only text and no attributes is a bare string. Names keep the
 * prefix the document used, so lookups go through Names, which knows which prefixes this document bound
 * to which namespace.
 */

export type XNode = string | XObj;
export interface XObj {
  $?: Record<string, string>;
  _?: string;
  [child: string]: unknown;
}

/** Namespace URIs we read, grouped by what they mean to a feed reader. */
export const NS = {
  atom: ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'],
  rss: [
    'http://purl.org/rss/1.0/',
    'http://my.netscape.com/rdf/simple/0.9/',
    'http://channel.netscape.com/rdf/simple/0.9/',
    'http://backend.userland.com/rss2',
    'http://backend.userland.com/rss',
    'http://blogs.law.harvard.edu/tech/rss',
  ],
  dc: ['http://purl.org/dc/elements/1.1/', 'http://purl.org/dc/elements/1.0/'],
  dcterms: ['http://purl.org/dc/terms/'],
  content: ['http://purl.org/rss/1.0/modules/content/'],
  xhtml: ['http://www.w3.org/1999/xhtml'],
  rdf: ['http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
  itunes: ['http://www.itunes.com/dtds/podcast-1.0.dtd', 'http://www.itunes.com/DTDs/Podcast-1.0.dtd'],
  media: ['http://search.yahoo.com/mrss/', 'http://search.yahoo.com/mrss'],
} as const;

export type NsName = keyof typeof NS;

/**
 * Which qualified names mean a given (namespace, local name) in this document. Built from every xmlns
 * declaration in the text, so a feed that writes <r:title> or binds Dublin Core to "foo" still reads.
 */
export class Names {
  private readonly prefixesByUri = new Map<string, Set<string>>();
  private readonly boundPrefixes = new Set<string>();
  // Lookups run a few dozen times per item on feeds with tens of thousands of items: cache by group.
  private readonly coreCache = new Map<string, string[]>();
  private readonly nsCache = new Map<NsName, Map<string, string[]>>();

  constructor(xml: string) {
    const re = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(xml)) !== null) {
      const uri = (m[2] ?? m[3] ?? '').trim();
      this.boundPrefixes.add(m[1]);
      let set = this.prefixesByUri.get(uri);
      if (!set) this.prefixesByUri.set(uri, (set = new Set()));
      set.add(m[1]);
    }
  }

  /** Qualified names for `local` in the core feed vocabulary: unprefixed, or any RSS/Atom prefix. */
  core(local: string): string[] {
    let keys = this.coreCache.get(local);
    if (!keys) {
      keys = [...new Set([local, ...this.prefixed([...NS.rss, ...NS.atom], local)])];
      this.coreCache.set(local, keys);
    }
    return keys;
  }

  /**
   * Qualified names for `local` in a module namespace. The conventional prefix also counts when the
   * document never declared it, because feeds often forget (undeclared "dc:" is common).
   */
  ns(name: NsName, local: string): string[] {
    let byLocal = this.nsCache.get(name);
    if (!byLocal) this.nsCache.set(name, (byLocal = new Map()));
    let keys = byLocal.get(local);
    if (!keys) {
      keys = this.prefixed(NS[name], local);
      if (!this.boundPrefixes.has(name)) keys.push(`${name}:${local}`);
      keys = [...new Set(keys)];
      byLocal.set(local, keys);
    }
    return keys;
  }

  private prefixed(uris: readonly string[], local: string): string[] {
    const keys: string[] = [];
    for (const uri of uris) for (const p of this.prefixesByUri.get(uri) ?? []) keys.push(`${p}:${local}`);
    return keys;
  }
}

/** All child elements of `node` under any of `keys`, in key order. */
export function kids(node: XNode | undefined, keys: readonly string[]): XNode[] {
  if (!node || typeof node !== 'object') return [];
  let out: XNode[] | null = null;
  for (const k of keys) {
    const v = node[k];
    if (v === undefined) continue;
    const arr = Array.isArray(v) ? (v as XNode[]) : [v as XNode];
    out = out ? out.concat(arr) : arr;
  }
  return out ?? [];
}

/** The first child element under any of `keys`. */
export function kid(node: XNode | undefined, keys: readonly string[]): XNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  for (const k of keys) {
    const v = node[k];
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined && first !== null) return first as XNode;
  }
  return undefined;
}

/** An attribute value, or undefined. */
export function attr(node: XNode | undefined, name: string): string | undefined {
  if (!node || typeof node !== 'object' || !node.$) return undefined;
  const v = node.$[name];
  return typeof v === 'string' ? v : undefined;
}

/** True when an object node has child elements (not just text and attributes). */
export function hasElements(node: XNode): boolean {
  if (typeof node !== 'object') return false;
  for (const k in node) if (k !== '$' && k !== '_') return true;
  return false;
}

/** The element's own text (for an element with child elements, only its direct text). */
export function textOf(node: XNode | undefined): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && typeof node._ === 'string') return node._;
  return '';
}

/** Trimmed text, or null when empty. */
export function trimmed(node: XNode | undefined): string | null {
  const t = textOf(node).trim();
  return t ? t : null;
}

function escapeXml(s: string, attrValue = false): string {
  const t = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attrValue ? t.replace(/"/g, '&quot;') : t;
}

const MAX_DEPTH = 64;

/**
 * Re-serializes the children of an element that held unescaped markup (invalid in RSS, common anyway).
 * Text comes first and children follow in name order: the tree no longer knows the original
 * interleaving, which is acceptable for the rare feeds that do this.
 */
export function innerMarkup(node: XNode, depth = 0): string {
  if (typeof node === 'string') return escapeXml(node);
  const parts: string[] = [];
  if (typeof node._ === 'string') parts.push(escapeXml(node._));
  if (depth >= MAX_DEPTH) return parts.join('');
  for (const key of Object.keys(node)) {
    if (key === '$' || key === '_') continue;
    const value = node[key];
    const list = Array.isArray(value) ? value : [value];
    const tag = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
    for (const child of list as XNode[]) {
      const attrs = typeof child === 'object' && child.$ ? Object.entries(child.$).filter(([n]) => !n.startsWith('xmlns')) : [];
      const attrText = attrs.map(([n, v]) => ` ${n}="${escapeXml(String(v), true)}"`).join('');
      const inner = innerMarkup(child, depth + 1);
      parts.push(inner ? `<${tag}${attrText}>${inner}</${tag}>` : `<${tag}${attrText} />`);
    }
  }
  return parts.join('');
}
