// Checks the files of the project's own labelled evaluation set (eval/us-mexico-security/):
// every feed is well-formed, every feed item is labelled exactly once (and every label names a real item),
// story keys and duplicate targets resolve, and the set keeps the sizes it promises.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';

const EVAL_DIR = fileURLToPath(new URL('../../eval/us-mexico-security/', import.meta.url));
const FEEDS_DIR = path.join(EVAL_DIR, 'feeds');

interface FeedItem {
  feed: string; // path relative to the eval folder, e.g. feeds/fronterawire.xml
  guid: string;
  title: string;
  link: string;
  published: string;
  text: string;
  language: 'en' | 'es';
}

interface LabelRef {
  feed: string;
  guid: string;
}

interface LabelItem extends LabelRef {
  relevant: boolean;
  story: string | null;
  duplicate_of: LabelRef | null;
}

interface Story {
  key: string;
  title: string;
  date: string;
  key_facts: string[][];
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Text of an element that may carry attributes (fast-xml-parser puts the text under '#text'). */
function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as Record<string, unknown>)['#text'] ?? '');
  return String(v);
}

function langOf(code: unknown): 'en' | 'es' {
  const c = String(code ?? '').toLowerCase();
  if (c.startsWith('en')) return 'en';
  if (c.startsWith('es')) return 'es';
  throw new Error(`unexpected language code ${JSON.stringify(code)}`);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'category', 'link'].includes(name),
});

function readFeed(file: string): FeedItem[] {
  const rel = `feeds/${file}`;
  const raw = readFileSync(path.join(FEEDS_DIR, file), 'utf8');
  if (file.endsWith('.json')) {
    const doc = JSON.parse(raw);
    expect(doc.version, rel).toBe('https://jsonfeed.org/version/1.1');
    const language = langOf(doc.language);
    return asArray<Record<string, any>>(doc.items).map((i) => ({
      feed: rel,
      guid: String(i.id),
      title: String(i.title ?? ''),
      link: String(i.url ?? ''),
      published: String(i.date_published ?? ''),
      text: String(i.content_html ?? i.content_text ?? ''),
      language,
    }));
  }
  const valid = XMLValidator.validate(raw);
  expect(valid, `${rel} is well-formed XML`).toBe(true);
  const doc = parser.parse(raw);
  if (doc.rss) {
    expect(doc.rss['@_version'], rel).toBe('2.0');
    const channel = doc.rss.channel;
    const language = langOf(channel.language);
    return asArray<Record<string, any>>(channel.item).map((i) => ({
      feed: rel,
      guid: textOf(i.guid),
      title: textOf(i.title),
      link: textOf(asArray(i.link)[0]),
      published: textOf(i.pubDate),
      text: textOf(i.description),
      language,
    }));
  }
  if (doc.feed) {
    expect(doc.feed['@_xmlns'], rel).toBe('http://www.w3.org/2005/Atom');
    const language = langOf(doc.feed['@_xml:lang']);
    return asArray<Record<string, any>>(doc.feed.entry).map((e) => {
      const alternate = asArray<Record<string, string>>(e.link).find((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
      return {
        feed: rel,
        guid: textOf(e.id),
        title: textOf(e.title),
        link: alternate?.['@_href'] ?? '',
        published: textOf(e.published ?? e.updated),
        text: textOf(e.content ?? e.summary),
        language,
      };
    });
  }
  throw new Error(`${rel}: neither RSS 2.0 nor Atom 1.0`);
}

const feedFiles = readdirSync(FEEDS_DIR).filter((f) => /\.(xml|atom|json)$/.test(f)).sort();
const feedItems = feedFiles.flatMap(readFeed);
const labels = parseYaml(readFileSync(path.join(EVAL_DIR, 'labels.yaml'), 'utf8')) as {
  items: LabelItem[];
  stories: Story[];
};
const keyOf = (r: LabelRef) => `${r.feed}\u0000${r.guid}`;
const itemByKey = new Map(feedItems.map((i) => [keyOf(i), i]));
const labelByKey = new Map(labels.items.map((l) => [keyOf(l), l]));
const storyKeys = new Set(labels.stories.map((s) => s.key));

describe('eval set: feed files', () => {
  it('has feeds in all three formats from at least 8 outlets', () => {
    expect(feedFiles.length).toBeGreaterThanOrEqual(8);
    const kinds = new Set(
      feedFiles.map((f) => {
        if (f.endsWith('.json')) return 'json';
        const raw = readFileSync(path.join(FEEDS_DIR, f), 'utf8');
        return /<rss[\s>]/.test(raw) ? 'rss' : 'atom';
      }),
    );
    expect([...kinds].sort()).toEqual(['atom', 'json', 'rss']);
  });

  it('holds at least 170 items', () => {
    expect(feedItems.length).toBeGreaterThanOrEqual(170);
  });

  it('gives every item a guid, title, unique https link and a dated timestamp with a zone', () => {
    const links = new Set<string>();
    for (const i of feedItems) {
      const where = `${i.feed} ${i.guid}`;
      expect(i.guid, where).not.toBe('');
      expect(i.title.trim(), where).not.toBe('');
      expect(i.text.trim().length, where).toBeGreaterThan(40);
      expect(i.link, where).toMatch(/^https:\/\/[a-z0-9.-]+\.example\/\d{4}\/\d{2}\//);
      expect(links.has(i.link), `duplicate link ${i.link}`).toBe(false);
      links.add(i.link);
      expect(Number.isNaN(Date.parse(i.published)), where).toBe(false);
      expect(i.published, where).toMatch(/(Z|GMT|[+-]\d{2}:?\d{2})$/);
    }
  });

  it('never repeats a guid within one feed', () => {
    expect(itemByKey.size).toBe(feedItems.length);
  });

  it('has English and Spanish items', () => {
    const langs = new Set(feedItems.map((i) => i.language));
    expect([...langs].sort()).toEqual(['en', 'es']);
  });
});

describe('eval set: labels.yaml', () => {
  it('labels every feed item exactly once, and every label names a feed item', () => {
    const seen = new Map<string, number>();
    for (const l of labels.items) seen.set(keyOf(l), (seen.get(keyOf(l)) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    expect(repeated).toEqual([]);
    const unlabelled = feedItems.filter((i) => !labelByKey.has(keyOf(i))).map((i) => `${i.feed} ${i.guid}`);
    expect(unlabelled).toEqual([]);
    const unknown = labels.items.filter((l) => !itemByKey.has(keyOf(l))).map((l) => `${l.feed} ${l.guid}`);
    expect(unknown).toEqual([]);
    expect(labels.items.length).toBe(feedItems.length);
  });

  it('ties relevance to a story key, and every story key is defined', () => {
    for (const l of labels.items) {
      const where = `${l.feed} ${l.guid}`;
      expect(typeof l.relevant, where).toBe('boolean');
      if (l.relevant) {
        expect(typeof l.story, where).toBe('string');
        expect(storyKeys.has(l.story!), `${where}: story ${l.story} is not defined`).toBe(true);
      } else {
        expect(l.story, where).toBeNull();
      }
    }
  });

  it('defines each story once, with a date, a title and 2-4 key facts, and uses it for 2-6 items', () => {
    expect(storyKeys.size).toBe(labels.stories.length);
    for (const s of labels.stories) {
      expect(s.title, s.key).toBeTruthy();
      expect(String(s.date), s.key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(s.key_facts.length, s.key).toBeGreaterThanOrEqual(2);
      expect(s.key_facts.length, s.key).toBeLessThanOrEqual(4);
      for (const alts of s.key_facts) {
        expect(Array.isArray(alts) && alts.length > 0, s.key).toBe(true);
        for (const a of alts) expect(String(a).trim(), s.key).not.toBe('');
      }
      const members = labels.items.filter((l) => l.story === s.key);
      expect(members.length, s.key).toBeGreaterThanOrEqual(2);
      expect(members.length, s.key).toBeLessThanOrEqual(6);
      expect(new Set(members.map((m) => m.feed)).size, `${s.key}: items from different outlets`).toBe(members.length);
    }
  });

  it('points every duplicate at an original that exists, in another feed, with the same labels', () => {
    for (const l of labels.items.filter((x) => x.duplicate_of)) {
      const where = `${l.feed} ${l.guid}`;
      const target = l.duplicate_of!;
      expect(itemByKey.has(keyOf(target)), `${where}: duplicate_of target missing from feeds`).toBe(true);
      const original = labelByKey.get(keyOf(target));
      expect(original, `${where}: duplicate_of target missing from labels`).toBeDefined();
      expect(original!.duplicate_of, `${where}: target is itself a copy`).toBeNull();
      expect(target.feed, where).not.toBe(l.feed);
      expect(l.relevant, where).toBe(original!.relevant);
      expect(l.story, where).toBe(original!.story);
      const copy = itemByKey.get(keyOf(l))!;
      const orig = itemByKey.get(keyOf(target))!;
      expect(Date.parse(copy.published), `${where}: copy published after original`).toBeGreaterThan(Date.parse(orig.published));
    }
  });

  it('meets the size targets: >= 55 irrelevant, >= 15 duplicates, >= 30 stories', () => {
    expect(labels.items.filter((l) => !l.relevant).length).toBeGreaterThanOrEqual(55);
    expect(labels.items.filter((l) => l.duplicate_of).length).toBeGreaterThanOrEqual(15);
    expect(labels.stories.length).toBeGreaterThanOrEqual(30);
  });

  it('has relevant items in both languages, and at least 10 relevant items that never name Mexico', () => {
    const relevant = labels.items.filter((l) => l.relevant).map((l) => itemByKey.get(keyOf(l))!);
    expect(new Set(relevant.map((i) => i.language)).size).toBe(2);
    const noMexico = relevant.filter((i) => !/m[eé]xic/i.test(`${i.title} ${i.text}`));
    expect(noMexico.length).toBeGreaterThanOrEqual(10);
  });
});
