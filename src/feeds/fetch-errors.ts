/**
 * Turning transport failures and HTTP error statuses into FetchError with one actionable sentence each.
 * Messages name the host (never credentials: checkUrl refuses URLs that carry them) and say what an
 * admin can do, because they are shown verbatim in `/feeds` and `frontera feeds check`.
 */
import { FetchError } from '../errors.ts';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** What classifyError needs to know about the failed hop. */
export interface ErrorContext {
  /** The URL of the hop that failed. */
  url: URL;
  /** True when our own total timeout fired (whatever error undici surfaced for the abort). */
  timedOut: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/** Finds the first `code` along an error's cause chain. */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? '' : 's'}`;
}

/** Maps anything thrown while talking to a server into a FetchError. */
export function classifyError(err: unknown, ctx: ErrorContext): FetchError {
  if (err instanceof FetchError && !ctx.timedOut) return err;
  const host = ctx.url.hostname;
  if (ctx.timedOut) {
    return new FetchError('timeout', `${host} did not finish answering within ${seconds(ctx.timeoutMs)}; the server is slow or stuck, Frontera will retry later.`, {
      cause: err,
    });
  }
  const code = errorCode(err) ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (DNS_CODES.has(code)) {
    const msg =
      code === 'EAI_AGAIN'
        ? `The DNS lookup for ${host} failed temporarily (EAI_AGAIN); Frontera will retry later.`
        : `The host name ${host} could not be found in DNS (${code}); check the feed URL for typos.`;
    return new FetchError('dns', msg, { cause: err });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new FetchError('timeout', `Could not connect to ${host} within ${seconds(ctx.connectTimeoutMs)}; the server may be down or blocking us.`, {
      cause: err,
    });
  }
  if (TIMEOUT_CODES.has(code)) {
    return new FetchError('timeout', `${host} did not answer in time (${code}); the server is slow or stuck, Frontera will retry later.`, { cause: err });
  }
  if (TLS_CODES.has(code) || /^ERR_(SSL|TLS)_/.test(code) || /CERT/.test(code)) {
    return new FetchError(
      'tls',
      `The HTTPS connection to ${host} failed its certificate check (${code}); the site must fix its certificate, or the URL points at the wrong host.`,
      { cause: err },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new FetchError('network', `${host} refused the connection (ECONNREFUSED); the server is down or the port is wrong.`, { cause: err });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new FetchError('network', `${host} cannot be reached from this machine (${code}); check the network or the address.`, { cause: err });
  }
  if (code.startsWith('HPE_')) {
    return new FetchError('network', `${host} sent a malformed HTTP response (${code}); the server is misbehaving.`, { cause: err });
  }
  const shown = code || detail.slice(0, 120);
  return new FetchError('network', `The connection to ${host} failed (${shown}); Frontera will retry later.`, { cause: err });
}

/** Markers of Cloudflare's bot challenge in an HTML body. */
const CF_STRONG = [/\/cdn-cgi\/challenge-platform\//i, /cf_chl_opt/i, /cf-chl-/i, /cf-browser-verification/i];
const CF_WEAK = [/Just a moment\.\.\./i, /challenge-platform/i, /cf-chl/i, /Attention Required! \| Cloudflare/i, /Checking your browser/i];

/** True for a Cloudflare challenge answer: the cf-mitigated header, or Cloudflare headers plus challenge markup. */
export function isCloudflareChallenge(status: number, headers: Record<string, string>, bodySnippet: string | null): boolean {
  if (status !== 403 && status !== 503 && status !== 429) return false;
  if ((headers['cf-mitigated'] ?? '').toLowerCase().includes('challenge')) return true;
  if (!bodySnippet) return false;
  const fromCloudflare = /cloudflare/i.test(headers['server'] ?? '') || headers['cf-ray'] !== undefined;
  if (CF_STRONG.some((re) => re.test(bodySnippet))) return true;
  return fromCloudflare && CF_WEAK.some((re) => re.test(bodySnippet));
}

/** True when a body snippet is worth fetching to look for a Cloudflare challenge. */
export function mightBeCloudflare(status: number, headers: Record<string, string>): boolean {
  return (status === 403 || status === 503 || status === 429) && (/cloudflare/i.test(headers['server'] ?? '') || headers['cf-ray'] !== undefined || /html/i.test(headers['content-type'] ?? ''));
}

/** The FetchError for a final non-success HTTP status. */
export function statusError(status: number, url: URL, opts: { retryAfterSeconds?: number; cloudflare?: boolean }): FetchError {
  const host = url.hostname;
  const where = url.href;
  const retryAfterSeconds = opts.retryAfterSeconds;
  const wait = retryAfterSeconds !== undefined ? ` and asked us to wait ${retryAfterSeconds} seconds` : '';
  if (opts.cloudflare) {
    return new FetchError(
      'cloudflare',
      `${host} answered with a Cloudflare bot challenge (HTTP ${status}), which a feed reader cannot pass; ask the site for an unprotected feed URL or to allow Frontera's User-Agent.`,
      { status, retryAfterSeconds },
    );
  }
  if (status === 429) {
    return new FetchError('rate_limited', `${host} is rate-limiting Frontera (HTTP 429)${wait}; polling will slow down.`, { status, retryAfterSeconds });
  }
  if (status === 410) {
    return new FetchError('gone', `The feed at ${where} is gone (HTTP 410): the site removed it for good; remove it or replace it with the new address.`, {
      status,
    });
  }
  if (status === 404) {
    return new FetchError('http_4xx', `Nothing was found at ${where} (HTTP 404); check the URL or find the site's new feed address.`, { status });
  }
  if (status === 401 || status === 403) {
    return new FetchError('http_4xx', `${host} refused access to ${where} (HTTP ${status}); the feed needs a login or blocks bots, so ask the site for access.`, {
      status,
    });
  }
  if (status >= 400 && status < 500) {
    return new FetchError('http_4xx', `${host} rejected the request for ${where} (HTTP ${status}); check the URL.`, { status, retryAfterSeconds });
  }
  if (status === 503) {
    return new FetchError('http_5xx', `${host} is temporarily unavailable (HTTP 503)${wait}; Frontera will retry later.`, { status, retryAfterSeconds });
  }
  if (status >= 500) {
    return new FetchError('http_5xx', `${host} had a server error (HTTP ${status})${wait}; Frontera will retry later.`, { status, retryAfterSeconds });
  }
  // 1xx/3xx that we cannot use (e.g. a redirect without Location): the server is misbehaving.
  return new FetchError('http_5xx', `${host} sent an unusable answer (HTTP ${status}) for ${where}; the server is misconfigured.`, { status });
}
