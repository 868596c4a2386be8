/**
 * `frontera demo` end to end, as a newcomer runs it: the bundled feeds served on loopback, a managed
 * redis-server, the embedded database, the console subscribed like a channel. New items are released
 * quickly here; the run must print the silent baseline, an alert with its sources, a thread update and a
 * suppressed copy, and its web page must list the story and the alert posted for it.
 */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.ts';
import type { Out } from '../../src/cli/output.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';

describe('frontera demo', () => {
  it('shows alerts, thread updates and what it held back, and lists them on its web page', async () => {
    const lines: string[] = [];
    let page: Promise<string> | null = null;
    const out: Out = {
      line(text) {
        lines.push(...text.split('\n'));
        // Read the web page once the second alert is printed, while the demo still runs.
        if (!page && lines.filter((l) => l.includes(' ALERT [')).length >= 2) {
          const url = lines.find((l) => l.startsWith('Web page: '))!.split(' ')[2]!;
          page = fetch(url).then((r) => r.text());
        }
      },
      err(text) {
        lines.push(`stderr: ${text}`);
      },
    };
    // Leave V8's heap settings alone in the shared test process.
    process.env.FRONTERA_V8_DEFAULT_HEAP = '1';
    const code = await runDemo(loadConfig({}, {}), silentLogger(), { duration: '30s', everyMs: 500 }, out);
    expect(code).toBe(0);

    expect(lines[0]).toMatch(/^Frontera demo: 4 sample feeds served at http:\/\/127\.0\.0\.1:\d+/);
    expect(lines.some((l) => /^Baseline: \d+ existing items stored without alerts/.test(l))).toBe(true);
    const alerts = lines.filter((l) => / ALERT \[(routine|notable|breaking)\] /.test(l));
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    // Each alert is printed once per story: the channel never hears the same story announced twice.
    const storyIds = alerts.map((l) => /\(story (s[0-9a-f]+)\)/.exec(l)![1]);
    expect(new Set(storyIds).size).toBe(storyIds.length);
    const first = lines.indexOf(alerts[0]!);
    const bullets = lines.slice(first + 1, first + 4).filter((l) => l.trim().startsWith('•'));
    expect(bullets.length).toBeGreaterThanOrEqual(2);
    // The first story's wire lede and an outlet's rewrite of it both say he died on Sunday: one bullet only.
    expect(bullets.filter((l) => /died Sunday/.test(l)).length).toBeLessThanOrEqual(1);
    expect(lines.some((l) => l.includes('↳ thread update on '))).toBe(true);
    expect(lines.some((l) => l.includes('copy of an earlier report, not alerted'))).toBe(true);
    // Actors are named, never shown as internal ids.
    for (const l of lines.filter((x) => x.trim().startsWith('actors:'))) expect(l).not.toMatch(/cand:|-[a-z]+-/);
    expect(lines.at(-1)).toMatch(/^Stopping \(duration\): \d+ new report\(s\) analysed, \d+ message\(s\) posted/);

    expect(page).not.toBeNull();
    const html = await page!;
    const stories = html.slice(html.indexOf('<h2>Stories</h2>'), html.indexOf('<h2>Alerts</h2>'));
    expect(stories).toContain('El Mencho');
    const posted = html.slice(html.indexOf('<h2>Alerts</h2>'), html.indexOf('<h2>Newest articles</h2>'));
    expect(posted).toContain('console:newsroom');
    expect(posted).toContain('delivered');
  }, 90_000);
});
