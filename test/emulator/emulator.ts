// A loopback Discord for tests: REST + gateway WebSocket + attachment CDN on 127.0.0.1, recording every REST call.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { attachment, guildCreate, message, newWorld, ready, shardOf, snowflake, voiceState, type InteractionPayload, type World } from './payloads.js';

export interface RecordedCall {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/interactions/1/tok/callback`. */
  route: string;
  query: URLSearchParams;
  body: any;
  auth: string | undefined;
  /** performance.now() when the request arrived. */
  at: number;
  /** Files uploaded with the request (multipart/form-data), in order. */
  files: UploadedFile[];
}

/** One `files[n]` part of a multipart upload, as Discord receives it. */
export interface UploadedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string | undefined;
  bytes: Buffer;
}

/** What the user ended up seeing for one interaction. */
export interface Outcome {
  /** `callback` = immediate reply; `edit` = defer then edit; `followup` = defer, delete, ephemeral follow-up. */
  via: 'callback' | 'edit' | 'followup';
  deferred: boolean;
  ephemeral: boolean;
  content: string | undefined;
  embeds: any[];
  /** Files uploaded with the final call (an edit without files keeps the earlier ones on Discord; see `calls`). */
  files: UploadedFile[];
  /** Milliseconds from the INTERACTION_CREATE dispatch to the final REST call. */
  latencyMs: number;
  calls: RecordedCall[];
}

interface ServedFile {
  bytes: Uint8Array;
  contentType: string;
  /** `hang`: send the headers and the first bytes, then never finish. `chunked`: no content-length. */
  /** `gone`: the CDN answers 404, as for an attachment whose message was deleted. */
  mode: 'normal' | 'hang' | 'chunked' | 'gone';
}

/** A message the bot posted or edited with its token (channel routes), as it stands now. */
export interface ChannelMessage {
  id: string;
  channelId: string;
  content: string | undefined;
  embeds: any[];
  /** Files uploaded with the post (or the latest edit that carried files). */
  files: UploadedFile[];
  /** Every PATCH after the first post. */
  edits: number;
}

const EPHEMERAL = 1 << 6;
const API = '/api/v10';

export class DiscordEmulator extends EventEmitter {
  readonly world: World;
  readonly calls: RecordedCall[] = [];
  /** Attachment downloads: which file, and performance.now() when the request arrived. */
  readonly fileHits: { path: string; at: number }[] = [];
  identify: any = null;
  /** Every IDENTIFY, in order: with several shards (or processes) there is one per shard. */
  readonly identifies: any[] = [];
  /** Every guild this Discord has (the first is `world`); each goes to the shard Discord's formula names. */
  readonly worlds: World[];
  /** Voice signalling: where VOICE_SERVER_UPDATE points the bot (host:port of a voice server); null = not answered. */
  voiceEndpoint: string | null = null;
  /** Every gateway op 4 (voice state update) the bot sent. */
  readonly voiceRequests: any[] = [];
  /** Messages posted with channel routes (not interaction responses), by id. */
  readonly channelMessages = new Map<string, ChannelMessage>();
  /** Posting a channel message gets no answer at all (a Discord that hangs). */
  hangChannelPosts = false;
  /** Channels deleted behind the bot's back: posting or editing there answers Unknown Channel. */
  readonly goneChannels = new Set<string>();
  /** Close code of every gateway WebSocket that closed (1000: the bot said goodbye; 1006: it just vanished). */
  readonly gatewayCloses: number[] = [];
  /** Answer every bot-authenticated request with 401, as Discord does for a reset token. */
  rejectToken = false;
  private server: Server;
  private wss = new WebSocketServer({ noServer: true });
  private sockets = new Set<WebSocket>();
  /** The [shard, count] each gateway connection identified as. */
  private shardOfSocket = new Map<WebSocket, [number, number]>();
  private seq = 0;
  private files = new Map<string, ServedFile>();
  private dispatched = new Map<string, number>();
  private readyResolve!: () => void;
  /** Resolves once a client has identified and received READY + GUILD_CREATE. */
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));
  port = 0;

  constructor(world: World = newWorld()) {
    super();
    // Each waitFor* adds a listener until its call arrives: 20 concurrent /analyze tests wait at once.
    this.setMaxListeners(0);
    this.world = world;
    this.worlds = [world];
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Value for the bot's DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** A further guild with its own channels, the same bot (send it before the bot connects). */
  addGuild(guildId = snowflake()): World {
    const w: World = { ...newWorld(this.world.appId), bot: this.world.bot, guildId };
    this.worlds.push(w);
    return w;
  }

  private worldOf(guildId: string | undefined): World {
    return this.worlds.find((w) => w.guildId === guildId) ?? this.world;
  }

  /** Serves `bytes` at a CDN-like URL and returns an attachment object pointing at it. */
  addAttachment(filename: string, bytes: Uint8Array, opts: { contentType?: string | null; declaredSize?: number; mode?: ServedFile['mode']; durationSecs?: number } = {}) {
    const path = `/attachments/${snowflake()}/${encodeURIComponent(filename)}`;
    this.files.set(path, { bytes, contentType: opts.contentType ?? 'application/octet-stream', mode: opts.mode ?? 'normal' });
    return attachment({
      filename,
      url: `http://127.0.0.1:${this.port}${path}?ex=0&is=0&hm=signed`,
      size: opts.declaredSize ?? bytes.byteLength,
      contentType: opts.contentType,
      durationSecs: opts.durationSecs,
    });
  }

  /** Sends INTERACTION_CREATE to the bot; latency is measured from here. */
  interact(payload: InteractionPayload): InteractionPayload {
    this.dispatched.set(payload.token, performance.now());
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  callsFor(token: string): RecordedCall[] {
    return this.calls.filter((c) => c.route.includes(`/${token}`));
  }

  /** The user-visible result of an interaction, or null while it is still pending. */
  outcome(token: string): Outcome | null {
    const calls = this.callsFor(token);
    const callback = calls.find((c) => c.route.endsWith('/callback'));
    if (!callback) return null;
    const t0 = this.dispatched.get(token) ?? callback.at;
    const result = (via: Outcome['via'], deferred: boolean, flags: number, data: any, last: RecordedCall): Outcome => ({
      via,
      deferred,
      ephemeral: (flags & EPHEMERAL) !== 0,
      content: data?.content ?? undefined,
      embeds: data?.embeds ?? [],
      files: last.files,
      latencyMs: last.at - t0,
      calls,
    });
    if (callback.body?.type === 4) return result('callback', false, callback.body.data?.flags ?? 0, callback.body.data, callback);
    if (callback.body?.type !== 5) return null;
    const deferFlags = callback.body.data?.flags ?? 0;
    const followup = calls.find((c) => c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.route));
    if (followup) return result('followup', true, followup.body?.flags ?? 0, followup.body, followup);
    const edit = calls.find((c) => c.method === 'PATCH' && c.route.endsWith('/messages/@original') && (c.body?.embeds?.length || c.body?.content));
    // A deferred reply keeps the ephemeral state chosen at the defer.
    if (edit) return result('edit', true, deferFlags, edit.body, edit);
    return null;
  }

  /** Waits for the interaction's final outcome (rejects after `timeoutMs`). */
  waitForOutcome(token: string, timeoutMs = 30_000): Promise<Outcome> {
    return this.waitFor(() => this.outcome(token), timeoutMs, `outcome of ${token}`);
  }

  /** Resolves with the first truthy value of `check`, re-checked after every REST call. */
  waitFor<T>(check: () => T | null | undefined | false, timeoutMs: number, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const tryNow = (): boolean => {
        const v = check();
        if (!v) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const onCall = (): void => void tryNow();
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`emulator: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('call', onCall);
      };
      this.on('call', onCall);
      tryNow();
    });
  }

  /** A user (or another bot) joins `channelId`, or leaves voice with null: VOICE_STATE_UPDATE as Discord sends it. */
  setVoiceState(userId: string, channelId: string | null, o: { bot?: boolean; username?: string; world?: World } = {}): void {
    this.dispatch('VOICE_STATE_UPDATE', voiceState(o.world ?? this.world, userId, channelId, { ...o, sessionId: `vs-${userId}` }));
  }

  /** Someone with Move Members drags the bot to `channelId`: its voice state changes, and the voice server with it. */
  moveBot(channelId: string): void {
    this.onVoiceRequest({ guild_id: this.world.guildId, channel_id: channelId, self_mute: true, self_deaf: false });
  }

  /** A moderator disconnects the bot from voice (or deletes its channel): its voice state goes to no channel. */
  disconnectBot(): void {
    this.botVoiceState(null);
  }

  /** The text channel made private (hidden from @everyone), or public again: CHANNEL_UPDATE as Discord sends it. */
  setTextChannelPrivate(hidden: boolean): void {
    const w = this.world;
    const overwrites = hidden ? [{ id: w.guildId, type: 0, allow: '0', deny: String(1 << 10) }] : []; // 1 << 10: View Channel
    this.dispatch('CHANNEL_UPDATE', { id: w.textChannelId, type: 0, name: 'general', guild_id: w.guildId, position: 0, permission_overwrites: overwrites });
  }

  /** A moderator server-deafens (or undeafens) the bot where it is. */
  deafenBot(channelId: string, serverDeaf = true): void {
    this.botVoiceState(channelId, serverDeaf);
  }

  private botVoiceState(channelId: string | null, serverDeaf = false): void {
    const bot = this.world.bot;
    this.dispatch('VOICE_STATE_UPDATE', voiceState(this.world, bot.id, channelId, { bot: true, username: bot.username, sessionId: 'bot-voice-session', selfMute: true, selfDeaf: false, serverDeaf }));
  }

  /** The bot's own op 4: echo its voice state, then (when joining) point it at the voice server. */
  private onVoiceRequest(d: { guild_id: string; channel_id: string | null; self_mute: boolean; self_deaf: boolean }): void {
    this.voiceRequests.push(d);
    if (d.channel_id !== null && this.voiceEndpoint === null) return; // nobody answers: the bot stays signalling
    const bot = this.world.bot;
    this.dispatch('VOICE_STATE_UPDATE', voiceState(this.worldOf(d.guild_id), bot.id, d.channel_id, { bot: true, username: bot.username, sessionId: 'bot-voice-session', selfMute: d.self_mute, selfDeaf: d.self_deaf }));
    if (d.channel_id !== null) this.dispatch('VOICE_SERVER_UPDATE', { token: `voice-${snowflake()}`, guild_id: d.guild_id, endpoint: this.voiceEndpoint });
  }

  /** The bot's channel messages in posting order. */
  posted(): ChannelMessage[] {
    return [...this.channelMessages.values()];
  }

  /** Sends an event to the shard that owns its guild (all shards when it has none), as Discord routes them. */
  private dispatch(t: string, d: unknown): void {
    const packet = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    for (const ws of this.sockets) {
      const shard = this.shardOfSocket.get(ws);
      if (guildId && shard && shardOf(guildId, shard[1]) !== shard[0]) continue;
      ws.send(packet);
    }
  }

  private onGateway(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      this.shardOfSocket.delete(ws);
      this.gatewayCloses.push(code);
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (msg.op === 2) {
        this.identify = msg.d;
        this.identifies.push(msg.d);
        const url = `ws://127.0.0.1:${this.port}/gateway`;
        const shard: [number, number] = Array.isArray(msg.d.shard) ? [msg.d.shard[0], msg.d.shard[1]] : [0, 1];
        this.shardOfSocket.set(ws, shard);
        const mine = this.worlds.filter((w) => shardOf(w.guildId, shard[1]) === shard[0]);
        ws.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.seq, d: ready(this.world, `sess-${snowflake()}`, url, shard, mine.map((w) => w.guildId)) }));
        for (const w of mine) ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guildCreate(w) }));
        this.emit('identify', msg.d);
        this.readyResolve();
      } else if (msg.op === 6) {
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
      } else if (msg.op === 4) {
        this.onVoiceRequest(msg.d);
      }
    });
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, `http://127.0.0.1:${this.port}`);
    if (url.pathname.startsWith('/attachments/')) return this.serveFile(url.pathname, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = url.pathname.startsWith(API) ? decodeURIComponent(url.pathname.slice(API.length)) : url.pathname;
    const parsed = parseBody(Buffer.concat(chunks), req.headers['content-type']);
    const call: RecordedCall = { method: req.method!, route, query: url.searchParams, body: parsed.body, files: parsed.files, auth: req.headers.authorization, at: performance.now() };
    this.calls.push(call);
    // A Discord that takes forever to post in a channel: the request is recorded and never answered (stop() cuts it).
    if (this.hangChannelPosts && call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(route)) return void this.emit('call', call);
    const [status, body] = this.answer(call);
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
    this.emit('call', call);
  }

  private answer(c: RecordedCall): [number, unknown] {
    const w = this.world;
    if (this.rejectToken && c.auth) return [401, { code: 0, message: '401: Unauthorized' }];
    if (c.method === 'GET' && c.route === '/gateway/bot') {
      return [200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    if (c.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(c.route)) return [204, undefined];
    if (/^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(c.route)) {
      if (c.method === 'DELETE') return [204, undefined];
      return [200, this.messageFrom(c.body, c.files)];
    }
    if (c.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(c.route)) return [200, this.messageFrom(c.body, c.files)];
    const channelMessage = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(c.route);
    if (channelMessage && c.auth) return this.channelMessage(c, channelMessage[1]!, channelMessage[2]);
    if (c.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(c.route)) {
      const list = Array.isArray(c.body) ? c.body : [];
      return [200, list.map((cmd: any) => ({ id: snowflake(), application_id: w.appId, version: snowflake(), default_member_permissions: null, type: 1, ...cmd }))];
    }
    return [404, { code: 0, message: '404: Not Found' }];
  }

  private channelMessage(c: RecordedCall, channelId: string, messageId: string | undefined): [number, unknown] {
    if (this.goneChannels.has(channelId)) return [404, { code: 10003, message: 'Unknown Channel' }];
    if (c.method === 'POST' && !messageId) {
      const m = { ...this.messageFrom(c.body, c.files), channel_id: channelId };
      this.channelMessages.set(m.id, { id: m.id, channelId, content: c.body?.content, embeds: c.body?.embeds ?? [], files: c.files, edits: 0 });
      return [200, m];
    }
    const known = messageId ? this.channelMessages.get(messageId) : undefined;
    if (c.method === 'PATCH' && known) {
      if (c.body?.embeds) known.embeds = c.body.embeds;
      if (c.body?.content !== undefined) known.content = c.body.content;
      if (c.files.length) known.files = c.files;
      known.edits++;
      return [200, { ...this.messageFrom({ content: known.content, embeds: known.embeds }), id: known.id, channel_id: channelId }];
    }
    return [404, { code: 10008, message: 'Unknown Message' }];
  }

  private messageFrom(body: any, files: UploadedFile[] = []) {
    // Uploaded files come back as attachments, as Discord answers them (ids from the payload's attachments list).
    const attachments = files.map((f, n) => ({
      ...attachment({ filename: f.filename, url: `http://127.0.0.1:${this.port}/attachments/uploaded/${encodeURIComponent(f.filename)}`, size: f.bytes.byteLength, contentType: f.contentType ?? null }),
      ...(body?.attachments?.[n]?.description ? { description: body.attachments[n].description } : {}),
      ephemeral: false,
    }));
    return message(this.world, { fromBot: true, content: body?.content, embeds: body?.embeds, flags: body?.flags, attachments });
  }

  private serveFile(path: string, res: ServerResponse): void {
    this.fileHits.push({ path, at: performance.now() });
    const f = this.files.get(path);
    if (!f || f.mode === 'gone') {
      res.writeHead(404).end();
      return;
    }
    if (f.mode === 'hang') {
      res.writeHead(200, { 'content-type': f.contentType });
      res.write(f.bytes.subarray(0, Math.min(64, f.bytes.byteLength)));
      return; // never ends; stop() closes the socket
    }
    res.writeHead(200, { 'content-type': f.contentType, ...(f.mode === 'chunked' ? {} : { 'content-length': String(f.bytes.byteLength) }) });
    res.end(f.bytes);
  }
}

/** JSON bodies, and multipart uploads: the `payload_json` part as the body, every file part as bytes. */
function parseBody(raw: Buffer, type: string | undefined): { body: unknown; files: UploadedFile[] } {
  if (!raw.byteLength) return { body: undefined, files: [] };
  if (type?.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type ?? '');
  if (!type?.startsWith('multipart/form-data') || !boundary) return { body: raw.toString('utf8'), files: [] };
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const files: UploadedFile[] = [];
  let body: unknown;
  // Parts sit between delimiters; each is headers, a blank line, then the bytes, then CRLF before the next delimiter.
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.byteLength;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // past the CRLF after the delimiter; before the CRLF ending the part
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const bytes = Buffer.from(part.subarray(split + 4));
    const field = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (field === 'payload_json') body = JSON.parse(bytes.toString('utf8'));
    else if (filename !== undefined) files.push({ field, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], bytes });
    at = next;
  }
  return { body, files };
}
