/**
 * Text-level fixes applied to a decoded XML feed before an XML parser sees it. Each one exists because
 * real feeds break strict parsers in that way:
 * - internal DTD subsets (strict parsers refuse, and entity bombs hide there), so the DTD is cut out and
 *   its simple entities are expanded here, one level deep and under a size budget;
 * - HTML named entities (&nbsp; &eacute;) that XML does not know, turned into numeric references;
 * - bare ampersands in URLs, escaped;
 * - Atom type="xhtml" content, which generic XML-to-object parsers scramble, wrapped in CDATA so it
 *   arrives as the original markup.
 * Every pass is linear in the document and skipped when a cheap test shows it has nothing to do.
 */
import { decodeHTMLStrict } from 'entities';

/** Budget for text added by DTD entity expansion: a billion-laughs document gets nothing past this. */
const ENTITY_EXPANSION_BUDGET = 1 << 20;

export interface PreparedXml {
  xml: string;
  /** Local name of the root element as written (prefix kept), or null when there is none. */
  root: string | null;
  warnings: string[];
}

const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Finds where the prolog (declaration, comments, PIs, doctype) ends and the root start tag begins. */
function findRoot(s: string): { index: number; name: string } | null {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt === -1) return null;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end === -1) return null;
      i = end + 3;
    } else if (s.startsWith('<?', lt)) {
      const end = s.indexOf('?>', lt + 2);
      if (end === -1) return null;
      i = end + 2;
    } else if (s.startsWith('<!', lt)) {
      i = doctypeEnd(s, lt);
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(lt, lt + 200));
      if (m) return { index: lt, name: m[1] };
      i = lt + 1;
    }
  }
  return null;
}

/** End of a <!DOCTYPE ...> declaration, skipping an internal subset in brackets. */
function doctypeEnd(s: string, start: number): number {
  let i = start + 2;
  let quote = '';
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth = Math.max(0, depth - 1);
    } else if (c === '>' && depth === 0) {
      return i + 1;
    }
  }
  return s.length;
}

/** Reads <!ENTITY name "value"> declarations (general, internal, not parameter entities). */
function readEntities(doctype: string, warnings: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(doctype)) !== null) {
    const name = m[1];
    const value = m[2] ?? m[3] ?? '';
    if (out.has(name) || PREDEFINED.has(name)) continue;
    // Only simple entities: a value that refers to other general entities is how entity bombs nest,
    // and expanding it "just one level" would still leave references no parser knows.
    if (/&(?!#)(?!(?:amp|lt|gt|quot|apos);)/.test(value)) {
      warnings.push(`entity "${name}" refers to other entities; not expanded`);
      out.set(name, '');
      continue;
    }
    // The value is text: escape markup and quotes so it cannot inject elements or end an attribute.
    out.set(name, value.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
  }
  return out;
}

/** Decodes an HTML named entity to numeric character references, or null if HTML has no such name. */
function htmlEntityToNumeric(name: string): string | null {
  const decoded = decodeHTMLStrict(`&${name};`);
  if (decoded === `&${name};`) return null;
  let out = '';
  for (const ch of decoded) out += `&#${ch.codePointAt(0)};`;
  return out;
}

/** Any ampersand that does not start a reference an XML parser accepts without a DTD. */
const NEEDS_ENTITY_PASS = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const ENTITY_PASS = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|&(?:([A-Za-z_][\w.-]*);|(#[0-9]+;|#[xX][0-9a-fA-F]+;))?/g;
const INVALID_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Rewrites entity references so a DTD-less XML parser accepts them; see the module comment. */
function fixEntities(body: string, declared: Map<string, string>, warnings: string[]): string {
  if (!NEEDS_ENTITY_PASS.test(body)) return body;
  let budget = ENTITY_EXPANSION_BUDGET;
  let overBudget = false;
  let unknown = 0;
  const out = body.replace(ENTITY_PASS, (match: string, name?: string, numeric?: string) => {
    if (match.charCodeAt(1) === 0x21) return match; // a CDATA section: its text is not entity-decoded
    if (numeric) return numeric[1] === 'X' ? `&#x${numeric.slice(2)}` : match; // HTML allows &#X41;, XML does not
    if (name === undefined) return '&amp;';
    if (PREDEFINED.has(name)) return match;
    const value = declared.get(name);
    if (value !== undefined) {
      if (value.length > budget) {
        overBudget = true;
        return '';
      }
      budget -= value.length;
      return value;
    }
    const numericRef = htmlEntityToNumeric(name);
    if (numericRef) return numericRef;
    unknown++;
    return `&amp;${name};`;
  });
  if (overBudget) warnings.push('entity expansion budget exceeded; remaining references dropped');
  if (unknown) warnings.push(`${unknown} unknown entity reference(s) kept as text`);
  return out;
}

// CDATA sections and comments are matched too, only to be skipped: a tag-like string inside them is text.
const XHTML_HOLDERS =
  /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<((?:[A-Za-z_][\w.-]*:)?(title|subtitle|tagline|content|summary|rights|copyright|info|body))((?:\s+[^\s=<>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*>/g;

/** True when a start tag's attributes mark its content as inline XHTML. */
function isXhtmlHolder(local: string, qname: string, attrs: string): boolean {
  // RSS items carry XHTML as <xhtml:body> or <body xmlns="...xhtml">, and sometimes a bare <body>.
  if (local === 'body') return qname === 'body' || qname.startsWith('xhtml:');
  const type = /\btype\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1].trim().toLowerCase();
  if (type !== 'xhtml' && type !== 'application/xhtml+xml') return false;
  const mode = /\bmode\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1].trim().toLowerCase();
  return !mode || mode === 'xml';
}

/**
 * Wraps the markup inside XHTML text constructs in CDATA (marking the start tag with frontera-xhtml="1")
 * so it reaches us as the original markup instead of an order-scrambled object tree.
 */
function wrapXhtml(body: string): string {
  if (body.indexOf('xhtml') === -1 && body.indexOf('<body') === -1) return body;
  const parts: string[] = [];
  let last = 0;
  XHTML_HOLDERS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = XHTML_HOLDERS.exec(body)) !== null) {
    const [startTag, qname, local, attrs] = m;
    if (qname === undefined || !isXhtmlHolder(local, qname, attrs)) continue;
    const innerStart = m.index + startTag.length;
    const close = body.indexOf(`</${qname}`, innerStart);
    if (close === -1) break;
    const inner = body.slice(innerStart, close);
    if (inner.indexOf('<') === -1) continue;
    parts.push(body.slice(last, m.index));
    parts.push(`<${qname}${attrs} frontera-xhtml="1">`);
    parts.push(`<![CDATA[${inner.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`);
    last = close;
    XHTML_HOLDERS.lastIndex = close;
  }
  if (last === 0) return body;
  parts.push(body.slice(last));
  return parts.join('');
}

/** Cuts the prolog down to nothing (declarations, DTD) and returns the declared entities. */
function stripProlog(s: string, rootIndex: number, warnings: string[]): { body: string; entities: Map<string, string> } {
  const prolog = s.slice(0, rootIndex);
  let entities = new Map<string, string>();
  const dt = prolog.search(/<!DOCTYPE/i);
  if (dt !== -1) {
    const end = doctypeEnd(prolog, dt);
    entities = readEntities(prolog.slice(dt, end), warnings);
  }
  // Comments and processing instructions in the prolog are harmless but the XML declaration is not
  // when a comment precedes it, so the whole prolog goes: nothing in it is feed content.
  return { body: s.slice(rootIndex), entities };
}

/**
 * Prepares decoded feed text for a strict XML parser.
 * @example prepareXml('<!DOCTYPE rss [<!ENTITY org "Frontera">]><rss><channel><title>&org; &nbsp;</title></channel></rss>').xml
 * // '<rss><channel><title>Frontera &#160;</title></channel></rss>'
 */
export function prepareXml(text: string): PreparedXml {
  const warnings: string[] = [];
  const root = findRoot(text);
  if (!root) return { xml: text, root: null, warnings };
  const { body, entities } = stripProlog(text, root.index, warnings);
  let xml = fixEntities(body, entities, warnings);
  INVALID_CHARS.lastIndex = 0;
  if (INVALID_CHARS.test(xml)) {
    xml = xml.replace(INVALID_CHARS, '');
    warnings.push('characters not allowed in XML removed');
  }
  xml = wrapXhtml(xml);
  return { xml, root: root.name, warnings };
}

/**
 * Extra repairs for a document a strict parser refused: an unterminated CDATA section, comment or final
 * tag, and raw '<' that cannot start markup. Only run on the slow path.
 */
export function repairXml(xml: string): string {
  let s = xml;
  const lastCdata = s.lastIndexOf('<![CDATA[');
  if (lastCdata !== -1 && s.indexOf(']]>', lastCdata) === -1) s += ']]>';
  const lastComment = s.lastIndexOf('<!--');
  if (lastComment !== -1 && s.indexOf('-->', lastComment) === -1) s += '-->';
  const lastLt = s.lastIndexOf('<');
  if (lastLt !== -1 && s.indexOf('>', lastLt) === -1) {
    s = /^<\/?[A-Za-z_][\w.:-]*\s*$/.test(s.slice(lastLt)) ? `${s.trimEnd()}>` : s.slice(0, lastLt);
  }
  // Unescaped HTML void elements (<br>, <img ...>) would otherwise swallow the rest of the item.
  s = s.replace(/<(br|hr|img|wbr|input|meta|link|col|area|embed|param|source|track)\b((?:[^<>"'/]|\/(?!>)|"[^"]*"|'[^']*')*)\/?>/gi, '<$1$2/>');
  // "a < b" in text: a '<' followed by something that cannot begin a tag.
  return s.replace(/<(?![A-Za-z_/!?])/g, '&lt;');
}
