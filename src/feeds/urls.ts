/**
 * Article URLs: resolving what feeds write (often relative) and canonicalizing for de-duplication, so the
 * same story shared with different campaign tags is recognized as one URL.
 */

/** Query parameters that only say where a click came from. Matched case-insensitively. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'msclkid', 'yclid', 'twclid', 'igshid', 'mc_cid', 'mc_eid',
  '_hsenc', '_hsmi', 'mkt_tok', 'ref', 'ref_src', 'ref_url', 'referrer', 'smid', 'cmpid', 'ncid', 'ocid',
  'sr_share', 'share', 'wt.mc_id', 'at_medium', 'at_campaign', 'rss', 'feed_id',
]);

/** An absolute URL if `value` is one. */
function absolute(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    return new URL(value.trim());
  } catch {
    return null;
  }
}

/**
 * Resolves `href` against the first base that can make it absolute. Bases may themselves be relative
 * (a relative xml:base), so each is resolved against the ones after it.
 * @example resolveUrl('/a', [null, 'https://example.com/feed']) // 'https://example.com/a'
 */
export function resolveUrl(href: string | null | undefined, bases: (string | null | undefined)[]): string | null {
  const h = href?.trim();
  if (!h) return null;
  const direct = absolute(h);
  if (direct) return direct.href;
  let base: URL | null = null;
  for (let i = bases.length - 1; i >= 0; i--) {
    const b = bases[i]?.trim();
    if (!b) continue;
    try {
      base = base ? new URL(b, base) : new URL(b);
    } catch {
      // a base we cannot read (a file path, say) does not spoil the others
    }
  }
  if (!base) return null;
  try {
    return new URL(h, base).href;
  } catch {
    return null;
  }
}

/** True for http(s) URLs: the only links an article may have. */
export function isWebUrl(url: string | null): url is string {
  return url !== null && /^https?:\/\//i.test(url);
}

/**
 * The URL without tracking parameters, fragment or default port, host lower-cased.
 * @example canonicalUrl('HTTPS://News.Example.com:443/a?utm_source=x&id=7#top') // 'https://news.example.com/a?id=7'
 */
export function canonicalUrl(url: string | null): string | null {
  const u = absolute(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  u.hash = '';
  if (u.search) {
    const kept = new URLSearchParams();
    for (const [k, v] of u.searchParams) {
      const key = k.toLowerCase();
      if (key.startsWith('utm_') || TRACKING_PARAMS.has(key)) continue;
      kept.append(k, v);
    }
    const qs = kept.toString();
    u.search = qs ? `?${qs}` : '';
  }
  // The URL parser already lower-cases the host and drops default ports.
  return u.href;
}
