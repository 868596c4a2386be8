/** Generated feeds for benchmarks: realistic sizes, English and Spanish, RSS and Atom. */

const WORDS_EN = 'officials said the cartel border security transfer fentanyl troops agency report federal court charges governor army navy operation sources told reporters on Monday after a week of talks in Washington'.split(' ');
const WORDS_ES = 'funcionarios dijeron que el cártel la frontera seguridad traslado fentanilo tropas agencia informe federal tribunal cargos gobernador ejército marina operativo fuentes señalaron el lunes tras una semana de conversaciones'.split(' ');

function words(seed: number, n: number, es: boolean): string {
  const list = es ? WORDS_ES : WORDS_EN;
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out.push(list[x % list.length]!);
  }
  return out.join(' ');
}

/** One feed document with `count` items starting at item number `from`. */
export function generateFeed(feed: number, count: number, from = 0, format: 'rss' | 'atom' = feed % 3 === 0 ? 'atom' : 'rss'): string {
  const es = feed % 2 === 1;
  const items: string[] = [];
  for (let i = from; i < from + count; i++) {
    const title = `${es ? 'Informe' : 'Report'} ${feed}-${i}: ${words(feed * 7919 + i, 8, es)}`;
    const body = `<p>${words(feed * 31 + i, 60, es)}.</p><p>${words(i * 17 + feed, 40, es)}.</p>`;
    const date = new Date(Date.UTC(2026, 0, 1) + i * 600_000 + feed * 1000);
    const link = `https://outlet${feed}.example/news/${i}?utm_source=rss`;
    if (format === 'atom') {
      items.push(`<entry><id>urn:outlet${feed}:${i}</id><title>${title}</title><link href="${link}"/>` +
        `<updated>${date.toISOString()}</updated><published>${date.toISOString()}</published>` +
        `<author><name>Desk ${feed}</name></author><content type="html"><![CDATA[${body}]]></content></entry>`);
    } else {
      items.push(`<item><guid isPermaLink="false">outlet${feed}-${i}</guid><title>${title}</title><link>${link}</link>` +
        `<pubDate>${date.toUTCString()}</pubDate><author>desk${feed}@outlet.example (Desk ${feed})</author>` +
        `<category>security</category><description><![CDATA[${body}]]></description></item>`);
    }
  }
  if (format === 'atom') {
    return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${es ? 'es' : 'en'}">` +
      `<title>Outlet ${feed}</title><id>urn:outlet${feed}</id><updated>2026-01-01T00:00:00Z</updated>` +
      `<link href="https://outlet${feed}.example/"/>${items.join('')}</feed>`;
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet ${feed}</title>` +
    `<link>https://outlet${feed}.example/</link><language>${es ? 'es' : 'en'}</language>${items.join('')}</channel></rss>`;
}

// ── Beat-like items for the pipeline benchmarks ─────────────────────────────────────────────────
// Each generated "event" has its own actors, place and figures; several items from different feeds
// report it in their own words, so relevance, actors, quotes, duplicates and stories all do real work.

const ACTORS_EN = ['Claudia Sheinbaum', 'Omar García Harfuch', 'Marco Rubio', 'Pete Hegseth', 'Pam Bondi', 'Tom Homan',
  'Ricardo Trevilla Trejo', 'Juan Ramón de la Fuente', 'Ronald Johnson', 'Rubén Rocha Moya', 'the CJNG', 'the Sinaloa Cartel',
  'Los Chapitos', 'the DEA', 'the CIA', 'U.S. Northern Command', 'the National Guard', 'the Gulf Cartel', 'SEDENA', 'the FGR'];
const PLACES = ['Culiacán', 'Tijuana', 'Ciudad Juárez', 'Reynosa', 'Matamoros', 'Guadalajara', 'Morelia', 'Nogales', 'Mazatlán',
  'Tapalpa', 'Monterrey', 'Hermosillo', 'Zacatecas', 'Acapulco', 'Colima', 'Uruapan', 'Sonoyta', 'Piedras Negras'];
const DEEDS = ['announced the transfer of', 'confirmed the arrest of', 'reported the seizure of', 'described an operation against',
  'denied plans for', 'defended the extradition of', 'ordered an inquiry into', 'criticized the deployment of'];
const THINGS = ['cartel suspects', 'fentanyl pills', 'kilograms of methamphetamine', 'rifles smuggled from Texas', 'gunmen',
  'drug laboratories', 'National Guard troops', 'prisoners wanted in the United States'];
const SYL = ['ra', 'lo', 'mi', 'ten', 'sa', 'vor', 'quel', 'dan', 'ti', 'bra', 'nes', 'cor', 'pel', 'ju', 'ma', 'ser'];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const word = (r: () => number) => Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(r, SYL)).join('');

/** An RSS feed of `count` on-beat items: item i reports event floor(i / 3) with feed-specific wording. */
export function generateBeatFeed(feed: number, count: number, from = 0): string {
  const items: string[] = [];
  for (let i = from; i < from + count; i++) {
    // Four neighbouring feeds report the same events, three items per feed each: stories of about 12 reports.
    const event = Math.floor(i / 3) + 100_000 * Math.floor(feed / 4);
    const ev = rng(event * 2654435761);
    const actor = pick(ev, ACTORS_EN);
    const other = pick(ev, ACTORS_EN);
    const place = pick(ev, PLACES);
    const n = 10 + Math.floor(ev() * 490);
    const deed = pick(ev, DEEDS);
    const thing = pick(ev, THINGS);
    const r = rng(feed * 1_000_003 + i);
    const filler = Array.from({ length: 25 }, () => word(r)).join(' ');
    const title = `${actor.replace(/^the /, '')} ${deed} ${n} ${thing} in ${place}`;
    const body = `<p>${actor[0]!.toUpperCase()}${actor.slice(1)} ${deed} ${n} ${thing} near ${place} on ${['Monday', 'Tuesday', 'Friday'][i % 3]}, officials said.</p>` +
      `<p>"We will keep working with our partners on both sides of the border," ${other.replace(/^the /, '')} said in a statement.</p>` +
      `<p>The case adds to pressure over fentanyl trafficking and cartel violence, which ${filler}.</p>`;
    const date = new Date(Date.UTC(2025, 0, 1) + event * 3_600_000 * 5 + (i % 3) * 900_000);
    items.push(`<item><guid isPermaLink="false">beat${feed}-${i}</guid><title>${title}</title><link>https://outlet${feed}.example/n/${i}</link>` +
      `<pubDate>${date.toUTCString()}</pubDate><description><![CDATA[${body}]]></description></item>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet ${feed}</title>` +
    `<link>https://outlet${feed}.example/</link><language>en</language>${items.join('')}</channel></rss>`;
}
