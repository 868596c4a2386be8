/**
 * The demo's feed server: serves the bundled sample feeds on loopback with ETags (so polls show
 * 304s), and appends the upcoming items one at a time so new reports arrive while you watch.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface UpcomingItem {
  feed: string;
  guid: string;
  link: string;
  title: string;
  summary: string;
  published: string;
  author?: string;
  lang?: string;
}

export interface DemoFeedServer {
  baseUrl: string;
  /** URL of each feed file by name. */
  feedUrls: Record<string, string>;
  /** Appends the next upcoming item; returns it, or null when none are left. */
  releaseNext(): UpcomingItem | null;
  remaining(): number;
  close(): Promise<void>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Adds one item to a feed document in its own format (RSS, Atom or JSON Feed). */
export function appendItem(doc: string, name: string, item: UpcomingItem): string {
  if (name.endsWith('.json')) {
    const feed = JSON.parse(doc) as { items: unknown[] };
    feed.items.unshift({
      id: item.guid, url: item.link, title: item.title, content_html: `<p>${esc(item.summary)}</p>`,
      date_published: item.published, authors: item.author ? [{ name: item.author }] : undefined,
      language: item.lang,
    });
    return JSON.stringify(feed, null, 2);
  }
  if (/<feed[\s>]/.test(doc)) {
    const entry = `<entry><id>${esc(item.guid)}</id><title>${esc(item.title)}</title>` +
      `<link rel="alternate" href="${esc(item.link)}"/><published>${item.published}</published>` +
      `<updated>${item.published}</updated>${item.author ? `<author><name>${esc(item.author)}</name></author>` : ''}` +
      `<summary>${esc(item.summary)}</summary></entry>\n`;
    return doc.replace(/<\/feed>\s*$/, `${entry}</feed>\n`);
  }
  const rssItem = `<item><guid isPermaLink="false">${esc(item.guid)}</guid><title>${esc(item.title)}</title>` +
    `<link>${esc(item.link)}</link><pubDate>${new Date(item.published).toUTCString()}</pubDate>` +
    `${item.author ? `<author>${esc(item.author)}</author>` : ''}<description>${esc(item.summary)}</description></item>\n`;
  return doc.replace(/<\/channel>/, `${rssItem}</channel>`);
}

function contentType(name: string): string {
  if (name.endsWith('.json')) return 'application/feed+json; charset=utf-8';
  if (name.endsWith('.atom')) return 'application/atom+xml; charset=utf-8';
  return 'application/rss+xml; charset=utf-8';
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startDemoFeedServer(feedsDir: string, upcoming: UpcomingItem[]): Promise<DemoFeedServer> {
  const docs = new Map<string, { body: string; etag: string; modified: string }>();
  const set = (name: string, body: string) =>
    docs.set(name, { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`, modified: new Date().toUTCString() });
  for (const name of fs.readdirSync(feedsDir).sort()) {
    if (/\.(xml|atom|json)$/.test(name)) set(name, fs.readFileSync(path.join(feedsDir, name), 'utf8'));
  }
  const queue = [...upcoming];

  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/feeds\//, ''));
    const doc = docs.get(name);
    if (!doc) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such feed\n');
      return;
    }
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { etag: doc.etag, 'cache-control': 'max-age=1' });
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': contentType(name), etag: doc.etag, 'last-modified': doc.modified, 'cache-control': 'max-age=1',
    });
    res.end(doc.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feedUrls = Object.fromEntries([...docs.keys()].map((n) => [n, `${baseUrl}/feeds/${encodeURIComponent(n)}`]));

  return {
    baseUrl,
    feedUrls,
    releaseNext() {
      const item = queue.shift();
      if (!item) return null;
      const doc = docs.get(item.feed);
      if (doc) set(item.feed, appendItem(doc.body, item.feed, item));
      return item;
    },
    remaining: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
