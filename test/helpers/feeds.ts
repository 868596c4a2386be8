/** Builders for small feed documents used across job and CLI tests. */

export interface Item {
  guid: string;
  title: string;
  body?: string;
  date?: string;
  link?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document; `extra` goes inside <channel> (ttl, atom:link...). */
export function rss(items: Item[], extra = '', title = 'Test Desk'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${esc(title)}</title>
<link>https://desk.example/</link><language>en</language>${extra}
${items
  .map(
    (i) => `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title>
<link>${esc(i.link ?? `https://desk.example/${i.guid}`)}</link><pubDate>${i.date ?? 'Tue, 20 Jan 2026 15:00:00 GMT'}</pubDate>
<description>${esc(i.body ?? `${i.title}. Officials in Sinaloa and Washington commented on the case.`)}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
}
