/**
 * A loopback fake of an OpenAI-compatible chat endpoint (POST /chat/completions) for tests.
 *
 *   const llm = await startFakeLlm('good');
 *   await abstractiveSummary(story, { baseUrl: llm.baseUrl, apiKey: 'k', model: 'm', timeoutMs: 300 });
 *   llm.requests[0].headers.authorization;   // 'Bearer k'
 *   llm.requests[0].json.model;              // 'm'
 *   llm.mode = 'slow';                       // switch at any time
 *   await llm.close();
 *
 * Modes:
 * - good: bullets built from the request's own numbered sentences ("[1] ..."), the first two or three,
 *   shortened to 30 words at a word boundary, as {"bullets": [...]} JSON in the message content.
 * - hallucinate: like good, but the second bullet gains a number and a name found in no source.
 * - slow: never answers (the connection is held until close()).
 * - garbage: a 200 with an HTML page. truncated: a 200 with JSON cut mid-way. empty: choices with empty content.
 * - 500: an HTTP 500 with a JSON error body.
 */
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeLlmMode = 'good' | 'hallucinate' | 'slow' | 'garbage' | 'truncated' | 'empty' | '500';

export interface FakeLlmRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed body, or null when it was not JSON. */
  json: { model?: string; temperature?: number; messages?: Array<{ role: string; content: string }> } | null;
}

export interface FakeLlm {
  baseUrl: string;
  mode: FakeLlmMode;
  requests: FakeLlmRequest[];
  close(): Promise<void>;
}

/** The hallucinated addition: a number and a name in no test source. */
export const HALLUCINATION = 'Officials said 412 soldiers joined under General Tomás Urquidi.';

function sourceSentences(req: FakeLlmRequest): string[] {
  const user = req.json?.messages?.find((m) => m.role === 'user')?.content ?? '';
  return user
    .split('\n')
    .map((l) => /^\[\d+\]\s+(.*)$/.exec(l)?.[1])
    .filter((x): x is string => !!x);
}

function shorten(s: string, max = 30): string {
  const w = s.split(/\s+/);
  if (w.length <= max) return s;
  return w.slice(0, max).join(' ').replace(/[,;:]$/, '') + '.';
}

function completion(content: string, model: string | undefined): string {
  return JSON.stringify({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model: model ?? 'fake',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

export async function startFakeLlm(mode: FakeLlmMode = 'good'): Promise<FakeLlm> {
  const sockets = new Set<Socket>();
  const requests: FakeLlmRequest[] = [];
  const state = { mode };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: FakeLlmRequest['json'] = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const rec: FakeLlmRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      requests.push(rec);
      if (req.method !== 'POST' || !(req.url ?? '').endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const m = state.mode;
      if (m === 'slow') return; // never answer
      if (m === '500') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"internal error"}}');
        return;
      }
      if (m === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      }
      if (m === 'truncated') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(completion('{"bullets": ["x"]}', json?.model).slice(0, 60));
        return;
      }
      if (m === 'empty') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(completion('', json?.model));
        return;
      }
      const bullets = sourceSentences(rec).slice(0, 3).map((s) => shorten(s));
      if (m === 'hallucinate' && bullets.length >= 2) bullets[1] = `${shorten(sourceSentences(rec)[1]!, 18)} ${HALLUCINATION}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(completion(JSON.stringify({ bullets }), json?.model));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(v: FakeLlmMode) {
      state.mode = v;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
