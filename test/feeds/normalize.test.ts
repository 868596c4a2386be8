import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoronize, mapLanguage, normalizeItems } from '../../src/feeds/normalize.ts';
import { parseFeed } from '../../src/feeds/parser.ts';
import type { ParsedFeed, ParsedItem } from '../../src/feeds/types.ts';
import { canonicalUrl, resolveUrl } from '../../src/feeds/urls.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
const seenAt = new Date('2026-01-10T12:00:00Z');

function item(over: Partial<ParsedItem>): ParsedItem {
  return {
    guid: null, link: null, title: null, contentHtml: null, summaryHtml: null, contentText: null,
    published: null, updated: null, author: null, categories: [], language: null, base: null, ...over,
  };
}
function feedOf(items: ParsedItem[], over: Partial<ParsedFeed> = {}): ParsedFeed {
  return { format: 'rss', title: null, link: null, selfUrl: null, hubs: [], language: null, ttlMinutes: null, base: null, items, warnings: [], ...over };
}

describe('normalizeItems', () => {
  it('turns an RSS item into a clean, safe article', async () => {
    const feed = await parseFeed(fixture('border-ledger-rss2.xml'));
    const [a, b] = normalizeItems(feed, { feedUrl: 'https://borderledger.example/security/feed/', seenAt });
    expect(a.identitySource).toBe('guid');
    expect(a.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(a.url).toBe('https://borderledger.example/security/2026/01/05/sonora-pipeline/?utm_source=rss&utm_medium=feed&fbclid=XYZ123');
    expect(a.canonicalUrl).toBe('https://borderledger.example/security/2026/01/05/sonora-pipeline/');
    expect(a.html).toContain('<a href="https://borderledger.example/tags/nogales/" rel="nofollow noopener noreferrer">Nogales</a>');
    expect(a.html).not.toMatch(/onclick|onerror|<script/);
    expect(a.text).toMatch(/^Prosecutors in Tucson said on Monday/);
    expect(a.text).not.toContain('alert');
    expect(a.publishedAt.toISOString()).toBe('2026-01-05T22:42:00.000Z');
    expect(a.publishedEstimated).toBe(false);
    expect(a.language).toBe('en');
    expect(a.author).toBe('Dana Whitfield');
    expect(a.categories).toEqual(['Fentanyl', 'Courts']);
    expect(b.html).toBe('Officials said the boat was carrying cocaine bound for Mexican ports. <a>More</a>');
    expect(b.canonicalUrl).toBe('https://borderledger.example/security/2026/01/06/second-strike/');
  });

  it('resolves relative links through item base, feed base, feed link and feed URL', async () => {
    const feed = await parseFeed(fixture('relative-links.xml'));
    const [own, channel] = normalizeItems(feed, { feedUrl: 'https://relative.example/feed.xml', seenAt });
    expect(own.url).toBe('https://relative.example/archive/2026/ruling.html?ref=homepage&id=42&utm_campaign=x#top');
    expect(own.canonicalUrl).toBe('https://relative.example/archive/2026/ruling.html?id=42');
    expect(own.html).toBe('<a href="https://relative.example/archive/2026/notes.html" rel="nofollow noopener noreferrer">notes</a>');
    expect(channel.url).toBe('https://relative.example/base/news/tariffs.html');

    const viaLink = normalizeItems(feedOf([item({ link: 'a/1' })], { link: 'https://site.example/news/' }), { feedUrl: 'feeds/local.xml', seenAt });
    expect(viaLink[0].url).toBe('https://site.example/news/a/1');
    const viaFeedUrl = normalizeItems(feedOf([item({ link: '/a/2' })]), { feedUrl: 'https://feeds.example/rss', seenAt });
    expect(viaFeedUrl[0].url).toBe('https://feeds.example/a/2');
    const unresolvable = normalizeItems(feedOf([item({ link: '/a/3', title: 'x' })]), { feedUrl: 'local/file.xml', seenAt });
    expect(unresolvable[0].url).toBeNull();
  });

  it('never keeps a script URL as the article link', () => {
    const [a] = normalizeItems(feedOf([item({ link: 'javascript:alert(1)', title: 'x' })]), { feedUrl: 'https://f.example/', seenAt });
    expect(a.url).toBeNull();
    expect(a.identitySource).toBe('content');
  });

  it('keeps distinct items with repeated guids or links apart, and exact repeats together', async () => {
    const feed = await parseFeed(fixture('duplicate-guids.xml'));
    const arts = normalizeItems(feed, { feedUrl: 'https://frontierbrief.example/rss', seenAt });
    const ids = arts.map((a) => a.identity);
    expect(ids[0]).toBe(ids[3]); // the same item listed twice
    expect(new Set([ids[0], ids[1], ids[2]]).size).toBe(3); // same guid, different link or content
    expect(ids[4]).not.toBe(ids[5]); // same link, no guid, different content
    expect(arts.map((a) => a.identitySource)).toEqual(['guid', 'guid', 'guid', 'guid', 'link', 'link', 'content']);
  });

  it('keeps identities stable between polls for the first item of a guid', () => {
    const one = normalizeItems(feedOf([item({ guid: 'g1', link: 'https://x.example/1', title: 'A' })]), { feedUrl: 'https://x.example/f', seenAt });
    const again = normalizeItems(
      feedOf([item({ guid: 'g1', link: 'https://x.example/1', title: 'A edited' }), item({ guid: 'g1', link: 'https://x.example/2', title: 'B' })]),
      { feedUrl: 'https://x.example/f', seenAt },
    );
    expect(again[0].identity).toBe(one[0].identity);
    expect(again[1].identity).not.toBe(one[0].identity);
  });

  it('takes title text from markup, or the first words of the body', () => {
    const arts = normalizeItems(
      feedOf([
        item({ guid: '1', title: 'Extraditan a <em>17</em> &amp; más' }),
        item({ guid: '2', summaryHtml: '<p>Mexican officials confirmed on Tuesday that the suspects were handed over at the Toluca airport to U.S. marshals.</p>' }),
        item({ guid: '3' }),
      ]),
      { feedUrl: 'https://x.example/f', seenAt },
    );
    expect(arts[0].title).toBe('Extraditan a 17 & más');
    expect(arts[1].title).toBe('Mexican officials confirmed on Tuesday that the suspects were handed over at…');
    expect(arts[2].title).toBe('(untitled)');
  });

  it('prefers content over summary and falls back to contentText', () => {
    const [both, textOnly, textAndSummary, emptyContent] = normalizeItems(
      feedOf([
        item({ guid: '1', contentHtml: '<p>Full story</p>', summaryHtml: 'Short' }),
        item({ guid: '2', contentText: 'Línea uno.\n\nLínea <dos>.' }),
        item({ guid: '3', contentText: 'The whole plain-text story.', summaryHtml: 'Short' }),
        item({ guid: '4', contentHtml: '<script>only script</script>', summaryHtml: '<b>Summary</b> survives' }),
      ]),
      { feedUrl: 'https://x.example/f', seenAt },
    );
    expect(both.html).toBe('<p>Full story</p>');
    expect(both.text).toBe('Full story');
    expect(textOnly.html).toBe('<p>Línea uno.</p><p>Línea &lt;dos&gt;.</p>');
    expect(textOnly.text).toBe('Línea uno.\n\nLínea <dos>.');
    expect(textAndSummary.html).toBe('<p>The whole plain-text story.</p>');
    expect(textAndSummary.text).toBe('The whole plain-text story.');
    expect(emptyContent.html).toBe('<b>Summary</b> survives');
  });

  it('dates: published, else updated, else seenAt marked as estimated', () => {
    const p = new Date('2026-01-01T00:00:00Z');
    const u = new Date('2026-01-02T00:00:00Z');
    const arts = normalizeItems(feedOf([item({ guid: '1', published: p, updated: u }), item({ guid: '2', updated: u }), item({ guid: '3' })]), {
      feedUrl: 'https://x.example/f',
      seenAt,
    });
    expect(arts.map((a) => [a.publishedAt.toISOString(), a.publishedEstimated])).toEqual([
      [p.toISOString(), false],
      [u.toISOString(), false],
      [seenAt.toISOString(), true],
    ]);
  });

  it('language: item tag, then confident detection, then the feed tag', () => {
    const spanishBody = 'La Secretaría de Seguridad informó que los detenidos fueron trasladados a la capital del estado.';
    const arts = normalizeItems(
      feedOf(
        [
          item({ guid: '1', title: 'Nota', language: 'es-MX' }),
          item({ guid: '2', title: 'Traslado', summaryHtml: spanishBody }),
          item({ guid: '3', title: 'Reynosa' }),
          item({ guid: '4', title: 'Tijuana', language: 'fr' }),
        ],
        { language: 'en-US' },
      ),
      { feedUrl: 'https://x.example/f', seenAt },
    );
    expect(arts.map((a) => a.language)).toEqual(['es', 'es', 'en', 'en']);
  });

  it('cleans authors and categories, and repairs windows-1252 control characters', () => {
    const [a] = normalizeItems(
      feedOf([item({ guid: '1', title: 'don\u0092t', author: '  Ana &amp; Luis ', categories: [' Cárteles ', 'cárteles', '', 'Frontera'] })]),
      { feedUrl: 'https://x.example/f', seenAt },
    );
    expect(a.title).toBe('don’t');
    expect(a.author).toBe('Ana & Luis');
    expect(a.categories).toEqual(['Cárteles', 'Frontera']);
    expect(demoronize('\u0093hola\u0094')).toBe('“hola”');
  });
});

describe('URL helpers', () => {
  it('canonicalizes tracking parameters, fragments, default ports and host case', () => {
    expect(canonicalUrl('HTTPS://News.Example.COM:443/a/b?utm_source=x&id=7&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5&ref_src=twsrc#frag')).toBe(
      'https://news.example.com/a/b?id=7',
    );
    expect(canonicalUrl('http://example.com:80/?ref=rss')).toBe('http://example.com/');
    expect(canonicalUrl('mailto:x@example.com')).toBeNull();
    expect(canonicalUrl(null)).toBeNull();
  });

  it('resolves against relative bases in order', () => {
    expect(resolveUrl('c.html', ['b/', 'https://example.com/a/'])).toBe('https://example.com/a/b/c.html');
    expect(resolveUrl('https://abs.example/x', [null])).toBe('https://abs.example/x');
    expect(resolveUrl('x', ['not a url'])).toBeNull();
  });

  it('maps language tags', () => {
    expect(mapLanguage('es-MX')).toBe('es');
    expect(mapLanguage('EN_us')).toBe('en');
    expect(mapLanguage('pt-BR')).toBeNull();
    expect(mapLanguage(null)).toBeNull();
  });
});

describe('hostile titles', () => {
  it('drops a real tag even when an attribute value contains "<"', () => {
    const [a] = normalizeItems(feedOf([item({ guid: 'h1', title: '<img src="<" onerror=alert(1)>Cartel news' })]), { feedUrl: 'https://x.example/', seenAt });
    expect(a!.title).toBe('Cartel news');
  });

  it('removes control characters and terminal escapes from titles', () => {
    const [a] = normalizeItems(feedOf([item({ guid: 'h2', title: 'Desk\u001b]0;pwned\u0007\u001b[2J report\u0000' })]), { feedUrl: 'https://x.example/', seenAt });
    expect(a!.title).toBe('Desk]0;pwned[2J report');
    expect(a!.title).not.toMatch(/[\u0000-\u001f]/);
  });
});
