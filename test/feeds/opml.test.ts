import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { decodeHtmlEntities, parseOpml, toOpml, type OpmlExportFeed } from '../../src/feeds/opml.ts';

const fixture = readFileSync(new URL('../fixtures/opml/feed-reader-export.opml', import.meta.url), 'utf8');

describe('parseOpml on a feed-reader export', () => {
  const { feeds, errors } = parseOpml(fixture);

  it('reads every feed once, in document order, with nested folders as category paths', () => {
    expect(feeds.map((f) => [f.url, f.category])).toEqual([
      ['https://www.justice.gov/feeds/opa/justice-news.xml', ['Frontera', 'Oficiales']],
      ['https://comunicados.example.org/prensa.rss', ['Frontera', 'Oficiales']],
      ['https://www.animalpolitico.com/feed/', ['Frontera', 'Medios']],
      ['http://www.proceso.com.mx/rss/', ['Frontera', 'Medios']],
      ['https://insightcrime.org/feed/', ['Border & Wires']],
      ['https://mexiconewsdaily.com/feed/', ['Outlets', 'English']],
    ]);
  });

  it('decodes entities in titles, including double-escaped ones, and falls back to title', () => {
    const byUrl = new Map(feeds.map((f) => [f.url, f]));
    expect(byUrl.get('https://comunicados.example.org/prensa.rss')!.title).toBe('Comunicados éxito & prensa');
    expect(byUrl.get('https://www.animalpolitico.com/feed/')).toEqual({
      url: 'https://www.animalpolitico.com/feed/',
      title: 'Animal Político',
      htmlUrl: 'https://www.animalpolitico.com/',
      category: ['Frontera', 'Medios'],
    });
    expect(byUrl.get('http://www.proceso.com.mx/rss/')!.title).toBe('Proceso — Nacional');
  });

  it('reports broken outlines without dropping the rest', () => {
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('Sin feed URL');
    expect(errors[1]).toMatch(/Mal enlace.*javascript:alert\(1\).*not an http\(s\) URL/);
  });
});

describe('parseOpml tolerance', () => {
  it('reads OPML 1.0 with upper-case tags and any outline that has an xmlUrl', () => {
    const r = parseOpml('<OPML version="1.0"><BODY><outline TEXT="Sin tipo" XMLURL="https://a.example/rss"/></BODY></OPML>');
    expect(r).toEqual({ feeds: [{ url: 'https://a.example/rss', title: 'Sin tipo' }], errors: [] });
  });

  it('survives missing attributes and outlines without any title', () => {
    const r = parseOpml('<opml version="2.0"><body><outline><outline xmlUrl="https://b.example/feed"/></outline><outline/></body></opml>');
    expect(r).toEqual({ feeds: [{ url: 'https://b.example/feed' }], errors: [] });
  });

  it('reports documents that are not OPML or not XML', () => {
    expect(parseOpml('<rss><channel/></rss>').errors[0]).toMatch(/not an OPML document/);
    expect(parseOpml('<opml><head/></opml>').errors[0]).toMatch(/no <body>/);
    const broken = parseOpml('<opml><body><outline text="a" xmlUrl="https://x/');
    expect(broken.feeds).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    expect(parseOpml('').feeds).toEqual([]);
  });

  it('decodes the Latin-1 and typographic entities Spanish titles use', () => {
    expect(decodeHtmlEntities('&Ntilde;o&ntilde;o &aacute;&eacute;&iacute;&oacute;&uacute;&uuml; &iquest;qu&eacute;? &ldquo;x&rdquo; &yuml; &bogus;')).toBe(
      'Ñoño áéíóúü ¿qué? “x” ÿ &bogus;',
    );
  });
});

describe('toOpml', () => {
  const feeds: OpmlExportFeed[] = [
    { url: 'https://www.justice.gov/feeds/opa/justice-news.xml', title: 'DOJ "Justice News" <OPA> & friends', htmlUrl: 'https://www.justice.gov/news', tier: 'official', language: 'en', category: ['Estados Unidos', 'Oficiales'] },
    { url: 'https://www.animalpolitico.com/feed/?a=1&b=2', title: 'Animal Político — Seguridad', tier: 'outlet', language: 'es', category: ['México'] },
    { url: 'https://insightcrime.org/feed/', title: 'InSight Crime', tier: 'commentary', language: 'en' },
    { url: 'https://example.org/dhs.xml', title: 'DHS: «Niñez» y frontera', tier: 'official', language: 'en', category: ['Estados Unidos', 'Oficiales'] },
  ];
  const xml = toOpml(feeds, { title: 'Frontera: fuentes & feeds', dateCreated: new Date('2025-03-01T12:30:00Z') });

  it('writes well-formed OPML 2.0 with escaped attributes and an RFC 822 date', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<opml version="2.0"');
    expect(xml).toContain('<title>Frontera: fuentes &amp; feeds</title>');
    expect(xml).toContain('<dateCreated>Sat, 01 Mar 2025 12:30:00 GMT</dateCreated>');
    expect(xml).toContain('text="DOJ &quot;Justice News&quot; &lt;OPA&gt; &amp; friends"');
    expect(xml).toContain('xmlUrl="https://www.animalpolitico.com/feed/?a=1&amp;b=2"');
    expect(xml).toContain('Animal Político — Seguridad');
  });

  it('round-trips through parseOpml, grouping feeds under one folder per path', () => {
    const back = parseOpml(xml);
    expect(back.errors).toEqual([]);
    const expected = feeds.map((f) => ({ ...f, category: f.category }));
    // Folders gather their feeds, so the DHS feed comes back next to the DOJ one.
    expect(back.feeds).toEqual([expected[0], expected[3], expected[1], { ...expected[2], category: undefined }].map(stripUndefined));
    expect(xml.match(/text="Estados Unidos"/g)).toHaveLength(1);
  });

  it('keeps titles with control characters and line breaks well-formed', () => {
    const odd = toOpml([{ url: 'https://x.example/f', title: 'a\u0001b\nc\td' }], { title: 't\u0000', dateCreated: new Date(0) });
    expect(XMLValidator.validate(odd)).toBe(true);
    expect(parseOpml(odd).feeds[0]!.title).toBe('ab c d');
  });
});

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
