import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.ts';
import {
  buildSubscribeRequest,
  callbackPath,
  discoverWebSub,
  feedIdFromCallbackPath,
  generateSecret,
  handleVerification,
  parseLinkHeader,
  renewAt,
  renewalDue,
  sendSubscription,
  verifySignature,
  type HubPoster,
} from '../../src/feeds/websub.ts';
import { FakeWebSubHub } from '../fakes/websub-hub.ts';

describe('parseLinkHeader', () => {
  it('reads several links, quoted and unquoted rel, and multi-valued rel', () => {
    const links = parseLinkHeader('<https://hub.example/>; rel="hub", </feed.xml>; rel=self, <https://b/>; rel="hub self"');
    expect(links.map((l) => [l.target, l.rels])).toEqual([
      ['https://hub.example/', ['hub']],
      ['/feed.xml', ['self']],
      ['https://b/', ['hub', 'self']],
    ]);
  });

  it('keeps commas and semicolons inside <> and quoted parameters', () => {
    const links = parseLinkHeader('<https://h.example/a,b;c>; title="x, y; z"; rel="HUB", <https://s/>;rel=self');
    expect(links).toHaveLength(2);
    expect(links[0]).toMatchObject({ target: 'https://h.example/a,b;c', rels: ['hub'], params: { title: 'x, y; z' } });
    expect(links[1]!.rels).toEqual(['self']);
  });

  it('ignores a second rel, decodes rel*, and handles escaped quotes', () => {
    const [a, b] = parseLinkHeader([`<https://a/>; rel="hub"; rel="self"; title="say \\"hi\\""`, `<https://b/>; rel*=UTF-8''hub`]);
    expect(a!.rels).toEqual(['hub']);
    expect(a!.params.title).toBe('say "hi"');
    expect(b!.rels).toEqual(['hub']);
  });

  it('skips malformed link-values without losing the good ones', () => {
    const links = parseLinkHeader('garbage; rel=hub, <https://ok/>; rel=hub, <https://x/> junk, <https://y/>; rel="self"');
    expect(links.map((l) => l.target)).toEqual(['https://ok/', 'https://y/']);
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader('<unterminated; rel=hub')).toEqual([]);
  });
});

describe('discoverWebSub', () => {
  const feedUrl = 'https://news.example/feeds/all.xml';
  const atom = `<?xml version="1.0"?>
<!-- <link rel="hub" href="https://commented.example/"/> -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <link rel="hub" href="https://doc-hub.example/"/>
  <link rel="self" href="/feeds/self.xml"/>
  <entry><link rel="self" href="https://entry.example/"/><link rel="hub" href="https://entry-hub.example/"/></entry>
</feed>`;

  it('prefers Link headers over the document', () => {
    const found = discoverWebSub({
      headers: { Link: '<https://header-hub.example/>; rel="hub", <https://news.example/canonical.xml>; rel="self"' },
      body: atom,
      contentType: 'application/atom+xml',
      feedUrl,
    });
    expect(found).toEqual({ hubs: ['https://header-hub.example/'], topic: 'https://news.example/canonical.xml' });
  });

  it('reads feed-level Atom links only, resolving relative URLs and ignoring comments', () => {
    expect(discoverWebSub({ headers: {}, body: atom, contentType: 'application/atom+xml', feedUrl })).toEqual({
      hubs: ['https://doc-hub.example/'],
      topic: 'https://news.example/feeds/self.xml',
    });
  });

  it('takes the self link from the document when the header names only a hub', () => {
    const found = discoverWebSub({ headers: { link: ['<https://h1/>; rel=hub', '<https://h2/>; rel=hub'] }, body: atom, feedUrl });
    expect(found).toEqual({ hubs: ['https://h1/', 'https://h2/'], topic: 'https://news.example/feeds/self.xml' });
  });

  it('reads atom:link (any prefix) in RSS, with &amp; in the href and xml:base', () => {
    const rss = `<rss version="2.0" xmlns:atom10="http://www.w3.org/2005/Atom"><channel xml:base="https://cdn.example/x/">
      <link>https://site.example/</link>
      <atom10:link rel='hub' href='https://pubsubhubbub.appspot.com/'/>
      <atom10:link rel="self" type="application/rss+xml" href="rss?a=1&amp;b=2"/>
      <item><title>t</title></item></channel></rss>`;
    expect(discoverWebSub({ body: new TextEncoder().encode(rss), contentType: 'application/rss+xml', feedUrl })).toEqual({
      hubs: ['https://pubsubhubbub.appspot.com/'],
      topic: 'https://cdn.example/x/rss?a=1&b=2',
    });
  });

  it('reads <link> in an HTML head, with unquoted attributes', () => {
    const html = '<!doctype html><html><head><LINK REL=hub HREF=https://hub.example/h><link rel="alternate" href="/rss"></head><body><link rel=hub href=https://late.example/></body></html>';
    expect(discoverWebSub({ body: html, contentType: 'text/html', feedUrl: 'https://site.example/page' })).toEqual({
      hubs: ['https://hub.example/h'],
      topic: 'https://site.example/page',
    });
  });

  it('uses parser-supplied links before scanning the body, and JSON Feed hubs', () => {
    expect(discoverWebSub({ body: atom, feedUrl, parsedHubs: ['https://parsed-hub/'], parsedSelf: 'https://parsed/self' })).toEqual({
      hubs: ['https://parsed-hub/'],
      topic: 'https://parsed/self',
    });
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', feed_url: 'https://j.example/feed.json', hubs: [{ type: 'WebSub', url: 'https://jhub/' }, { type: 'rssCloud', url: 'https://cloud/' }] });
    expect(discoverWebSub({ body: json, contentType: 'application/feed+json', feedUrl })).toEqual({ hubs: ['https://jhub/'], topic: 'https://j.example/feed.json' });
  });

  it('returns null without a hub, and drops non-http hubs and links anchored elsewhere', () => {
    expect(discoverWebSub({ body: '<rss><channel><link>https://x/</link></channel></rss>', feedUrl })).toBeNull();
    expect(discoverWebSub({ headers: { link: '<javascript:alert(1)>; rel=hub' }, feedUrl })).toBeNull();
    expect(discoverWebSub({ headers: { link: '<https://h/>; rel=hub; anchor="https://other.example/"' }, feedUrl })).toBeNull();
    expect(discoverWebSub({ headers: { link: `<https://h/>; rel=hub; anchor="${feedUrl}"` }, feedUrl })).toEqual({ hubs: ['https://h/'], topic: feedUrl });
  });
});

describe('handleVerification', () => {
  const topic = 'https://news.example/feed.xml';
  const q = (o: Record<string, string>) => new URLSearchParams(o);

  it('echoes the challenge for the pending subscribe and reports the lease', () => {
    const r = handleVerification(q({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'abc123', 'hub.lease_seconds': '86400' }), { topic, mode: 'subscribe', pending: true });
    expect(r).toMatchObject({ status: 200, kind: 'verified', body: 'abc123', leaseSeconds: 86400 });
  });

  it('accepts the pending unsubscribe from a plain query record (no lease)', () => {
    const r = handleVerification({ 'hub.mode': 'unsubscribe', 'hub.topic': topic, 'hub.challenge': 'z' }, { topic, mode: 'unsubscribe', pending: true });
    expect(r).toMatchObject({ status: 200, body: 'z', leaseSeconds: null });
  });

  it('answers 404 for another topic, another mode, nothing pending, or no challenge', () => {
    const expected = { topic, mode: 'subscribe' as const, pending: true };
    const base = { 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'c' };
    expect(handleVerification(q({ ...base, 'hub.topic': 'https://evil.example/' }), expected).status).toBe(404);
    expect(handleVerification(q({ ...base, 'hub.mode': 'unsubscribe' }), expected).status).toBe(404);
    expect(handleVerification(q(base), { ...expected, pending: false }).status).toBe(404);
    expect(handleVerification(q({ 'hub.mode': 'subscribe', 'hub.topic': topic }), expected).status).toBe(404);
    expect(handleVerification(q({ ...base, 'hub.mode': 'bogus' }), expected).status).toBe(404);
  });

  it('acknowledges a denial for our topic and reports the reason', () => {
    const r = handleVerification(q({ 'hub.mode': 'denied', 'hub.topic': topic, 'hub.reason': 'publisher refused' }), { topic, mode: 'subscribe', pending: false });
    expect(r).toEqual({ status: 200, kind: 'denied', body: '', reason: 'publisher refused' });
    expect(handleVerification(q({ 'hub.mode': 'denied', 'hub.topic': 'https://other/' }), { topic, mode: 'subscribe', pending: true }).status).toBe(404);
  });

  it('ignores a malformed lease rather than trusting it', () => {
    const r = handleVerification(q({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': 'c', 'hub.lease_seconds': '-5' }), { topic, mode: 'subscribe', pending: true });
    expect(r).toMatchObject({ status: 200, leaseSeconds: null });
  });
});

describe('verifySignature', () => {
  const secret = 'shh-a-secret';
  const body = Buffer.from('<feed>café</feed>', 'utf8');
  const sign = (algo: string, key = secret, bytes: Uint8Array = body) => `${algo}=${createHmac(algo, key).update(bytes).digest('hex')}`;

  it.each(['sha1', 'sha256', 'sha384', 'sha512'])('accepts a correct %s signature, in any hex case', (algo) => {
    expect(verifySignature(secret, sign(algo), body)).toBe(true);
    expect(verifySignature(secret, sign(algo).toUpperCase(), body)).toBe(true);
  });

  it('rejects a tampered body and a wrong secret', () => {
    expect(verifySignature(secret, sign('sha256'), Buffer.from('<feed>cafe</feed>'))).toBe(false);
    expect(verifySignature(secret, sign('sha256', 'other-secret'), body)).toBe(false);
  });

  it('rejects missing, malformed, truncated and unknown-algorithm headers when a secret is set', () => {
    const good = sign('sha256');
    for (const bad of [undefined, null, '', 'sha256', 'sha256=', 'sha256=zz', good.slice(0, -2), `md5=${'a'.repeat(32)}`, `sha256=${'0'.repeat(64)}`, [good, good]]) {
      expect(verifySignature(secret, bad, body)).toBe(false);
    }
    expect(verifySignature(secret, [good], body)).toBe(true);
  });

  it('accepts unsigned pushes only when no secret was agreed, and insists on raw bytes', () => {
    expect(verifySignature(null, undefined, body)).toBe(true);
    expect(() => verifySignature(secret, sign('sha1'), 'text' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('subscription request, leases and paths', () => {
  it('builds the form body; lease and secret only when subscribing', () => {
    const form = new URLSearchParams(buildSubscribeRequest({ hub: 'https://h/', topic: 'https://t/feed?a=1&b=2', callbackUrl: 'https://bot/websub/7', secret: 's', leaseSeconds: 3600, mode: 'subscribe' }));
    expect(Object.fromEntries(form)).toEqual({ 'hub.callback': 'https://bot/websub/7', 'hub.mode': 'subscribe', 'hub.topic': 'https://t/feed?a=1&b=2', 'hub.lease_seconds': '3600', 'hub.secret': 's' });
    const un = new URLSearchParams(buildSubscribeRequest({ hub: 'https://h/', topic: 'https://t/', callbackUrl: 'https://bot/websub/7', secret: 's', leaseSeconds: 3600, mode: 'unsubscribe' }));
    expect([...un.keys()].sort()).toEqual(['hub.callback', 'hub.mode', 'hub.topic']);
    expect(() => buildSubscribeRequest({ hub: 'h', topic: 't', callbackUrl: 'c', secret: 'x'.repeat(200), mode: 'subscribe' })).toThrow(RangeError);
  });

  it('turns a refusal into a FetchError carrying the hub message', async () => {
    const post: HubPoster['post'] = async () => ({ status: 400, body: '<html><body><p>Invalid   hub.topic</p></body></html>' });
    const err = await sendSubscription({ post }, { hub: 'https://h/', topic: 't', callbackUrl: 'c', mode: 'subscribe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'http_4xx', status: 400 });
    expect((err as Error).message).toContain('Invalid hub.topic');
    await expect(sendSubscription({ post: async () => ({ status: 204, body: '' }) }, { hub: 'https://h/', topic: 't', callbackUrl: 'c', mode: 'unsubscribe' })).resolves.toEqual({ status: 204 });
    await expect(sendSubscription({ post: async () => ({ status: 200, body: 'ok' }) }, { hub: 'https://h/', topic: 't', callbackUrl: 'c', mode: 'subscribe' })).rejects.toBeInstanceOf(FetchError);
  });

  it('renews well before expiry', () => {
    const expires = new Date('2025-01-11T00:00:00Z');
    // 10-day lease: 15% margin = 36 h.
    expect(renewAt(expires, 864_000).toISOString()).toBe('2025-01-09T12:00:00.000Z');
    // 2-hour lease: at least an hour before expiry.
    expect(renewAt(expires, 7200).toISOString()).toBe('2025-01-10T23:00:00.000Z');
    // 10-minute lease: half-way, never in the first half.
    expect(renewAt(expires, 600).toISOString()).toBe('2025-01-10T23:55:00.000Z');
    expect(renewalDue({ expiresAt: expires }, new Date('2025-01-10T22:00:00Z'), 3600)).toBe(false);
    expect(renewalDue({ expiresAt: expires }, new Date('2025-01-10T23:30:00Z'), 3600)).toBe(true);
    expect(renewalDue({ expiresAt: expires, leaseSeconds: 864_000 }, new Date('2025-01-09T13:00:00Z'))).toBe(true);
    expect(renewalDue({ expiresAt: expires, leaseSeconds: 864_000 }, new Date('2025-01-09T11:00:00Z'))).toBe(false);
  });

  it('makes random secrets and /websub/ callback paths', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSecret()).not.toBe(a);
    expect(callbackPath(42)).toBe('/websub/42');
    expect(callbackPath('a b/c')).toBe('/websub/a%20b%2Fc');
    expect(feedIdFromCallbackPath('/websub/a%20b%2Fc?hub.mode=x')).toBe('a b/c');
    expect(feedIdFromCallbackPath('/slack/events')).toBeNull();
  });
});

describe('against a fake hub on loopback', () => {
  let hub: FakeWebSubHub | null = null;
  let subscriber: Server | null = null;
  afterEach(async () => {
    await hub?.close();
    if (subscriber) await new Promise((r) => subscriber!.close(r));
    hub = null;
    subscriber = null;
  });

  /** A minimal subscriber endpoint wired from the pure functions, as the web server will be. */
  async function startSubscriber(topic: string, secret: string) {
    const state = { pending: 'subscribe' as 'subscribe' | 'unsubscribe', lease: null as number | null, pushes: [] as Array<{ valid: boolean; body: string }>, denied: null as string | null };
    subscriber = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (feedIdFromCallbackPath(url.pathname) !== 'feed-1') return void res.writeHead(404).end();
      if (req.method === 'GET') {
        const r = handleVerification(url.searchParams, { topic, mode: state.pending, pending: true });
        if (r.kind === 'verified') state.lease = r.leaseSeconds;
        if (r.kind === 'denied') state.denied = r.reason;
        return void res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body);
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        state.pushes.push({ valid: verifySignature(secret, req.headers['x-hub-signature'], raw), body: raw.toString('utf8') });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => subscriber!.listen(0, '127.0.0.1', r));
    const { port } = subscriber.address() as AddressInfo;
    return { state, callbackUrl: `http://127.0.0.1:${port}${callbackPath('feed-1')}` };
  }

  const post: HubPoster['post'] = async (url, formBody) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody });
    return { status: res.status, body: await res.text() };
  };

  it('subscribes, gets verified, receives signed pushes, and rejects forged ones', async () => {
    hub = new FakeWebSubHub({ grantLeaseSeconds: 7200 });
    const hubUrl = await hub.start();
    const topic = 'https://news.example/feed.xml';
    const secret = generateSecret();
    const { state, callbackUrl } = await startSubscriber(topic, secret);

    await expect(sendSubscription({ post }, { hub: hubUrl, topic, callbackUrl, secret, leaseSeconds: 86400, mode: 'subscribe' })).resolves.toEqual({ status: 202 });
    const sub = hub.lastSubscription!;
    expect(sub).toMatchObject({ mode: 'subscribe', topic, callback: callbackUrl, secret, leaseSeconds: 86400 });
    await expect(sub.verification).resolves.toMatchObject({ verified: true, status: 200 });
    expect(state.lease).toBe(7200);

    for (const algo of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      await hub.publish(topic, `<feed>${algo} ñ</feed>`, { algo });
    }
    await hub.publish(topic, '<feed>forged</feed>', { secret: 'not-the-secret' });
    await hub.publish(topic, '<feed>unsigned</feed>', { secret: null });
    await hub.publish(topic, '<feed>junk</feed>', { signatureHeader: 'sha256=nothex' });
    expect(state.pushes.map((p) => p.valid)).toEqual([true, true, true, true, false, false, false]);
    expect(state.pushes[0]!.body).toBe('<feed>sha1 ñ</feed>');

    expect(await hub.deny(topic, 'gone private')).toEqual([200]);
    expect(state.denied).toBe('gone private');
  });

  it('does not confirm a subscription to a topic it did not ask for', async () => {
    hub = new FakeWebSubHub();
    const hubUrl = await hub.start();
    const { callbackUrl } = await startSubscriber('https://news.example/feed.xml', 's');
    await sendSubscription({ post }, { hub: hubUrl, topic: 'https://spam.example/feed', callbackUrl, mode: 'subscribe' });
    await expect(hub.lastSubscription!.verification).resolves.toMatchObject({ verified: false, status: 404 });
    expect(hub.subscribers('https://spam.example/feed')).toEqual([]);
  });

  it('reports the hub refusal with its status and message', async () => {
    hub = new FakeWebSubHub({ acceptStatus: 422, refuseBody: 'topic not allowed' });
    const hubUrl = await hub.start();
    const err = await sendSubscription({ post }, { hub: hubUrl, topic: 'https://t/', callbackUrl: 'http://127.0.0.1:9/websub/1', mode: 'subscribe' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'FetchError', code: 'http_4xx', status: 422 });
    expect((err as Error).message).toContain('topic not allowed');
  });
});
