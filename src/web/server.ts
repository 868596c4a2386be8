/**
 * The HTTP server: a small router over node:http. Routes are registered by the composition root
 * (health, metrics, WebSub callbacks, later the Slack endpoint and the dashboard); the server only
 * dispatches, caps request bodies and turns handler errors into 500s without crashing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FronteraError } from '../errors.ts';
import type { Logger } from '../log.ts';

export interface WebRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Raw body bytes (signature checks need the exact bytes). */
  body: Buffer;
  params: Record<string, string>;
}

export interface WebResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Route {
  method: 'GET' | 'POST' | 'HEAD';
  /** Exact path, or a pattern with named groups: /^\/websub\/(?<id>\d+)$/ */
  path: string | RegExp;
  handler(req: WebRequest): Promise<WebResponse> | WebResponse;
}

export interface WebServer {
  url: string;
  port: number;
  addRoutes(routes: Route[]): void;
  close(): Promise<void>;
}

const MAX_BODY = 12 * 1024 * 1024;

/** Starts listening; port 0 picks a free port. */
export async function startWebServer(opts: { port: number; host?: string; logger: Logger; routes?: Route[] }): Promise<WebServer> {
  const routes: Route[] = [...(opts.routes ?? [])];
  const server = http.createServer((req, res) => {
    void dispatch(req, res).catch((err) => {
      opts.logger.error({ err: (err as Error).message, path: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });

  async function dispatch(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let params: Record<string, string> | null = null;
    let route: Route | undefined;
    let pathMatched = false;
    for (const r of routes) {
      const m = matchPath(r.path, url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method === method || (method === 'HEAD' && r.method === 'GET')) {
        route = r;
        params = m;
        break;
      }
    }
    if (!route) {
      res.writeHead(pathMatched ? 405 : 404, { 'content-type': 'text/plain' });
      res.end(pathMatched ? 'method not allowed\n' : 'not found\n');
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end('request body too large\n');
      return;
    }
    const out = await route.handler({
      method, path: url.pathname, query: url.searchParams, headers: req.headers, body, params: params ?? {},
    });
    res.writeHead(out.status, out.headers ?? {});
    res.end(method === 'HEAD' ? undefined : out.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new FronteraError('port_in_use', `Port ${opts.port} is already in use; stop what is using it or set PORT to another port.`, { cause: err })
          : err,
      );
    });
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    addRoutes(more) {
      routes.push(...more);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function matchPath(pattern: string | RegExp, path: string): Record<string, string> | null {
  if (typeof pattern === 'string') return pattern === path ? {} : null;
  const m = pattern.exec(path);
  return m ? { ...(m.groups ?? {}) } : null;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
