import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

describe('FRONTERA_ADMINS', () => {
  it('lists admins by platform', () => {
    expect(loadConfig({ FRONTERA_ADMINS: 'slack:U0123ABCD, discord:1234,discord-role:5678' }).admins).toEqual(['slack:U0123ABCD', 'discord:1234', 'discord-role:5678']);
    expect(loadConfig({}).admins).toEqual([]);
  });

  it('reports entries it cannot read, with the rest of the problems', () => {
    try {
      loadConfig({ FRONTERA_ADMINS: 'U123,slack:U1', PORT: 'x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n')).toMatch(/FRONTERA_ADMINS: U123: use slack:<user id>/);
      expect((err as ConfigError).problems.some((p) => p.startsWith('PORT'))).toBe(true);
    }
  });
});
