import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes, escapeHtml } from '../../src/web/dashboard.ts';
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

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
