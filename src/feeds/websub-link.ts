/**
 * RFC 8288 `Link` header parsing, as much of it as WebSub discovery needs.
 *
 * Hubs send headers such as
 *   Link: <https://hub.example/>; rel="hub", </feed.xml>; rel=self
 *   Link: <https://a.example/>; rel="hub self"; title="a, b; c"
 * so a naive split on "," or ";" breaks on commas inside `<...>` or quoted parameters.
 */

/** One link-value of a Link header. */
export interface LinkValue {
  /** The target as written between `<` and `>` (not yet resolved). */
  target: string;
  /** Relation types, lower-cased (rel="hub self" gives ['hub', 'self']). */
  rels: string[];
  /** Other parameters, names lower-cased; the first occurrence of a name wins. */
  params: Record<string, string>;
}

/** Headers as they arrive from node:http, undici, fetch, or a plain record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

/** Every value of the header `name`, whatever shape the headers came in. */
export function headerValues(headers: HeaderSource | null | undefined, name: string): string[] {
  if (!headers) return [];
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const v = (headers as { get(name: string): string | null }).get(name);
    return v == null ? [] : [v];
  }
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value == null) continue;
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
}

const WS = /[ \t\r\n]/;

/**
 * Parse one or more Link header field values into link-values.
 * Malformed link-values are skipped rather than failing the whole header.
 * @example parseLinkHeader('<https://h/>; rel="hub self"') // [{ target: 'https://h/', rels: ['hub','self'], params: {} }]
 */
export function parseLinkHeader(value: string | string[]): LinkValue[] {
  const fields = Array.isArray(value) ? value : [value];
  const links: LinkValue[] = [];
  for (const field of fields) links.push(...parseField(field));
  return links;
}

function parseField(s: string): LinkValue[] {
  const links: LinkValue[] = [];
  let i = 0;
  const n = s.length;
  const skipWs = () => {
    while (i < n && WS.test(s[i]!)) i++;
  };
  // Move past the current (broken) link-value to the next top-level comma.
  const recover = () => {
    let quoted = false;
    while (i < n) {
      const c = s[i]!;
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ',') return;
      i++;
    }
  };

  while (i < n) {
    skipWs();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (i >= n) break;
    if (s[i] !== '<') {
      recover();
      continue;
    }
    const close = s.indexOf('>', i + 1);
    if (close < 0) break;
    const target = s.slice(i + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    let rel: string | undefined;
    let broken = false;
    for (;;) {
      skipWs();
      if (i >= n || s[i] === ',') break;
      if (s[i] !== ';') {
        broken = true;
        recover();
        break;
      }
      i++;
      skipWs();
      const nameStart = i;
      while (i < n && !/[=;,\s]/.test(s[i]!)) i++;
      const name = s.slice(nameStart, i).toLowerCase();
      skipWs();
      let val = '';
      if (s[i] === '=') {
        i++;
        skipWs();
        if (s[i] === '"') {
          i++;
          while (i < n && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < n) i++;
            val += s[i];
            i++;
          }
          i++; // closing quote (or end of input)
        } else {
          const valStart = i;
          while (i < n && !/[;,]/.test(s[i]!)) i++;
          val = s.slice(valStart, i).trim();
        }
      }
      if (!name) continue;
      if (name === 'rel*') val = decodeExtValue(val);
      const key = name === 'rel*' ? 'rel' : name;
      // RFC 8288 3.3: occurrences of rel after the first are ignored; same for other params.
      if (key === 'rel') {
        if (rel === undefined) rel = val;
      } else if (!(key in params)) {
        params[key] = val;
      }
    }
    if (broken) continue;
    const rels = (rel ?? '')
      .split(/[ \t]+/)
      .map((r) => r.trim().toLowerCase())
      .filter(Boolean);
    links.push({ target, rels, params });
  }
  return links;
}

/** RFC 8187 ext-value (`UTF-8''hub`) -> plain string; anything unreadable stays as given. */
function decodeExtValue(v: string): string {
  const m = /^[A-Za-z0-9!#$%&+^_`{}~-]+'[^']*'(.*)$/.exec(v);
  if (!m) return v;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}
