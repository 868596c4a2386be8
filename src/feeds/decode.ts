/**
 * Bytes -> text for feed documents.
 *
 * Order of evidence (first that applies wins): byte order mark; the HTTP charset (RFC 3023: for XML media
 * types the charset parameter beats the document); the XML declaration; BOM-less UTF-16/32 sniffing;
 * "is it valid UTF-8"; windows-1252. Labels are lenient the way browsers are: latin-1 and us-ascii are
 * read as windows-1252 (a superset that also maps the "smart quotes" such feeds really contain), and an
 * unknown label is ignored rather than fatal.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** The decoded document and how we decided. */
export interface DecodedDocument {
  text: string;
  /** Canonical name of the encoding used, e.g. 'utf-8', 'windows-1252', 'big5'. */
  encoding: string;
  /** Which evidence chose the encoding. */
  source: 'bom' | 'http' | 'xml-declaration' | 'sniff' | 'default';
  /** Things a careful reader would want to know (bogus labels, invalid bytes). */
  warnings: string[];
}

type Bom = { encoding: string; length: number };

/** Reads a byte order mark; UTF-32 is checked before UTF-16 because FF FE 00 00 starts both. */
function readBom(b: Uint8Array): Bom | null {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 4 };
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** Recognizes a BOM-less UTF-16/32 document by the zero bytes around its first '<' (XML spec, appendix F). */
function sniffWide(b: Uint8Array): string | null {
  if (b.length < 4) return null;
  const [a, c, d, e] = [b[0], b[1], b[2], b[3]];
  if (a === 0x3c && c === 0 && d === 0 && e === 0) return 'utf-32le';
  if (a === 0 && c === 0 && d === 0 && e === 0x3c) return 'utf-32be';
  if (a === 0x3c && c === 0 && e === 0) return 'utf-16le';
  if (a === 0 && c === 0x3c && d === 0) return 'utf-16be';
  return null;
}

const ALIASES = new Map<string, string>(Object.entries({
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  // Browsers read these as windows-1252; feeds labelled latin-1 routinely contain 0x80-0x9F quotes.
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  l1: 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'windows-1252': 'windows-1252',
  // GBK is a superset of GB2312 and what servers labelled gb2312 actually send.
  gb2312: 'gbk',
  'x-gbk': 'gbk',
  'x-euc-kr': 'euc-kr',
  ks_c_5601: 'euc-kr',
  'ks_c_5601-1987': 'euc-kr',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  'ms_kanji': 'shift_jis',
  'big5-hkscs': 'big5hkscs',
  'x-mac-roman': 'macintosh',
  'utf-16': 'utf-16',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
  'utf-32': 'utf-32',
}));

/** Maps a charset label to an encoding we can decode, or null when the label is unknown or unusable. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const name = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  if (!name || name.length > 40) return null;
  const mapped = ALIASES.get(name) ?? name;
  if (mapped === 'utf-8' || mapped === 'utf-16' || mapped === 'utf-32') return mapped;
  return iconv.encodingExists(mapped) ? mapped : null;
}

interface MediaType {
  type: string;
  charset: string | null;
}

/** Parses "text/xml; charset=\"utf-8\"" leniently (spaces, quotes, bogus parameters). */
export function parseContentType(contentType: string | null | undefined): MediaType | null {
  if (!contentType) return null;
  const [head, ...params] = contentType.split(';');
  const type = head.trim().toLowerCase();
  let charset: string | null = null;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*(.*)$/i.exec(p);
    if (m) charset = m[1].trim().replace(/^["']|["']$/g, '').trim() || null;
  }
  return { type, charset };
}

/** RFC 3023 families: text/xml ignores the document's own declaration; application/xml honours it. */
function mediaFamily(type: string): 'text-xml' | 'app-xml' | 'other' {
  if (type === 'text/xml' || type === 'text/xml-external-parsed-entity' || /^text\/[^/]+\+xml$/.test(type)) return 'text-xml';
  if (
    type === 'application/xml' ||
    type === 'application/xml-dtd' ||
    type === 'application/xml-external-parsed-entity' ||
    /^application\/[^/]+\+xml$/.test(type)
  ) {
    return 'app-xml';
  }
  return 'other';
}

/** Reads encoding="..." from an XML declaration in ASCII-compatible bytes. */
function declaredEncoding(b: Uint8Array): string | null {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 1024)).toString('latin1');
  const m = /<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(head);
  return m ? m[1] : null;
}

/** Picks the decoder for a multi-byte Unicode label, using sniffing to settle byte order. */
function settleUnicode(enc: string, b: Uint8Array): string {
  if (enc === 'utf-16') return sniffWide(b) === 'utf-16be' ? 'utf-16be' : 'utf-16le';
  if (enc === 'utf-32') return sniffWide(b) === 'utf-32be' ? 'utf-32be' : 'utf-32le';
  return enc;
}

function decodeWith(enc: string, b: Uint8Array): string {
  if (enc === 'utf-8') return new TextDecoder('utf-8').decode(b);
  if (enc === 'utf-16le') return new TextDecoder('utf-16le').decode(b);
  return iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), enc);
}

/**
 * Decides what to do with bytes that are not valid UTF-8 but were labelled UTF-8: mostly-valid text with
 * a stray bad byte keeps UTF-8 (with U+FFFD), text with no multi-byte sequences at all is really legacy.
 */
function utf8LooksMislabelled(b: Uint8Array): boolean {
  let good = 0;
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 0x80) continue;
    const need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c <= 0xdf ? 1 : -1;
    let ok = need > 0 && i + need < b.length;
    for (let k = 1; ok && k <= need; k++) ok = (b[i + k] & 0xc0) === 0x80;
    if (ok) {
      good++;
      i += need;
    } else {
      bad++;
    }
  }
  return bad > good;
}

function hasHighBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return true;
  return false;
}

/** Cuts junk before the document proper and rewrites the XML declaration so nothing decodes twice. */
export function cleanDocumentText(text: string): string {
  let s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lt = s.indexOf('<');
  const brace = s.indexOf('{');
  if (brace !== -1 && (lt === -1 || brace < lt) && /^\{\s*"/.test(s.slice(brace, brace + 64))) {
    s = s.slice(brace);
  } else if (lt > 0) {
    s = s.slice(lt);
  }
  if (s.startsWith('<?xml')) {
    const end = s.indexOf('?>');
    if (end !== -1 && end < 512) {
      const decl = s.slice(0, end).replace(/\s+encoding\s*=\s*(["'])[^"']*\1/, '');
      s = decl + s.slice(end);
    }
  }
  return s;
}

/** Chooses the encoding and source from BOM, HTTP charset, declaration and sniffing. */
function chooseEncoding(b: Uint8Array, contentType: string | null | undefined, warnings: string[]): { enc: string; source: DecodedDocument['source']; bomLength: number } {
  const bom = readBom(b);
  if (bom) return { enc: bom.encoding, source: 'bom', bomLength: bom.length };

  const wide = sniffWide(b);
  const media = parseContentType(contentType);
  if (media?.charset) {
    const enc = normalizeCharset(media.charset);
    if (enc) {
      // A wide label on ASCII-compatible bytes (or the reverse) is a lie the bytes can disprove.
      const labelWide = /^utf-(16|32)/.test(enc);
      if (labelWide === Boolean(wide)) return { enc: settleUnicode(enc, b), source: 'http', bomLength: 0 };
      warnings.push(`HTTP charset "${media.charset}" does not match the bytes; ignored`);
    } else {
      warnings.push(`unknown HTTP charset "${media.charset}"; ignored`);
    }
  }
  if (wide) return { enc: wide, source: 'sniff', bomLength: 0 };

  // text/xml without a charset is us-ascii by RFC 3023, which beats the declaration. Being lenient, we
  // read it as UTF-8 when the bytes are UTF-8 (us-ascii is a subset) and only then consult the declaration.
  const textXmlDefault = media !== null && !media.charset && mediaFamily(media.type) === 'text-xml';
  if (textXmlDefault && isUtf8(b)) return { enc: 'utf-8', source: 'http', bomLength: 0 };
  const label = declaredEncoding(b);
  if (label) {
    const enc = normalizeCharset(label);
    // A UTF-16 declaration on ASCII-compatible bytes means the document was transcoded without fixing it.
    if (enc && !/^utf-(16|32)/.test(enc)) return { enc, source: 'xml-declaration', bomLength: 0 };
    if (!enc) warnings.push(`unknown XML declaration encoding "${label}"; ignored`);
  }
  return { enc: isUtf8(b) ? 'utf-8' : 'windows-1252', source: 'default', bomLength: 0 };
}

/** Decodes feed bytes to text. Never throws: an undecodable document still comes back as best-effort text. */
export function decodeDocument(bytes: Uint8Array, contentType?: string | null): DecodedDocument {
  const warnings: string[] = [];
  const choice = chooseEncoding(bytes, contentType, warnings);
  let { enc } = choice;
  const body = choice.bomLength ? bytes.subarray(choice.bomLength) : bytes;
  // Servers and CMSs label UTF-8 feeds "ISO-8859-1" all the time. Non-ASCII bytes that happen to form
  // valid UTF-8 are vanishingly rare in real windows-1252 text, so the bytes win over such a label.
  if (enc === 'windows-1252' && hasHighBytes(body) && isUtf8(body)) {
    warnings.push(`document labelled ${choice.source === 'http' ? 'by HTTP' : 'in its declaration'} as a single-byte charset is UTF-8; read as utf-8`);
    enc = 'utf-8';
  }
  if (enc === 'utf-8' && choice.source !== 'default' && !isUtf8(body)) {
    if (utf8LooksMislabelled(body)) {
      warnings.push('document labelled utf-8 is not; read as windows-1252');
      enc = 'windows-1252';
    } else {
      warnings.push('invalid utf-8 byte sequences replaced');
    }
  }
  let text: string;
  try {
    text = decodeWith(enc, body);
  } catch {
    warnings.push(`could not decode as ${enc}; read as windows-1252`);
    enc = 'windows-1252';
    text = decodeWith(enc, body);
  }
  return { text: cleanDocumentText(text), encoding: enc, source: choice.source, warnings };
}

/** Shorthand for decodeDocument(...).text. */
export function decodeText(bytes: Uint8Array, contentType?: string | null): string {
  return decodeDocument(bytes, contentType).text;
}
