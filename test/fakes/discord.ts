/**
 * A local fake of Discord for tests: the REST API under /api/v10 (what discord.js asks for when its
 * `rest.api` is `fake.apiUrl`) and, on the same port, a WebSocket gateway handed out by GET /gateway/bot.
 *
 *   const fake = await startFakeDiscord();
 *   // discord.js: new Client({ rest: { api: fake.apiUrl } }).login(fake.token)
 *   const answer = fake.interact({ command: 'brief', options: [{ name: 'name', type: 3, value: 'x' }] });
 *   await fake.waitFor(() => answer.responses.length > 0);
 *   fake.failNext({ method: 'POST', path: /\/messages$/ }, { status: 429, retryAfter: 3 });
 *   await fake.close();
 *
 * It keeps channels, messages (with nonce/enforce_nonce de-duplication), threads, registered
 * commands and interaction answers, and records every request. Faults are injected per request.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeGateway } from './discord-gateway.ts';
import { ALL_PERMISSIONS, botUser, guildPayload, interactionPayload, publicMessage, webhookMessage } from './discord-payloads.ts';

/** One request as the fake saw it; `body` is parsed JSON (null when empty). */
export interface DiscordRequest {
  method: string;
  /** Path after /api/v10, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  author: Record<string, unknown>;
  content: string;
  embeds: any[];
  nonce?: string;
  flags: number;
  thread?: { id: string; name: string };
  edited_timestamp: string | null;
  /** Not part of Discord's shape: the allowed_mentions the post carried. */
  allowedMentions: unknown;
  /** The message this one replies to (message_reference). */
  replyTo?: string;
}

/** One answer to an interaction: the callback, edits of the original and follow-ups, in order. */
export interface InteractionAnswer {
  kind: 'callback' | 'edit-original' | 'delete-original' | 'followup';
  /** Interaction callback type (4 message, 5 deferred, 8 autocomplete result). */
  type?: number;
  data: any;
}

export interface FakeInteraction {
  id: string;
  token: string;
  responses: InteractionAnswer[];
}

export interface Fault {
  status: number;
  /** For 429: seconds in Retry-After. */
  retryAfter?: number;
  body?: unknown;
  /** Handle the request normally, then answer with this fault (the write happened; the answer was lost). */
  afterHandling?: boolean;
  times?: number;
}

interface ChannelState {
  id: string;
  type: number;
  name: string;
  parentId?: string;
  /** 'missing-access' answers 403/50001 to everything in the channel. */
  denied?: boolean;
  /** An archived and locked thread: posting answers 400/50083. */
  locked?: boolean;
  messages: FakeMessage[];
}

const API_PREFIX = '/api/v10';
const MANAGE_GUILD = 1n << 5n;

export class FakeDiscord {
  readonly token = 'fake-bot-token';
  readonly applicationId = '1100000000000000001';
  readonly botUserId = '1100000000000000001';
  readonly guildId = '1200000000000000001';
  readonly channelId = '1300000000000000001';
  /** Every REST request, in order. */
  readonly requests: DiscordRequest[] = [];
  readonly gateway: FakeGateway;
  readonly channels = new Map<string, ChannelState>();
  /** Registered commands: key 'global' or a guild id. */
  readonly commands = new Map<string, any[]>();
  readonly interactions = new Map<string, FakeInteraction>();
  /** PUT requests on command routes, for "registers only when changed". */
  commandWrites = 0;
  origin = '';
  private nextId = 1400000000000000000n;
  private readonly faults: Array<{ method?: string; path: RegExp; fault: Fault }> = [];
  private readonly nonces = new Map<string, FakeMessage>();
  private waiters: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private server!: http.Server;

  constructor(heartbeatIntervalMs?: number) {
    this.addChannel(this.channelId, 'news');
    this.gateway = new FakeGateway(
      { token: this.token, botUser: this.botUser(), applicationId: this.applicationId, guild: () => this.guildPayload() },
      heartbeatIntervalMs,
      () => this.notify(),
    );
  }

  /** Base for discord.js `rest.api` and DISCORD_API_URL. */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  snowflake(): string {
    return String(this.nextId++);
  }

  addChannel(id: string, name: string, opts: { denied?: boolean } = {}): ChannelState {
    const ch: ChannelState = { id, type: 0, name, messages: [], denied: opts.denied };
    this.channels.set(id, ch);
    return ch;
  }

  messages(channelId = this.channelId): FakeMessage[] {
    return this.channels.get(channelId)?.messages ?? [];
  }

  /** Makes the next `times` requests matching `method` and `path` fail with `fault`. */
  failNext(match: { method?: string; path: RegExp }, fault: Fault): void {
    this.faults.push({ method: match.method, path: match.path, fault: { times: 1, ...fault } });
  }

  /** Resolves when `check` holds, re-checking after every request and gateway event. */
  waitFor(check: () => boolean, label = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // A safety net so a broken test fails with a message instead of hanging; not a timing assertion.
      const timer = setTimeout(() => reject(new Error(`fake discord: timed out waiting for ${label}`)), 10_000);
      const tick = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(tick);
      };
      this.waiters.push(tick);
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Sends a slash command as INTERACTION_CREATE; the answer accumulates in `responses`. */
  interact(opts: { command: string; options?: Array<{ name: string; type: number; value: unknown; focused?: boolean }>; autocomplete?: boolean; userId?: string; canManageGuild?: boolean; channelId?: string }): FakeInteraction {
    const interaction: FakeInteraction = { id: this.snowflake(), token: `itoken-${this.nextId}`, responses: [] };
    this.interactions.set(interaction.token, interaction);
    const channel = this.channels.get(opts.channelId ?? this.channelId)!;
    const perms = opts.canManageGuild === false ? (BigInt(ALL_PERMISSIONS) & ~MANAGE_GUILD & ~8n).toString() : ALL_PERMISSIONS;
    const userId = opts.userId ?? '1500000000000000001';
    this.gateway.dispatch('INTERACTION_CREATE', interactionPayload({
      id: interaction.id, token: interaction.token, applicationId: this.applicationId, guildId: this.guildId, channel,
      userId, permissions: perms, autocomplete: opts.autocomplete ?? false, commandId: this.snowflake(), command: opts.command, options: opts.options ?? [],
    }));
    return interaction;
  }

  botUser() {
    return botUser(this.botUserId);
  }

  private guildPayload() {
    return guildPayload(this.guildId, [...this.channels.values()].filter((c) => c.type === 0));
  }

  // ---- REST ----

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const request: DiscordRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body: raw ? JSON.parse(raw) : null };
    this.requests.push(request);
    try {
      const fault = this.takeFault(request);
      if (fault && !fault.afterHandling) return this.sendFault(res, fault);
      const [status, body] = this.route(request);
      if (fault) return this.sendFault(res, fault);
      // Like Discord, name the rate-limit bucket on ordinary answers too, so discord.js tracks it.
      if (path.startsWith('/channels/')) {
        res.setHeader('X-RateLimit-Bucket', 'fake-bucket');
        res.setHeader('X-RateLimit-Limit', '5');
        res.setHeader('X-RateLimit-Remaining', '4');
        res.setHeader('X-RateLimit-Reset-After', '1');
      }
      this.send(res, status, body);
    } finally {
      this.notify();
    }
  }

  private takeFault(r: DiscordRequest): Fault | null {
    const i = this.faults.findIndex((f) => (!f.method || f.method === r.method) && f.path.test(r.path));
    if (i < 0) return null;
    const entry = this.faults[i]!;
    if (--entry.fault.times! <= 0) this.faults.splice(i, 1);
    return entry.fault;
  }

  private sendFault(res: http.ServerResponse, f: Fault): void {
    if (f.status === 429) {
      const after = f.retryAfter ?? 1;
      res.setHeader('Retry-After', String(after));
      res.setHeader('X-RateLimit-Limit', '5');
      res.setHeader('X-RateLimit-Remaining', '0');
      res.setHeader('X-RateLimit-Reset-After', String(after));
      res.setHeader('X-RateLimit-Bucket', 'fake-bucket');
      res.setHeader('X-RateLimit-Scope', 'user');
      return this.send(res, 429, f.body ?? { message: 'You are being rate limited.', retry_after: after, global: false });
    }
    this.send(res, f.status, f.body ?? { message: http.STATUS_CODES[f.status] ?? 'error', code: 0 });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    if (status === 204 || body === undefined) {
      // No body, so no JSON content type: discord.js would try to parse one.
      res.writeHead(status === 200 ? 204 : status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private route(r: DiscordRequest): [number, unknown] {
    const m = (re: RegExp) => re.exec(r.path);
    let p: RegExpExecArray | null;
    // Interaction callbacks and webhooks authenticate with the interaction token, not the bot token.
    if ((p = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && r.method === 'POST') return this.callback(p[2]!, r);
    if ((p = m(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/))) return this.webhook(p[2]!, p[3], r);
    if (r.headers.authorization !== `Bot ${this.token}`) return [401, { message: '401: Unauthorized', code: 0 }];
    if (r.path === '/gateway/bot' && r.method === 'GET') {
      return [200, { url: `${this.origin.replace(/^http/, 'ws')}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    if (r.path === '/users/@me' && r.method === 'GET') return [200, this.botUser()];
    if (r.path === '/users/@me/channels' && r.method === 'POST') return this.openDm(String(r.body.recipient_id ?? ''));
    if ((p = m(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) return this.commandsRoute(p[1]!, p[2], r);
    if ((p = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/)) && r.method === 'POST') return this.startThread(p[1]!, p[2]!, r);
    if ((p = m(/^\/channels\/(\d+)\/messages(?:\/(\d+))?$/))) return this.channelMessages(p[1]!, p[2], r);
    return [404, { message: '404: Not Found', code: 0 }];
  }

  /** Users the bot can open a direct-message channel with (admins in tests). */
  readonly users = new Set<string>();

  /** POST /users/@me/channels: one DM channel per recipient, created on first use. */
  private openDm(recipient: string): [number, unknown] {
    if (!this.users.has(recipient)) return [400, { message: 'Unknown User', code: 10013 }];
    const id = `9${recipient}`;
    if (!this.channels.has(id)) this.channels.set(id, { id, type: 1, name: `dm-${recipient}`, messages: [] });
    return [200, { id, type: 1, recipients: [{ id: recipient, username: `user${recipient}` }] }];
  }

  private commandsRoute(appId: string, guildId: string | undefined, r: DiscordRequest): [number, unknown] {
    if (appId !== this.applicationId) return [403, { message: 'Missing Access', code: 50001 }];
    const key = guildId ?? 'global';
    if (r.method === 'GET') return [200, this.commands.get(key) ?? []];
    if (r.method === 'PUT') {
      this.commandWrites++;
      // Discord echoes the list back with ids, versions and its defaults filled in.
      const stored = (r.body as any[]).map((c) => ({
        id: this.snowflake(), application_id: appId, version: this.snowflake(), guild_id: guildId, nsfw: false,
        integration_types: [0], dm_permission: true, ...c,
        options: c.options?.map((o: any) => ({ ...o, required: o.required || undefined, autocomplete: o.autocomplete || undefined })),
      }));
      this.commands.set(key, stored);
      return [200, stored];
    }
    return [405, { message: '405: Method Not Allowed', code: 0 }];
  }

  private channel(id: string): ChannelState | [number, unknown] {
    const ch = this.channels.get(id);
    if (!ch) return [404, { message: 'Unknown Channel', code: 10003 }];
    if (ch.denied) return [403, { message: 'Missing Access', code: 50001 }];
    return ch;
  }

  private channelMessages(channelId: string, messageId: string | undefined, r: DiscordRequest): [number, unknown] {
    const ch = this.channel(channelId);
    if (Array.isArray(ch)) return ch;
    if (!messageId && r.method === 'GET') {
      const limit = Number(r.query.get('limit') ?? 50);
      return [200, ch.messages.slice(-limit).reverse().map((x) => publicMessage(x))];
    }
    if (!messageId && r.method === 'POST') {
      if (ch.locked) return [400, { message: 'Thread is archived', code: 50083 }];
      const nonce = r.body.nonce as string | undefined;
      if (nonce !== undefined && String(nonce).length > 25) return [400, { message: 'Invalid Form Body', code: 50035 }];
      if (nonce && r.body.enforce_nonce) {
        const earlier = this.nonces.get(`${this.botUserId}:${nonce}`);
        if (earlier) return [200, publicMessage(earlier, true)];
      }
      const msg: FakeMessage = {
        id: this.snowflake(), channel_id: ch.id, author: this.botUser(), content: r.body.content ?? '', embeds: r.body.embeds ?? [],
        nonce, flags: r.body.flags ?? 0, edited_timestamp: null, allowedMentions: r.body.allowed_mentions,
        ...(r.body.message_reference ? { replyTo: r.body.message_reference.message_id } : {}),
      };
      ch.messages.push(msg);
      if (nonce) this.nonces.set(`${this.botUserId}:${nonce}`, msg);
      return [200, publicMessage(msg, true)];
    }
    const msg = ch.messages.find((x) => x.id === messageId);
    if (!msg) return [404, { message: 'Unknown Message', code: 10008 }];
    if (r.method === 'PATCH') {
      if (r.body.embeds) msg.embeds = r.body.embeds;
      if (r.body.content !== undefined) msg.content = r.body.content;
      msg.allowedMentions = r.body.allowed_mentions;
      msg.edited_timestamp = new Date().toISOString();
      return [200, publicMessage(msg)];
    }
    if (r.method === 'GET') return [200, publicMessage(msg)];
    return [405, { message: '405: Method Not Allowed', code: 0 }];
  }

  private startThread(channelId: string, messageId: string, r: DiscordRequest): [number, unknown] {
    const ch = this.channel(channelId);
    if (Array.isArray(ch)) return ch;
    const msg = ch.messages.find((x) => x.id === messageId);
    if (!msg) return [404, { message: 'Unknown Message', code: 10008 }];
    if (msg.thread) return [400, { message: 'A thread has already been created for this message', code: 160004 }];
    const name = String(r.body.name ?? '');
    if (name.length < 1 || name.length > 100) return [400, { message: 'Invalid Form Body', code: 50035 }];
    // A thread started from a message takes the message's id.
    msg.thread = { id: msg.id, name };
    this.channels.set(msg.id, { id: msg.id, type: 11, name, parentId: ch.id, messages: [] });
    return [201, { id: msg.id, type: 11, name, parent_id: ch.id, guild_id: this.guildId, thread_metadata: { archived: false, auto_archive_duration: r.body.auto_archive_duration, locked: false } }];
  }

  private callback(token: string, r: DiscordRequest): [number, unknown] {
    const it = this.interactions.get(token);
    if (!it) return [404, { message: 'Unknown interaction', code: 10062 }];
    if (it.responses.some((x) => x.kind === 'callback')) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
    it.responses.push({ kind: 'callback', type: r.body.type, data: r.body.data });
    if (r.query.get('with_response') === 'true') return [200, { interaction: { id: it.id, type: 2 }, resource: { type: r.body.type } }];
    return [204, undefined];
  }

  private webhook(token: string, messageId: string | undefined, r: DiscordRequest): [number, unknown] {
    const it = this.interactions.get(token);
    if (!it) return [404, { message: 'Unknown Webhook', code: 10015 }];
    if (!it.responses.some((x) => x.kind === 'callback')) return [404, { message: 'Unknown Message', code: 10008 }];
    const message = (data: any) => webhookMessage(this.snowflake(), this.channelId, this.applicationId, this.botUser(), data);
    if (r.method === 'PATCH' && messageId === '@original') {
      it.responses.push({ kind: 'edit-original', data: r.body });
      return [200, message(r.body)];
    }
    if (r.method === 'DELETE' && messageId === '@original') {
      it.responses.push({ kind: 'delete-original', data: null });
      return [204, undefined];
    }
    if (r.method === 'POST' && !messageId) {
      it.responses.push({ kind: 'followup', data: r.body });
      return [200, message(r.body)];
    }
    return [405, { message: '405: Method Not Allowed', code: 0 }];
  }
}

/** Starts a fake Discord on a loopback port. */
export async function startFakeDiscord(opts: { heartbeatIntervalMs?: number } = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(opts.heartbeatIntervalMs);
  await fake.listen();
  return fake;
}
