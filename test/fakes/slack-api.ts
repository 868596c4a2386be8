/**
 * A local fake of the Slack Web API, enough for Bolt's WebClient and Frontera's gateway:
 * auth.test, chat.postMessage (threads, reply_broadcast, metadata), chat.update, conversations.history
 * and conversations.replies (include_all_metadata), plus response_url endpoints for slash-command answers.
 *
 *   const slack = await startFakeSlack();
 *   new App({ clientOptions: { slackApiUrl: slack.apiUrl } ... })   // apiUrl ends with '/'
 *   slack.messages('C1')            // top-level messages of a channel, oldest first
 *   slack.fail('chat.postMessage', { status: 500, times: 3 })       // faults, consumed in order
 *   slack.fail('chat.postMessage', { status: 429, retryAfter: 2 })
 *   slack.fail('chat.postMessage', { error: 'channel_not_found' })
 *   slack.responseUrl()             // a response_url; slack.responses(url) what was posted to it
 *   slack.socket.send(envelope)     // Socket Mode: apps.connections.open hands out ws://.../socket;
 *   await slack.socket.ack(id)      //   the fake says hello, pushes envelopes, records the app's acks
 *
 * Every Web API call is recorded in `calls` with its arrival time (ms) and parsed arguments.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_broadcast?: boolean;
  edits: number;
}

export interface FakeCall {
  method: string;
  at: number;
  args: Record<string, unknown>;
  /** HTTP status the fake answered. */
  status: number;
  /** The JSON body it answered with (ts of a posted message, ok, error). */
  result: Record<string, unknown>;
}

export interface Fault {
  status?: number;
  retryAfter?: number;
  /** Slack platform error code (HTTP 200, ok: false). */
  error?: string;
  /** How many calls this fault answers (default 1). */
  times?: number;
  /** Do the work (a message is posted) but never answer: the caller is left waiting, as when it dies mid-call. */
  hang?: boolean;
}

export interface FakeSlack {
  apiUrl: string;
  origin: string;
  calls: FakeCall[];
  /** Calls that came back to a channel before the Retry-After it was given (answered 429 again, like Slack). */
  retryAfterViolations: FakeCall[];
  messages(channel: string): FakeMessage[];
  replies(channel: string, threadTs: string): FakeMessage[];
  all(): FakeMessage[];
  fail(method: string, fault: Fault): void;
  /** Every call to `method` fails with `fault` until `recover()`. */
  failUntilRecovered(method: string, fault: Fault): void;
  recover(): void;
  /** Forgets every message, call, fault and response (between tests). */
  reset(): void;
  responseUrl(): string;
  responses(url: string): Array<Record<string, unknown>>;
  /** Resolves with the first answer posted to `url` (rejects after `timeoutMs`). */
  waitForResponse(url: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  socket: {
    /** Resolves once a Socket Mode client has connected and been greeted. */
    connected(): Promise<void>;
    send(envelope: Record<string, unknown>): void;
    /** Resolves with the app's acknowledgement of an envelope. */
    ack(envelopeId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  };
  /** Resolves when `n` messages exist in total (or rejects after `timeoutMs`). */
  waitForMessages(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeSlack(opts: { team?: string } = {}): Promise<FakeSlack> {
  const team = opts.team ?? 'T0FAKE';
  const messages: FakeMessage[] = [];
  const calls: FakeCall[] = [];
  const violations: FakeCall[] = [];
  const blockedUntil = new Map<string, number>();
  const faults = new Map<string, Fault[]>();
  const sticky = new Map<string, Fault>();
  const responses = new Map<string, Array<Record<string, unknown>>>();
  const waiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  let respSeq = 0;

  const nextTs = () => {
    seq++;
    return `${1_700_000_000 + Math.floor(seq / 1000)}.${String(seq % 1000).padStart(6, '0')}`;
  };

  function parseArgs(raw: string, type: string): Record<string, unknown> {
    if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      out[k] = ['blocks', 'metadata', 'attachments'].includes(k) ? safeJson(v) : v;
    }
    return out;
  }

  function api(method: string, a: Record<string, unknown>): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } {
    const key = `${method}:${String(a.channel ?? '')}`;
    const until = blockedUntil.get(key) ?? 0;
    if (Date.now() < until) {
      violations.push({ method, at: Date.now(), args: a, status: 429, result: {} });
      return { status: 429, headers: { 'retry-after': String(Math.ceil((until - Date.now()) / 1000)) }, body: { ok: false, error: 'ratelimited' } };
    }
    const fault = sticky.get(method) ?? takeFault(method);
    if (fault) {
      if (fault.status === 429) {
        blockedUntil.set(key, Date.now() + (fault.retryAfter ?? 1) * 1000);
        return { status: 429, headers: { 'retry-after': String(fault.retryAfter ?? 1) }, body: { ok: false, error: 'ratelimited' } };
      }
      if (fault.status) return { status: fault.status, body: { ok: false, error: 'internal_error' } };
      return { status: 200, body: { ok: false, error: fault.error ?? 'unknown_error' } };
    }
    const metaOf = (m: FakeMessage, all: boolean) => ({ type: 'message', ts: m.ts, text: m.text, blocks: m.blocks, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(all && m.metadata ? { metadata: m.metadata } : {}) });
    switch (method) {
      case 'apps.connections.open':
        return { status: 200, body: { ok: true, url: `${origin.replace('http', 'ws')}/socket` } };
      case 'auth.test':
        return { status: 200, body: { ok: true, url: 'https://fake.slack/', team: 'Fake', user: 'frontera', team_id: team, user_id: 'UBOT', bot_id: 'BBOT' } };
      case 'chat.postMessage': {
        const channel = String(a.channel ?? '');
        if (!channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        const m: FakeMessage = {
          channel, ts: nextTs(), text: String(a.text ?? ''), blocks: (a.blocks as FakeMessage['blocks']) ?? [],
          metadata: a.metadata as FakeMessage['metadata'], edits: 0,
          ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
          ...(a.reply_broadcast === true || a.reply_broadcast === 'true' ? { reply_broadcast: true } : {}),
        };
        messages.push(m);
        for (const w of waiters.splice(0)) w();
        return { status: 200, body: { ok: true, channel, ts: m.ts, message: metaOf(m, true) } };
      }
      case 'chat.update': {
        const m = messages.find((x) => x.channel === a.channel && x.ts === a.ts);
        if (!m) return { status: 200, body: { ok: false, error: 'message_not_found' } };
        m.text = String(a.text ?? m.text);
        m.blocks = (a.blocks as FakeMessage['blocks']) ?? m.blocks;
        m.edits++;
        return { status: 200, body: { ok: true, channel: m.channel, ts: m.ts } };
      }
      case 'conversations.history': {
        const all = a.include_all_metadata === true || a.include_all_metadata === 'true';
        const list = messages.filter((m) => m.channel === a.channel && (!m.thread_ts || m.reply_broadcast)).reverse();
        return { status: 200, body: { ok: true, ...page(list.map((m) => metaOf(m, all)), a) } };
      }
      case 'conversations.replies': {
        const all = a.include_all_metadata === true || a.include_all_metadata === 'true';
        const list = messages.filter((m) => m.channel === a.channel && (m.ts === a.ts || m.thread_ts === a.ts));
        return { status: 200, body: { ok: true, ...page(list.map((m) => metaOf(m, all)), a) } };
      }
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  /** Cursor paging as Slack does it: `limit` per page (Slack caps it at 1,000), next_cursor while more. */
  function page(list: unknown[], a: Record<string, unknown>) {
    const limit = Math.min(Number(a.limit ?? 100), 1000);
    const from = Number(a.cursor ?? 0);
    const more = from + limit < list.length;
    return { messages: list.slice(from, from + limit), has_more: more, response_metadata: { next_cursor: more ? String(from + limit) : '' } };
  }

  function takeFault(method: string): Fault | undefined {
    const list = faults.get(method);
    const f = list?.[0];
    if (!f) return undefined;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) list!.shift();
    else f.times = left;
    return f;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const type = String(req.headers['content-type'] ?? '');
      if (url.pathname.startsWith('/respond/')) {
        const list = responses.get(url.pathname) ?? [];
        list.push(parseArgs(raw, 'application/json'));
        responses.set(url.pathname, list);
        for (const w of waiters.splice(0)) w();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const args = { ...Object.fromEntries(url.searchParams), ...parseArgs(raw, type) };
      const hang = m[1] === 'chat.postMessage' && (sticky.get(m[1])?.hang || faults.get(m[1])?.[0]?.hang);
      if (hang) {
        sticky.delete(m[1]!);
        faults.get(m[1]!)?.shift();
      }
      const out = api(m[1]!, args);
      calls.push({ method: m[1]!, at: Date.now(), args, status: out.status, result: out.body });
      if (hang) return; // the message is stored; the answer never comes
      res.writeHead(out.status, { 'content-type': 'application/json', ...(out.headers ?? {}) }).end(JSON.stringify(out.body));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Socket Mode: one WebSocket endpoint; the latest client gets the envelopes.
  const wss = new WebSocketServer({ server, path: '/socket' });
  let client: WebSocket | null = null;
  const acks = new Map<string, Record<string, unknown>>();
  wss.on('connection', (ws) => {
    client = ws;
    ws.on('message', (data) => {
      const msg = safeJson(String(data)) as Record<string, unknown>;
      if (typeof msg?.envelope_id === 'string') acks.set(msg.envelope_id, msg);
      for (const w of waiters.splice(0)) w();
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake' } }));
    for (const w of waiters.splice(0)) w();
  });
  const until = <T>(get: () => T | undefined, what: string, timeoutMs = 20_000) =>
    new Promise<T>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`fake Slack: ${what} after ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const v = get();
        if (v !== undefined) {
          clearTimeout(deadline);
          resolve(v);
        } else waiters.push(check);
      };
      check();
    });

  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    retryAfterViolations: violations,
    messages: (channel) => messages.filter((m) => m.channel === channel && !m.thread_ts),
    replies: (channel, ts) => messages.filter((m) => m.channel === channel && m.thread_ts === ts),
    all: () => [...messages],
    fail(method, fault) {
      faults.set(method, [...(faults.get(method) ?? []), { ...fault }]);
    },
    failUntilRecovered(method, fault) {
      sticky.set(method, fault);
    },
    recover() {
      sticky.clear();
      faults.clear();
    },
    reset() {
      messages.length = 0;
      calls.length = 0;
      violations.length = 0;
      blockedUntil.clear();
      sticky.clear();
      faults.clear();
      responses.clear();
    },
    responseUrl: () => `${origin}/respond/${++respSeq}`,
    responses: (u) => responses.get(new URL(u).pathname) ?? [],
    socket: {
      connected: () => until(() => (client ? true : undefined), 'no Socket Mode client').then(() => {}),
      send(envelope) {
        if (!client) throw new Error('fake Slack: no Socket Mode client connected');
        client.send(JSON.stringify(envelope));
      },
      ack: (id, timeoutMs) => until(() => acks.get(id), `no ack for envelope ${id}`, timeoutMs),
    },
    waitForResponse(u, timeoutMs = 20_000) {
      const key = new URL(u).pathname;
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`fake Slack: no answer at ${key} after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const got = responses.get(key)?.[0];
          if (got) {
            clearTimeout(deadline);
            resolve(got);
          } else waiters.push(check);
        };
        check();
      });
    },
    waitForMessages(n, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`fake Slack: ${messages.length} of ${n} messages after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (messages.length >= n) {
            clearTimeout(deadline);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
