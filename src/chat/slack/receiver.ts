/**
 * A Bolt receiver that lives on Frontera's own HTTP server (POST /slack/events) instead of opening a
 * port of its own. It checks the signature and the timestamp window (Bolt's isValidSlackRequest: five
 * minutes), answers url_verification and ssl_check, hands everything else to Bolt, and replies as soon
 * as the listener acks (Slack wants an answer within three seconds).
 */
import { isValidSlackRequest, type App, type Receiver } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Route, WebRequest, WebResponse } from '../../web/server.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
const ACK_TIMEOUT_MS = 2_800;

export class SlackRouteReceiver implements Receiver {
  private app: App | null = null;

  constructor(private readonly opts: { signingSecret: string; logger: Logger; now?: () => number }) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** The route to add to the web server. */
  route(): Route {
    return { method: 'POST', path: SLACK_EVENTS_PATH, handler: (req) => this.handle(req) };
  }

  async handle(req: WebRequest): Promise<WebResponse> {
    const raw = req.body.toString('utf8');
    const signature = String(req.headers['x-slack-signature'] ?? '');
    const timestamp = Number(req.headers['x-slack-request-timestamp'] ?? NaN);
    const valid = signature !== '' && Number.isFinite(timestamp) && isValidSlackRequest({
      signingSecret: this.opts.signingSecret, body: raw,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: this.opts.now?.(),
    });
    if (!valid) return { status: 401, headers: { 'content-type': 'text/plain' }, body: 'invalid signature or stale timestamp\n' };

    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, String(req.headers['content-type'] ?? ''));
    } catch {
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'unreadable body\n' };
    }
    if (body.type === 'url_verification') return json({ challenge: body.challenge });
    if (body.ssl_check) return { status: 200 };
    if (!this.app) return { status: 503, body: 'not ready\n' };

    let acked: (v: unknown) => void = () => {};
    const ackP = new Promise<{ response: unknown }>((resolve) => {
      acked = (response) => resolve({ response });
    });
    const retryNum = req.headers['x-slack-retry-num'];
    const done = this.app
      .processEvent({
        body,
        ack: async (response?: unknown) => acked(response),
        ...(retryNum ? { retryNum: Number(retryNum), retryReason: String(req.headers['x-slack-retry-reason'] ?? '') } : {}),
      })
      .then(() => 'done' as const)
      .catch((err: unknown) => {
        this.opts.logger.error({ err: (err as Error).message }, 'slack: listener failed');
        return 'failed' as const;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ACK_TIMEOUT_MS);
    });
    const first = await Promise.race([ackP, done.then((d) => Promise.race([ackP, Promise.resolve(d)])), timeout]);
    clearTimeout(timer);
    if (typeof first === 'object') {
      const r = first.response;
      if (r === undefined || r === '') return { status: 200 };
      return typeof r === 'string' ? { status: 200, headers: { 'content-type': 'text/plain' }, body: r } : json(r);
    }
    if (first === 'timeout') this.opts.logger.warn({ type: body.type ?? body.command }, 'slack: no ack within 3 s');
    return first === 'failed' ? { status: 500 } : { status: 404, body: 'no listener\n' };
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const form = Object.fromEntries(new URLSearchParams(raw));
  // Interactivity (buttons) arrives as one form field holding JSON.
  return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
}

function json(value: unknown): WebResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
