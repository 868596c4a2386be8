import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { createLogger } from '../src/log.ts';

describe('config', () => {
  it('has working defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.fetch.maxBodyBytes).toBe(10 * 1024 * 1024);
    expect(c.polling.minIntervalMs).toBe(120_000);
    expect(c.polling.maxIntervalMs).toBe(6 * 3_600_000);
    expect(c.fetch.allowPrivate).toBe(false);
    expect(c.llm).toBeNull();
  });

  it('lets --data-dir override FRONTERA_DATA_DIR', () => {
    expect(loadConfig({ FRONTERA_DATA_DIR: '/a' }, { dataDir: '/b' }).dataDir).toBe('/b');
    expect(loadConfig({ FRONTERA_DATA_DIR: '/a' }).dataDir).toBe('/a');
  });

  it('reports every problem at once, naming the variable', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'eighty', DATABASE_URL: 'mysql://x', FRONTERA_POLL_MIN: 'soon', SLACK_BOT_TOKEN: 'xoxb-1',
        DISCORD_TOKEN: 't', LLM_BASE_URL: 'http://127.0.0.1:1/v1',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'FRONTERA_POLL_MIN', 'SLACK_SIGNING_SECRET', 'DISCORD_APPLICATION_ID', 'LLM_MODEL']) {
      expect(problems).toContain(name);
    }
  });

  it('reads flags and durations', () => {
    const c = loadConfig({ FRONTERA_ALLOW_PRIVATE_FEEDS: '1', FRONTERA_POLL_MIN: '30s', FRONTERA_POLL_MAX: '1h', PORT: '' });
    expect(c.fetch.allowPrivate).toBe(true);
    expect(c.polling.minIntervalMs).toBe(30_000);
    expect(c.port).toBe(3000);
    expect(loadConfig({ FRONTERA_ALLOW_PRIVATE_FEEDS: '0' }).fetch.allowPrivate).toBe(false);
    expect(() => loadConfig({ FRONTERA_POLL_MIN: '2h', FRONTERA_POLL_MAX: '1h' })).toThrow(/FRONTERA_POLL_MIN/);
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('12')).toBe(12_000);
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('logger', () => {
  it('never writes secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger({ destination: sink, level: 'info' });
    log.info({ slack: { botToken: 'xoxb-secret-1', signingSecret: 'shh' }, LLM_API_KEY: 'sk-123', websubSecret: 'w' }, 'config');
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    for (const secret of ['xoxb-secret-1', 'shh', 'sk-123', '"w"']) expect(text).not.toContain(secret);
  });
});
