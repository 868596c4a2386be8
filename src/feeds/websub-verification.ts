/**
 * The hub's GET to our callback (W3C WebSub §5.3): verification of intent, or a denial notice.
 * We only confirm what we actually asked for, so nobody can subscribe us to a topic in our name.
 */
import type { SubscriptionMode } from './websub-subscription.ts';

/** Query parameters of the callback request, as node's URLSearchParams or a parsed record. */
export type CallbackQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export interface ExpectedIntent {
  /** The topic this callback was created for. */
  topic: string;
  /** The mode of our pending request. */
  mode: SubscriptionMode;
  /** True while a request of that mode is waiting for the hub's verification. */
  pending: boolean;
}

export type VerificationResult =
  | {
      status: 200;
      kind: 'verified';
      mode: SubscriptionMode;
      /** Echo the challenge as the whole body, served as text/plain (never HTML: it is hub input). */
      body: string;
      contentType: 'text/plain; charset=utf-8';
      /** Lease the hub granted (subscribe only); null when absent or unreadable. */
      leaseSeconds: number | null;
    }
  | {
      status: 200;
      kind: 'denied';
      body: '';
      /** The hub's hub.reason, if it gave one. */
      reason: string | null;
    }
  | {
      status: 404;
      kind: 'rejected';
      body: '';
      /** Why we refused, for logs only (the hub sees a bare 404). */
      why: string;
    };

/** Challenges are opaque tokens; a very long one is abuse of the echo, not a hub. */
const MAX_CHALLENGE = 1024;

/**
 * Decide the answer to a hub's callback GET.
 * @example handleVerification(url.searchParams, { topic: feed.topic, mode: 'subscribe', pending: true })
 */
export function handleVerification(query: CallbackQuery, expected: ExpectedIntent): VerificationResult {
  const mode = param(query, 'hub.mode');
  const topic = param(query, 'hub.topic');
  const reject = (why: string): VerificationResult => ({ status: 404, kind: 'rejected', body: '', why });

  if (!topic) return reject('missing hub.topic');
  if (!sameTopic(topic, expected.topic)) return reject(`topic ${topic} is not the one this callback is for`);

  if (mode === 'denied') {
    // A denial may come at any time (the publisher can revoke later), so no pending request is needed.
    return { status: 200, kind: 'denied', body: '', reason: param(query, 'hub.reason') || null };
  }
  if (mode !== 'subscribe' && mode !== 'unsubscribe') return reject(`unknown hub.mode ${mode ?? '(none)'}`);
  if (mode !== expected.mode) return reject(`hub.mode ${mode} but we asked to ${expected.mode}`);
  if (!expected.pending) return reject(`no pending ${mode} request for this topic`);

  const challenge = param(query, 'hub.challenge');
  if (!challenge) return reject('missing hub.challenge');
  if (challenge.length > MAX_CHALLENGE) return reject('hub.challenge too long');

  return {
    status: 200,
    kind: 'verified',
    mode,
    body: challenge,
    contentType: 'text/plain; charset=utf-8',
    leaseSeconds: mode === 'subscribe' ? parseLease(param(query, 'hub.lease_seconds')) : null,
  };
}

function param(query: CallbackQuery, name: string): string | null {
  if (query instanceof URLSearchParams) return query.get(name);
  const v = query[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

function parseLease(v: string | null): number | null {
  if (v === null || !/^\s*\d+\s*$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Hubs may echo the topic with a normalized host or port; compare URLs, not spellings. */
function sameTopic(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
