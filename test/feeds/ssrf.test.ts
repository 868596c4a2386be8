import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { checkUrl, classifyAddress, createGuardedLookup, type Resolver } from '../../src/feeds/ssrf.ts';
import { createFetcher, type HttpFetcher } from '../../src/feeds/fetcher.ts';
import { FetchError } from '../../src/errors.ts';
import { fetchError } from '../helpers/errors.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';


describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.1', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)?.class).toBe(cls);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'loopback', '127.0.0.1', 'IPv4-mapped'],
    ['::ffff:10.0.0.5', 'private', '10.0.0.5', 'IPv4-mapped'],
    ['::ffff:169.254.169.254', 'metadata', '169.254.169.254', 'IPv4-mapped'],
    ['::127.0.0.1', 'loopback', '127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::127.0.0.1', 'loopback', '127.0.0.1', 'NAT64'],
    ['64:ff9b::a00:1', 'private', '10.0.0.1', 'NAT64'],
    ['2002:c0a8:0101::1', 'private', '192.168.1.1', '6to4'],
    ['2002:7f00:1::', 'loopback', '127.0.0.1', '6to4'],
  ])('%s embeds %s (%s via %s)', (address, cls, embedded, via) => {
    expect(classifyAddress(address)).toEqual({ class: cls, embedded, via });
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );

  it('treats IPv6 outside global unicast as reserved', () => {
    expect(classifyAddress('100::1')?.class).toBe('reserved');
    expect(classifyAddress('::8.8.8.8')?.class).toBe('reserved'); // deprecated IPv4-compatible form
  });
});

describe('checkUrl', () => {
  it.each([
    ['http://127.0.0.1/feed', 'loopback'],
    ['http://2130706433/', 'loopback'], // decimal
    ['http://0x7f.1/', 'loopback'], // hex, short form
    ['http://017700000001/', 'loopback'], // octal
    ['http://0x7f000001/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.0.0.5:8080/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://100.64.0.1/', 'shared'],
  ])('refuses %s', (url, cls) => {
    const err = (() => {
      try {
        checkUrl(url);
      } catch (e) {
        return e as FetchError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(FetchError);
    expect(err!.code).toBe('blocked_address');
    expect(err!.message).toContain(cls === 'metadata' ? 'cloud metadata' : cls === 'shared' ? 'carrier-grade NAT' : cls);
  });

  it('names the host, the class and the setting in the message', async () => {
    const err = await fetchError(() => checkUrl('http://10.0.0.5/feed.xml'));
    expect(err.message).toBe('Refusing to fetch: 10.0.0.5 is a private address; set FRONTERA_ALLOW_PRIVATE_FEEDS=1 to allow.');
  });

  it('refuses metadata host names, with a trailing dot too', async () => {
    expect((await fetchError(() => checkUrl('http://metadata.google.internal/computeMetadata/v1/'))).code).toBe('blocked_address');
    expect((await fetchError(() => checkUrl('http://METADATA.google.internal./'))).code).toBe('blocked_address');
  });

  it('refuses non-http schemes, credentials and junk as bad_url', async () => {
    for (const url of ['ftp://example.com/feed', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'not a url', 'http://']) {
      expect((await fetchError(() => checkUrl(url))).code).toBe('bad_url');
    }
    const creds = await fetchError(() => checkUrl('https://editor:s3cret@example.com/feed'));
    expect(creds.code).toBe('bad_url');
    expect(creds.message).not.toContain('s3cret');
  });

  it('lets private literals through with allowPrivate, but never metadata', async () => {
    expect(checkUrl('http://127.0.0.1:8080/feed', { allowPrivate: true }).port).toBe('8080');
    expect(checkUrl('http://[::1]/', { allowPrivate: true }).hostname).toBe('[::1]');
    expect((await fetchError(() => checkUrl('http://169.254.169.254/', { allowPrivate: true }))).code).toBe('blocked_address');
    expect((await fetchError(() => checkUrl('http://metadata.google.internal/', { allowPrivate: true }))).code).toBe('blocked_address');
  });

  it('accepts public hosts', () => {
    expect(checkUrl('https://www.example.com/feed.xml').hostname).toBe('www.example.com');
    expect(checkUrl('http://93.184.216.34/').hostname).toBe('93.184.216.34');
  });
});

describe('createGuardedLookup', () => {
  const table: Record<string, LookupAddress[]> = {
    'public.test': [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }],
    'mixed.test': [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }],
    'mapped.test': [{ address: '::ffff:192.168.0.1', family: 6 }],
  };
  const resolve: Resolver = async (host) => (table[host] ?? []).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

  function lookup(host: string, options: { all?: boolean; family?: number }, allowPrivate = false) {
    const fn = createGuardedLookup({ resolve, allowPrivate });
    return new Promise<{ err: NodeJS.ErrnoException | null; result: unknown; family?: number }>((done) =>
      fn(host, options, (err, result, family) => done({ err, result, family })),
    );
  }

  it('hands every address to the socket when all are public', async () => {
    const { err, result } = await lookup('public.test', { all: true });
    expect(err).toBeNull();
    expect(result).toEqual(table['public.test']);
  });

  it('answers single-address lookups and honours the family option', async () => {
    expect(await lookup('public.test', {})).toMatchObject({ err: null, result: '93.184.216.34', family: 4 });
    expect(await lookup('public.test', { family: 6 })).toMatchObject({ err: null, result: '2606:2800:220:1::1', family: 6 });
  });

  it('refuses a name when any of its addresses is private', async () => {
    const { err } = await lookup('mixed.test', { all: true });
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('blocked_address');
    expect(err!.message).toBe(
      'Refusing to fetch: mixed.test resolves to 10.0.0.5, a private address; set FRONTERA_ALLOW_PRIVATE_FEEDS=1 to allow.',
    );
  });

  it('checks the IPv4 inside IPv4-mapped answers', async () => {
    const { err } = await lookup('mapped.test', { all: true });
    expect(err!.message).toContain('192.168.0.1 in IPv4-mapped form, a private address');
  });

  it('reports names without addresses as ENOTFOUND', async () => {
    const { err } = await lookup('nothing.test', {});
    expect(err?.code).toBe('ENOTFOUND');
  });

  it('allows private answers with allowPrivate', async () => {
    const { err } = await lookup('mixed.test', { all: true }, true);
    expect(err).toBeNull();
  });
});

/**
 * End-to-end through the fetcher with the guard ON. The test's "public internet" is the loopback alias
 * 127.0.0.2: the injected `isBlocked` declares it public, everything else keeps the real classification,
 * and the injected `resolve` maps test host names. The "private" target is a server on 127.0.0.1, which
 * must never receive a request.
 */
describe('fetcher with the SSRF guard on', () => {
  let publicSrv: TestServer;
  let privateSrv: TestServer;
  let fetcher: HttpFetcher;
  let lookups: string[];

  beforeAll(async () => {
    publicSrv = await startHttpServer({}, { host: '127.0.0.2' });
    privateSrv = await startHttpServer({ '/secret': (_req, res) => res.end('internal data') });
    lookups = [];
    const names: Record<string, string[]> = {
      'feeds.test': ['127.0.0.2'],
      'internal.test': ['127.0.0.1'],
      'both.test': ['127.0.0.2', '127.0.0.1'],
    };
    fetcher = createFetcher({
      allowPrivate: false,
      perHostSpacingMs: 0,
      resolve: async (host) => {
        lookups.push(host);
        return (names[host] ?? []).map((address) => ({ address, family: 4 as const }));
      },
      isBlocked: (address) => (address === '127.0.0.2' ? null : classifyAddress(address)),
    });
    publicSrv.route('/feed.xml', (_req, res) => res.end('<rss/>'));
    publicSrv.route('/to-literal', (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${privateSrv.port}/secret` }).end());
    publicSrv.route('/to-name', (_req, res) => res.writeHead(301, { location: `http://internal.test:${privateSrv.port}/secret` }).end());
    publicSrv.route('/to-mapped', (_req, res) => res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${privateSrv.port}/secret` }).end());
    publicSrv.route('/to-decimal', (_req, res) => res.writeHead(302, { location: `http://2130706433:${privateSrv.port}/secret` }).end());
    publicSrv.route('/to-metadata', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
  });
  afterAll(async () => {
    await fetcher.close();
    await publicSrv.close();
    await privateSrv.close();
  });

  it('fetches a host that resolves to a public address', async () => {
    const out = await fetcher.fetchFeed(`http://feeds.test:${publicSrv.port}/feed.xml`);
    expect(out.kind).toBe('changed');
    expect(lookups).toContain('feeds.test');
  });

  it.each(['/to-literal', '/to-name', '/to-mapped', '/to-decimal', '/to-metadata'])('refuses the redirect %s to a private address', async (path) => {
    const err = await fetchError(() => fetcher.fetchFeed(`http://feeds.test:${publicSrv.port}${path}`));
    expect(err.code).toBe('blocked_address');
    expect(privateSrv.requests).toHaveLength(0);
  });

  it('names the redirect target and its class', async () => {
    const err = await fetchError(() => fetcher.fetchFeed(`http://feeds.test:${publicSrv.port}/to-name`));
    expect(err.message).toBe('Refusing to fetch: internal.test resolves to 127.0.0.1, a loopback address; set FRONTERA_ALLOW_PRIVATE_FEEDS=1 to allow.');
  });

  it('refuses a first hop that resolves to a private address, at connect time', async () => {
    const err = await fetchError(() => fetcher.fetchFeed(`http://internal.test:${privateSrv.port}/secret`));
    expect(err.code).toBe('blocked_address');
    expect(privateSrv.requests).toHaveLength(0);
  });

  it('refuses a host with one public and one private address', async () => {
    const err = await fetchError(() => fetcher.fetchFeed(`http://both.test:${privateSrv.port}/secret`));
    expect(err.code).toBe('blocked_address');
    expect(privateSrv.requests).toHaveLength(0);
  });

  it('uses one resolution per connection, so a changed DNS answer cannot slip past the check', async () => {
    // A rebinding resolver: public for the first answer, loopback afterwards. The socket connects to
    // the addresses the guard checked, so whichever answer comes, no request reaches 127.0.0.1.
    let calls = 0;
    const rebinding = createFetcher({
      perHostSpacingMs: 0,
      resolve: async () => [{ address: calls++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }],
      isBlocked: (address) => (address === '127.0.0.2' ? null : classifyAddress(address)),
    });
    try {
      privateSrv.route('/feed.xml', (_req, res) => res.end('private'));
      const first = await rebinding.fetchFeed(`http://rebind.test:${publicSrv.port}/feed.xml`);
      expect(first.kind).toBe('changed');
      const err = await fetchError(() => rebinding.fetchFeed(`http://rebind.test:${privateSrv.port}/feed.xml`));
      expect(err.code).toBe('blocked_address');
    } finally {
      await rebinding.close();
    }
    expect(calls).toBe(2);
    expect(privateSrv.requests).toHaveLength(0);
  });

  it('refuses literal private URLs before connecting', async () => {
    const err = await fetchError(() => fetcher.fetchFeed(`http://127.0.0.1:${privateSrv.port}/secret`));
    expect(err.code).toBe('blocked_address');
    expect(privateSrv.requests).toHaveLength(0);
  });
});
