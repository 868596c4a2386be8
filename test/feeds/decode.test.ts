import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cleanDocumentText, decodeDocument, decodeText, normalizeCharset, parseContentType } from '../../src/feeds/decode.ts';

const SPANISH = '<rss><channel><title>Extradición en Mazatlán: “el Güero” ñ</title></channel></rss>';

function withBom(bom: number[], body: Buffer): Uint8Array {
  return Buffer.concat([Buffer.from(bom), body]);
}

describe('decodeDocument', () => {
  it('reads each byte order mark and strips it', () => {
    const cases: [number[], string][] = [
      [[0xef, 0xbb, 0xbf], 'utf-8'],
      [[0xff, 0xfe], 'utf-16le'],
      [[0xfe, 0xff], 'utf-16be'],
      [[0xff, 0xfe, 0, 0], 'utf-32le'],
      [[0, 0, 0xfe, 0xff], 'utf-32be'],
    ];
    for (const [bom, enc] of cases) {
      const doc = decodeDocument(withBom(bom, iconv.encode(SPANISH, enc)));
      expect(doc.encoding).toBe(enc);
      expect(doc.source).toBe('bom');
      expect(doc.text).toBe(SPANISH);
    }
  });

  it('sniffs BOM-less UTF-16 and UTF-32 from the zero bytes around "<"', () => {
    for (const enc of ['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be']) {
      const doc = decodeDocument(iconv.encode(`<?xml version="1.0" encoding="${enc}"?>${SPANISH}`, enc));
      expect(doc.encoding).toBe(enc);
      expect(doc.text).toContain('Mazatlán');
    }
  });

  it('uses the HTTP charset over the XML declaration (RFC 3023)', () => {
    const bytes = iconv.encode(`<?xml version="1.0" encoding="utf-8"?>${SPANISH}`, 'windows-1252');
    const doc = decodeDocument(bytes, 'application/rss+xml; charset="ISO-8859-1"');
    expect(doc.source).toBe('http');
    expect(doc.text).toContain('Extradición en Mazatlán: “el Güero”');
  });

  it('uses the XML declaration when HTTP gives no charset', () => {
    const bytes = iconv.encode(`<?xml version="1.0" encoding="ISO-8859-1"?>${SPANISH}`, 'windows-1252');
    const doc = decodeDocument(bytes, 'application/xml');
    expect(doc.source).toBe('xml-declaration');
    expect(doc.text).toContain('Mazatlán');
  });

  it('reads text/xml without charset as UTF-8 when the bytes are UTF-8, else by declaration', () => {
    const utf8 = decodeDocument(Buffer.from(`<?xml version="1.0" encoding="iso-8859-1"?>${SPANISH}`), 'text/xml');
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.text).toContain('Güero');
    const latin = decodeDocument(iconv.encode(`<?xml version="1.0" encoding="iso-8859-1"?>${SPANISH}`, 'latin1'), 'text/xml');
    expect(latin.text).toContain('Güero');
  });

  it('decodes legacy multi-byte encodings through iconv-lite', () => {
    const cases: [string, string][] = [
      ['big5', '中文新聞'],
      ['euc-kr', '한국어 뉴스'],
      ['gb2312', '边境安全'],
      ['shift_jis', '日本語のニュース'],
    ];
    for (const [enc, words] of cases) {
      const bytes = iconv.encode(`<?xml version="1.0" encoding="${enc}"?><rss><channel><title>${words}</title></channel></rss>`, enc);
      expect(decodeText(bytes)).toContain(words);
    }
  });

  it('falls back gracefully on bogus charset names', () => {
    const bytes = Buffer.from(`<?xml version="1.0" encoding="bogus-9"?>${SPANISH}`);
    const doc = decodeDocument(bytes, 'text/xml; charset=not-a-charset');
    expect(doc.encoding).toBe('utf-8');
    expect(doc.text).toContain('Mazatlán');
    expect(doc.warnings.join(' ')).toMatch(/unknown/);
  });

  it('reads undeclared non-UTF-8 bytes as windows-1252', () => {
    const doc = decodeDocument(iconv.encode(SPANISH, 'windows-1252'));
    expect(doc.encoding).toBe('windows-1252');
    expect(doc.text).toBe(SPANISH);
  });

  it('treats a document mislabelled utf-8 with no valid multi-byte sequence as windows-1252', () => {
    const doc = decodeDocument(iconv.encode(`<?xml version="1.0" encoding="utf-8"?>${SPANISH}`, 'windows-1252'));
    expect(doc.encoding).toBe('windows-1252');
    expect(doc.text).toContain('Extradición');
  });

  it('trusts valid UTF-8 bytes over a single-byte label, the most common mislabel', () => {
    const doc = decodeDocument(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${SPANISH}`), 'application/rss+xml; charset=iso-8859-1');
    expect(doc.encoding).toBe('utf-8');
    expect(doc.text).toContain('Extradición en Mazatlán: “el Güero”');
    expect(doc.warnings.join(' ')).toMatch(/is UTF-8/);
  });

  it('strips junk before the root and the encoding from the XML declaration', () => {
    const bytes = withBom([0xef, 0xbb, 0xbf], Buffer.from(`\n\n  Warning: cache miss\n<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?><rss/>`));
    const text = decodeText(bytes);
    expect(text).toBe('<?xml version="1.0" standalone="yes"?><rss/>');
  });

  it('keeps JSON documents starting at their brace', () => {
    expect(cleanDocumentText('\ufeff  {"version": "https://jsonfeed.org/version/1.1"}')).toBe('{"version": "https://jsonfeed.org/version/1.1"}');
  });
});

describe('charset helpers', () => {
  it('parses content types with quotes, spaces and bogus parameters', () => {
    expect(parseContentType('text/xml;charset= "us-ascii"')).toEqual({ type: 'text/xml', charset: 'us-ascii' });
    expect(parseContentType('text/xml; charset:iso-8859-1')).toEqual({ type: 'text/xml', charset: null });
    expect(parseContentType(null)).toBeNull();
  });

  it('normalizes labels and rejects unknown ones', () => {
    expect(normalizeCharset('ISO-8859-1')).toBe('windows-1252');
    expect(normalizeCharset('UTF8')).toBe('utf-8');
    expect(normalizeCharset('gb2312')).toBe('gbk');
    expect(normalizeCharset('klingon')).toBeNull();
  });
});
