/**
 * A small loopback HTTP(S) server for tests.
 *
 *   const srv = await startHttpServer({
 *     'GET /feed.xml': (req, res) => res.end('<rss/>'),   // "METHOD /path" matches that method only
 *     '/any': (req, res, recorded) => res.end(recorded.body), // "/path" matches any method
 *   });
 *   await fetch(srv.url('/feed.xml'));
 *   srv.requests;          // every request seen, in order: { method, path, headers, body }
 *   srv.route('/later', handler);  // add or replace a route at any time
 *   await srv.close();     // also cuts connections a handler left hanging
 *
 * Routes match on the path without the query string; unmatched requests get 404 (and are still recorded).
 * A handler that throws gets a 500. Options: `host` (default 127.0.0.1; any 127.x.y.z works on Linux)
 * and `tls` ({ key, cert } PEM) to serve HTTPS.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Route handler; the request body has already been read into `recorded.body`. Its return value is ignored. */
export type Handler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => unknown;

/** A running test server. */
export interface TestServer {
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:43121 */
  origin: string;
  /** origin + path */
  url(path?: string): string;
  requests: RecordedRequest[];
  route(key: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Where and how to listen. */
export interface TestServerOptions {
  host?: string;
  tls?: { key: string; cert: string };
}

/** Starts a server on an ephemeral port of `host` (default 127.0.0.1). */
export async function startHttpServer(routes: Record<string, Handler> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const table = new Map<string, Handler>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      const bare = path.split('?')[0];
      const handler = table.get(`${recorded.method} ${bare}`) ?? table.get(bare);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      Promise.resolve()
        .then(() => handler(req, res, recorded))
        .catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        });
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  // Track raw sockets so close() can cut connections that never got a response.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    host,
    port,
    origin,
    url: (path = '/') => origin + path,
    requests,
    route: (key, handler) => void table.set(key, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
