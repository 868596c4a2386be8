/**
 * Logging: pino, human-readable in a terminal and JSON lines otherwise. Secrets are redacted by
 * key name wherever they appear in a log object, so a config dump or an error with headers is safe.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'token', 'botToken', 'appToken', 'signingSecret', 'secret', 'apiKey', 'password', 'authorization',
  'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN', 'LLM_API_KEY', 'websubSecret',
];

/** Paths pino redacts: each secret key at the top level and up to two levels deep. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', '*.headers["x-slack-signature"]',
]);

export interface LogOptions {
  level?: string;
  /** Force pretty output on or off; default: pretty when stderr is a terminal. */
  pretty?: boolean;
  /** Write here instead of stderr (tests). */
  destination?: NodeJS.WritableStream;
}

/** Creates the process logger. Logs go to stderr so stdout stays clean for `--json` output. */
export function createLogger(opts: LogOptions = {}): Logger {
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && !opts.destination);
  const base = { level: opts.level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (opts.destination) return pino(base, opts.destination as pino.DestinationStream);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination(2));
}

/** A logger that drops everything; for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
