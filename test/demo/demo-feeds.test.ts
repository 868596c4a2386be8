/**
 * The bundled sample feeds of `frontera demo` (demo/feeds/) and the items the demo server releases
 * while it runs (demo/upcoming.jsonl): well-formed, the advertised sizes, unique identities, dates
 * that parse, and upcoming items that the feed server can append to the feed they name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { appendItem } from '../../src/demo/feed-server.ts';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo');
const FEEDS = path.join(DEMO, 'feeds');

type Format = 'rss' | 'atom' | 'json';

/** What the brief promises for each bundled feed. */
const EXPECTED: Record<string, { format: Format; items: number; lang: 'en' | 'es'; title: string }> = {
  'border-desk.xml': { format: 'rss', items: 8, lang: 'en', title: 'Border Desk' },
  'jornada-fronteriza.atom': { format: 'atom', items: 8, lang: 'es', title: 'La Jornada Fronteriza' },
  'capitol-brief.json': { format: 'json', items: 6, lang: 'en', title: 'Capitol Security Brief' },
  'gaceta-seguridad.xml': { format: 'rss', items: 5, lang: 'es', title: 'Gaceta Oficial de Seguridad' },
};

interface Item {
  file: string;
  guid: string;
  link: string;
  title: string;
  date: string;
  text: string;
  author: string;
  category: string;
}

interface Feed {
  file: string;
  format: Format;
  title: string;
  home: string;
  language: string;
  items: Item[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'entry', 'link', 'category'].includes(name),
});

/** Text of an element that may carry attributes. */
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
  return '';
}

const first = <T,>(v: T[] | T | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);

function parseFeed(file: string, body: string): Feed {
  const format = EXPECTED[file]?.format ?? (file.endsWith('.json') ? 'json' : file.endsWith('.atom') ? 'atom' : 'rss');
  if (format === 'json') {
    const f = JSON.parse(body);
    return {
      file, format, title: f.title, home: f.home_page_url, language: f.language ?? '',
      items: (f.items as Record<string, any>[]).map((i) => ({
        file, guid: i.id, link: i.url, title: i.title, date: i.date_published,
        text: i.content_text ?? i.content_html ?? '', author: i.authors?.[0]?.name ?? '', category: i.tags?.[0] ?? '',
      })),
    };
  }
  const doc = xml.parse(body);
  if (format === 'atom') {
    const f = doc.feed;
    const alt = (links: any[] | undefined) => (links ?? []).find((l) => (l['@_rel'] ?? 'alternate') === 'alternate')?.['@_href'] ?? '';
    return {
      file, format, title: str(f.title), home: alt(f.link), language: f['@_xml:lang'] ?? '',
      items: (f.entry ?? []).map((e: any) => ({
        file, guid: str(e.id), link: alt(e.link), title: str(e.title), date: str(e.published ?? e.updated),
        text: str(e.content ?? e.summary), author: str(e.author?.name), category: first(e.category)?.['@_term'] ?? '',
      })),
    };
  }
  const c = doc.rss.channel;
  return {
    file, format, title: str(c.title), home: str(first(c.link)), language: str(c.language),
    items: (c.item ?? []).map((i: any) => ({
      file, guid: str(i.guid), link: str(first(i.link)), title: str(i.title), date: str(i.pubDate),
      text: str(i.description ?? i['content:encoded']), author: str(i['dc:creator'] ?? i.author), category: str(first(i.category)),
    })),
  };
}

const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|GMT|UT)$/;
const ISO8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Parses a date in the format its feed must use; throws with the reason when it is not. */
function parseDate(format: Format, s: string): number {
  if (format === 'rss') {
    const m = RFC822.exec(s);
    if (!m) throw new Error(`not an RFC 822 date: ${s}`);
    const t = Date.parse(s);
    if (Number.isNaN(t)) throw new Error(`unparseable date: ${s}`);
    // The weekday must be the one of the date as written (in its own offset).
    const off = /^[+-]/.test(m[8]) ? (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(3))) : 0;
    const local = new Date(t + off * 60_000);
    if (DAYS[local.getUTCDay()] !== m[1] || local.getUTCDate() !== Number(m[2])) throw new Error(`weekday does not match: ${s}`);
    return t;
  }
  if (!ISO8601.test(s)) throw new Error(`not an ISO 8601 date-time with offset: ${s}`);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`unparseable date: ${s}`);
  return t;
}

const files = fs.readdirSync(FEEDS).filter((f) => /\.(xml|atom|json)$/.test(f)).sort();
const raw = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(FEEDS, f), 'utf8')]));
const feeds = Object.fromEntries(files.map((f) => [f, parseFeed(f, raw[f])])) as Record<string, Feed>;
const allItems = Object.values(feeds).flatMap((f) => f.items);

const UPCOMING_KEYS = ['feed', 'guid', 'link', 'title', 'summary', 'published', 'author', 'lang'];
const upcomingLines = fs.readFileSync(path.join(DEMO, 'upcoming.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
const upcoming = upcomingLines.map((l) => JSON.parse(l) as Record<string, string>);

const WINDOW = { from: Date.parse('2026-01-20T00:00:00Z'), to: Date.parse('2026-03-01T00:00:00Z') };

describe('demo sample feeds', () => {
  it('ships exactly the four promised feeds', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    describe(file, () => {
      it(want.format === 'json' ? 'is valid JSON Feed 1.1' : 'is well-formed XML of the right kind', () => {
        if (want.format === 'json') {
          const f = JSON.parse(raw[file]);
          expect(f.version).toBe('https://jsonfeed.org/version/1.1');
          expect(Array.isArray(f.items)).toBe(true);
        } else {
          expect(XMLValidator.validate(raw[file])).toBe(true);
          const doc = xml.parse(raw[file]);
          if (want.format === 'atom') expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
          else expect(doc.rss['@_version']).toBe('2.0');
        }
      });

      it(`has ${want.items} items, its title and its language`, () => {
        const f = feeds[file];
        expect(f.items).toHaveLength(want.items);
        expect(f.title).toBe(want.title);
        expect(f.language.toLowerCase().slice(0, 2)).toBe(want.lang);
      });

      it('lives on a fictional .example domain, and every item links there over https', () => {
        const home = new URL(feeds[file].home);
        expect(home.hostname).toMatch(/\.example$/);
        for (const i of feeds[file].items) {
          const u = new URL(i.link);
          expect(u.protocol, i.link).toBe('https:');
          expect(u.hostname, i.link).toBe(home.hostname);
        }
      });

      it('gives every item a guid, title, body, author, category and a date in late January or February 2026', () => {
        for (const i of feeds[file].items) {
          for (const k of ['guid', 'title', 'text', 'author', 'category'] as const) expect(i[k].trim(), `${i.link} ${k}`).not.toBe('');
          const t = parseDate(want.format, i.date);
          expect(t, i.date).toBeGreaterThanOrEqual(WINDOW.from);
          expect(t, i.date).toBeLessThan(WINDOW.to);
        }
      });
    });
  }
});

describe('demo upcoming items', () => {
  it('has 14 lines, each one JSON object with all fields', () => {
    expect(upcoming).toHaveLength(14);
    for (const u of upcoming) {
      expect(Object.keys(u).sort()).toEqual([...UPCOMING_KEYS].sort());
      for (const k of UPCOMING_KEYS) {
        expect(typeof u[k], `${u.guid} ${k}`).toBe('string');
        expect(u[k].trim(), `${u.guid} ${k}`).not.toBe('');
      }
    }
  });

  it('names a feed that exists, in a language the bot reads, linking to that outlet', () => {
    for (const u of upcoming) {
      expect(files, u.guid).toContain(u.feed);
      expect(['en', 'es'], u.guid).toContain(u.lang);
      const link = new URL(u.link);
      expect(link.protocol).toBe('https:');
      expect(link.hostname, u.link).toBe(new URL(feeds[u.feed].home).hostname);
    }
    expect(new Set(upcoming.map((u) => u.lang))).toEqual(new Set(['en', 'es']));
    expect(new Set(upcoming.map((u) => u.feed))).toEqual(new Set(files));
  });

  it('has ISO 8601 dates, in order, all after the newest bundled item (they arrive as news)', () => {
    const newest = Math.max(...allItems.map((i) => parseDate(feeds[i.file].format, i.date)));
    let prev = newest;
    for (const u of upcoming) {
      const t = parseDate('json', u.published);
      expect(t, u.published).toBeGreaterThan(prev);
      prev = t;
    }
    expect(prev).toBeLessThan(WINDOW.to);
  });
});

describe('demo identities and scenarios', () => {
  it('has unique guids across all feeds and upcoming.jsonl', () => {
    const guids = [...allItems.map((i) => i.guid), ...upcoming.map((u) => u.guid)];
    expect(guids.filter((g, n) => guids.indexOf(g) !== n)).toEqual([]);
  });

  it('has unique links across all feeds and upcoming.jsonl', () => {
    const links = [...allItems.map((i) => i.link), ...upcoming.map((u) => u.link)];
    expect(links.filter((l, n) => links.indexOf(l) !== n)).toEqual([]);
  });

  it('contains a syndicated copy (same text, other outlet, new headline) and a duplicate among the upcoming items', () => {
    const plain = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const copies = allItems.filter((a) =>
      allItems.some((b) => b !== a && b.file !== a.file && plain(b.text) === plain(a.text) && b.title !== a.title));
    expect(copies.length).toBeGreaterThanOrEqual(2);
    const dupes = upcoming.filter((a) => upcoming.some((b) => b !== a && b.summary === a.summary && b.title !== a.title));
    expect(dupes.length).toBeGreaterThanOrEqual(2);
  });

  it('stays well-formed when the demo server appends every upcoming item to its feed', () => {
    const docs = { ...raw };
    for (const u of upcoming) docs[u.feed] = appendItem(docs[u.feed], u.feed, u as never);
    for (const file of files) {
      if (feeds[file].format !== 'json') expect(XMLValidator.validate(docs[file]), file).toBe(true);
      const after = parseFeed(file, docs[file]);
      expect(after.items, file).toHaveLength(EXPECTED[file].items + upcoming.filter((u) => u.feed === file).length);
      for (const u of upcoming.filter((x) => x.feed === file)) {
        const got = after.items.find((i) => i.guid === u.guid);
        expect(got, u.guid).toBeDefined();
        expect(got!.link).toBe(u.link);
        expect(Date.parse(got!.date)).toBe(Date.parse(u.published));
      }
    }
  });
});
