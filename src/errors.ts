/**
 * A small error hierarchy: every error Frontera raises on purpose carries a stable `code`
 * (shown to users and in `--json` output) and, where there is one, the underlying `cause`.
 */
export class FronteraError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FronteraError';
    this.code = code;
  }
}

/** Configuration is wrong; `problems` lists every problem found, not just the first. */
export class ConfigError extends FronteraError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('config', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Why fetching a feed failed. `dns`, `tls`, `timeout`, `network` mean we never got a usable answer;
 * `http_4xx`/`http_5xx`/`gone`/`cloudflare` mean the server answered and refused.
 */
export type FetchErrorCode =
  | 'dns'
  | 'tls'
  | 'timeout'
  | 'network'
  | 'http_4xx'
  | 'http_5xx'
  | 'rate_limited'
  | 'gone'
  | 'cloudflare'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'blocked_address'
  | 'bad_url'
  | 'not_a_feed'
  | 'parse'
  | 'read';

export class FetchError extends FronteraError {
  declare readonly code: FetchErrorCode;
  /** HTTP status when the server answered. */
  readonly status?: number;
  /** Seconds the server asked us to wait (Retry-After), if any. */
  readonly retryAfterSeconds?: number;
  constructor(
    code: FetchErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number },
  ) {
    super(code, message, options);
    this.name = 'FetchError';
    this.status = options?.status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Errors that say "this URL will never work as given" rather than "try later". */
  get permanent(): boolean {
    return this.code === 'gone' || this.code === 'blocked_address' || this.code === 'bad_url';
  }
}

/** The document was fetched but is not a feed we can read. */
export class ParseError extends FetchError {
  constructor(code: 'not_a_feed' | 'parse' | 'cloudflare', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ParseError';
  }
}

/** Turns anything thrown into `{ code, message }` for JSON output and logs. */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof FronteraError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}
