import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createFetcher, DEFAULT_USER_AGENT, type FetcherOptions, type HttpFetcher } from '../../src/feeds/fetcher.ts';
import { FetchError } from '../../src/errors.ts';
import { parseCacheHints, parseMaxAge, parseRetryAfter } from '../../src/feeds/fetch-hints.ts';
import { fetchError } from '../helpers/errors.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title></item></channel></rss>';


/** Writes `byte` every `ms` until the client goes away. */
function drip(res: ServerResponse, ms: number): void {
  const timer = setInterval(() => res.write('x'), ms);
  res.on('close', () => clearInterval(timer));
}

let srv: TestServer;
const fetchers: HttpFetcher[] = [];
/** A fetcher for loopback tests: guard lifted, no spacing between requests. */
function makeFetcher(opts: FetcherOptions = {}): HttpFetcher {
  const f = createFetcher({ allowPrivate: true, perHostSpacingMs: 0, ...opts });
  fetchers.push(f);
  return f;
}

beforeAll(async () => {
  srv = await startHttpServer();
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await srv.close();
});

describe('fetchFeed: requests and outcomes', () => {
  it('sends the User-Agent, Accept and Accept-Encoding headers and returns a changed outcome', async () => {
    srv.route('/basic.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Mon, 02 Mar 2026 10:00:00 GMT' });
      res.end(RSS);
    });
    const out = await makeFetcher().fetchFeed(srv.url('/basic.xml'));
    const req = srv.requests.at(-1)!;
    expect(req.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(req.headers['accept']).toMatch(/^application\/rss\+xml/);
    expect(req.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(req.headers['if-none-match']).toBeUndefined();
    expect(req.headers['if-modified-since']).toBeUndefined();
    expect(out.kind).toBe('changed');
    if (out.kind !== 'changed') return;
    expect(Buffer.from(out.body).toString()).toBe(RSS);
    expect(out.bodyHash).toBe(createHash('sha256').update(RSS).digest('hex'));
    expect(out.etag).toBe('"v1"');
    expect(out.lastModified).toBe('Mon, 02 Mar 2026 10:00:00 GMT');
    expect(out.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(out.finalUrl).toBe(srv.url('/basic.xml'));
    expect(out.permanentUrl).toBeNull();
  });

  it('uses a configured User-Agent', async () => {
    srv.route('/ua.xml', (_req, res) => res.end(RSS));
    await makeFetcher({ userAgent: 'TestAgent/1' }).fetchFeed(srv.url('/ua.xml'));
    expect(srv.requests.at(-1)!.headers['user-agent']).toBe('TestAgent/1');
  });

  it('sends ETag and Last-Modified back and reports a 304 as unchanged', async () => {
    const lastModified = 'Tue, 03 Mar 2026 08:00:00 GMT';
    srv.route('/cond.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"abc"') {
        res.writeHead(304, { etag: '"abc"', 'cache-control': 'max-age=300' });
        return res.end();
      }
      res.writeHead(200, { etag: '"abc"', 'last-modified': lastModified });
      res.end(RSS);
    });
    const f = makeFetcher();
    const first = await f.fetchFeed(srv.url('/cond.xml'));
    expect(first.kind).toBe('changed');
    const second = await f.fetchFeed(srv.url('/cond.xml'), { etag: first.etag, lastModified: first.lastModified });
    const req = srv.requests.at(-1)!;
    expect(req.headers['if-none-match']).toBe('"abc"');
    expect(req.headers['if-modified-since']).toBe(lastModified);
    expect(second).toMatchObject({ kind: 'unchanged', reason: 'not-modified', etag: '"abc"', lastModified, hints: { maxAgeSeconds: 300 } });
  });

  it('treats a 200 carrying the stored ETag as unchanged without reading the body', async () => {
    // The body never ends: reading it would hit the timeout instead of returning.
    srv.route('/same-etag.xml', (_req, res) => {
      res.writeHead(200, { etag: 'W/"same"' });
      res.write('<rss>');
      drip(res, 200);
    });
    const out = await makeFetcher({ totalTimeoutMs: 5_000 }).fetchFeed(srv.url('/same-etag.xml'), { etag: 'W/"same"' });
    expect(out).toMatchObject({ kind: 'unchanged', reason: 'same-etag', etag: 'W/"same"' });
  });

  it('treats a 200 whose body hash matches as unchanged', async () => {
    srv.route('/same-body.xml', (_req, res) => res.end(RSS));
    const bodyHash = createHash('sha256').update(RSS).digest('hex');
    const out = await makeFetcher().fetchFeed(srv.url('/same-body.xml'), { bodyHash });
    expect(out).toMatchObject({ kind: 'unchanged', reason: 'same-body' });
  });

  it('returns cache hints from Cache-Control, Expires (against Date) and Retry-After', async () => {
    const serverNow = Date.parse('Wed, 04 Mar 2026 12:00:00 GMT');
    srv.route('/hints.xml', (_req, res) => {
      res.setHeader('date', new Date(serverNow).toUTCString());
      res.setHeader('expires', new Date(serverNow + 600_000).toUTCString());
      res.setHeader('cache-control', 'public, max-age=900');
      res.setHeader('retry-after', '120');
      res.end(RSS);
    });
    const localNow = Date.parse('2026-03-04T12:30:00Z'); // our clock is 30 minutes ahead of the server's
    const out = await makeFetcher({ now: () => localNow }).fetchFeed(srv.url('/hints.xml'));
    expect(out.hints.maxAgeSeconds).toBe(900);
    expect(out.hints.retryAfterSeconds).toBe(120);
    expect(out.hints.expires?.getTime()).toBe(localNow + 600_000);
  });
});

describe('fetchFeed: compression and size limits', () => {
  const payload = RSS.repeat(50);
  it.each([
    ['gzip', zlib.gzipSync(payload)],
    ['br', zlib.brotliCompressSync(payload)],
    ['deflate', zlib.deflateSync(payload)],
    ['deflate', zlib.deflateRawSync(payload)], // raw deflate, as some old servers send it
  ])('decodes a %s body', async (encoding, compressed) => {
    const path = `/enc-${encoding}-${compressed.length}.xml`;
    srv.route(path, (_req, res) => {
      res.writeHead(200, { 'content-encoding': encoding, 'content-length': compressed.length });
      res.end(compressed);
    });
    const out = await makeFetcher().fetchFeed(srv.url(path));
    expect(out.kind).toBe('changed');
    if (out.kind === 'changed') expect(Buffer.from(out.body).toString()).toBe(payload);
  });

  it('refuses a body over the cap', async () => {
    srv.route('/big.xml', (_req, res) => {
      res.write('a'.repeat(3000));
      res.end('b'.repeat(3000));
    });
    const err = await fetchError(() => makeFetcher({ maxBodyBytes: 4096 }).fetchFeed(srv.url('/big.xml')));
    expect(err.code).toBe('too_large');
    expect(err.message).toContain('4 KiB');
  });

  it('refuses a Content-Length over the cap without waiting for the body', async () => {
    srv.route('/declared-big.xml', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('<rss>');
      drip(res, 200); // never finishes: only the header check can end this quickly
    });
    const err = await fetchError(() => makeFetcher({ maxBodyBytes: 1024 * 1024, totalTimeoutMs: 10_000 }).fetchFeed(srv.url('/declared-big.xml')));
    expect(err.code).toBe('too_large');
  });

  it('stops a gzip bomb once the decoded size passes the cap', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)); // ~64 KiB that inflates to 64 MiB
    expect(bomb.length).toBeLessThan(1024 * 1024);
    srv.route('/bomb.xml', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const err = await fetchError(() => makeFetcher({ maxBodyBytes: 1024 * 1024 }).fetchFeed(srv.url('/bomb.xml')));
    expect(err.code).toBe('too_large');
  });

  it('aborts a gzip bomb as soon as the cap is passed, before the server has finished sending', async () => {
    let clientClosed = false;
    srv.route('/open-bomb.xml', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      const gz = zlib.createGzip();
      gz.pipe(res);
      gz.write(Buffer.alloc(8 * 1024 * 1024));
      gz.flush();
      // ...and the response never ends: waiting for the end would mean a timeout, not too_large.
      res.on('close', () => {
        clientClosed = true;
        gz.destroy();
      });
    });
    const err = await fetchError(() => makeFetcher({ maxBodyBytes: 1024 * 1024, totalTimeoutMs: 15_000 }).fetchFeed(srv.url('/open-bomb.xml')));
    expect(err.code).toBe('too_large');
    await expect.poll(() => clientClosed).toBe(true);
  });

  it('reports corrupt compressed data clearly', async () => {
    srv.route('/corrupt.xml', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/corrupt.xml')));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/corrupt gzip/);
  });
});

describe('fetchFeed: timeouts', () => {
  it('cuts off a server that drips the body slowly at the total timeout', async () => {
    srv.route('/drip.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      drip(res, 50);
    });
    const err = await fetchError(() => makeFetcher({ totalTimeoutMs: 600 }).fetchFeed(srv.url('/drip.xml')));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('0.6 seconds');
  });

  it('times out a server that never sends headers', async () => {
    srv.route('/silent.xml', () => {
      /* never answers */
    });
    const err = await fetchError(() => makeFetcher({ totalTimeoutMs: 400 }).fetchFeed(srv.url('/silent.xml')));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(srv.host);
  });
});

describe('fetchFeed: redirects', () => {
  beforeAll(() => {
    srv.route('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
    srv.route('/loop-b', (_req, res) => res.writeHead(302, { location: srv.url('/loop-a') }).end());
    for (let i = 0; i < 10; i++) srv.route(`/hop${i}`, (_req, res) => res.writeHead(301, { location: `/hop${i + 1}` }).end());
    srv.route('/hop10', (_req, res) => res.end(RSS));
    srv.route('/perm1', (_req, res) => res.writeHead(301, { location: 'perm2' }).end()); // relative to /perm1
    srv.route('/perm2', (_req, res) => res.writeHead(308, { location: '/dir/feed.xml' }).end());
    srv.route('/dir/feed.xml', (_req, res) => res.end(RSS));
    srv.route('/temp1', (_req, res) => res.writeHead(302, { location: '/perm-after-temp' }).end());
    srv.route('/perm-after-temp', (_req, res) => res.writeHead(301, { location: '/dir/feed.xml' }).end());
  });

  it('detects a redirect loop', async () => {
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/loop-a')));
    expect(err.code).toBe('redirect_loop');
  });

  it('gives up after too many redirects', async () => {
    const err = await fetchError(() => makeFetcher({ maxRedirects: 3 }).fetchFeed(srv.url('/hop0')));
    expect(err.code).toBe('too_many_redirects');
    expect(err.message).toContain('3 times');
  });

  it('follows exactly maxRedirects redirects', async () => {
    const out = await makeFetcher({ maxRedirects: 3 }).fetchFeed(srv.url('/hop7'));
    expect(out.finalUrl).toBe(srv.url('/hop10'));
  });

  it('reports permanentUrl when every hop was permanent (301, 308), resolving relative Locations', async () => {
    const out = await makeFetcher().fetchFeed(srv.url('/perm1'));
    expect(out.finalUrl).toBe(srv.url('/dir/feed.xml'));
    expect(out.permanentUrl).toBe(srv.url('/dir/feed.xml'));
  });

  it('does not report permanentUrl when a 302 comes before a 301', async () => {
    const out = await makeFetcher().fetchFeed(srv.url('/temp1'));
    expect(out.finalUrl).toBe(srv.url('/dir/feed.xml'));
    expect(out.permanentUrl).toBeNull();
  });

  it('refuses a redirect to a non-http scheme', async () => {
    srv.route('/to-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/to-file')));
    expect(err.code).toBe('bad_url');
  });
});

describe('fetchFeed: HTTP errors', () => {
  it('maps 429 with Retry-After seconds to rate_limited', async () => {
    srv.route('/429', (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end('slow down'));
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/429')));
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 120 });
  });

  it('reads a Retry-After HTTP date on a 503 against the Date header', async () => {
    const serverNow = Date.parse('Thu, 05 Mar 2026 09:00:00 GMT');
    srv.route('/503', (_req, res) => {
      res.setHeader('date', new Date(serverNow).toUTCString());
      res.writeHead(503, { 'retry-after': new Date(serverNow + 90_000).toUTCString() }).end('maintenance');
    });
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/503')));
    expect(err).toMatchObject({ code: 'http_5xx', status: 503, retryAfterSeconds: 90 });
  });

  it.each([
    [410, 'gone'],
    [404, 'http_4xx'],
    [401, 'http_4xx'],
    [500, 'http_5xx'],
  ])('maps HTTP %i to %s', async (status, code) => {
    srv.route(`/status-${status}`, (_req, res) => res.writeHead(status).end('no'));
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url(`/status-${status}`)));
    expect(err).toMatchObject({ code, status });
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it('names a 403 with cf-mitigated: challenge as cloudflare', async () => {
    srv.route('/cf-403', (_req, res) => res.writeHead(403, { 'cf-mitigated': 'challenge', server: 'cloudflare' }).end('<html></html>'));
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/cf-403')));
    expect(err).toMatchObject({ code: 'cloudflare', status: 403 });
  });

  it('names a 503 "Just a moment..." page from Cloudflare as cloudflare', async () => {
    srv.route('/cf-503', (_req, res) => {
      res.writeHead(503, { server: 'cloudflare', 'content-type': 'text/html; charset=UTF-8', 'cf-ray': '8a1b2c3d4e5f-DFW' });
      res.end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>');
    });
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/cf-503')));
    expect(err).toMatchObject({ code: 'cloudflare', status: 503 });
  });

  it('keeps an ordinary 403 as http_4xx', async () => {
    srv.route('/plain-403', (_req, res) => res.writeHead(403, { 'content-type': 'text/html' }).end('<html><body>Forbidden</body></html>'));
    const err = await fetchError(() => makeFetcher().fetchFeed(srv.url('/plain-403')));
    expect(err).toMatchObject({ code: 'http_4xx', status: 403 });
  });
});

describe('fetchFeed: transport errors', () => {
  it('reports a refused connection as network', async () => {
    const gone = await startHttpServer();
    const url = gone.url('/feed.xml');
    await gone.close();
    const err = await fetchError(() => makeFetcher().fetchFeed(url));
    expect(err.code).toBe('network');
    expect(err.message).toContain('refused');
  });

  it('reports an unknown host as dns', async () => {
    const err = await fetchError(() => makeFetcher().fetchFeed('http://no-such-host.frontera.invalid/feed.xml'));
    expect(err.code).toBe('dns');
    expect(err.message).toContain('no-such-host.frontera.invalid');
  });

  it('reports an untrusted certificate as tls', async () => {
    const tlsServer = await startHttpServer({ '/feed.xml': (_req, res) => res.end(RSS) }, { tls: { key: TEST_KEY, cert: TEST_CERT } });
    try {
      const err = await fetchError(() => makeFetcher().fetchFeed(tlsServer.url('/feed.xml')));
      expect(err.code).toBe('tls');
    } finally {
      await tlsServer.close();
    }
  });

  it('refuses malformed URLs and unsupported schemes as bad_url', async () => {
    const f = makeFetcher();
    expect((await fetchError(() => f.fetchFeed('not a url'))).code).toBe('bad_url');
    expect((await fetchError(() => f.fetchFeed('ftp://example.com/feed.xml'))).code).toBe('bad_url');
    expect((await fetchError(() => f.fetchFeed('file:///etc/passwd'))).code).toBe('bad_url');
  });
});

describe('fetchPage', () => {
  it('follows redirects and returns the decoded page', async () => {
    const html = '<html><body><article><p>Hola</p></article></body></html>';
    srv.route('/page-old', (_req, res) => res.writeHead(301, { location: '/page' }).end());
    srv.route('/page', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(html));
    });
    const page = await makeFetcher().fetchPage(srv.url('/page-old'));
    expect(page.finalUrl).toBe(srv.url('/page'));
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(Buffer.from(page.body).toString()).toBe(html);
    expect(srv.requests.at(-1)!.headers['accept']).toMatch(/^text\/html/);
  });

  it('throws the same errors as feeds', async () => {
    srv.route('/missing-page', (_req, res) => res.writeHead(404).end());
    const err = await fetchError(() => makeFetcher().fetchPage(srv.url('/missing-page')));
    expect(err).toMatchObject({ code: 'http_4xx', status: 404 });
  });
});

describe('cache hint parsing', () => {
  const now = Date.parse('2026-03-04T12:00:00Z');
  it('reads max-age, falls back to s-maxage, and treats no-cache/no-store as 0', () => {
    expect(parseMaxAge('public, max-age=600')).toBe(600);
    expect(parseMaxAge('s-maxage=120')).toBe(120);
    expect(parseMaxAge('max-age=60, s-maxage=120')).toBe(60);
    expect(parseMaxAge('max-age="300"')).toBe(300);
    expect(parseMaxAge('no-cache')).toBe(0);
    expect(parseMaxAge('max-age=600, no-store')).toBe(0);
    expect(parseMaxAge('private')).toBeUndefined();
    expect(parseMaxAge('max-age=soon')).toBeUndefined();
  });

  it('reads Retry-After as seconds or as a date against the Date header', () => {
    expect(parseRetryAfter('120', undefined, now)).toBe(120);
    expect(parseRetryAfter(new Date(now + 60_000).toUTCString(), undefined, now)).toBe(60);
    expect(parseRetryAfter('Wed, 04 Mar 2026 12:05:00 GMT', 'Wed, 04 Mar 2026 12:04:00 GMT', now + 3_600_000)).toBe(60);
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), undefined, now)).toBe(0);
    expect(parseRetryAfter('tomorrow-ish', undefined, now)).toBeUndefined();
  });

  it('treats an unreadable Expires as already expired', () => {
    expect(parseCacheHints({ expires: '0' }, now)).toEqual({ expires: new Date(now) });
    expect(parseCacheHints({}, now)).toEqual({});
  });
});

// A self-signed certificate (CN=localhost, 127.0.0.1) made for this test only; no client trusts it.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg706Ht4E6BLSm+vRZ
w315P9OW9Guxm6pkm+c2c0NWeZihRANCAASgHrhuAZhGSQjLbP7+Bu/XIFSaeD0R
jc9Rfc0upZq2Fw58rjVvDG5qDIH/kSK+hPseWCbXnFh7fcqk1IaFhVl7
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUTPTwbf+8nYqFlA1J74WteGs9lr8wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA0NTgwN1oYDzIxMjYxMDI5
MDQ1ODA3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASgHrhuAZhGSQjLbP7+Bu/XIFSaeD0Rjc9Rfc0upZq2Fw58rjVvDG5q
DIH/kSK+hPseWCbXnFh7fcqk1IaFhVl7o28wbTAdBgNVHQ4EFgQU98pJEB3RHP97
512qX6rk/32f6LgwHwYDVR0jBBgwFoAU98pJEB3RHP97512qX6rk/32f6LgwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAK21sjhggOnhYxu+649kzyh/Qk8Cq+vpr5U7dBy0nocvAiAC
KI/m23X3i8qiHsxPmQ00ZARUXH39YrJ4V5e1l+eP3g==
-----END CERTIFICATE-----
`;
