/**
 * A fake WebSub hub on 127.0.0.1 for tests: accepts (un)subscription requests, verifies intent by
 * calling the subscriber's callback with a challenge, and publishes signed content to it.
 *
 *   const hub = new FakeWebSubHub();
 *   const hubUrl = await hub.start();              // http://127.0.0.1:PORT/
 *   ... subscriber POSTs hub.mode=subscribe ...    // answered 202
 *   const sub = hub.lastSubscription!;             // what the subscriber asked for
 *   await sub.verification;                        // { verified: true, status: 200, ... }
 *   await hub.publish(topic, '<feed/>', { algo: 'sha512' });  // POST signed body to the callback
 *   await hub.close();
 *
 * It signs with node:crypto directly rather than the subscriber's code, so a bug there cannot hide.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubOptions {
  /** Status for (un)subscription requests; default 202. Anything else skips verification. */
  acceptStatus?: number;
  /** Body sent with a non-202 status, e.g. the hub's error message. */
  refuseBody?: string;
  /** Lease granted in the verification request; default: the requested one, else 3600. */
  grantLeaseSeconds?: number;
  /** Verify intent right after accepting; default true. */
  autoVerify?: boolean;
}

export interface VerificationOutcome {
  /** The subscriber's HTTP status (0 if the request failed). */
  status: number;
  /** The subscriber's response body. */
  body: string;
  challenge: string;
  /** 2xx and the body echoed the challenge exactly. */
  verified: boolean;
}

export interface HubRequest {
  mode: string;
  topic: string;
  callback: string;
  secret: string | null;
  /** Lease the subscriber asked for, if any. */
  leaseSeconds: number | null;
  /** Every form field as received. */
  form: Record<string, string>;
  /** Settles when the intent check is done (never rejects; stays pending while no check ran). */
  verification: Promise<VerificationOutcome>;
}

export interface PublishOptions {
  /** Secret to sign with; default the subscription's own; null sends no signature. */
  secret?: string | null;
  algo?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Send this X-Hub-Signature value verbatim instead of computing one. */
  signatureHeader?: string;
  contentType?: string;
}

export class FakeWebSubHub {
  /** Every (un)subscription request received, oldest first. */
  readonly requests: HubRequest[] = [];
  private readonly active = new Map<string, HubRequest>();
  private readonly settlers = new WeakMap<HubRequest, (v: VerificationOutcome) => void>();
  private server: Server | null = null;
  private baseUrl = '';
  private readonly options: FakeHubOptions;

  constructor(options: FakeHubOptions = {}) {
    this.options = options;
  }

  /** Listen on 127.0.0.1 (random port); resolves to the hub URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.onRequest(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
        },
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/`;
    return this.baseUrl;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The most recent (un)subscription request, or null. */
  get lastSubscription(): HubRequest | null {
    return this.requests.at(-1) ?? null;
  }

  /** Change how later requests are answered (e.g. refuse the next one). */
  configure(options: FakeHubOptions): void {
    Object.assign(this.options, options);
  }

  /** Verified subscriptions to a topic. */
  subscribers(topic: string): HubRequest[] {
    return [...this.active.values()].filter((s) => s.topic === topic);
  }

  /** Run the intent check for a request (done automatically unless autoVerify is false). */
  verify(request: HubRequest): Promise<VerificationOutcome> {
    const challenge = randomBytes(16).toString('hex');
    const url = new URL(request.callback);
    url.searchParams.set('hub.mode', request.mode);
    url.searchParams.set('hub.topic', request.topic);
    url.searchParams.set('hub.challenge', challenge);
    if (request.mode === 'subscribe') {
      const lease = this.options.grantLeaseSeconds ?? request.leaseSeconds ?? 3600;
      url.searchParams.set('hub.lease_seconds', String(lease));
    }
    return callback(url, { method: 'GET' }).then(({ status, body }) => {
      const verified = status >= 200 && status < 300 && body === challenge;
      const key = `${request.callback} ${request.topic}`;
      if (verified && request.mode === 'subscribe') this.active.set(key, request);
      if (verified && request.mode === 'unsubscribe') this.active.delete(key);
      const outcome = { status, body, challenge, verified };
      this.settlers.get(request)?.(outcome);
      return outcome;
    });
  }

  /** Tell every subscriber of `topic` (or the given callback) that the subscription is denied. */
  async deny(topic: string, reason: string, callbackUrl?: string): Promise<number[]> {
    const targets = callbackUrl ? [callbackUrl] : this.subscribers(topic).map((s) => s.callback);
    const statuses: number[] = [];
    for (const target of targets) {
      const url = new URL(target);
      url.searchParams.set('hub.mode', 'denied');
      url.searchParams.set('hub.topic', topic);
      url.searchParams.set('hub.reason', reason);
      statuses.push((await callback(url, { method: 'GET' })).status);
      this.active.delete(`${target} ${topic}`);
    }
    return statuses;
  }

  /**
   * POST `body` to every verified subscriber of `topic`, signed per `options`.
   * Resolves to each callback's HTTP status; throws when nobody is subscribed (a test bug).
   */
  async publish(topic: string, body: string | Uint8Array, options: PublishOptions = {}): Promise<Array<{ callback: string; status: number }>> {
    const subs = this.subscribers(topic);
    if (subs.length === 0) throw new Error(`fake hub: no verified subscriber for ${topic}`);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const results: Array<{ callback: string; status: number }> = [];
    for (const sub of subs) {
      const headers: Record<string, string> = {
        'content-type': options.contentType ?? 'application/atom+xml',
        link: `<${this.baseUrl}>; rel="hub", <${topic}>; rel="self"`,
      };
      const secret = options.secret === undefined ? sub.secret : options.secret;
      if (options.signatureHeader !== undefined) headers['x-hub-signature'] = options.signatureHeader;
      else if (secret != null) {
        const algo = options.algo ?? 'sha256';
        headers['x-hub-signature'] = `${algo}=${createHmac(algo, secret).update(bytes).digest('hex')}`;
      }
      const { status } = await callback(new URL(sub.callback), { method: 'POST', headers, body: bytes });
      results.push({ callback: sub.callback, status });
    }
    return results;
  }

  /** Stop listening. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage): Promise<{ status: number; body: string }> {
    if (req.method !== 'POST') return { status: 405, body: 'hub accepts POST only' };
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const mode = form['hub.mode'] ?? '';
    const topic = form['hub.topic'] ?? '';
    const cb = form['hub.callback'] ?? '';
    if (!['subscribe', 'unsubscribe'].includes(mode) || !topic || !cb) {
      return { status: 400, body: 'hub.mode, hub.topic and hub.callback are required' };
    }
    const lease = form['hub.lease_seconds'];
    let settle!: (v: VerificationOutcome) => void;
    const request: HubRequest = {
      mode,
      topic,
      callback: cb,
      secret: form['hub.secret'] ?? null,
      leaseSeconds: lease ? Number(lease) : null,
      form,
      verification: new Promise<VerificationOutcome>((resolve) => (settle = resolve)),
    };
    this.requests.push(request);
    this.settlers.set(request, settle);

    const status = this.options.acceptStatus ?? 202;
    if (status !== 202) return { status, body: this.options.refuseBody ?? '' };
    if (this.options.autoVerify !== false) {
      // The spec has the hub answer 202 first and verify afterwards, asynchronously.
      setImmediate(() => void this.verify(request));
    }
    return { status: 202, body: '' };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function callback(url: URL, init: RequestInit): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}
