/**
 * A small read-only web page: the newest stories with their summaries, the alerts posted to channels
 * (and what was held back, with the reason), the newest articles and the feeds. Everything from feeds is
 * HTML-escaped; links must be http(s).
 */
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
        const stories = await stores.newsroom.recentStories(new Date(0), 30);
        const { rows: alerts } = await stores.db.query<{ platform: string; channel_id: string; kind: string; outcome: string; reason: string | null; updated_at: Date; headline: string | null; story_id: string | null }>(
          `select d.platform, d.channel_id, d.kind, d.outcome, d.reason, d.updated_at, s.headline, d.story_id
           from chat_deliveries d left join stories s on s.id = d.story_id
           where d.kind <> 'none' or d.outcome = 'filtered' order by d.id desc limit 50`,
        );
        const storyItems = stories.map((st) =>
          `<li><strong>${escapeHtml(st.headline)}</strong> <span class="imp ${st.importance}">${st.importance}</span>
           <small>${st.articleCount} report(s) from ${st.sourceCount} outlet(s) · updated ${new Date(st.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · story ${escapeHtml(st.id)}</small>
           <ul>${st.summary.map((b) => `<li>${escapeHtml(b.text)}</li>`).join('')}</ul></li>`,
        );
        const KIND: Record<string, string> = { alert: 'alert', thread: 'thread update', realert: 'thread update, shown in channel', digest: 'digest', none: 'not posted' };
        const alertRows = alerts.map((a) =>
          `<tr><td>${new Date(a.updated_at).toISOString().slice(11, 19)}</td><td>${escapeHtml(`${a.platform}:${a.channel_id}`)}</td><td>${escapeHtml(KIND[a.kind] ?? a.kind)}</td>
           <td>${escapeHtml(a.headline ?? a.story_id ?? '')}</td><td>${escapeHtml(a.outcome)}${a.reason ? ` (${escapeHtml(a.reason)})` : ''}</td></tr>`,
        );
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
li{margin:.4rem 0}.imp{font-size:12px;padding:0 .3rem;border-radius:3px;background:#eee}.breaking{background:#fdd}.notable{background:#ffd}small{color:#666;display:block}.baseline{opacity:.6}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>${title}</h1><h2>Stories</h2><ul>${storyItems.join('\n') || '<li>No stories yet.</li>'}</ul>
<h2>Alerts</h2><table><tr><th>UTC</th><th>Channel</th><th>Post</th><th>Story</th><th>Outcome</th></tr>${alertRows.join('\n') || '<tr><td colspan="5">Nothing posted yet.</td></tr>'}</table>
<h2>Newest articles</h2><ul>${items.join('\n') || '<li>Nothing stored yet.</li>'}</ul>
<h2>Feeds</h2><table><tr><th>#</th><th>Feed</th><th>Tier</th><th>Status</th><th>Items</th><th>Last error</th></tr>${feedRows.join('\n')}</table></body></html>`;
        return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }, body: html };
      },
    },
  ];
}
