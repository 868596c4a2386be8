/**
 * One schema over environment variables and command-line flags. `loadConfig` reports every
 * problem at once, naming the variable, so a misconfigured deployment is fixed in one pass.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/** Parses "90s", "2m", "6h", "1d" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return Math.round(n * factor);
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (use e.g. 90s, 2m, 6h)` });
        return z.NEVER;
      }
      return ms;
    });

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim()));

const optionalUrl = z.string().url().optional();

const schema = z
  .object({
    FRONTERA_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    FRONTERA_PUBLIC_URL: optionalUrl,
    FRONTERA_ALLOW_PRIVATE_FEEDS: flag,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    FRONTERA_USER_AGENT: z.string().optional(),
    FRONTERA_POLL_MIN: duration('2m'),
    FRONTERA_POLL_MAX: duration('6h'),
    FRONTERA_FETCH_TIMEOUT: duration('30s'),
    FRONTERA_CONNECT_TIMEOUT: duration('10s'),
    FRONTERA_MAX_BODY_MB: z.coerce.number().positive().max(1024).default(10),
    FRONTERA_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
    FRONTERA_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    FRONTERA_HOST_SPACING: duration('250ms'),
    FRONTERA_POLL_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
    FRONTERA_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(10),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with xoxb-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp-').optional(),
    SLACK_API_URL: optionalUrl,
    DISCORD_TOKEN: z.string().min(1).optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'must be a numeric snowflake').optional(),
    DISCORD_API_URL: optionalUrl,
    // Admins of /feeds and other channels' subscriptions: slack:U123, discord:123, discord-role:456 (comma-separated).
    FRONTERA_ADMINS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const list = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
        const bad = list.filter((x) => !/^(slack|discord|discord-role):[A-Za-z0-9]+$/.test(x));
        if (bad.length) ctx.addIssue({ code: 'custom', message: `${bad.join(', ')}: use slack:<user id>, discord:<user id> or discord-role:<role id>` });
        return list;
      }),
    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: z.string().optional(),
    LLM_MODEL: z.string().optional(),
  });

/** Cross-field rules, checked on the raw strings so they are reported even when other fields fail. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
    problems.push('DISCORD_APPLICATION_ID: is required with DISCORD_TOKEN');
  }
  if (env.LLM_BASE_URL && !env.LLM_MODEL) problems.push('LLM_MODEL: is required with LLM_BASE_URL');
  const min = parseDuration(env.FRONTERA_POLL_MIN ?? '2m');
  const max = parseDuration(env.FRONTERA_POLL_MAX ?? '6h');
  if (min !== null && max !== null && min > max) {
    problems.push('FRONTERA_POLL_MIN: must not exceed FRONTERA_POLL_MAX');
  }
  return problems;
}

/** Flags that override environment variables of the same meaning. */
export interface ConfigFlags {
  dataDir?: string;
}

/** Loads and validates configuration from the environment plus CLI flags. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}) {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) input[key] = blankToUndefined(env[key]);
  if (flags.dataDir) input.FRONTERA_DATA_DIR = flags.dataDir;
  const parsed = schema.safeParse(input);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  problems.push(...crossFieldProblems(input));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.FRONTERA_DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    port: e.PORT,
    publicUrl: e.FRONTERA_PUBLIC_URL ?? null,
    logLevel: e.LOG_LEVEL,
    fetch: {
      allowPrivate: e.FRONTERA_ALLOW_PRIVATE_FEEDS,
      userAgent: e.FRONTERA_USER_AGENT ?? null,
      totalTimeoutMs: e.FRONTERA_FETCH_TIMEOUT,
      connectTimeoutMs: e.FRONTERA_CONNECT_TIMEOUT,
      maxBodyBytes: Math.round(e.FRONTERA_MAX_BODY_MB * 1024 * 1024),
      maxRedirects: e.FRONTERA_MAX_REDIRECTS,
      perHostConcurrency: e.FRONTERA_HOST_CONCURRENCY,
      perHostSpacingMs: e.FRONTERA_HOST_SPACING,
    },
    polling: {
      minIntervalMs: e.FRONTERA_POLL_MIN,
      maxIntervalMs: e.FRONTERA_POLL_MAX,
      concurrency: e.FRONTERA_POLL_CONCURRENCY,
      disableAfterFailures: e.FRONTERA_DISABLE_AFTER,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN ?? null,
      signingSecret: e.SLACK_SIGNING_SECRET ?? null,
      appToken: e.SLACK_APP_TOKEN ?? null,
      apiUrl: e.SLACK_API_URL ?? null,
    },
    admins: e.FRONTERA_ADMINS,
    discord: {
      token: e.DISCORD_TOKEN ?? null,
      applicationId: e.DISCORD_APPLICATION_ID ?? null,
      apiUrl: e.DISCORD_API_URL ?? null,
    },
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? null, model: e.LLM_MODEL! }
      : null,
  };
}

export type Config = ReturnType<typeof loadConfig>;

function blankToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
