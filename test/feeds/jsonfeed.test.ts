import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.ts';
import { parseJsonFeed } from '../../src/feeds/jsonfeed.ts';
import { parseFeed } from '../../src/feeds/parser.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

describe('parseJsonFeed', () => {
  it('reads JSON Feed 1.1: authors, hubs, language, numeric ids, tags, both dates', () => {
    const feed = parseJsonFeed(fixture('jsonfeed-1.1.json'));
    expect(feed).toMatchObject({
      format: 'json',
      title: 'Centinela Digital',
      link: 'https://centinela.example/',
      selfUrl: 'https://centinela.example/feed.json',
      hubs: ['https://pubsub.example/'],
      language: 'es-MX',
    });
    const [first, second] = feed.items;
    expect(first.guid).toBe('8812');
    expect(first.author).toBe('Lucía Montes');
    expect(first.contentHtml).toContain('bodega de Culiacán');
    expect(first.summaryHtml).toBe('Militares aseguraron la droga durante un operativo.');
    expect(first.published?.toISOString()).toBe('2026-01-08T14:30:00.000Z');
    expect(first.updated?.toISOString()).toBe('2026-01-08T16:00:00.000Z');
    expect(first.categories).toEqual(['Sinaloa', 'decomisos', 'Sinaloa']);
    // external_url stands in for a missing url; the feed-level author for a missing item author.
    expect(second.link).toBe('https://otro-medio.example/frontera');
    expect(second.author).toBe('Redacción');
    expect(second.contentText).toContain('puente internacional');
    expect(second.language).toBe('es');
  });

  it('reads JSON Feed 1.0 with its single author object', () => {
    const feed = parseJsonFeed(fixture('jsonfeed-1.0.json'));
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0].author).toBe('Border Ledger Staff');
    expect(feed.items[0].contentText).toMatch(/^The Treasury Department/);
  });

  it('escapes plain-text titles and summaries, since ParsedItem carries HTML', () => {
    const feed = parseJsonFeed(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [{ id: 'x', title: 'Fentanyl <b>seizure</b> & arrests', summary: '5 < 7' }] }),
    );
    expect(feed.items[0].title).toBe('Fentanyl &lt;b&gt;seizure&lt;/b&gt; &amp; arrests');
    expect(feed.items[0].summaryHtml).toBe('5 &lt; 7');
  });

  it('ignores fields of the wrong type instead of crashing', () => {
    const feed = parseJsonFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 7,
        hubs: 'nope',
        items: [{ id: { a: 1 }, url: ['x'], tags: [1, 'ok'], date_published: 'not a date', authors: [null, { name: 'Ana' }] }, 'junk', null],
      }),
    );
    expect(feed.title).toBeNull();
    expect(feed.hubs).toEqual([]);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ guid: null, link: null, categories: ['ok'], published: null, author: 'Ana' });
    expect(feed.warnings[0]).toMatch(/unreadable date/);
  });

  it('rejects invalid JSON and JSON that is not a feed with clear codes', () => {
    expect(() => parseJsonFeed('{"version": ')).toThrow(ParseError);
    expect(() => parseJsonFeed('{"version": ')).toThrow(expect.objectContaining({ code: 'parse' }));
    expect(() => parseJsonFeed('{"hello": "world"}')).toThrow(expect.objectContaining({ code: 'not_a_feed' }));
  });

  it('is what parseFeed uses for JSON documents', async () => {
    const feed = await parseFeed(Buffer.from(`\ufeff${fixture('jsonfeed-1.0.json')}`), { contentType: 'application/feed+json' });
    expect(feed.format).toBe('json');
    expect(feed.items[0].guid).toBe('bl-json-1');
  });
});
