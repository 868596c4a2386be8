/**
 * A local Discord gateway for tests, on `ws`: HELLO on connect, IDENTIFY checked against the token,
 * READY with the guild marked unavailable, then GUILD_CREATE (as Discord does), heartbeat ACKs, and
 * `dispatch()` for later events such as INTERACTION_CREATE.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** What the gateway needs from the fake's state. */
export interface GatewayWorld {
  token: string;
  botUser: Record<string, unknown>;
  applicationId: string;
  guild(): Record<string, unknown>;
}

/** Opcodes (developer docs, "Gateway Opcodes"). */
const OP = { dispatch: 0, heartbeat: 1, identify: 2, resume: 6, hello: 10, heartbeatAck: 11 } as const;

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  /** IDENTIFY payloads received, in order. */
  readonly identifies: Array<Record<string, unknown>> = [];
  /** Query strings the client connected with (v=10&encoding=json). */
  readonly connectQueries: string[] = [];
  private readyWaiters: Array<() => void> = [];
  private identified = false;

  constructor(
    private readonly world: GatewayWorld,
    private readonly heartbeatIntervalMs = 45_000,
    /** Called after every connection change and message, so the fake can re-check its waiters. */
    private readonly onEvent: () => void = () => {},
  ) {}

  /** Hand an HTTP upgrade on the REST server's port to the gateway. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.connectQueries.push(new URL(req.url ?? '/', 'http://x').search);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.onEvent();
    });
    ws.on('message', (raw) => {
      this.onMessage(ws, JSON.parse(raw.toString()));
      this.onEvent();
    });
    this.send(ws, { op: OP.hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(ws: WebSocket, msg: { op: number; d: any }): void {
    if (msg.op === OP.heartbeat) {
      this.send(ws, { op: OP.heartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (msg.op === OP.identify) {
      this.identifies.push(msg.d);
      if (msg.d?.token !== this.world.token) {
        ws.close(4004, 'Authentication failed.');
        return;
      }
      const guild = this.world.guild();
      this.sendDispatch(ws, 'READY', {
        v: 10,
        user: this.world.botUser,
        guilds: [{ id: guild.id, unavailable: true }],
        session_id: 'fake-session',
        resume_gateway_url: 'ws://127.0.0.1:1/unused',
        shard: [0, 1],
        application: { id: this.world.applicationId, flags: 0 },
      });
      this.sendDispatch(ws, 'GUILD_CREATE', guild);
      this.identified = true;
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  /** Resolves once a client has identified and received READY and GUILD_CREATE. */
  whenIdentified(): Promise<void> {
    if (this.identified) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends a dispatch event (e.g. INTERACTION_CREATE) to every connected client. */
  dispatch(t: string, d: unknown): void {
    for (const ws of this.sockets) this.sendDispatch(ws, t, d);
  }

  get connections(): number {
    return this.sockets.size;
  }

  private sendDispatch(ws: WebSocket, t: string, d: unknown): void {
    this.send(ws, { op: OP.dispatch, t, s: ++this.seq, d });
  }

  private send(ws: WebSocket, payload: unknown): void {
    ws.send(JSON.stringify(payload));
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
