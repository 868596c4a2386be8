/**
 * Authenticated content distribution (W3C WebSub §8): the hub signs each push with the secret we
 * gave it, in `X-Hub-Signature: <algo>=<hex HMAC of the raw body>`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Digest algorithms WebSub allows, with their hex digest length. */
const ALGORITHMS: Record<string, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

export type SignatureAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * Check an `X-Hub-Signature` header against the raw request body.
 *
 * With a secret set, anything but a well-formed signature of a known algorithm that matches is
 * false. With no secret (null/undefined) there was nothing to sign with, so the push is accepted
 * unauthenticated: callers that always subscribe with a secret must always pass it.
 * The body must be the bytes as received: re-serialized or re-decoded text would not match.
 * @example verifySignature(secret, req.headers['x-hub-signature'], rawBodyBuffer)
 */
export function verifySignature(
  secret: string | null | undefined,
  headerValue: string | string[] | null | undefined,
  rawBody: Uint8Array,
): boolean {
  if (typeof (rawBody as unknown) === 'string') {
    // A decoded string has lost the exact bytes (charset, BOM, line endings): refuse loudly.
    throw new TypeError('verifySignature needs the raw body bytes, not a string');
  }
  if (secret == null) return true;
  // Two X-Hub-Signature headers are ambiguous; never pick the convenient one.
  if (Array.isArray(headerValue)) {
    if (headerValue.length !== 1) return false;
    headerValue = headerValue[0];
  }
  if (typeof headerValue !== 'string') return false;

  const match = /^\s*([A-Za-z0-9]+)=([0-9A-Fa-f]+)\s*$/.exec(headerValue);
  if (!match) return false;
  const algo = match[1]!.toLowerCase();
  const hex = match[2]!.toLowerCase();
  const expectedLength = ALGORITHMS[algo];
  if (expectedLength === undefined || hex.length !== expectedLength) return false;

  const expected = createHmac(algo, secret).update(rawBody).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A fresh hub.secret: 32 random bytes as hex (64 characters, under the spec's 200-byte limit).
 */
export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}
