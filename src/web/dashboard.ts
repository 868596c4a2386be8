/** A small read-only web page: feeds and the newest articles. Everything from feeds is HTML-escaped. */
import type { Stores } from '../store/index.ts';
import type { Route } from './server.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? escapeHtml(url) : '#');

/** The dashboard route at `/`. */
export function dashboardRoutes(stores: Stores, opts: { title?: string } = {}): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      async handler() {
        const { rows } = await stores.db.query<{ title: string; url: string | null; published_at: Date; language: string | null; source: string; name: string | null; baseline: boolean }>(
          `select a.title, a.url, a.published_at, a.language, a.source, f.name, a.baseline
           from articles a left join feeds f on f.id = a.feed_id order by a.first_seen_at desc, a.published_at desc limit 100`,
        );
        const feeds = await stores.feeds.list();
        const items = rows.map((r) =>
          `<li${r.baseline ? ' class="baseline"' : ''}><a href="${safeHref(r.url)}" rel="noopener nofollow">${escapeHtml(r.title)}</a>
           <small>${escapeHtml(r.name ?? r.source)} · ${r.language ?? '?'} · ${new Date(r.published_at).toISOString().slice(0, 16).replace('T', ' ')} UTC${r.baseline ? ' · baseline' : ''}</small></li>`,
        );
        const feedRows = feeds.map((f) =>
          `<tr><td>${f.id}</td><td>${escapeHtml(f.name ?? f.url)}</td><td>${f.tier}</td><td>${f.status}</td><td>${f.itemCount}</td><td>${escapeHtml(f.lastError ?? '')}</td></tr>`,
        );
        const title = escapeHtml(opts.title ?? 'Frontera');
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>${title}</title><style>body{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
li{margin:.4rem 0}small{color:#666;display:block}.baseline{opacity:.6}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>${title}</h1><h2>Newest articles</h2><ul>${items.join('\n') || '<li>Nothing stored yet.</li>'}</ul>
<h2>Feeds</h2><table><tr><th>#</th><th>Feed</th><th>Tier</th><th>Status</th><th>Items</th><th>Last error</th></tr>${feedRows.join('\n')}</table></body></html>`;
        return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }, body: html };
      },
    },
  ];
}
