/**
 * Feed date parsing. Feeds write dates every way imaginable: RFC 822 with or without weekday and with
 * two-digit years, W3CDTF/ISO 8601 (partial, compact, comma fractions), asctime, and on our beat plenty of
 * Spanish ("lunes, 5 de enero de 2026 10:30"). Anything without a zone is taken as UTC. Never throws.
 */

const MONTHS = new Map<string, number>(Object.entries({
  january: 1, jan: 1, enero: 1, ene: 1,
  february: 2, feb: 2, febrero: 2,
  march: 3, mar: 3, marzo: 3,
  april: 4, apr: 4, abril: 4, abr: 4,
  may: 5, mayo: 5,
  june: 6, jun: 6, junio: 6,
  july: 7, jul: 7, julio: 7,
  august: 8, aug: 8, agosto: 8, ago: 8,
  september: 9, sep: 9, sept: 9, septiembre: 9, setiembre: 9, set: 9,
  october: 10, oct: 10, octubre: 10,
  november: 11, nov: 11, noviembre: 11,
  december: 12, dec: 12, diciembre: 12, dic: 12,
}));

const WEEKDAYS = new Set([
  'monday', 'mon', 'tuesday', 'tue', 'tues', 'wednesday', 'wed', 'thursday', 'thu', 'thur', 'thurs',
  'friday', 'fri', 'saturday', 'sat', 'sunday', 'sun',
  'lunes', 'lun', 'martes', 'mar', 'miercoles', 'mie', 'mier', 'jueves', 'jue', 'viernes', 'vie',
  'sabado', 'sab', 'domingo', 'dom',
]);

/** Filler words that carry no date information ("5 de enero de 2026 a las 10:30"). */
const FILLER = new Set(['de', 'del', 'el', 'la', 'las', 'a', 'at', 'on', 'the', 'of', 'y', 'h', 'hs', 'hrs', 'horas', 'hora', 'hours']);

/** Zone abbreviations in hours east of UTC. Ambiguous ones (IST, BST in some places) take the common meaning. */
const ZONES = new Map<string, number>(Object.entries({
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0,
  est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7,
  et: -5, ct: -6, mt: -7, pt: -8,
  ast: -4, adt: -3, akst: -9, akdt: -8, hst: -10,
  bst: 1, cet: 1, cest: 2, met: 1, mest: 2, west: 1, eet: 2, eest: 3, msk: 3,
  jst: 9, kst: 9, aest: 10, aedt: 11, nzst: 12, nzdt: 13,
}));

/**
 * RFC 822 military zones exactly as that RFC wrote them (A = -1 ... M = -12, N = +1 ... Y = +12). RFC 1123
 * later admitted the signs are backwards from military use, but feeds that send them copied RFC 822.
 */
function militaryOffset(letter: string): number | null {
  if (letter === 'z') return 0;
  const c = letter.charCodeAt(0);
  if (c >= 97 && c <= 105) return -(c - 96); // a..i
  if (c >= 107 && c <= 109) return -(c - 97); // k..m (no j)
  if (c >= 110 && c <= 121) return c - 109; // n..y
  return null;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Minutes east of UTC. */
  offset: number;
}

/** Builds a UTC Date from checked parts, or null when any part is out of range. */
function build(p: Parts): Date | null {
  if (!Number.isFinite(p.y) || p.y < 1000 || p.y > 9999) return null;
  if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > daysInMonth(p.y, p.mo)) return null;
  if (p.h < 0 || p.h > 24 || p.mi < 0 || p.mi > 59 || p.s < 0 || p.s > 60) return null;
  if (p.h === 24 && (p.mi > 0 || p.s > 0)) return null;
  if (Math.abs(p.offset) > 18 * 60) return null;
  const sec = Math.min(p.s, 59); // a leap second is close enough to the minute's end
  const t = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, sec, p.ms) - p.offset * 60_000;
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "+05:30", "-0800", "+5", "-05" -> minutes east of UTC. */
function numericOffset(sign: string, digits: string): number | null {
  const clean = digits.replace(':', '');
  let h: number;
  let m = 0;
  if (clean.length <= 2) h = Number(clean);
  else if (clean.length === 3) {
    h = Number(clean.slice(0, 1));
    m = Number(clean.slice(1));
  } else if (clean.length === 4) {
    h = Number(clean.slice(0, 2));
    m = Number(clean.slice(2));
  } else return null;
  if (m > 59) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

function fraction(f: string | undefined): number {
  return f ? Math.round(Number(`0.${f.slice(0, 6)}`) * 1000) : 0;
}

const ISO =
  /^([0-9]{4})(?:-?([0-9]{2})(?:-?([0-9]{2}))?)?(?:(?:t|\s+)([0-9]{2})(?::?([0-9]{2})(?::?([0-9]{2})(?:[.,]([0-9]+))?)?)?\s*(z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$/;
const ORDINAL = /^([0-9]{4})-?([0-9]{3})(?:t([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?\s*(z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$/;

/** W3CDTF / ISO 8601 calendar and ordinal dates. */
function parseIso(s: string): Date | null {
  const m = ISO.exec(s);
  if (m) {
    const zone = m[8];
    let offset = 0;
    if (zone && zone !== 'z') {
      const o = numericOffset(zone[0], zone.slice(1));
      if (o === null) return null;
      offset = o;
    }
    return build({
      y: Number(m[1]), mo: m[2] ? Number(m[2]) : 1, d: m[3] ? Number(m[3]) : 1,
      h: m[4] ? Number(m[4]) : 0, mi: m[5] ? Number(m[5]) : 0, s: m[6] ? Number(m[6]) : 0,
      ms: fraction(m[7]), offset,
    });
  }
  const o = ORDINAL.exec(s);
  if (o) {
    const y = Number(o[1]);
    const doy = Number(o[2]);
    const start = Date.UTC(y, 0, 1);
    const day = new Date(start + (doy - 1) * 86_400_000);
    if (doy < 1 || day.getUTCFullYear() !== y) return null;
    const zone = o[6];
    const offset = zone && zone !== 'z' ? numericOffset(zone[0], zone.slice(1)) : 0;
    if (offset === null) return null;
    return build({
      y, mo: day.getUTCMonth() + 1, d: day.getUTCDate(),
      h: o[3] ? Number(o[3]) : 0, mi: o[4] ? Number(o[4]) : 0, s: o[5] ? Number(o[5]) : 0, ms: 0, offset,
    });
  }
  return null;
}

function twoDigitYear(y: number): number {
  return y < 50 ? 2000 + y : 1900 + y;
}

/** Mutable state while reading loose tokens. */
interface Loose {
  y?: number;
  mo?: number;
  d?: number;
  h?: number;
  mi?: number;
  s?: number;
  ms?: number;
  offset?: number;
  pm?: boolean;
  am?: boolean;
}

const TIME = /^([0-9]{1,2})[:.h]([0-9]{2})(?:[:.]([0-9]{2})(?:[.,]([0-9]+))?)?(am|pm)?(z|[+-][0-9]{1,2}(?::?[0-9]{2})?)?$/;
const YMD = /^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$/;
const DMY = /^([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})$/;
const D_MON_Y = /^([0-9]{1,2})-([a-z]+)\.?-([0-9]{2}|[0-9]{4})$/;
const ZONE_NUM = /^(?:gmt|utc|ut)?([+-])([0-9]{1,2}(?::?[0-9]{2})?)$/;

function setYear(st: Loose, raw: string): void {
  const n = Number(raw);
  st.y = raw.length <= 2 ? twoDigitYear(n) : n;
}

/** Reads one token into the state; returns false for a token that cannot belong to a date. */
function readToken(st: Loose, t: string, isLast: boolean): boolean {
  // A lone last letter after the time is a military zone, even "a" (which is otherwise Spanish filler).
  if (isLast && st.h !== undefined && /^[a-z]$/.test(t)) {
    const o = militaryOffset(t);
    if (o === null) return false;
    st.offset = o * 60;
    return true;
  }
  if (FILLER.has(t)) return true;
  let m: RegExpExecArray | null;
  if ((m = YMD.exec(t))) {
    st.y = Number(m[1]);
    st.mo = Number(m[2]);
    st.d = Number(m[3]);
    return true;
  }
  if ((m = DMY.exec(t))) {
    // Slashes with a first field <= 12 read US-style (m/d/y); dots and dashes read day first.
    let a = Number(m[1]);
    let b = Number(m[3]);
    if (m[2] === '/' && a <= 12) [a, b] = [b, a];
    st.d = a;
    st.mo = b;
    setYear(st, m[4]);
    return true;
  }
  if ((m = D_MON_Y.exec(t)) && MONTHS.has(m[2])) {
    st.d = Number(m[1]);
    st.mo = MONTHS.get(m[2]);
    setYear(st, m[3]);
    return true;
  }
  if ((m = TIME.exec(t)) && st.h === undefined) {
    st.h = Number(m[1]);
    st.mi = Number(m[2]);
    st.s = m[3] ? Number(m[3]) : 0;
    st.ms = fraction(m[4]);
    if (m[5] === 'pm') st.pm = true;
    if (m[5] === 'am') st.am = true;
    if (m[6]) return readToken(st, m[6], isLast);
    return true;
  }
  if (t === 'am' || t === 'pm') {
    if (t === 'pm') st.pm = true;
    else st.am = true;
    return true;
  }
  if ((m = ZONE_NUM.exec(t)) && (st.h !== undefined || t.startsWith('gmt') || t.startsWith('utc'))) {
    const o = numericOffset(m[1], m[2]);
    if (o === null) return false;
    st.offset = (st.offset ?? 0) + o;
    return true;
  }
  const bare = t.replace(/\.$/, '');
  if (MONTHS.has(bare) && st.mo === undefined) {
    st.mo = MONTHS.get(bare);
    return true;
  }
  const zone = ZONES.get(bare);
  if (zone !== undefined) {
    st.offset = zone * 60;
    return true;
  }
  if (/^[0-9]{4}$/.test(t) && st.y === undefined) {
    st.y = Number(t);
    return true;
  }
  if (/^[0-9]{1,2}$/.test(t)) {
    if (st.d === undefined && (st.mo !== undefined || st.y === undefined)) st.d = Number(t);
    else if (st.y === undefined) setYear(st, t);
    else if (st.d === undefined) st.d = Number(t);
    else return false;
    return true;
  }
  if (WEEKDAYS.has(bare)) return true;
  return false;
}

/** RFC 822/1123/850, asctime and free-form English/Spanish dates, read token by token. */
function parseLoose(s: string): Date | null {
  const cleaned = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b([0-9]{1,2})(?:st|nd|rd|th|ro|er)\b/g, '$1')
    .replace(/([0-9])[º°ª]/g, '$1')
    .replace(/\b([ap])\.\s?m\.?/g, ' $1m')
    .replace(/([0-9])(am|pm)\b/g, '$1 $2');
  const tokens = cleaned.split(/[\s,;]+|(?<=[a-z])\.(?=[0-9\s])/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 14) return null;
  // A leading weekday is noise, but "mar" is both martes and marzo: it is a weekday only if a month follows.
  if (WEEKDAYS.has(tokens[0].replace(/\.$/, ''))) {
    const first = tokens[0].replace(/\.$/, '');
    const monthLater = tokens.slice(1).some((t) => MONTHS.has(t.replace(/\.$/, '')) || D_MON_Y.test(t) || YMD.test(t) || DMY.test(t));
    if (!MONTHS.has(first) || monthLater) tokens.shift();
  }
  const st: Loose = {};
  let unknown = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (!readToken(st, tokens[i], i === tokens.length - 1)) unknown++;
  }
  if (st.y === undefined || st.mo === undefined || st.d === undefined) return null;
  // Junk words are tolerated ("Vorhersage Donnerstag, 06.09.2012") but not a sentence with a date in it.
  if (unknown > 2) return null;
  let h = st.h ?? 0;
  if (st.pm && h < 12) h += 12;
  if (st.am && h === 12) h = 0;
  return build({ y: st.y, mo: st.mo, d: st.d, h, mi: st.mi ?? 0, s: st.s ?? 0, ms: st.ms ?? 0, offset: st.offset ?? 0 });
}

/** The RFC 822 shape nearly every RSS feed uses, read without tokenizing ("mon, 05 jan 2026 10:30:00 gmt"). */
const RFC822 = /^(?:[a-z]{3,9},? )?([0-9]{1,2}) ([a-z]{3}) ([0-9]{4}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))? ?(gmt|ut|utc|z|[+-][0-9]{4}|[a-z]{3,4})?$/;

function parseRfc822(s: string): Date | null {
  const m = RFC822.exec(s);
  if (!m) return null;
  const mo = MONTHS.get(m[2]);
  const zone = m[7] ?? 'gmt';
  const named = ZONES.get(zone);
  const offset = zone[0] === '+' || zone[0] === '-' ? numericOffset(zone[0], zone.slice(1)) : named !== undefined ? named * 60 : null;
  if (!mo || offset === null) return null;
  return build({ y: Number(m[3]), mo, d: Number(m[1]), h: Number(m[4]), mi: Number(m[5]), s: m[6] ? Number(m[6]) : 0, ms: 0, offset });
}

/**
 * Parses a feed date into a UTC Date, or null when it is not a date we can trust.
 * @example parseDate('Sat, 07 Sep 02 00:00:01 EDT') // 2002-09-07T04:00:01.000Z
 * @example parseDate('lunes, 5 de enero de 2026 10:30') // 2026-01-05T10:30:00.000Z
 */
export function parseDate(input: string | null | undefined): Date | null {
  if (typeof input !== 'string') return null;
  try {
    const s = input.trim().toLowerCase().replace(/\s+/g, ' ');
    if (s.length < 4 || s.length > 120) return null;
    return parseIso(s) ?? parseRfc822(s) ?? parseLoose(s);
  } catch {
    return null;
  }
}
