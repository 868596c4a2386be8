import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedListError, loadFeedList, parseFeedList } from '../../src/feeds/feed-list.ts';

const shipped = fileURLToPath(new URL('../../beats/us-mexico-security/feeds.yaml', import.meta.url));

describe('the shipped feed list', async () => {
  const feeds = await loadFeedList(shipped);

  it('loads and validates, with a sensible number of feeds', () => {
    expect(feeds.length).toBeGreaterThanOrEqual(25);
    expect(feeds.length).toBeLessThanOrEqual(40);
  });

  it('has only http(s) URLs, each once', () => {
    for (const f of feeds) expect(new URL(f.url).protocol).toMatch(/^https?:$/);
    const urls = feeds.map((f) => new URL(f.url).href);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('covers both languages and official sources from both countries', () => {
    expect(new Set(feeds.map((f) => f.language))).toEqual(new Set(['en', 'es']));
    const official = feeds.filter((f) => f.tier === 'official');
    expect(new Set(official.map((f) => f.country))).toEqual(new Set(['us', 'mx']));
    expect(feeds.some((f) => f.tier === 'wire')).toBe(true);
  });

  it('says for every entry how its URL was found', () => {
    for (const f of feeds) expect(f.notes?.length ?? 0, f.name).toBeGreaterThan(20);
  });

  it('defaults fullText to false', () => {
    expect(feeds.find((f) => f.name === 'BBC News Mundo')!.fullText).toBe(false);
  });
});

describe('a broken feed list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'frontera-feeds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good = `  - name: Good
    url: https://good.example/feed
    language: en
    tier: outlet
    country: us
`;

  it('names the file, line, entry and field of each problem, all at once', async () => {
    const file = join(dir, 'feeds.yaml');
    writeFileSync(
      file,
      `feeds:
${good}  - name: Bad Tier
    url: https://bad.example/rss
    language: es
    tier: newspaper
    country: mx
  - name: No URL
    language: fr
    tier: wire
    country: us
    fulltext: true
`,
    );
    const err = await loadFeedList(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedListError);
    const { problems, message, code } = err as FeedListError;
    expect(code).toBe('feed_list');
    expect(message).toContain(file);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(new RegExp(`^${escape(file)}:10: entry 2 \\(Bad Tier\\), tier: .*official`));
    expect(problems.some((p) => /:12: entry 3 \(No URL\), url:/.test(p))).toBe(true);
    expect(problems.some((p) => /:13: entry 3 \(No URL\), language:/.test(p))).toBe(true);
    expect(problems.some((p) => /:12: entry 3 \(No URL\): .*"fulltext"/.test(p))).toBe(true);
  });

  it('rejects duplicate URLs, naming both entries', () => {
    const text = `feeds:\n${good}${good.replace('Good', 'Copy').replace('good.example/feed', 'GOOD.example/feed')}`;
    expect(() => parseFeedList(text, 'dup.yaml')).toThrow(/dup\.yaml:8: entry 2 \(Copy\): url duplicates entry 1 \(Good\)/);
  });

  it('rejects non-http URLs, bad topics, YAML syntax errors and a missing file', async () => {
    const bad = `feeds:\n${good.replace('https://good.example/feed', 'ftp://good.example/feed')}    topics: [Border Security]\n`;
    const err = (() => {
      try {
        parseFeedList(bad, 'x.yaml');
      } catch (e) {
        return e as FeedListError;
      }
      throw new Error('expected a FeedListError');
    })();
    expect(err.problems.join('\n')).toMatch(/x\.yaml:3: entry 1 \(Good\), url: expected an absolute http\(s\) URL/);
    expect(err.problems.join('\n')).toMatch(/x\.yaml:7: entry 1 \(Good\), topics\.0: topics are lower-case slugs/);
    expect(() => parseFeedList('feeds:\n  - name: [unclosed\n', 'y.yaml')).toThrow(/y\.yaml:\d+: YAML syntax/);
    expect(() => parseFeedList('feeds: []\n', 'z.yaml')).toThrow(/z\.yaml:1: feeds: the list has no feeds/);
    await expect(loadFeedList(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read the file/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
