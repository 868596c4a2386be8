/**
 * Element-level readers shared by the RSS, RDF, Atom and CDF mappers: text constructs (with Atom's
 * type/mode rules), links, people, categories, dates and xml:base resolution.
 */
import { isUtf8 } from 'node:buffer';
import { parseDate } from './dates.ts';
import { htmlToText } from './sanitize.ts';
import { attr, hasElements, innerMarkup, kid, kids, textOf, trimmed, type Names, type XNode } from './xml-tree.ts';

/** Collects warnings without letting a 50,000-item feed produce 50,000 of them. */
export class Warnings {
  private readonly counts = new Map<string, number>();
  constructor(private readonly sink: string[]) {}

  add(message: string): void {
    const n = this.counts.get(message) ?? 0;
    this.counts.set(message, n + 1);
    if (n === 0 && this.counts.size <= 20) this.sink.push(message);
  }

  /** Appends repeat counts to the messages that happened more than once. */
  finish(): void {
    for (let i = 0; i < this.sink.length; i++) {
      const n = this.counts.get(this.sink[i]);
      if (n && n > 1) this.sink[i] = `${this.sink[i]} (x${n})`;
    }
    if (this.counts.size > 20) this.sink.push(`${this.counts.size - 20} more kinds of warning`);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Strips the single <div> Atom wraps XHTML in, and namespace prefixes HTML renderers do not know. */
export function xhtmlToHtml(src: string): string {
  let s = src.trim();
  const open = /^<(?:[\w.-]+:)?div\b[^>]*>/.exec(s);
  const close = /<\/(?:[\w.-]+:)?div\s*>$/.exec(s);
  if (open && close && wrapsWhole(s)) s = s.slice(open[0].length, s.length - close[0].length);
  return s.replace(/<(\/?)[A-Za-z_][\w.-]*:([A-Za-z][\w-]*)/g, '<$1$2').trim();
}

/** True when the first <div> closes at the very end, i.e. it wraps everything. */
function wrapsWhole(s: string): boolean {
  const re = /<(\/?)(?:[\w.-]+:)?div\b[^>]*?(\/?)>/g;
  let depth = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[2]) continue;
    depth += m[1] ? -1 : 1;
    if (depth === 0) return re.lastIndex === s.length;
  }
  return false;
}

const HTML_TYPES = new Set(['html', 'text/html', 'escaped']);
const TEXT_TYPES = new Set(['text', 'text/plain', 'plain', '']);

/**
 * Reads a text construct (title, summary, content, description...) as HTML.
 * `defaultType` is what the format assumes without a type attribute: RSS carries HTML, Atom plain text.
 */
export function constructHtml(node: XNode | undefined, defaultType: 'html' | 'text'): string | null {
  if (node === undefined) return null;
  if (attr(node, 'frontera-xhtml')) return xhtmlToHtml(textOf(node)) || null;
  if (attr(node, 'src') && !trimmed(node)) return null; // Atom out-of-line content: nothing inline to show
  const type = (attr(node, 'type') ?? '').trim().toLowerCase();
  const mode = (attr(node, 'mode') ?? '').trim().toLowerCase();
  if (hasElements(node)) {
    // Markup that was not escaped: keep it as markup whatever the type says.
    const inner = innerMarkup(node);
    return inner.trim() ? xhtmlToHtml(inner) : null;
  }
  const raw = textOf(node);
  const text = mode === 'base64' ? Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8') : raw;
  if (!text.trim()) return null;
  // XHTML with no child elements is just text: its '<' were escaped in the XML and must stay text.
  if (type === 'xhtml' || type === 'application/xhtml+xml') return escapeHtml(text.trim());
  const kind = HTML_TYPES.has(type) || mode === 'escaped' ? 'html' : TEXT_TYPES.has(type) ? defaultType : type.startsWith('text/') ? 'text' : null;
  if (kind === null) return base64Text(text);
  return kind === 'html' ? text.trim() : escapeHtml(text.trim());
}

/**
 * Atom 1.0 puts other media types in base64. When that decodes to readable UTF-8 we show it (as HTML,
 * which is what publishers mean by it in practice); binary payloads are not article text.
 */
function base64Text(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, 'base64');
  if (!isUtf8(bytes)) return null;
  const decoded = bytes.toString('utf8').trim();
  return decoded && !/[\u0000-\u0008\u000e-\u001f]/.test(decoded) ? decoded : null;
}

/** Reads a text construct as plain text (feed titles). */
export function constructText(node: XNode | undefined, defaultType: 'html' | 'text'): string | null {
  const html = constructHtml(node, defaultType);
  if (html === null) return null;
  const text = htmlToText(html).replace(/\s+/g, ' ').trim();
  return text || null;
}

export interface LinkInfo {
  href: string;
  rel: string;
  type: string;
}

/** Atom-style <link rel href type> elements under the given names (text-only RSS links are skipped). */
export function linkElements(node: XNode | undefined, keys: readonly string[]): LinkInfo[] {
  const out: LinkInfo[] = [];
  for (const l of kids(node, keys)) {
    const href = attr(l, 'href')?.trim();
    if (!href) continue;
    out.push({ href, rel: (attr(l, 'rel') ?? 'alternate').trim().toLowerCase(), type: (attr(l, 'type') ?? '').trim().toLowerCase() });
  }
  return out;
}

/** The page a feed or entry points at: an HTML alternate first, then any alternate. */
export function alternateLink(links: LinkInfo[]): string | null {
  const alternates = links.filter((l) => l.rel === 'alternate');
  const html = alternates.find((l) => !l.type || l.type === 'text/html' || l.type === 'application/xhtml+xml');
  return (html ?? alternates[0])?.href ?? null;
}

/** "jane@example.com (Jane Doe)" -> "Jane Doe"; Atom <author><name> -> name; plain text as is. */
export function personName(node: XNode | undefined, names: Names): string | null {
  if (node === undefined) return null;
  if (hasElements(node)) {
    const name = trimmed(kid(node, names.core('name')));
    if (name) return name;
    return trimmed(kid(node, names.core('email')));
  }
  const t = textOf(node).replace(/\s+/g, ' ').trim();
  if (!t) return null;
  const paren = /^\S+@\S+\s*\((.+)\)$/.exec(t);
  if (paren) return paren[1].trim();
  const angle = /^(.+?)\s*<\S+@\S+>$/.exec(t);
  return angle ? angle[1].replace(/^"|"$/g, '').trim() : t;
}

/** Category labels: element text, else Atom term, else label. */
export function categoryLabels(nodes: XNode[]): string[] {
  const out: string[] = [];
  for (const c of nodes) {
    const label = trimmed(c) ?? attr(c, 'term')?.trim() ?? attr(c, 'label')?.trim() ?? attr(c, 'text')?.trim();
    if (label) out.push(label);
  }
  return out;
}

/**
 * The first readable date among candidate elements, in priority order. Unreadable ones become one
 * warning each instead of failing the feed (rss-parser throws on a single bad Atom date).
 */
export function firstDate(candidates: (XNode | string | undefined)[], warnings: Warnings): Date | null {
  for (const c of candidates) {
    const raw = typeof c === 'string' ? c.trim() : trimmed(c);
    if (!raw) continue;
    const d = parseDate(raw);
    if (d) return d;
    warnings.add(`unreadable date "${raw.slice(0, 60)}"`);
  }
  return null;
}

/** Resolves xml:base (or any URL) against a parent base; keeps the raw value when it cannot be made absolute. */
export function resolveBase(value: string | undefined | null, parent: string | null): string | null {
  const v = value?.trim();
  if (!v) return parent;
  try {
    return parent ? new URL(v, parent).href : new URL(v).href;
  } catch {
    return parent ?? v;
  }
}
