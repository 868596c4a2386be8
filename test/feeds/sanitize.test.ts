import { describe, expect, it } from 'vitest';
import { findActiveContent } from '../../src/feeds/conformance.ts';
import { htmlToText, safeUrl, sanitizeHtml, sanitizeHtmlWithText } from '../../src/feeds/sanitize.ts';

const BASE = 'https://borderledger.example/security/';

/** Inputs that try to get script, handlers or script URLs through; none may survive. */
const ATTACKS = [
  '<script>alert(1)</script>safe',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>safe',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href=" JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="width: expression(alert(1))">x</p>',
  '<iframe src="https://evil.example/"></iframe>after',
  '<object data="https://evil.example/x.swf"><param name=a value=b></object>after',
  '<embed src="https://evil.example/x.swf">after',
  '<form action="https://evil.example/"><input name=q><button>Go</button></form>',
  '<svg><script>alert(1)</script><circle onload="alert(1)"/></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<textarea><script>alert(1)</script></textarea>',
  '<style>body{background:url(javascript:alert(1))}</style>text',
  '<!-- <script>alert(1)</script> -->ok',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<scr<script>ipt>alert(1)</script>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel=stylesheet href=x>',
  '<a href="https://ok.example/" onmouseover="alert(1)" style="color:red">link</a>',
  '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>',
  '<blockquote cite="javascript:alert(1)">q</blockquote>',
  '<img src="https://ok.example/a.jpg" srcset="javascript:alert(1) 1x" dynsrc="javascript:alert(1)">',
  '<p>one<p title="x" onclick="y">two',
  '<a title=\'"><script>alert(1)</script>\'>t</a>',
  '<div><plaintext><script>alert(1)</script>',
];

describe('sanitizeHtml', () => {
  it.each(ATTACKS)('neutralizes %s', (attack) => {
    const out = sanitizeHtml(attack, BASE);
    expect(findActiveContent(out, '')).toEqual([]);
    expect(out).not.toMatch(/<script|onerror|onclick|onload|onmouseover|javascript:|vbscript:|data:|style=|<iframe|<object|<embed|<form/i);
  });

  it('keeps formatting and makes links absolute with a safe rel', () => {
    expect(sanitizeHtml('<p>Read <a href="/tags/nogales/" onclick="x()">more</a> <b>now</b></p>', BASE)).toBe(
      '<p>Read <a href="https://borderledger.example/tags/nogales/" rel="nofollow noopener noreferrer">more</a> <b>now</b></p>',
    );
    expect(sanitizeHtml('<a href="mailto:desk@borderledger.example">mail</a>')).toBe(
      '<a href="mailto:desk@borderledger.example" rel="nofollow noopener noreferrer">mail</a>',
    );
  });

  it('drops hrefs it cannot make absolute', () => {
    expect(sanitizeHtml('<a href="/relative">x</a>')).toBe('<a>x</a>');
    expect(sanitizeHtml('<img src="//cdn.example/a.png" alt="a">')).toBe('<img alt="a" />');
    expect(sanitizeHtml('<img src="//cdn.example/a.png">', BASE)).toBe('<img src="https://cdn.example/a.png" />');
  });

  it('drops dangerous elements with their content but keeps the text around them', () => {
    expect(sanitizeHtml('safe<script>location.href="http://evil.example/"</script> description')).toBe('safe description');
    expect(sanitizeHtml('safe<embed src="http://evil.example/"> description')).toBe('safe description');
    expect(sanitizeHtml('<blink>safe</blink> description')).toBe('safe description');
  });

  it('balances unclosed tags and escapes text and attributes', () => {
    expect(sanitizeHtml('<b>bold <i>both')).toBe('<b>bold <i>both</i></b>');
    expect(sanitizeHtml('<p>AT&amp;T &lt;rocks&gt; 5 &gt; 3</p>')).toBe('<p>AT&amp;T &lt;rocks&gt; 5 &gt; 3</p>');
    expect(sanitizeHtml('<abbr title="&quot;><b>">x</abbr>')).toBe('<abbr title="&quot;&gt;&lt;b&gt;">x</abbr>');
  });

  it('is not thrown off by a previous document that ended inside <title> or <script>', () => {
    expect(sanitizeHtml('<p>cut off <title>never closed')).toBe('<p>cut off </p>');
    expect(sanitizeHtml('<script>also never closed')).toBe('');
    expect(sanitizeHtml('<a href="https://ok.example/">next</a>')).toBe('<a href="https://ok.example/" rel="nofollow noopener noreferrer">next</a>');
  });

  it('treats tag names that are also object property names as unknown tags', () => {
    expect(sanitizeHtml('<constructor>uno</constructor> <tostring>dos</tostring> <hasownproperty>tres')).toBe('uno dos tres');
  });

  it('returns plain text untouched and empty input as empty', () => {
    expect(sanitizeHtml('Cartel leader extradited to Texas')).toBe('Cartel leader extradited to Texas');
    expect(sanitizeHtml(null)).toBe('');
    expect(sanitizeHtml('')).toBe('');
  });
});

describe('safeUrl', () => {
  it('judges the parsed scheme, not the text', () => {
    expect(safeUrl('java\nscript:alert(1)', BASE)).toBeNull();
    expect(safeUrl('HTTPS://Example.COM/a', undefined)).toBe('https://example.com/a');
    expect(safeUrl('ftp://example.com/a', undefined)).toBeNull();
  });
});

describe('htmlToText', () => {
  it('decodes entities, drops script and style, and turns blocks into line breaks', () => {
    const html = '<h2>Extradición</h2><p>La FGR&nbsp;informó &amp; confirmó:</p><script>var x = 1;</script><ul><li>uno</li><li>dos</li></ul>final<br>línea';
    expect(htmlToText(html)).toBe('Extradición\n\nLa FGR informó & confirmó:\n\nuno\ndos\nfinal\nlínea');
  });

  it('collapses whitespace and handles plain text and CDATA', () => {
    expect(htmlToText('  many    spaces\there  ')).toBe('many spaces here');
    expect(htmlToText('Tom &amp; Jerry')).toBe('Tom & Jerry');
    expect(htmlToText('<![CDATA[kept]]> text')).toBe('kept text');
    expect(htmlToText('5 < 10 years')).toBe('5 < 10 years');
    expect(htmlToText(null)).toBe('');
  });

  // A hang guard: catastrophic backtracking would blow the per-test timeout.
  it('finishes on hostile input and emits no tag from it', { timeout: 10_000 }, () => {
    const hostile = '<a '.repeat(50_000) + '"'.repeat(10) + '<!--'.repeat(10_000);
    expect(htmlToText(hostile)).not.toMatch(/<a\s+href/);
    expect(sanitizeHtml(hostile)).not.toMatch(/<script|on\w+=/i);
  });
});

describe('sanitizeHtmlWithText', () => {
  /** What the two-step path gives: the sanitized markup, then its text. */
  const twoStep = (html: string) => {
    const clean = sanitizeHtml(html, BASE);
    return { html: clean, text: htmlToText(clean) };
  };

  it.each(ATTACKS)('neutralizes %s and agrees with sanitizing then reading the text', (attack) => {
    const out = sanitizeHtmlWithText(attack, BASE);
    expect(findActiveContent(out.html, out.text)).toEqual([]);
    expect(out).toEqual(twoStep(attack));
  });

  it('reads simple paragraph markup without the parser, to the same result', () => {
    const html = '<p>La FGR &amp; la <b>SSPC</b> informaron&nbsp;el traslado&#8230;</p><p>Segundo<br/>párrafo</p>';
    expect(sanitizeHtmlWithText(html, BASE)).toEqual({
      html: '<p>La FGR &amp; la <b>SSPC</b> informaron\u00a0el traslado\u2026</p><p>Segundo<br />párrafo</p>',
      text: 'La FGR & la SSPC informaron el traslado\u2026\n\nSegundo\npárrafo',
    });
    expect(sanitizeHtmlWithText(html, BASE)).toEqual(twoStep(html));
  });

  // The fast path must never disagree with the parser: unbalanced tags, nested paragraphs, odd
  // entities and stray brackets all have to come out exactly as the parser path writes them.
  it('agrees with the parser path on thousands of generated documents', () => {
    const tokens = [
      '<p>', '</p>', '<b>', '</b>', '<i>', '</i>', '<em>', '</em>', '<strong>', '</strong>', '<br>', '<br/>', '<br />',
      '</br>', 'palabra', ' ', '  ', '\n', '\t', '&amp;', '&nbsp;', '&#8217;', '&#x41;', '&lt;b&gt;', '&bogus;', '&amp',
      '&#0;', '&#x110000;', '<P>', '<div>', '</div>', '<li>', '>', '<a href="/x">', '</a>', '<script>', 'é', '\u00a0',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let disagreements = 0;
    for (let i = 0; i < 5000; i++) {
      let doc = '';
      // Mostly simple tokens, so that most documents take the fast path.
      for (let k = Math.floor(next() * 12); k > 0; k--) doc += tokens[Math.floor(next() * (next() < 0.85 ? 19 : tokens.length))];
      const a = sanitizeHtmlWithText(doc, BASE);
      const b = twoStep(doc);
      if (a.html !== b.html || a.text !== b.text) disagreements++;
    }
    expect(disagreements).toBe(0);
  });

  it('finishes on long runs of whitespace', { timeout: 10_000 }, () => {
    const body = `<p>${' '.repeat(200_000)}x${' \n'.repeat(100_000)}y${'\t '.repeat(100_000)}</p>`;
    expect(sanitizeHtmlWithText(body, BASE).text).toBe('x\n\ny');
  });
});
