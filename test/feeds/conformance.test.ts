import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { findActiveContent, headerContentType, runConformance } from '../../src/feeds/conformance.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const corpus = join(repoRoot, '../shared/corpus/feedparser');
const fixtures = join(repoRoot, 'test/fixtures/feeds');

const scratch = mkdtempSync(join(tmpdir(), 'frontera-conformance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('conformance over the feedparser corpus', () => {
  // The corpus lives in shared/ beside the repo; without it, our own fixtures stand in.
  const dir = existsSync(corpus) ? corpus : fixtures;

  it('reads the corpus with no crash, no unsafe output, and >= 98% of wellformed files giving entries', async () => {
    const result = await runConformance(dir);
    expect(result.filesRead).toBeGreaterThan(0);
    expect(result.details.crashes).toEqual([]);
    expect(result.crashes).toBe(0);
    expect(result.details.sanitize).toEqual([]);
    expect(result.sanitizeFailures).toBe(0);
    expect(result.wellformed.ratio).toBeGreaterThanOrEqual(0.98);
    expect(result.withEntries + result.clearErrors).toBeLessThanOrEqual(result.filesRead);
  }, 60_000);
});

describe('conformance mechanics', () => {
  it('counts a file that runs past the time limit as a crash instead of hanging', async () => {
    const dir = mkdtempSync(join(scratch, 'slow-'));
    writeFileSync(join(dir, 'a.xml'), '<rss><channel><item><title>x</title></item></channel></rss>');
    const result = await runConformance(dir, { timeoutMs: 1 });
    expect(result.crashes).toBe(1);
    expect(result.details.crashes[0].message).toMatch(/no result within 1 ms/);
  }, 30_000);

  it('separates clear errors from entries and applies the wellformed rule in-process', async () => {
    const dir = mkdtempSync(join(scratch, 'mixed-'));
    const wf = join(dir, 'wellformed');
    writeFileSync(join(dir, 'page.xml'), '<html><body>not a feed</body></html>');
    writeFileSync(join(dir, 'feed.rss'), '<rss><channel><item><title>uno</title></item></channel></rss>');
    mkdirSync(wf);
    writeFileSync(join(wf, 'no-items.xml'), '<rss><channel><title>only a channel</title></channel></rss>');
    writeFileSync(join(wf, 'empty-item.atom'), '<feed xmlns="http://www.w3.org/2005/Atom"><entry></entry></feed>');
    const result = await runConformance(dir, { isolate: false });
    expect(result).toMatchObject({ filesRead: 4, withEntries: 2, clearErrors: 1, crashes: 0, sanitizeFailures: 0 });
    expect(result.wellformed).toMatchObject({ files: 2, satisfied: 2, ratio: 1 });
    expect(result.slowest?.ms).toBeGreaterThanOrEqual(0);
  });

  it('reads the Header comment of UTF-16 files', () => {
    const doc = '<!--\nHeader:      Content-type: application/xml; charset=utf-16\nDescription: x\n-->\n<rss/>';
    expect(headerContentType(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(doc, 'utf-16le')]))).toBe('application/xml; charset=utf-16');
    expect(headerContentType(Buffer.from('<rss/>'))).toBeNull();
  });

  it('flags active content in html and markup leaking into text', () => {
    expect(findActiveContent('<p>ok <a href="https://x.example/">x</a></p>', 'plain <text>')).toEqual([]);
    expect(findActiveContent('<a href="java&#x09;script&#x3A;alert(1)">x</a>', '')).toHaveLength(1);
    expect(findActiveContent('<img src="x" onerror="y">', '')).toHaveLength(1);
    expect(findActiveContent('<div style="width:expression(alert(1))">', '')).toHaveLength(2);
    expect(findActiveContent('<iframe src="x"></iframe>', '')).not.toEqual([]);
    expect(findActiveContent('', 'see <script>alert(1)</script>')).toHaveLength(1);
    // Escaped markup in html is text, not a tag.
    expect(findActiveContent('&lt;script&gt;javascript:alert(1)&lt;/script&gt;', '')).toEqual([]);
  });

  it('the CLI prints JSON and fails below --min-wellformed', async () => {
    const dir = mkdtempSync(join(scratch, 'cli-'));
    mkdirSync(join(dir, 'wellformed'));
    writeFileSync(join(dir, 'wellformed', 'broken.xml'), '<rss><channel><item><title>x</item></channel></rss>');
    writeFileSync(join(dir, 'wellformed', 'page.xml'), '<html><body><item>not a feed</item></body></html>');
    const run = promisify(execFile);
    const cli = join(repoRoot, 'src/feeds/conformance-cli.ts');
    const tsx = join(repoRoot, 'node_modules/.bin/tsx');
    const ok = await run(tsx, [cli, dir, '--json', '--in-process']);
    const parsed = JSON.parse(ok.stdout);
    expect(parsed.filesRead).toBe(2);
    expect(parsed.wellformed.files).toBe(2);
    const failing = run(tsx, [cli, dir, '--min-wellformed', '0.98', '--in-process']);
    await expect(failing).rejects.toMatchObject({ code: 1 });
  }, 30_000);
});
