// A loopback Discord voice server: voice gateway v8 over wss (self-signed, made per run) + UDP with
// aead_aes256_gcm_rtpsize or aead_xchacha20_poly1305_rtpsize RTP, DAVE at protocol version 0 unless
// test/voice/dave-server.ts plugs into `hooks`. Simulated users speak Opus frames; raw datagrams can be sent
// from the server's socket or a foreign one.
import { createCipheriv, randomBytes } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TlsMaterial } from './tls.js';

export const MODE = 'aead_aes256_gcm_rtpsize';
export const XCHACHA_MODE = 'aead_xchacha20_poly1305_rtpsize';
export type EncryptionMode = typeof MODE | typeof XCHACHA_MODE;

/** What the bot said when it identified (op 0): checked by the DAVE test. */
export interface VoiceIdentify {
  server_id: string;
  user_id: string;
  session_id: string;
  token: string;
  max_dave_protocol_version: number;
}

export interface SpeakOptions {
  /** Share of packets never sent (seeded, so runs repeat). */
  loss?: number;
  /** Swap each packet with the next one with this probability (out-of-order arrival). */
  reorder?: number;
  /** Indexes of packets whose ciphertext is damaged in transit (GCM tag fails: the library destroys the stream). */
  corrupt?: number[];
  /** Indexes of packets sent as DAVE ciphertext that passed through undecrypted (ends in FA FA). */
  daveCiphertext?: number[];
  /** Applied to each Opus frame as it is sent (a DAVE speaker's end-to-end encryption, test/voice/dave-server.ts). */
  transform?: (opus: Buffer) => Buffer;
  /** Milliseconds between packets (20 = real time). */
  intervalMs?: number;
  seed?: number;
  /** Stop after this many packets (a user cut off mid-utterance). */
  stopAfter?: number;
  /** Send from another address than the server's (a replay the bot must ignore). */
  from?: 'server' | 'foreign';
}

/** One bot's voice WebSocket, as the DAVE layer (test/voice/dave-server.ts) sees it. */
export interface BotLink {
  readonly identify: VoiceIdentify;
  sendJson(op: number, d: unknown): void;
  /** Binary frame as the voice server sends it: u16 sequence, u8 opcode, payload. */
  sendBinary(op: number, payload: Uint8Array): void;
}

/** Where a DAVE layer plugs in; the base server speaks only protocol version 0. */
export interface VoiceServerHooks {
  /** SESSION_DESCRIPTION was sent: DAVE's opening messages go now. */
  sessionStarted?(bot: BotLink): void;
  /** A message the base server does not handle: binary (ops 26, 28) or JSON (ops 23, 31). */
  message?(bot: BotLink, op: number, d: any, binary: Buffer | null): void;
  closed?(bot: BotLink): void;
}

interface Client {
  ws: WebSocket;
  identify: VoiceIdentify | null;
  udp: RemoteInfo | null;
  key: Buffer | null;
  mode: EncryptionMode;
  ssrc: number;
  seq: number;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export class FakeVoiceServer extends EventEmitter {
  private https: Server;
  private wss = new WebSocketServer({ noServer: true });
  private udp: Socket = createSocket('udp4');
  /** Another sender on the same host: what the bot must ignore. */
  private foreign: Socket | null = null;
  private clients = new Set<Client>();
  private nonce = 0;
  private readonly rtp = new Map<number, { seq: number; ts: number }>();
  /** Every IDENTIFY received, in order (a reconnect adds one). */
  readonly identifies: VoiceIdentify[] = [];
  /** DAVE version this server announces in SESSION_DESCRIPTION. */
  daveProtocolVersion = 0;
  /** When false, new voice WebSockets are closed at once with 4006 (a reconnect cannot succeed). */
  accepting = true;
  /** The modes op 2 READY offers, in order (the client takes the first it supports). */
  modes: EncryptionMode[] = [MODE, XCHACHA_MODE];
  /** The mode each bot selected (op 1), in order. */
  readonly selectedModes: string[] = [];
  port = 0;
  udpPort = 0;
  packetsSent = 0;
  hooks: VoiceServerHooks = {};

  constructor(tls: TlsMaterial) {
    super();
    this.https = createServer({ key: tls.key, cert: tls.cert });
    this.https.on('upgrade', (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.onWs(ws)));
    this.udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.https.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => this.udp.bind(0, '127.0.0.1', r));
    this.port = (this.https.address() as AddressInfo).port;
    this.udpPort = this.udp.address().port;
    return this;
  }

  /** Value for VOICE_SERVER_UPDATE.endpoint (the library dials wss://endpoint?v=8). */
  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
    this.https.closeAllConnections();
    await new Promise((r) => this.https.close(r));
    await new Promise<void>((r) => this.udp.close(() => r()));
    if (this.foreign) await new Promise<void>((r) => this.foreign!.close(() => r()));
  }

  /** One datagram, as is, to every bot: from the server's own address, or from a foreign socket on 127.0.0.1. */
  async sendRaw(datagram: Buffer, from: 'server' | 'foreign'): Promise<void> {
    let socket = this.udp;
    if (from === 'foreign') {
      if (!this.foreign) {
        const created = createSocket('udp4');
        await new Promise<void>((r) => created.bind(0, '127.0.0.1', r));
        this.foreign = created;
      }
      socket = this.foreign;
    }
    for (const c of this.clients) {
      if (c.udp) await new Promise<void>((r, j) => socket.send(datagram, c.udp!.port, c.udp!.address, (e) => (e ? j(e) : r())));
    }
  }

  /** The session key of the bot that finished the handshake (to craft packets that decrypt). */
  get sessionKey(): Buffer | null {
    return [...this.clients].find((c) => c.key)?.key ?? null;
  }

  /** True once a bot has finished the handshake (UDP discovered, key sent). */
  get ready(): boolean {
    return [...this.clients].some((c) => c.key && c.udp);
  }

  waitReady(timeoutMs = 15_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('fake voice server: no bot finished the handshake')), timeoutMs);
      this.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Op 5: maps `ssrc` to `userId` in the bot's receiver. Must precede the user's audio. */
  announce(userId: string, ssrc: number): void {
    this.sendAll({ op: 5, d: { user_id: userId, ssrc, speaking: 1 } });
  }

  /** Op 13: the user left the call; the library forgets their SSRC. */
  disconnectUser(userId: string): void {
    this.sendAll({ op: 13, d: { user_id: userId } });
  }

  /** Closes every bot's voice WebSocket with `code` (4006: session no longer valid → the library re-signals). */
  closeSockets(code: number): void {
    for (const c of this.clients) c.ws.close(code, 'test');
  }

  private hasKey(): boolean {
    return [...this.clients].some((c) => c.key);
  }

  /** Sends `frames` (Opus packets) as the user, encrypted RTP, paced like a client. Resolves when the last is sent. */
  async speak(userId: string, ssrc: number, frames: readonly Buffer[], o: SpeakOptions = {}): Promise<{ sent: number; dropped: number }> {
    this.announce(userId, ssrc);
    const rand = lcg(o.seed ?? ssrc);
    const state = this.rtp.get(ssrc) ?? { seq: Math.floor(rand() * 65536), ts: Math.floor(rand() * 2 ** 32) };
    this.rtp.set(ssrc, state);
    const n = Math.min(frames.length, o.stopAfter ?? Infinity);
    if (!this.hasKey()) throw new Error('fake voice server: no session key yet');
    // Built when sent, not before: a DAVE speaker encrypts with whatever key its epoch has at that moment.
    // None is built (nor sent) while no bot holds a key (it left mid-utterance and is joining again).
    const packets: (() => Buffer | null)[] = [];
    let dropped = 0;
    for (let i = 0; i < n; i++) {
      const seq = (state.seq + i) & 0xffff;
      const ts = (state.ts + i * 960) >>> 0;
      let payload = frames[i]!;
      // DAVE layout: ciphertext, 8-byte tag, 1-byte nonce, supplemental size (8 + 1 + 1 + 2 = 12), magic.
      if (o.daveCiphertext?.includes(i)) payload = Buffer.concat([randomBytes(payload.length), randomBytes(8), Buffer.from([1, 12, 0xfa, 0xfa])]);
      if (rand() < (o.loss ?? 0)) {
        dropped++;
        continue;
      }
      const corrupt = o.corrupt?.includes(i) ?? false;
      packets.push(() => (this.hasKey() ? this.packet(ssrc, seq, ts, o.transform ? o.transform(payload) : payload, i % 2 === 1, corrupt) : null));
    }
    state.seq = (state.seq + n) & 0xffff;
    state.ts = (state.ts + n * 960) >>> 0;
    if (o.reorder) {
      for (let i = 0; i + 1 < packets.length; i++) {
        if (rand() < o.reorder) [packets[i], packets[i + 1]] = [packets[i + 1]!, packets[i]!];
      }
    }
    const interval = o.intervalMs ?? 20;
    const t0 = performance.now();
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!();
      if (packet && o.from === 'foreign') await this.sendRaw(packet, 'foreign');
      else if (packet) this.sendUdp(packet);
      // Pace by the clock, not by sleeping 20 ms each time, so timer slack does not accumulate.
      const due = t0 + (i + 1) * interval - performance.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
    return { sent: packets.length, dropped };
  }

  /**
   * One RTP packet as Discord sends it: header (with a one-word extension on odd packets, in the
   * clear and in the AAD), AEAD(extension body ‖ Opus) with its tag, 4-byte nonce counter. The AEAD is
   * AES-256-GCM (12-byte IV) or XChaCha20-Poly1305 (24-byte nonce), the counter first, zeros after.
   */
  private packet(ssrc: number, seq: number, ts: number, opus: Buffer, withExtension: boolean, corrupt: boolean): Buffer {
    const client = [...this.clients].find((c) => c.key);
    const key = client?.key;
    if (!key) throw new Error('fake voice server: no session key yet');
    const header = Buffer.alloc(withExtension ? 16 : 12);
    header[0] = withExtension ? 0x90 : 0x80;
    header[1] = 0x78;
    header.writeUInt16BE(seq, 2);
    header.writeUInt32BE(ts, 4);
    header.writeUInt32BE(ssrc, 8);
    let plain = opus;
    if (withExtension) {
      header.set([0xbe, 0xde, 0x00, 0x01], 12);
      plain = Buffer.concat([Buffer.from([0x10, 0x7f, 0x00, 0x00]), opus]); // one audio-level element
    }
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.nonce++ >>> 0);
    let sealed: Buffer; // ciphertext ‖ 16-byte tag
    if (client.mode === XCHACHA_MODE) {
      sealed = Buffer.from(xchacha20poly1305(key, Buffer.concat([counter, Buffer.alloc(20)]), header).encrypt(plain));
    } else {
      const cipher = createCipheriv('aes-256-gcm', key, Buffer.concat([counter, Buffer.alloc(8)]));
      cipher.setAAD(header);
      sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    }
    if (corrupt) sealed[0]! ^= 0xff;
    return Buffer.concat([header, sealed, counter]);
  }

  private sendUdp(packet: Buffer): void {
    for (const c of this.clients) {
      if (!c.udp) continue;
      this.udp.send(packet, c.udp.port, c.udp.address);
      this.packetsSent++;
    }
  }

  private sendAll(payload: unknown): void {
    for (const c of this.clients) c.ws.send(JSON.stringify({ ...(payload as object), seq: ++c.seq }));
  }

  private onWs(ws: WebSocket): void {
    if (!this.accepting) {
      ws.close(4006, 'session no longer valid');
      return;
    }
    const client: Client = { ws, identify: null, udp: null, key: null, mode: MODE, ssrc: 1 + Math.floor(Math.random() * 1e6), seq: 0 };
    const link: BotLink = {
      get identify() {
        return client.identify!;
      },
      sendJson: (op, d) => ws.send(JSON.stringify({ op, d, seq: ++client.seq })),
      sendBinary: (op, payload) => {
        const head = Buffer.alloc(3);
        head.writeUInt16BE(++client.seq & 0xffff);
        head[2] = op;
        ws.send(Buffer.concat([head, payload]));
      },
    };
    this.clients.add(client);
    ws.on('close', () => {
      this.clients.delete(client);
      if (client.identify) this.hooks.closed?.(link);
    });
    ws.on('error', () => undefined);
    ws.send(JSON.stringify({ op: 8, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw, isBinary) => {
      if (isBinary) {
        const data = raw as Buffer; // client → server binary: u8 opcode, payload (no sequence)
        if (client.identify && data.length > 0) this.hooks.message?.(link, data[0]!, undefined, data.subarray(1));
        return;
      }
      const msg = JSON.parse(String(raw)) as { op: number; d: any };
      if (msg.op === 0) {
        client.identify = msg.d;
        this.identifies.push(msg.d);
        if (this.daveProtocolVersion > 0 && !(msg.d.max_dave_protocol_version >= 1)) {
          ws.close(4017, 'E2EE/DAVE protocol required'); // what Discord does since March 2026
          return;
        }
        ws.send(JSON.stringify({ op: 2, d: { ssrc: client.ssrc, ip: '127.0.0.1', port: this.udpPort, modes: this.modes } }));
      } else if (msg.op === 1) {
        client.key = randomBytes(32);
        client.mode = msg.d.data.mode;
        this.selectedModes.push(msg.d.data.mode);
        ws.send(JSON.stringify({ op: 4, d: { mode: msg.d.data.mode, secret_key: [...client.key], dave_protocol_version: this.daveProtocolVersion } }));
        this.hooks.sessionStarted?.(link);
        if (client.udp) this.emit('ready');
      } else if (msg.op === 3) {
        ws.send(JSON.stringify({ op: 6, d: { t: msg.d?.t } }));
      } else if (msg.op === 7) {
        ws.send(JSON.stringify({ op: 9, d: null }));
      } else if (client.identify) {
        this.hooks.message?.(link, msg.op, msg.d, null);
      }
    });
  }

  private onUdp(msg: Buffer, rinfo: RemoteInfo): void {
    if (msg.length !== 74 || msg.readUInt16BE(0) !== 1) return; // keepalives and anything else
    const ssrc = msg.readUInt32BE(4);
    const client = [...this.clients].find((c) => c.ssrc === ssrc);
    if (!client) return;
    client.udp = rinfo;
    const reply = Buffer.alloc(74);
    reply.writeUInt16BE(2, 0);
    reply.writeUInt16BE(70, 2);
    reply.writeUInt32BE(ssrc, 4);
    reply.write(rinfo.address, 8, 'utf8');
    reply.writeUInt16BE(rinfo.port, 72);
    this.udp.send(reply, rinfo.port, rinfo.address);
  }
}
