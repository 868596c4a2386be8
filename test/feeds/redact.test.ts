import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from '../../src/feeds/redact.ts';

describe('redacting feed URLs', () => {
  it('masks credential-like query values and user info, keeping the rest', () => {
    expect(redactUrl('https://news.example/feed?token=abc123&lang=es')).toBe('https://news.example/feed?token=***&lang=es');
    expect(redactUrl('https://u:pw@news.example/rss?api_key=1&x-access-token=2')).toBe('https://***:***@news.example/rss?api_key=***&x-access-token=***');
    expect(redactUrl('https://news.example/feed.xml')).toBe('https://news.example/feed.xml');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('masks URLs inside error messages', () => {
    expect(redactUrlsIn('The response from https://p.example/f?key=s3cret declares 12 MiB.')).toBe(
      'The response from https://p.example/f?key=*** declares 12 MiB.',
    );
  });
});
