/**
 * Benchmark feed server, run as a child process so its memory is not counted as ours.
 * GET /f/<n>?v=<version>: feed n at a version; ETag per (feed, version); If-None-Match -> 304.
 * Listens on 0.0.0.0 so every 127.x.y.z alias reaches it (distinct hosts for politeness).
 */
import http from 'node:http';
import { generateFeed } from './gen.ts';

const itemsPerFeed = Number(process.env.BENCH_ITEMS ?? 20);
const versions = new Map<number, number>();

const server = http.createServer((req, res) => {
  const m = /^\/f\/(\d+)/.exec(req.url ?? '');
  if (!m) {
    if (req.url?.startsWith('/bump')) {
      // Every feed gains `itemsPerFeed` new items.
      for (let i = 0; i < 100_000; i++) versions.set(i, (versions.get(i) ?? 0) + 1);
      res.end('ok');
      return;
    }
    res.writeHead(404).end();
    return;
  }
  const n = Number(m[1]);
  const v = versions.get(n) ?? 0;
  const etag = `"f${n}v${v}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml', etag });
  res.end(generateFeed(n, itemsPerFeed, v * itemsPerFeed, 'rss'));
});
server.keepAliveTimeout = 5_000;
server.listen(0, '0.0.0.0', () => {
  const addr = server.address() as { port: number };
  process.send?.({ port: addr.port });
});
process.on('disconnect', () => process.exit(0));
