import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes, escapeHtml } from '../../src/web/dashboard.ts';
import { createChatStore } from '../../src/store/chat.ts';
import type { Stores } from '../../src/store/index.ts';
import { backends } from '../helpers/db.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await backends()[0]!.open();
});
afterAll(async () => {
  await stores.db.close();
});

describe('dashboard', () => {
  it('shows feed text literally: no tag, handler or javascript: link gets through', async () => {
    const { feed } = await stores.feeds.add({ url: 'https://desk.example/feed', name: '<b onmouseover="x()">Desk</b>' });
    await stores.articles.insertMany([{
      article: {
        identity: 'i1', identitySource: 'guid', guid: 'g1', url: 'javascript:alert(1)', canonicalUrl: null,
        title: '<script>alert("@everyone")</script> Cartel news', html: '', text: 'body', publishedAt: new Date('2026-02-22T18:00:00Z'),
        publishedEstimated: false, language: 'en', author: null, categories: [],
      },
      feedId: feed.id, sourceKey: `feed:${feed.id}`, source: feed.url, baseline: false, seenAt: new Date(),
    }]);
    const [route] = dashboardRoutes(stores);
    const res = await route!.handler({ method: 'GET', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), params: {} });
    const html = String(res.body);
    expect(res.status).toBe(200);
    expect(res.headers?.['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html).toContain('&lt;script&gt;alert(&quot;@everyone&quot;)&lt;/script&gt; Cartel news');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;Desk&lt;/b&gt;');
  });

  it('lists stories with their summaries and the alerts posted to channels, with held-back reasons', async () => {
    const at = new Date('2026-02-22T19:00:00Z');
    await stores.newsroom.upsertStories([{
      id: 's-dash', headline: 'Blockades spread <after> the operation', summary: [{ text: 'Roads were blocked in 20 states & more.', articleId: null }],
      quote: null, whatsNew: null, covered: [], actors: [], topics: [], importance: 'breaking', importanceReasons: [],
      articleCount: 4, sourceCount: 3, languages: ['en', 'es'], firstSeen: at, updatedAt: at,
    }]);
    const chat = createChatStore(stores.db);
    const channel = { platform: 'console' as const, workspaceId: 'demo', channelId: 'newsroom' };
    await chat.record({ channel, key: 'alert:s-dash', kind: 'alert', storyId: 's-dash', outcome: 'delivered', nonce: 'n1' });
    await chat.record({ channel, key: 'filtered:s-dash:a9', kind: 'none', storyId: 's-dash', articleId: 'a9', outcome: 'filtered', reason: 'story muted in this channel', nonce: 'n2' });
    const [route] = dashboardRoutes(stores);
    const html = String((await route!.handler({ method: 'GET', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), params: {} })).body);
    const stories = html.slice(html.indexOf('<h2>Stories</h2>'), html.indexOf('<h2>Alerts</h2>'));
    expect(stories).toContain('Blockades spread &lt;after&gt; the operation');
    expect(stories).toContain('Roads were blocked in 20 states &amp; more.');
    expect(stories).toContain('4 report(s) from 3 outlet(s)');
    const alerts = html.slice(html.indexOf('<h2>Alerts</h2>'), html.indexOf('<h2>Newest articles</h2>'));
    expect(alerts).toContain('console:newsroom');
    expect(alerts).toMatch(/alert<\/td>\s*<td>Blockades spread &lt;after&gt; the operation<\/td><td>delivered/);
    expect(alerts).toContain('filtered (story muted in this channel)');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
