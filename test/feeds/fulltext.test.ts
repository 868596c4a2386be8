import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml, extractFullText, fetchFullText } from '../../src/feeds/fulltext.ts';
import { createFetcher, type HttpFetcher } from '../../src/feeds/fetcher.ts';
import { startHttpServer, type TestServer } from '../fakes/http-server.ts';

// Invented article text (fixture written for these tests).
const PARAGRAPHS = [
  'Federal prosecutors in Texas said on Monday that a senior logistics operator of a Sinaloa faction had been handed over by Mexican authorities at the border crossing in Nuevo Laredo.',
  'The transfer followed months of talks between the two governments, according to two officials who described the process to reporters on the condition that their names not be used.',
  'Mexico has insisted that cooperation must respect its sovereignty, and its foreign ministry said the handover was carried out under the bilateral extradition treaty.',
  'Defense lawyers are expected to ask for a delay in the first hearing, which a federal judge scheduled for later this month in Houston.',
];

function articlePage(opts: { charset?: string; extra?: string } = {}): string {
  return `<!doctype html><html><head>
<meta charset="${opts.charset ?? 'utf-8'}">
<title>Operator handed over at the border | Border Desk</title>
<meta name="author" content="Lucía Ramírez">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Operator handed over at the border</h1>
<p class="byline">By Lucía Ramírez</p>
${PARAGRAPHS.map((p, i) => `<p>${p} <a href="/related/${i}">Related</a></p>`).join('\n')}
<img src="images/crossing.jpg" alt="The crossing">
<script>document.write('tracking')</script>
<p onclick="steal()">${opts.extra ?? 'The case will be heard in Houston.'}</p>
</article>
<footer>Copyright Border Desk. Subscribe to our newsletter.</footer>
</body></html>`;
}

describe('extractFullText', () => {
  it('extracts the article, its title and byline, and sanitizes it with absolute links', () => {
    const out = extractFullText(articlePage(), 'https://news.example/2026/03/handover.html');
    expect(out).not.toBeNull();
    expect(out!.title).toBe('Operator handed over at the border');
    expect(out!.byline).toMatch(/Lucía Ramírez/);
    for (const p of PARAGRAPHS) expect(out!.text).toContain(p);
    expect(out!.text).not.toContain('Subscribe to our newsletter');
    expect(out!.html).not.toMatch(/<script|onclick|tracking/);
    expect(out!.html).toContain('href="https://news.example/related/0"');
    expect(out!.html).toContain('src="https://news.example/2026/03/images/crossing.jpg"');
  });

  it('resolves links against <base href> when the page has one', () => {
    const html = articlePage().replace('<head>', '<head><base href="https://cdn.news.example/articles/">');
    const out = extractFullText(html, 'https://news.example/a.html');
    expect(out!.html).toContain('src="https://cdn.news.example/articles/images/crossing.jpg"');
  });

  it('returns null when the page has no article', () => {
    expect(extractFullText('<html><head><title>Empty</title></head><body></body></html>', 'https://news.example/')).toBeNull();
  });
});

describe('decodeHtml', () => {
  const text = 'Extradición de un operador';
  it('uses the HTTP charset first', () => {
    expect(decodeHtml(Buffer.from(`<p>${text}</p>`, 'latin1'), 'text/html; charset=ISO-8859-1')).toBe(`<p>${text}</p>`);
  });

  it('falls back to <meta charset> and to the http-equiv form', () => {
    const meta = Buffer.from(`<html><head><meta charset="windows-1252"></head><body>${text}</body></html>`, 'latin1');
    expect(decodeHtml(meta, 'text/html')).toContain(text);
    const equiv = Buffer.from(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>${text}</p>`, 'latin1');
    expect(decodeHtml(equiv, null)).toContain(text);
  });

  it('reads unlabelled pages as UTF-8 when valid, else windows-1252, and honours a BOM', () => {
    expect(decodeHtml(Buffer.from(`<p>${text}</p>`, 'utf8'), 'text/html')).toContain(text);
    expect(decodeHtml(Buffer.from(`<p>${text}</p>`, 'latin1'), null)).toContain(text);
    expect(decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'text/html; charset=latin1')).toBe(text);
  });

  it('ignores an unknown charset label', () => {
    expect(decodeHtml(Buffer.from(`<p>${text}</p>`, 'utf8'), 'text/html; charset=x-bogus-9')).toContain(text);
  });
});

describe('fetchFullText', () => {
  let srv: TestServer;
  let fetcher: HttpFetcher;
  beforeAll(async () => {
    srv = await startHttpServer({
      '/story': (_req, res) => res.writeHead(301, { location: '/2026/story.html' }).end(),
      '/2026/story.html': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(Buffer.from(articlePage({ charset: 'windows-1252', extra: 'La extradición se concretó en Nuevo Laredo.' }), 'latin1'));
      },
      '/report.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7'),
      '/missing': (_req, res) => res.writeHead(404).end(),
    });
    fetcher = createFetcher({ allowPrivate: true, perHostSpacingMs: 0 });
  });
  afterAll(async () => {
    await fetcher.close();
    await srv.close();
  });

  it('fetches, decodes the declared charset and extracts', async () => {
    const out = await fetchFullText(fetcher, srv.url('/story'));
    expect(out).not.toBeNull();
    expect(out!.finalUrl).toBe(srv.url('/2026/story.html'));
    expect(out!.text).toContain('La extradición se concretó en Nuevo Laredo.');
    expect(out!.html).toContain(`href="${srv.url('/related/1')}"`);
  });

  it('returns null for a page that is not HTML', async () => {
    expect(await fetchFullText(fetcher, srv.url('/report.pdf'))).toBeNull();
  });

  it('lets fetch errors through', async () => {
    await expect(fetchFullText(fetcher, srv.url('/missing'))).rejects.toMatchObject({ code: 'http_4xx', status: 404 });
  });
});
