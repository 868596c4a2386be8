import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.ts';
import { parseFeed } from '../../src/feeds/parser.ts';
import { feedKind } from '../../src/feeds/xml-feed.ts';
import { prepareXml, repairXml } from '../../src/feeds/xml-prepare.ts';
import { constructHtml, xhtmlToHtml } from '../../src/feeds/xml-text.ts';
import { soupTree } from '../../src/feeds/xml-soup.ts';
import { Names } from '../../src/feeds/xml-tree.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
const xml = (s: string): Buffer => Buffer.from(s, 'utf8');

async function parseError(bytes: Uint8Array): Promise<ParseError> {
  try {
    await parseFeed(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('parseFeed: RSS 2.0', () => {
  it('reads channel metadata, WebSub links and items', async () => {
    const feed = await parseFeed(fixture('border-ledger-rss2.xml'));
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'The Border Ledger – Security',
      link: 'https://borderledger.example/security/',
      selfUrl: 'https://borderledger.example/security/feed/',
      hubs: ['https://hub.borderledger.example/'],
      language: 'en-us',
      ttlMinutes: 15,
    });
    expect(feed.items).toHaveLength(2);
    const [first, second] = feed.items;
    expect(first).toMatchObject({
      guid: 'bl-2026-0105-01',
      title: 'Federal grand jury indicts three men in Sonora fentanyl pipeline',
      author: 'Dana Whitfield',
      categories: ['Fentanyl', 'Courts', 'fentanyl'],
    });
    expect(first.published?.toISOString()).toBe('2026-01-05T22:42:00.000Z');
    expect(first.contentHtml).toContain('<a href="/tags/nogales/">Nogales</a>');
    expect(first.summaryHtml).toBe('Prosecutors in Tucson say the men moved pills through the Nogales crossing.');
    expect(second.author).toBe('Marcus Reyes');
  });

  it('reads a versionless <rss>', async () => {
    const feed = await parseFeed(fixture('versionless.rss'));
    expect(feed.format).toBe('rss');
    expect(feed.items.map((i) => i.title)).toEqual(['Coast Guard seizes semisubmersible near Cozumel']);
    expect(feed.items[0].published?.toISOString()).toBe('2026-01-07T16:00:00.000Z');
  });

  it('reads RSS 0.91 and items outside the channel', async () => {
    const feed = await parseFeed(xml('<rss version="0.91"><channel><title>Old</title></channel><item><title>Loose item</title></item></rss>'));
    expect(feed.items.map((i) => i.title)).toEqual(['Loose item']);
  });

  it('reads namespaced core elements and ignores look-alikes from other namespaces', async () => {
    const feed = await parseFeed(
      xml(`<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2" xmlns:x="http://other.example/ns">
        <r:channel><r:title>Prefixed</r:title><r:item><x:description>wrong</x:description><r:title>Right title</r:title>
        <r:description>right description</r:description></r:item></r:channel></r:rss>`),
    );
    expect(feed.title).toBe('Prefixed');
    expect(feed.items[0]).toMatchObject({ title: 'Right title', summaryHtml: 'right description' });
  });
});

describe('parseFeed: Atom', () => {
  it('reads xhtml titles and content as HTML and resolves nested xml:base', async () => {
    const feed = await parseFeed(fixture('centinela-atom.xml'));
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'El Centinela del Norte — Seguridad',
      link: 'https://centinela.example/',
      selfUrl: 'https://centinela.example/noticias/atom.xml',
      hubs: ['https://pubsub.example/'],
      language: 'es-MX',
      base: 'https://centinela.example/noticias/',
    });
    const entry = feed.items[0];
    expect(entry.title).toBe('Extraditan a <em>17</em> presuntos operadores del cártel a Texas');
    expect(entry.contentHtml).toMatch(/^<p>La Fiscalía General/);
    expect(entry.contentHtml).not.toContain('xmlns');
    expect(entry.base).toBe('https://centinela.example/noticias/2026/01/');
    expect(entry.link).toBe('extradicion-17.html'); // the alternate, not the enclosure; resolved by normalize
    expect(entry.author).toBe('Redacción Centinela');
    expect(entry.categories).toEqual(['extradiciones', 'Extradiciones', 'Sinaloa']);
  });

  it('keeps every entry when some dates are unreadable, and says so', async () => {
    const feed = await parseFeed(fixture('centinela-atom.xml'));
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0].published?.toISOString()).toBe('2026-01-07T14:15:00.000Z');
    expect(feed.items[1].published).toBeNull();
    expect(feed.items[1].updated?.toISOString()).toBe('2026-01-06T18:30:00.000Z');
    expect(feed.items[2].published).toBeNull();
    expect(feed.warnings.filter((w) => w.startsWith('unreadable date'))).toHaveLength(2);
  });

  it('escapes type="text" and decodes Atom 0.3 base64 content', async () => {
    const feed = await parseFeed(
      xml(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>A &lt;b&gt; tag</title>
        <content type="text/html" mode="base64">${Buffer.from('<p>Hola <b>frontera</b></p>').toString('base64')}</content></entry></feed>`),
    );
    expect(feed.items[0].title).toBe('A &lt;b&gt; tag');
    expect(feed.items[0].contentHtml).toBe('<p>Hola <b>frontera</b></p>');
  });

  it('reads a prefixed Atom root and strips xhtml: prefixes', async () => {
    const feed = await parseFeed(
      xml(`<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:xhtml="http://www.w3.org/1999/xhtml"><a:entry><a:id>1</a:id>
        <a:title type="xhtml"><xhtml:div>Sheinbaum <xhtml:b>rejects</xhtml:b> strikes</xhtml:div></a:title></a:entry></a:feed>`),
    );
    expect(feed.items[0].title).toBe('Sheinbaum <b>rejects</b> strikes');
  });
});

describe('parseFeed: RDF and CDF', () => {
  it('reads RSS 1.0 with Dublin Core', async () => {
    const feed = await parseFeed(
      xml(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://r.example/"><title>Reporte</title><link>https://r.example/</link><dc:language>es</dc:language></channel>
        <item rdf:about="https://r.example/1"><title>Uno</title><link>https://r.example/1</link><dc:date>2026-01-02T03:04:05Z</dc:date>
        <dc:subject>Frontera</dc:subject><dc:creator>Ana Ruiz</dc:creator></item></rdf:RDF>`),
    );
    expect(feed).toMatchObject({ format: 'rdf', title: 'Reporte', language: 'es' });
    expect(feed.items[0]).toMatchObject({ guid: 'https://r.example/1', link: 'https://r.example/1', categories: ['Frontera'], author: 'Ana Ruiz' });
    expect(feed.items[0].published?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('reads CDF channels', async () => {
    const feed = await parseFeed(xml('<CHANNEL HREF="https://cdf.example/"><TITLE>Canal</TITLE><ITEM HREF="https://cdf.example/1" LASTMOD="2026-01-03T10:00:00-05:00"><TITLE>Item</TITLE><ABSTRACT>Resumen</ABSTRACT></ITEM></CHANNEL>'));
    expect(feed.items[0]).toMatchObject({ link: 'https://cdf.example/1', title: 'Item', summaryHtml: 'Resumen' });
    expect(feed.items[0].updated?.toISOString()).toBe('2026-01-03T15:00:00.000Z');
  });
});

describe('parseFeed: encodings and prologs', () => {
  const spanish = (enc: string): string =>
    `<?xml version="1.0" encoding="${enc}"?><rss version="2.0"><channel><title>Noticias de Tamaulipas</title>` +
    '<item><title>Detienen a “El Güero” en Reynosa; extradición en trámite</title><description>Señalan que operaba en la región ñ</description></item></channel></rss>';

  it('reads an ISO-8859-1 Spanish feed by its XML declaration', async () => {
    const feed = await parseFeed(iconv.encode(spanish('ISO-8859-1').replace(/[“”]/g, '"'), 'latin1'));
    expect(feed.items[0].title).toBe('Detienen a "El Güero" en Reynosa; extradición en trámite');
  });

  it('reads a windows-1252 Spanish feed, curly quotes included, by its HTTP charset', async () => {
    const feed = await parseFeed(iconv.encode(spanish('utf-8'), 'windows-1252'), { contentType: 'application/rss+xml; charset=windows-1252' });
    expect(feed.items[0].title).toBe('Detienen a “El Güero” en Reynosa; extradición en trámite');
    expect(feed.items[0].summaryHtml).toBe('Señalan que operaba en la región ñ');
  });

  it('skips a BOM and junk before the root', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n<!-- cache -->\nPHP Notice: x\n'), Buffer.from(spanish('utf-8'))]);
    const feed = await parseFeed(bytes);
    expect(feed.items[0].title).toContain('El Güero');
  });

  it('expands declared entities and turns HTML entities into characters', async () => {
    const feed = await parseFeed(
      xml('<!DOCTYPE rss [<!ENTITY desk "Mesa de Seguridad">]><rss><channel><title>&desk;</title><item><title>Caf&eacute;&nbsp;y &hellip; &unknown;</title></item></channel></rss>'),
    );
    expect(feed.title).toBe('Mesa de Seguridad');
    expect(feed.items[0].title).toBe('Café\u00a0y … &unknown;');
  });

  // The per-test timeout is the hang guard; the assertions check that nothing was expanded.
  it('survives an entity bomb with bounded output', { timeout: 10_000 }, async () => {
    const feed = await parseFeed(fixture('entity-bomb.xml'));
    expect(feed.title).toBe('Border Ledger – test');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0].summaryHtml!.length).toBeLessThan(200);
    expect(feed.warnings.join(' ')).toMatch(/not expanded/);
  });

  it('caps the total expansion of simple entities too', async () => {
    const big = 'x'.repeat(100_000);
    const refs = '&big;'.repeat(100);
    const feed = await parseFeed(xml(`<!DOCTYPE rss [<!ENTITY big "${big}">]><rss><channel><item><title>${refs}</title></item></channel></rss>`));
    expect(feed.items[0].title!.length).toBeLessThanOrEqual(1 << 20);
    expect(feed.warnings.join(' ')).toMatch(/budget/);
  });
});

describe('parseFeed: broken documents', () => {
  it('reads bare ampersands, unclosed <br> and a truncated tail leniently', async () => {
    const amp = await parseFeed(xml('<rss version="2.0"><channel><item><title>Tom & Jerry</title><link>https://x.example/?a=1&b=2</link></item></channel></rss>'));
    expect(amp.items[0]).toMatchObject({ title: 'Tom & Jerry', link: 'https://x.example/?a=1&b=2' });
    const br = await parseFeed(xml('<rss><channel><item><title>Uno</title><description>a <br> b</description></item><item><title>Dos</title></item></channel>'));
    expect(br.items.map((i) => i.title)).toEqual(['Uno', 'Dos']);
    expect(br.warnings.join(' ')).toMatch(/read leniently/);
    const cut = await parseFeed(xml('<rss version="2.0"><channel><item><title>Uno</title></item><item><title>Do'));
    expect(cut.items[0].title).toBe('Uno');
  });

  it('is not confused by element names that are object property names', async () => {
    for (const doc of [
      '<rss version="2.0"><channel><item><constructor>x</constructor><toString>y</toString><__proto__>z</__proto__><title>t</title></item></channel></rss>',
      '<rss version="2.0"><channel><item><title>t</title><valueOf>1</valueOf><__proto__>z</item></channel></rss>',
    ]) {
      const feed = await parseFeed(xml(doc));
      expect(feed.items[0].title).toBe('t');
    }
  });

  it('detects Cloudflare challenge pages', async () => {
    expect((await parseError(fixture('cloudflare-challenge.html'))).code).toBe('cloudflare');
  });

  it('rejects HTML, other XML and empty documents as not_a_feed', async () => {
    expect((await parseError(fixture('homepage.html'))).code).toBe('not_a_feed');
    expect((await parseError(xml('<opml version="2.0"><body/></opml>'))).code).toBe('not_a_feed');
    expect((await parseError(xml('   '))).code).toBe('not_a_feed');
    expect((await parseError(xml('just some words'))).code).toBe('not_a_feed');
  });

  it('reports a feed broken beyond repair as parse', async () => {
    expect((await parseError(xml('<?xml version="1.0"?>\n<rss version="2.0'))).code).toBe('parse');
  });

  it('reads deeply nested unclosed markup without blowing the stack', async () => {
    const deep = `<rss><channel><item><title>t</title><description>${'<div>'.repeat(5000)}</description></item></channel></rss>`;
    const feed = await parseFeed(xml(deep));
    expect(feed.items[0].title).toBe('t');
  });
});

describe('parseFeed: scale', () => {
  it('parses a 50,000-item feed', async () => {
    const items: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      items.push(
        `<item><title>Border report ${i}</title><link>https://scale.example/a/${i}</link><guid>s-${i}</guid>` +
          `<pubDate>Mon, 05 Jan 2026 10:30:00 GMT</pubDate><description>Agents logged crossing number ${i}.</description></item>`,
      );
    }
    const bytes = xml(`<rss version="2.0"><channel><title>Scale</title>${items.join('')}</channel></rss>`);
    const feed = await parseFeed(bytes);
    expect(feed.items).toHaveLength(50_000);
    expect(feed.items[49_999].guid).toBe('s-49999');
  });
});

describe('XML helpers behind parseFeed', () => {
  it('prepareXml drops the prolog, expands simple entities as text and converts HTML entities', () => {
    const prepared = prepareXml(
      '<!-- note --><?xml version="1.0"?><!DOCTYPE rss [<!ENTITY q \'say "hola" <b>\'>]><rss><channel><title a="&q;">&q; &eacute; <![CDATA[&nbsp;]]></title></channel></rss>',
    );
    expect(prepared.root).toBe('rss');
    expect(prepared.xml).toBe(
      '<rss><channel><title a="say &quot;hola&quot; &lt;b&gt;">say &quot;hola&quot; &lt;b&gt; &#233; <![CDATA[&nbsp;]]></title></channel></rss>',
    );
  });

  it('prepareXml wraps inline XHTML in CDATA, but not look-alikes inside CDATA', () => {
    const { xml: out } = prepareXml('<feed><title type="xhtml"><div>a <b>b</b></div></title><summary><![CDATA[<content type="xhtml"><p>x</p></content>]]></summary></feed>');
    expect(out).toContain('<title type="xhtml" frontera-xhtml="1"><![CDATA[<div>a <b>b</b></div>]]></title>');
    expect(out).toContain('<summary><![CDATA[<content type="xhtml"><p>x</p></content>]]></summary>');
  });

  it('repairXml closes what a truncated document left open and escapes stray "<"', () => {
    expect(repairXml('<rss><channel><title>5 < 10</title><description>a<br>b</description></channel></rss')).toBe(
      '<rss><channel><title>5 &lt; 10</title><description>a<br/>b</description></channel></rss>',
    );
    expect(repairXml('<rss><item><title><![CDATA[abc')).toBe('<rss><item><title><![CDATA[abc]]>');
  });

  it('Names finds elements by namespace whatever prefix the document chose', () => {
    const names = new Names('<rss xmlns:foo="http://purl.org/dc/elements/1.1/" xmlns:a="http://www.w3.org/2005/Atom">');
    // The conventional prefix still counts while the document has not bound it to something else.
    expect(names.ns('dc', 'creator')).toEqual(['foo:creator', 'dc:creator']);
    expect(new Names('<rss xmlns:dc="http://other.example/">').ns('dc', 'creator')).toEqual([]);
    expect(names.ns('content', 'encoded')).toEqual(['content:encoded']); // undeclared: conventional prefix
    expect(names.core('link')).toEqual(['link', 'a:link']);
  });

  it('soupTree builds the xml2js shape from markup a strict parser refuses', () => {
    expect(soupTree('<rss><channel><item a="1"><title>Uno</title><title>Dos</title><empty/></item><item><title>T"res</title></channel>')).toEqual({
      rss: { channel: [{ item: [{ $: { a: '1' }, title: ['Uno', 'Dos'], empty: [''] }, { title: ['T"res'] }] }] },
    });
    expect(soupTree('<__proto__><x>1</x></__proto__>')).toEqual({ _proto_: { x: ['1'] } });
  });

  it('feedKind and xhtmlToHtml', () => {
    expect(feedKind('atom:feed')).toBe('atom');
    expect(feedKind('rdf:RDF')).toBe('rdf');
    expect(feedKind('CHANNEL')).toBe('cdf');
    expect(feedKind('html')).toBeNull();
    expect(xhtmlToHtml('<xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>uno</xhtml:p></xhtml:div>')).toBe('<p>uno</p>');
    expect(xhtmlToHtml('<div>a</div><div>b</div>')).toBe('<div>a</div><div>b</div>');
  });

  it('constructHtml follows Atom type and mode rules', () => {
    expect(constructHtml({ _: 'a < b', $: { type: 'text' } }, 'text')).toBe('a &lt; b');
    expect(constructHtml({ _: '<b>x</b>', $: { type: 'html' } }, 'text')).toBe('<b>x</b>');
    expect(constructHtml({ _: Buffer.from('<i>y</i>').toString('base64'), $: { type: 'application/octet-stream' } }, 'text')).toBe('<i>y</i>');
    expect(constructHtml({ _: 'AAEC', $: { type: 'image/png' } }, 'text')).toBeNull();
    expect(constructHtml({ $: { src: 'https://x.example/full' } }, 'text')).toBeNull();
  });
});
