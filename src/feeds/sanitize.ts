/**
 * Feed HTML is untrusted and ends up in chat messages and on the dashboard. sanitizeHtml keeps a small
 * allowlist of formatting markup and absolute http(s)/mailto links; htmlToText gives the plain text that
 * the newsroom engine reads.
 *
 * The sanitizer is safe by construction: htmlparser2 only tokenizes, and the output is written from
 * scratch out of allowlisted tag names, allowlisted attributes with escaped values, and escaped text.
 * Nothing from the input is copied through verbatim, so no parser quirk can smuggle markup out.
 * (sanitize-html does the same job but costs ~55 us per call in option set-up; a 20,000-item feed
 * would spend a second there.)
 */
import { Parser } from 'htmlparser2';
import { decodeHTML } from 'entities';

/** Tags kept (attributes per tag below); every other tag is dropped and its text kept. */
const ALLOWED_ATTRS = new Map<string, readonly string[]>(Object.entries({
  a: ['href', 'title', 'hreflang'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  acronym: ['title'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
}));
for (const tag of [
  'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'br', 'caption', 'center', 'cite', 'code', 'dd',
  'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hr', 'i', 'kbd', 'li', 'mark', 'p', 'pre', 's', 'samp', 'section', 'small', 'span',
  'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'tt', 'u', 'ul',
  'var', 'wbr',
]) {
  if (!ALLOWED_ATTRS.has(tag)) ALLOWED_ATTRS.set(tag, []);
}
/** Attributes allowed on every kept tag. */
const GLOBAL_ATTRS = ['lang', 'dir'];
const VOID = new Set(['br', 'hr', 'img', 'wbr', 'col']);

/**
 * Elements whose content is code, media fallbacks or form widgets rather than article text: dropped with
 * everything inside. Several (noscript, noembed, noframes, iframe, xmp) are raw text to a browser but
 * markup to htmlparser2; dropping their whole content makes that difference irrelevant. Void elements
 * (embed, meta, link, base, param, source, frame) are not listed: they have no content, and are dropped
 * like any tag outside the allowlist.
 */
const DROP_WITH_CONTENT = new Set([
  'script', 'style', 'template', 'noscript', 'noembed', 'noframes', 'iframe', 'frameset', 'object',
  'applet', 'xmp', 'plaintext', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'svg', 'math',
  'head', 'title', 'audio', 'video', 'canvas', 'map',
]);

const URL_ATTRS = new Set(['href', 'src', 'cite']);
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const MEDIA_SCHEMES = new Set(['http:', 'https:']);

/** Resolves a URL attribute to an absolute allowed URL, or null to drop it. */
export function safeUrl(value: string, baseUrl: string | null | undefined, schemes: ReadonlySet<string> = LINK_SCHEMES): string | null {
  // Control characters and whitespace inside a scheme are how "java\tscript:" sneaks past naive checks;
  // the WHATWG parser strips them the way browsers do, so we judge the parsed protocol, not the text.
  const raw = value.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = baseUrl ? new URL(raw, baseUrl) : new URL(raw);
  } catch {
    return null;
  }
  if (!schemes.has(url.protocol)) return null;
  return url.href;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

interface Open {
  name: string;
  /** We wrote its start tag (so we owe a closing tag). */
  emitted: boolean;
  /** Its content is being dropped. */
  drops: boolean;
}

/** htmlparser2 callbacks that rebuild allowlisted markup for one document. */
class Rebuilder {
  out: string[] = [];
  /** The plain text of what is kept, with the line breaks htmlToText would give the rebuilt markup. */
  text: string[] = [];
  stack: Open[] = [];
  dropping = 0;

  constructor(private readonly base: string | null) {}

  onopentag(name: string, attribs: Record<string, string>): void {
    const drops = DROP_WITH_CONTENT.has(name);
    // A Map, not an object: tag names such as "constructor" must not find inherited properties.
    const allowed = ALLOWED_ATTRS.get(name);
    const emitted = this.dropping === 0 && !drops && allowed !== undefined;
    this.stack.push({ name, emitted, drops });
    if (drops) this.dropping++;
    if (!emitted) return;
    let tag = `<${name}`;
    for (const attr of [...allowed, ...GLOBAL_ATTRS]) {
      const value = attribs[attr];
      if (value === undefined) continue;
      const clean = URL_ATTRS.has(attr) ? safeUrl(value, this.base, name === 'img' ? MEDIA_SCHEMES : LINK_SCHEMES) : value;
      if (clean !== null) tag += ` ${attr}="${escapeAttr(clean)}"`;
    }
    if (name === 'a' && tag.includes(' href="')) tag += ' rel="nofollow noopener noreferrer"';
    this.out.push(VOID.has(name) ? `${tag} />` : `${tag}>`);
    const br = lineBreak(name, false);
    if (br) this.text.push(br);
  }

  ontext(text: string): void {
    if (this.dropping > 0) return;
    this.out.push(escapeText(text));
    this.text.push(text);
  }

  onclosetag(name: string): void {
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at].name !== name) at--;
    if (at === -1) return;
    while (this.stack.length > at) this.close(this.stack.pop()!);
  }

  finish(): string {
    while (this.stack.length) this.close(this.stack.pop()!);
    return this.out.join('');
  }

  private close(o: Open): void {
    if (o.drops) this.dropping--;
    if (o.emitted && !VOID.has(o.name)) {
      this.out.push(`</${o.name}>`);
      const br = lineBreak(o.name, true);
      if (br) this.text.push(br);
    }
  }
}

const PARSER_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
const PLAIN = /[<>&]/;

/**
 * Cleans untrusted HTML down to safe formatting markup. Relative links are resolved against `baseUrl`;
 * links that cannot be made absolute http(s)/mailto lose their href.
 * @example sanitizeHtml('<a href="/x" onclick="evil()">x</a>', 'https://example.com/') // '<a href="https://example.com/x" rel="nofollow noopener noreferrer">x</a>'
 */
export function sanitizeHtml(html: string | null | undefined, baseUrl?: string | null): string {
  if (!html) return '';
  // Most feed summaries are plain sentences; skipping the parser for them matters on 50,000-item feeds.
  if (!PLAIN.test(html)) return html.trim();
  // A fresh parser each time: htmlparser2's reset() leaves the tokenizer's "inside <script>/<title>"
  // flag set after a document that ended inside one, which breaks the next document.
  const rebuilder = new Rebuilder(baseUrl ?? null);
  new Parser(rebuilder, PARSER_OPTIONS).end(html);
  return rebuilder.finish().trim();
}

/**
 * Sanitizes like sanitizeHtml and also returns the plain text of the result (what htmlToText would give
 * for it), from the same parse: article bodies need both, and parsing each body once halves the cost.
 */
export function sanitizeHtmlWithText(html: string | null | undefined, baseUrl?: string | null): { html: string; text: string } {
  if (!html) return { html: '', text: '' };
  if (!PLAIN.test(html)) {
    const trimmed = html.trim();
    return { html: trimmed, text: tidy(trimmed) };
  }
  const simple = simpleMarkup(html);
  if (simple) return simple;
  const rebuilder = new Rebuilder(baseUrl ?? null);
  new Parser(rebuilder, PARSER_OPTIONS).end(html);
  const out = rebuilder.finish().trim();
  return { html: out, text: out ? tidy(rebuilder.text.join('').trim()) : '' };
}

/**
 * Body markup made only of bare paragraphs, line breaks and bold/italic, with well-formed entities, is
 * the commonest shape of feed HTML. Such a document is rebuilt here without the general parser, to the
 * same output: every tag is allowlisted and has no attributes, and the tags must nest properly (no
 * paragraph inside a paragraph, every tag closed in order), because that is where an HTML parser
 * starts closing elements on its own. Anything else returns null and goes through the parser.
 * (Checked against the parser path over the corpus and random documents in test/feeds/sanitize.test.ts.)
 */
const SIMPLE_DOC = /^(?:[^<>&]|&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});|<\/?(?:p|b|i|em|strong)>|<br ?\/?>)*$/;
const SIMPLE_TAG = /<(\/?)(p|b|i|em|strong)>|<br ?\/?>/g;

function simpleMarkup(html: string): { html: string; text: string } | null {
  if (!SIMPLE_DOC.test(html)) return null;
  const out: string[] = [];
  const text: string[] = [];
  const stack: string[] = [];
  SIMPLE_TAG.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = SIMPLE_TAG.exec(html)) !== null) {
    if (m.index > last) simpleText(html.slice(last, m.index), out, text);
    last = SIMPLE_TAG.lastIndex;
    const name = m[2];
    if (name === undefined) {
      out.push('<br />');
      text.push('\n');
    } else if (m[1] === '/') {
      if (stack.pop() !== name) return null;
      out.push(`</${name}>`);
      if (name === 'p') text.push('\n\n');
    } else {
      if (name === 'p' && stack.includes('p')) return null;
      stack.push(name);
      out.push(`<${name}>`);
      if (name === 'p') text.push('\n\n');
    }
  }
  if (stack.length > 0) return null;
  if (last < html.length) simpleText(html.slice(last), out, text);
  const rebuilt = out.join('').trim();
  return { html: rebuilt, text: rebuilt ? tidy(text.join('').trim()) : '' };
}

/** A run of text between simple tags: entities decoded for the text, escaped again for the markup. */
function simpleText(raw: string, out: string[], text: string[]): void {
  if (raw.indexOf('&') === -1) {
    // SIMPLE_DOC allows no < or > in text, so without & there is nothing to escape.
    out.push(raw);
    text.push(raw);
    return;
  }
  const decoded = decodeHTML(raw);
  out.push(escapeText(decoded));
  text.push(decoded);
}

/** The line break htmlToText writes for a tag: one per <br> and list item, a blank line around paragraphs and headings. */
function lineBreak(name: string, closing: boolean): string | null {
  if (name === 'br') return '\n';
  if (name === 'li') return closing ? null : '\n';
  if (!BLOCK.has(name)) return null;
  return name === 'p' || HEADING.test(name) ? '\n\n' : '\n';
}
const HEADING = /^h[1-6]$/;

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const SKIP_CONTENT = DROP_WITH_CONTENT;

/** One token of HTML: a comment, CDATA, a tag, a declaration, or a processing instruction. */
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)(?:[^<>"']|"[^"]*"|'[^']*')*>|<![^<>]*>|<\?[^<>]*>/g;

/**
 * Converts HTML (or plain text) to readable plain text: tags dropped, script/style content dropped,
 * entities decoded, whitespace collapsed, block elements and <br> turned into line breaks.
 * @example htmlToText('<p>Uno &amp; dos</p><p>tres</p>') // 'Uno & dos\n\ntres'
 */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  if (html.indexOf('<') === -1) return tidy(html.indexOf('&') === -1 ? html : decodeHTML(html));
  const parts: string[] = [];
  const lower = html.toLowerCase();
  TOKEN.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(html)) !== null) {
    if (m.index > last) parts.push(decodeHTML(html.slice(last, m.index)));
    last = TOKEN.lastIndex;
    if (m[1] !== undefined) {
      parts.push(m[1]);
      continue;
    }
    const name = m[3]?.toLowerCase();
    if (!name) continue;
    const closing = m[2] === '/';
    if (!closing && SKIP_CONTENT.has(name)) {
      const end = lower.indexOf(`</${name}`, last);
      if (end === -1) {
        last = html.length;
        break;
      }
      const gt = html.indexOf('>', end);
      last = gt === -1 ? html.length : gt + 1;
      TOKEN.lastIndex = last;
      continue;
    }
    if (name === 'br') parts.push('\n');
    else if (name === 'li') {
      if (!closing) parts.push('\n'); // one line per list item, not a blank line between them
    }
    else if (BLOCK.has(name)) parts.push(name === 'p' || HEADING.test(name) ? '\n\n' : '\n');
  }
  if (last < html.length) parts.push(decodeHTML(html.slice(last)));
  return tidy(parts.join(''));
}

/**
 * Horizontal whitespace htmlToText collapses to one space (NBSP included: this is text for reading),
 * without the plain space, which needs no work when it stands alone between words.
 */
const BLANK = '\\t\\f\\v\\r\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000';
/**
 * A whitespace gap worth rewriting: every run except a single plain space. A run starting with a
 * newline or another blank, or a space followed by more whitespace; a lone space between words fails
 * at its second character, which keeps the scan cheap on ordinary prose.
 */
const GAP = new RegExp(`[\\n${BLANK}][ \\n${BLANK}]*| [ \\n${BLANK}]+`, 'g');

/** A gap becomes a blank line when it held two newlines or more, a line break for one, else a space. */
function gapReplacement(gap: string): string {
  const first = gap.indexOf('\n');
  if (first === -1) return ' ';
  return first === gap.lastIndexOf('\n') ? '\n' : '\n\n';
}

/**
 * Collapses runs of spaces within lines and keeps at most one blank line between paragraphs, with no
 * whitespace at either end. This runs on every article body: one regular expression finds only the
 * gaps that need rewriting (a character loop over the whole text cost three times as much).
 */
function tidy(text: string): string {
  const s = text.replace(GAP, gapReplacement);
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 0x20 || s.charCodeAt(start) === 0x0a)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x0a)) end--;
  return s.slice(start, end);
}
