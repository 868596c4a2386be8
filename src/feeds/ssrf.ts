/**
 * SSRF guard for feed and page fetching.
 *
 * Feed URLs arrive from chat, so they are untrusted: without this guard anyone in a channel could make the
 * bot read its own admin endpoints, the cloud metadata service, or hosts on the office network.
 *
 * Two checks, both needed:
 * - `checkUrl` looks at the URL itself (scheme, credentials, literal IP hosts, metadata host names).
 *   Literal IPs never reach a DNS lookup (net.connect skips `lookup` for them), so they must be checked here.
 * - `createGuardedLookup` returns a `lookup` for net/tls connect options. It resolves the name, refuses the
 *   connection if ANY resolved address is blocked, and hands the same addresses to the socket. Because the
 *   check and the connect use one resolution, a DNS answer that changes in between (DNS rebinding) cannot
 *   slip a private address past the guard.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';
import { FetchError } from '../errors.ts';

/** Why an address is not on the public internet. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'benchmarking'
  | 'documentation'
  | 'metadata';

/** A blocked address: its class and, for IPv6 forms that embed an IPv4 address, which one and how. */
export interface BlockVerdict {
  class: AddressClass;
  /** The embedded IPv4 address that was classified (IPv4-mapped, NAT64, 6to4, Teredo...). */
  embedded?: string;
  /** How the IPv4 address was embedded, e.g. 'IPv4-mapped'. */
  via?: string;
}

/** One resolved address, as dns.lookup({ all: true }) returns it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests can map names to loopback aliases. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Decides whether an address is blocked; null means public. Injectable for tests. */
export type BlockCheck = (address: string) => BlockVerdict | null;

export interface GuardOptions {
  /** Lift the guard for private/loopback/link-local addresses (FRONTERA_ALLOW_PRIVATE_FEEDS=1). */
  allowPrivate?: boolean;
  /** DNS resolution; defaults to the OS resolver (dns.lookup with all: true). */
  resolve?: Resolver;
  /** Address classification; defaults to `classifyAddress`. */
  isBlocked?: BlockCheck;
}

const ALLOW_HINT = 'set FRONTERA_ALLOW_PRIVATE_FEEDS=1 to allow';

const CLASS_WORDS: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  shared: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  documentation: 'a documentation address',
  metadata: 'a cloud metadata address',
};

/**
 * Host names of cloud metadata services. Blocked by name even when private addresses are allowed:
 * no newsroom intranet serves feeds from them, and they hand out credentials.
 */
const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

// ---------------------------------------------------------------------------------------------------
// Address parsing

/** Parses canonical dotted-quad IPv4 into a 32-bit unsigned number, or null. */
function parseIPv4(text: string): number | null {
  if (!isIPv4(text)) return null;
  const parts = text.split('.').map(Number);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Parses IPv6 (with optional zone id and trailing dotted quad) into 8 16-bit groups, or null. */
function parseIPv6(text: string): number[] | null {
  const zone = text.indexOf('%');
  const addr = zone >= 0 ? text.slice(0, zone) : text;
  if (!isIPv6(addr)) return null;
  let head = addr;
  const tailGroups: number[] = [];
  // A trailing dotted quad stands for the last two groups.
  const lastColon = head.lastIndexOf(':');
  const last = head.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    tailGroups.push(v4 >>> 16, v4 & 0xffff);
    head = head.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const toGroups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  let groups: number[];
  const gap = head.indexOf('::');
  if (gap >= 0) {
    const left = toGroups(head.slice(0, gap));
    const right = [...toGroups(head.slice(gap + 2)), ...tailGroups];
    const fill = 8 - left.length - right.length;
    if (fill < 0) return null;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else {
    groups = [...toGroups(head), ...tailGroups];
  }
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** True when `ip` lies in prefix/bits (IPv4, as unsigned numbers). */
function inV4(ip: number, prefix: string, bits: number): boolean {
  const base = parseIPv4(prefix)!;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ip & mask) >>> 0) === ((base & mask) >>> 0);
}

/** IPv4 ranges that are not the public internet, most specific first. */
const V4_RANGES: Array<[string, number, AddressClass]> = [
  ['169.254.169.254', 32, 'metadata'],
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments (includes Oracle's 192.0.0.192 metadata)
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function classifyV4(ip: number): AddressClass | null {
  for (const [prefix, bits, cls] of V4_RANGES) if (inV4(ip, prefix, bits)) return cls;
  return null;
}

/** Classifies an IPv6 address given as 8 groups. */
function classifyV6(g: number[]): BlockVerdict | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4At = (i: number) => ((g[i] << 16) | g[i + 1]) >>> 0;
  const embedded = (ip: number, via: string): BlockVerdict | null => {
    const cls = classifyV4(ip);
    return cls ? { class: cls, embedded: formatIPv4(ip), via } : null;
  };

  if (g.every((x) => x === 0)) return { class: 'unspecified' };
  if (zeroUpTo(7) && g[7] === 1) return { class: 'loopback' };
  // ::ffff:a.b.c.d: the socket really talks IPv4 to a.b.c.d.
  if (zeroUpTo(5) && g[5] === 0xffff) return embedded(v4At(6), 'IPv4-mapped');
  // ::a.b.c.d (deprecated IPv4-compatible) is not routable: always refused, naming the IPv4 inside when
  // that is itself blocked so the message points at the real target.
  if (zeroUpTo(6)) return embedded(v4At(6), 'IPv4-compatible') ?? { class: 'reserved' };
  // 64:ff9b::/96 well-known NAT64 prefix: a gateway forwards to the embedded IPv4.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(v4At(6), 'NAT64');
  // 64:ff9b:1::/48 local-use NAT64: translates into a private network by definition.
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return { class: 'private' };
  // 2002::/16 6to4: bits 16..47 are an IPv4 address.
  if (g[0] === 0x2002) return embedded(v4At(1), '6to4');
  // 2001:0::/32 Teredo: the client's IPv4 is the last 32 bits, inverted.
  if (g[0] === 0x2001 && g[1] === 0) return embedded(~v4At(6) >>> 0, 'Teredo');
  if (g[0] === 0x2001 && g[1] === 0x0db8) return { class: 'documentation' };
  // fd00:ec2::254 is the AWS metadata service over IPv6.
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) {
    return { class: 'metadata' };
  }
  if ((g[0] & 0xfe00) === 0xfc00) return { class: 'private' }; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return { class: 'link-local' }; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return { class: 'private' }; // fec0::/10 deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return { class: 'multicast' }; // ff00::/8
  if ((g[0] & 0xfff0) === 0x2001 && (g[1] & 0xffe0) === 0x0020) return { class: 'reserved' }; // ORCHIDv2
  // Only 2000::/3 is allocated as global unicast; everything else outside the cases above is not routable.
  if ((g[0] & 0xe000) !== 0x2000) return { class: 'reserved' };
  return null;
}

/** Classifies an IP address string; null means it is a public address. Non-IP input returns null. */
export function classifyAddress(address: string): BlockVerdict | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseIPv4(bare);
  if (v4 !== null) {
    const cls = classifyV4(v4);
    return cls ? { class: cls } : null;
  }
  const v6 = parseIPv6(bare);
  return v6 ? classifyV6(v6) : null;
}

/** True when the string is an IPv4 or IPv6 literal (brackets allowed). */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIPv4(bare) || isIPv6(bare.split('%')[0]);
}

/** One phrase for a verdict, e.g. "a private address" or "10.0.0.5 in IPv4-mapped form, a private address". */
export function describeVerdict(v: BlockVerdict): string {
  const words = CLASS_WORDS[v.class];
  return v.embedded ? `${v.embedded} in ${v.via} form, ${words}` : words;
}

// ---------------------------------------------------------------------------------------------------
// Decisions

/** Applies allowPrivate: metadata stays blocked, every other class is lifted. */
function effectiveVerdict(address: string, opts: GuardOptions): BlockVerdict | null {
  const verdict = (opts.isBlocked ?? classifyAddress)(address);
  if (!verdict) return null;
  if (opts.allowPrivate && verdict.class !== 'metadata') return null;
  return verdict;
}

function blockedError(host: string, address: string, verdict: BlockVerdict): FetchError {
  const what =
    host === address
      ? `${host} is ${describeVerdict(verdict)}`
      : `${host} resolves to ${address}, ${verdict.embedded ? 'which is ' : ''}${describeVerdict(verdict)}`;
  const tail = verdict.class === 'metadata' ? 'cloud metadata endpoints are never fetched' : ALLOW_HINT;
  return new FetchError('blocked_address', `Refusing to fetch: ${what}; ${tail}.`);
}

function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * Checks a URL before any connection: http(s) only, no credentials, no blocked literal IPs, no metadata
 * host names. Returns the parsed URL; throws FetchError('bad_url' | 'blocked_address').
 */
export function checkUrl(input: string | URL, opts: GuardOptions = {}): URL {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : new URL(input.href);
  } catch {
    throw new FetchError('bad_url', `"${String(input).slice(0, 200)}" is not a valid URL; give a full http:// or https:// address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad_url', `${url.protocol.replace(/:$/, '')}: URLs cannot be fetched; only http:// and https:// feeds are supported.`);
  }
  if (url.username || url.password) {
    // Never echo the credentials back: the message may end up in a channel.
    throw new FetchError('bad_url', `The URL for ${url.hostname} contains a user name or password; remove them, Frontera does not send URL credentials.`);
  }
  const host = stripDot(url.hostname.toLowerCase());
  if (METADATA_HOSTS.has(host)) {
    throw new FetchError('blocked_address', `Refusing to fetch: ${host} is a cloud metadata host; cloud metadata endpoints are never fetched.`);
  }
  if (isIpLiteral(host)) {
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    const verdict = effectiveVerdict(bare, opts);
    if (verdict) throw blockedError(bare, bare, verdict);
  }
  return url;
}

/** Error shaped like the OS resolver's, so callers classify it as a DNS failure. */
function notFound(hostname: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  err.code = 'ENOTFOUND';
  (err as NodeJS.ErrnoException & { hostname?: string }).hostname = hostname;
  return err;
}

const defaultResolve: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Returns a `lookup` for socket connect options that resolves with `opts.resolve`, refuses the
 * connection with FetchError('blocked_address') if any address is blocked, and otherwise connects to
 * exactly the addresses it checked.
 */
export function createGuardedLookup(opts: GuardOptions = {}) {
  const resolve = opts.resolve ?? defaultResolve;
  return function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    const host = stripDot(hostname.toLowerCase());
    if (METADATA_HOSTS.has(host)) {
      callback(new FetchError('blocked_address', `Refusing to fetch: ${host} is a cloud metadata host; cloud metadata endpoints are never fetched.`), '');
      return;
    }
    resolve(hostname).then(
      (found) => {
        // Judge every address, not just the one we would use: a name with one public and one private
        // address is refused, since the OS or a retry could pick either.
        for (const a of found) {
          const verdict = effectiveVerdict(a.address, opts);
          if (verdict) return callback(blockedError(host, a.address, verdict), '');
        }
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family ? found.filter((a) => a.family === family) : found;
        if (usable.length === 0) return callback(notFound(hostname), '');
        if (options.all) return callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
        callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
