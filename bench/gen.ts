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
