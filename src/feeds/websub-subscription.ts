/**
 * Subscribing and unsubscribing at a hub (W3C WebSub §5.1): one form POST, answered 202 Accepted;
 * the hub then verifies our intent by calling the callback (see websub-verification.ts).
 */
import { FetchError, type FetchErrorCode } from '../errors.ts';

export type SubscriptionMode = 'subscribe' | 'unsubscribe';

export interface SubscribeRequest {
  hub: string;
  topic: string;
  /** Absolute URL of our callback, e.g. https://bot.example/websub/42 */
  callbackUrl: string;
  /** hub.secret for signed pushes; only sent when subscribing. Hubs should get it over HTTPS only. */
  secret?: string | null;
  /** Requested lease; the hub may grant a different one (see handleVerification). */
  leaseSeconds?: number | null;
  mode: SubscriptionMode;
}

/** The one HTTP call a subscription needs; the composition root passes the guarded fetcher here. */
export interface HubPoster {
  /** POST `formBody` as application/x-www-form-urlencoded to `url`. */
  post(url: string, formBody: string): Promise<{ status: number; body: string }>;
}

/** The spec caps hub.secret below 200 bytes. */
const MAX_SECRET_BYTES = 199;
/** Enough of a hub's error body to say what went wrong without flooding logs. */
const MAX_HUB_MESSAGE = 300;

/**
 * The application/x-www-form-urlencoded body of a (un)subscription request.
 * @example buildSubscribeRequest({ hub, topic, callbackUrl, secret, leaseSeconds: 86400, mode: 'subscribe' })
 */
export function buildSubscribeRequest(req: SubscribeRequest): string {
  const form = new URLSearchParams();
  form.set('hub.callback', req.callbackUrl);
  form.set('hub.mode', req.mode);
  form.set('hub.topic', req.topic);
  if (req.mode === 'subscribe') {
    if (req.leaseSeconds != null) {
      if (!Number.isInteger(req.leaseSeconds) || req.leaseSeconds <= 0) {
        throw new RangeError(`hub.lease_seconds must be a positive integer, got ${req.leaseSeconds}`);
      }
      form.set('hub.lease_seconds', String(req.leaseSeconds));
    }
    if (req.secret != null) {
      const bytes = Buffer.byteLength(req.secret, 'utf8');
      if (bytes === 0 || bytes > MAX_SECRET_BYTES) {
        throw new RangeError(`hub.secret must be 1..${MAX_SECRET_BYTES} bytes, got ${bytes}`);
      }
      form.set('hub.secret', req.secret);
    }
  }
  return form.toString();
}

/**
 * Send a (un)subscription request; resolves when the hub accepted it (202, or 204 from some hubs),
 * throws FetchError with the hub's own message otherwise. Acceptance is not verification: the
 * subscription is live only once the hub's intent check reaches the callback.
 */
export async function sendSubscription(deps: HubPoster, req: SubscribeRequest): Promise<{ status: 202 | 204 }> {
  const body = buildSubscribeRequest(req);
  let res: { status: number; body: string };
  try {
    res = await deps.post(req.hub, body);
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw new FetchError('network', `WebSub ${req.mode} request to ${req.hub} failed: ${errorText(err)}`, { cause: err });
  }
  if (res.status === 202 || res.status === 204) return { status: res.status };
  const said = hubMessage(res.body);
  throw new FetchError(
    codeFor(res.status),
    `hub ${req.hub} refused ${req.mode} (HTTP ${res.status})${said ? `: ${said}` : ''}`,
    { status: res.status },
  );
}

function codeFor(status: number): FetchErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 410) return 'gone';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  // 200 or a redirect: the hub answered, but not in a way that means "accepted".
  return 'network';
}

/** A hub's error body as one short plain-text line (hubs answer in text, HTML or JSON). */
function hubMessage(body: string | null | undefined): string {
  if (!body) return '';
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_HUB_MESSAGE ? `${text.slice(0, MAX_HUB_MESSAGE)}…` : text;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
