/**
 * The HTTP fetcher for feeds and article pages (implements `Fetcher` from types.ts).
 *
 * - Every hop is checked: the URL by `checkUrl`, the resolved addresses at connect time by the guarded
 *   `lookup` in the undici Agent (see ssrf.ts), so redirects and DNS rebinding cannot reach private hosts.
 * - Redirects are followed by hand (cap, loop detection, relative Location); `permanentUrl` is reported
 *   only when every hop was a 301/308.
 * - Conditional GET from FetchValidators; unchanged feeds are recognised by 304, by an identical ETag on
 *   a 200 (body not read), or by an identical body hash.
 * - One deadline covers the whole fetch (connect, headers, body, every redirect), so a server dripping a
 *   byte a second cannot hold a worker past `timeoutMs`. Waiting for a politeness slot before the first
 *   request does not count: a large poll cycle queues there by design.
 * - The body cap applies after decompression (fetch-body.ts).
 */
import { createHash } from 'node:crypto';
import { Agent, Client, request } from 'undici';
import type { Dispatcher } from 'undici';
import { FetchError } from '../errors.ts';
import { checkUrl, createGuardedLookup, type BlockCheck, type GuardOptions, type Resolver } from './ssrf.ts';
import { createPoliteness, type Politeness } from './politeness.ts';
import { ACCEPT_ENCODING, formatBytes, readCappedBody } from './fetch-body.ts';
import { classifyError, isCloudflareChallenge, mightBeCloudflare, statusError } from './fetch-errors.ts';
import { parseCacheHints, parseRetryAfter } from './fetch-hints.ts';
import type { Fetcher, FetchOutcome, FetchValidators } from './types.ts';

/** The User-Agent Frontera sends unless configured otherwise. */
export const DEFAULT_USER_AGENT = 'Frontera/0.1 (+https://github.com/frontera-news/frontera; newsroom feed watcher)';

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.3';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** How much of an error page we read to recognise a Cloudflare challenge. */
const SNIFF_BYTES = 64 * 1024;
/** How much of a redirect/304 body we drain so the connection can be reused. */
const DRAIN_BYTES = 64 * 1024;

/** Options for `createFetcher`. Every field is optional. */
export interface FetcherOptions {
  /** User-Agent header (default DEFAULT_USER_AGENT). */
  userAgent?: string;
  /** Lift the SSRF guard for private/loopback/link-local hosts (FRONTERA_ALLOW_PRIVATE_FEEDS=1). */
  allowPrivate?: boolean;
  /** Cap on the decoded body, bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /** TCP/TLS connect timeout, ms (default 10 s). */
  connectTimeoutMs?: number;
  /** Total time for one fetch including redirects and the body, ms (default 30 s). */
  totalTimeoutMs?: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  /** Requests in flight per host (default 2); ignored when `politeness` is given. */
  perHostConcurrency?: number;
  /** Minimum ms between request starts to one host (default 250); ignored when `politeness` is given. */
  perHostSpacingMs?: number;
  /** Requests in flight overall (default 32); ignored when `politeness` is given. */
  globalConcurrency?: number;
  /** A politeness gate to share with other fetchers; by default each fetcher makes its own. */
  politeness?: Politeness;
  /** DNS resolution used at connect time (default: OS resolver). Tests map names to loopback aliases. */
  resolve?: Resolver;
  /** Address classification (default: classifyAddress). Tests declare a loopback alias "public". */
  isBlocked?: BlockCheck;
  /** Clock for cache hints, ms (default Date.now). */
  now?: () => number;
}

/** A Fetcher that owns a connection pool; `close` releases it. */
export interface HttpFetcher extends Fetcher {
  /** Closes pooled connections; in-flight requests finish first. */
  close(): Promise<void>;
}

type ResponseData = Dispatcher.ResponseData;

/** Lowercase header map with repeated headers joined by ", ". */
function flattenHeaders(raw: ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** ETags match under weak comparison (a W/ prefix is ignored), as for If-None-Match. */
function sameEtag(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return strip(a) === strip(b);
}

/** Discards the rest of a body we do not need, keeping the connection reusable when it is short. */
async function drain(res: ResponseData): Promise<void> {
  try {
    await res.body.dump({ limit: DRAIN_BYTES });
  } catch {
    // The body is closed either way; nothing to report.
  }
}

/**
 * Closes a body we will not read. undici's body emits an "aborted" error when destroyed before its end,
 * so a listener must be in place or it would surface as an uncaught exception.
 */
function discard(res: ResponseData): void {
  if (res.body.destroyed || res.body.readableEnded) return;
  res.body.on('error', () => {});
  res.body.destroy();
}

/** The last response of a fetch (after redirects), with what we learnt on the way. */
interface Final {
  url: URL;
  permanentUrl: string | null;
}

/** Creates the HTTP fetcher; see FetcherOptions for the knobs and their defaults. */
export function createFetcher(opts: FetcherOptions = {}): HttpFetcher {
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const maxBodyBytes = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const timeoutMs = opts.totalTimeoutMs ?? 30_000;
  const maxRedirects = opts.maxRedirects ?? 5;
  const now = opts.now ?? Date.now;
  const guard: GuardOptions = { allowPrivate: opts.allowPrivate, resolve: opts.resolve, isBlocked: opts.isBlocked };
  const politeness =
    opts.politeness ??
    createPoliteness({ perHost: opts.perHostConcurrency, minSpacingMs: opts.perHostSpacingMs, global: opts.globalConcurrency });

  // One Agent per politeness slot index, each holding a single connection per origin: the gate never
  // runs two requests on one (host, index), so a host gets at most perHost sockets and none queue inside
  // undici. A plain Client per origin (instead of undici's default Pool, which preallocates a 2048-entry
  // queue) keeps a 5,000-host poll cycle light on memory.
  const agents: Agent[] = [];
  const lookup = createGuardedLookup(guard);
  function agentFor(index: number): Agent {
    agents[index] ??= new Agent({
      factory: (origin, options) => new Client(origin, options),
      connect: { lookup, timeout: connectTimeoutMs },
      // Our own deadline is the real limit; these only stop undici from waiting longer than it would anyway.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // Short keep-alive, whatever the server offers: long enough for a redirect hop, short enough that
      // thousands of hosts polled in one cycle do not pile up idle sockets (each one holds a socket,
      // a client and an HTTP parser: 4,000 of them were most of a 5,000-host cycle's memory growth).
      keepAliveTimeout: 1_000,
      keepAliveMaxTimeout: 1_000,
    });
    return agents[index];
  }

  /**
   * Runs one fetch: follows redirects and hands the final response to `onFinal` while the politeness
   * slot and the deadline are still held. All errors come out as FetchError.
   */
  async function run<T>(
    startUrl: string,
    headers: Record<string, string>,
    onFinal: (res: ResponseData, final: Final, signal: AbortSignal) => Promise<T>,
    post?: string,
  ): Promise<T> {
    let url = checkUrl(startUrl, guard);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let timedOut = false;
    const startDeadline = () => {
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort(new FetchError('timeout', 'total timeout'));
      }, timeoutMs);
    };
    const seen = new Set<string>([withoutHash(url)]);
    let allPermanent = true;
    let hops = 0;
    try {
      for (;;) {
        const hopUrl = url;
        const step = await politeness.run(
          hopUrl.hostname,
          async (lease): Promise<{ redirect: string; status: number } | { value: T }> => {
            startDeadline();
            const res = await request(hopUrl, {
              method: post === undefined ? 'GET' : 'POST', body: post, headers, dispatcher: agentFor(lease.index),
              signal: controller.signal,
            });
            try {
              const location = res.headers['location'];
              // A POST is never replayed to another address: its answer, redirect or not, is final.
              if (post === undefined && res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && location) {
                await drain(res);
                return { redirect: Array.isArray(location) ? location[0] : location, status: res.statusCode };
              }
              const permanentUrl = hops > 0 && allPermanent ? hopUrl.href : null;
              const value = (await onFinal(res, { url: hopUrl, permanentUrl }, controller.signal)) as T;
              return { value };
            } finally {
              discard(res);
            }
          },
          controller.signal,
        ).catch((err: unknown) => {
          throw classifyError(err, { url: hopUrl, timedOut, timeoutMs, connectTimeoutMs });
        });
        if ('value' in step) return step.value;

        let next: URL;
        try {
          next = new URL(step.redirect, hopUrl);
        } catch {
          throw new FetchError('bad_url', `${hopUrl.hostname} redirected to an invalid address ("${step.redirect.slice(0, 200)}"); the server is misconfigured.`);
        }
        next = checkUrl(next, guard);
        const key = withoutHash(next);
        if (seen.has(key)) {
          throw new FetchError('redirect_loop', `${startUrlHost(startUrl)} redirects in a loop (back to ${next.href}); the site is misconfigured, tell its owner.`);
        }
        if (hops >= maxRedirects) {
          throw new FetchError('too_many_redirects', `${startUrlHost(startUrl)} redirected more than ${maxRedirects} times; use the final feed address instead.`);
        }
        seen.add(key);
        hops++;
        allPermanent &&= step.status === 301 || step.status === 308;
        url = next;
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Reads the body of a final response within the remaining limits. */
  function readBody(res: ResponseData, final: Final, signal: AbortSignal, limit = maxBodyBytes, truncate = false): Promise<Buffer> {
    const declared = Number(res.headers['content-length']);
    if (!truncate && Number.isFinite(declared) && declared > limit) {
      throw new FetchError('too_large', `The response from ${final.url.href} declares ${formatBytes(declared)}, over the ${formatBytes(limit)} limit; Frontera did not download it.`);
    }
    const encoding = res.headers['content-encoding'];
    return readCappedBody(res.body, Array.isArray(encoding) ? encoding.join(', ') : encoding, {
      maxBytes: limit,
      url: final.url.href,
      signal,
      truncate,
    });
  }

  /** Throws the FetchError for a non-success final response (sniffing for a Cloudflare challenge). */
  async function failFor(res: ResponseData, final: Final, signal: AbortSignal, headers: Record<string, string>): Promise<never> {
    let snippet: string | null = null;
    if (mightBeCloudflare(res.statusCode, headers) && !isCloudflareChallenge(res.statusCode, headers, null)) {
      try {
        snippet = (await readBody(res, final, signal, SNIFF_BYTES, true)).toString('utf8');
      } catch {
        snippet = null; // an unreadable error page is still the same HTTP error
      }
    }
    throw statusError(res.statusCode, final.url, {
      retryAfterSeconds: parseRetryAfter(headers['retry-after'], headers['date'], now()),
      cloudflare: isCloudflareChallenge(res.statusCode, headers, snippet),
    });
  }

  const fetcher: HttpFetcher = {
    async fetchFeed(url: string, validators: FetchValidators = {}): Promise<FetchOutcome> {
      const headers: Record<string, string> = {
        'user-agent': userAgent,
        accept: FEED_ACCEPT,
        'accept-encoding': ACCEPT_ENCODING,
      };
      if (validators.etag && headerSafe(validators.etag)) headers['if-none-match'] = validators.etag;
      if (validators.lastModified && headerSafe(validators.lastModified)) headers['if-modified-since'] = validators.lastModified;

      return run(url, headers, async (res, final, signal): Promise<FetchOutcome> => {
        const h = flattenHeaders(res.headers);
        const base = {
          finalUrl: final.url.href,
          permanentUrl: final.permanentUrl,
          etag: h['etag'] ?? validators.etag ?? null,
          lastModified: h['last-modified'] ?? validators.lastModified ?? null,
          hints: parseCacheHints(h, now()),
          headers: h,
        };
        if (res.statusCode === 304) {
          await drain(res);
          return { kind: 'unchanged', reason: 'not-modified', ...base };
        }
        if (res.statusCode < 200 || res.statusCode >= 300) return failFor(res, final, signal, h);
        if (sameEtag(h['etag'], validators.etag)) {
          // The server says it is the same representation: skip the download entirely.
          discard(res);
          return { kind: 'unchanged', reason: 'same-etag', ...base };
        }
        const body = await readBody(res, final, signal);
        const bodyHash = createHash('sha256').update(body).digest('hex');
        if (validators.bodyHash && validators.bodyHash === bodyHash) {
          return { kind: 'unchanged', reason: 'same-body', ...base };
        }
        return {
          kind: 'changed',
          ...base,
          etag: h['etag'] ?? null,
          lastModified: h['last-modified'] ?? null,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          bodyHash,
          contentType: h['content-type'] ?? null,
        };
      });
    },

    async fetchPage(url: string) {
      const headers = { 'user-agent': userAgent, accept: PAGE_ACCEPT, 'accept-encoding': ACCEPT_ENCODING };
      return run(url, headers, async (res, final, signal) => {
        const h = flattenHeaders(res.headers);
        if (res.statusCode < 200 || res.statusCode >= 300) return failFor(res, final, signal, h);
        const body = await readBody(res, final, signal);
        return {
          finalUrl: final.url.href,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          contentType: h['content-type'] ?? null,
          headers: h,
        };
      });
    },

    async postForm(url: string, formBody: string) {
      const headers = {
        'user-agent': userAgent, 'content-type': 'application/x-www-form-urlencoded', accept: '*/*',
        'accept-encoding': ACCEPT_ENCODING,
      };
      return run(url, headers, async (res, final, signal) => {
        const body = await readBody(res, final, signal, 64 * 1024, true);
        return { status: res.statusCode, body: body.toString('utf8') };
      }, formBody);
    },

    close: async () => {
      await Promise.all(agents.map((a) => a.close()));
    },
  };
  return fetcher;
}

/** Stored validators come from earlier responses; one with control characters would make undici throw. */
function headerSafe(value: string): boolean {
  return !/[\x00-\x1f\x7f]/.test(value);
}

function withoutHash(url: URL): string {
  return url.hash ? url.href.slice(0, -url.hash.length) : url.href;
}

function startUrlHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
