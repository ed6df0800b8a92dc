// The one place that touches @discordjs/voice's receive API: subscribe per utterance, each packet's RTP position,
// and the guard that keeps hostile datagrams out of the library's receive path.
import { Buffer } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { restBetweenReads, type SocketReader } from './udp-batch.js';
import { EndBehaviorType, type AudioReceiveStream, type VoiceConnection, type VoiceConnectionState, type VoiceReceiver } from '@discordjs/voice';

/** Datagrams the guard dropped (counted into the session's stats). */
export interface DatagramCounts {
  /** Not from the voice server's address and port. */
  foreignDatagrams: number;
  /** From the server, but shorter than an RTP header, or the library threw on them. */
  malformedDatagrams: number;
}

const RTP_HEADER_BYTES = 12;
/** The reader of each receiver's current socket (for utterance ends that must not outrun packets still queued). */
const readers = new WeakMap<VoiceReceiver, SocketReader>();
const guardedReceivers = new WeakSet<VoiceReceiver>();
const guardedSockets = new WeakSet<object>();

/** What the library keeps about its UDP socket (VoiceUDPSocket: `socket`, and `remote` from op 2 READY). */
interface LibraryUdp {
  socket?: Socket;
  remote?: { ip: string; port: number };
}

/**
 * No datagram, of any length or content, from any sender, may throw out of the receive path.
 *
 * @discordjs/voice 0.19.2 needs this from outside: `VoiceReceiver.onUdpMessage` returns early only for
 * datagrams of 8 bytes or fewer, then reads a u32 at offset 8, so a 9–11-byte datagram throws
 * RangeError [ERR_OUT_OF_RANGE] out of the socket's 'message' event (an uncaught exception that ends
 * the process), and its socket (bound on all interfaces) takes datagrams from anyone who learns the
 * port. Upstream status (issue tracker, Dec 2026): the short guard was flagged in review of
 * discordjs/discord.js#11432 (merged on main, unreleased, with a breaking receive API); no released
 * fix. Remove this when a release checks the length and the sender.
 *
 * The guard, per connection, at join time (before any socket exists):
 *  1. every UDP socket the connection opens drops datagrams whose sender is not the voice server's
 *     address and port (the `ip`/`port` of op 2 READY), before anything parses them (IP discovery too);
 *  2. the receiver's `onUdpMessage` drops what is shorter than an RTP header and never throws
 *     (anything else that throws in it is counted and handed to `onThrow`).
 */
export function guardReceive(conn: VoiceConnection, counts: DatagramCounts, onThrow: (err: unknown) => void = () => undefined): void {
  const receiver = conn.receiver as VoiceReceiver & { onUdpMessage(msg: Buffer): void };
  if (!guardedReceivers.has(receiver)) {
    guardedReceivers.add(receiver);
    const original = receiver.onUdpMessage; // bound to the receiver in its constructor
    const guarded = (msg: Buffer): void => {
      if (msg.length < RTP_HEADER_BYTES) {
        counts.malformedDatagrams++;
        return;
      }
      try {
        original(msg);
      } catch (err) {
        // The library catches its own parse errors; what gets here is unexpected (it may be ours, from a listener).
        counts.malformedDatagrams++;
        onThrow(err);
      }
    };
    receiver.onUdpMessage = guarded;
    // The library attaches `receiver.onUdpMessage` when a socket appears; one already attached is swapped.
    const udp = udpOf(conn.state) as unknown as { off?(e: string, l: unknown): void; on?(e: string, l: unknown): void } | null;
    if (udp?.off && udp.on) {
      udp.off('message', original);
      udp.on('message', guarded);
    }
  }
  const onState = (_old: VoiceConnectionState, state: VoiceConnectionState): void => guardSocket(udpOf(state), counts, conn.receiver);
  onState(conn.state, conn.state);
  // The connection re-emits every networking step synchronously, so a new socket is guarded before
  // its first datagram can be delivered (I/O callbacks run on a later turn of the event loop).
  conn.on('stateChange', onState);
}

function udpOf(state: VoiceConnectionState): LibraryUdp | null {
  const networking = (state as { networking?: { state?: { udp?: LibraryUdp } } }).networking;
  return networking?.state?.udp ?? null;
}

function guardSocket(udp: LibraryUdp | null, counts: DatagramCounts, receiver?: VoiceReceiver): void {
  const socket = udp?.socket;
  const remote = udp?.remote;
  if (!socket || !remote || guardedSockets.has(socket)) return;
  guardedSockets.add(socket);
  const emit = socket.emit;
  const reader = restBetweenReads(socket);
  if (reader && receiver) readers.set(receiver, reader);
  // Filtering at emit covers every 'message' listener the library adds, now or later. `arguments` handed on
  // whole (no rest array spread into the call): nothing allocated per datagram.
  socket.emit = function (this: Socket, event: string | symbol): boolean {
    if (event === 'message') {
      reader?.onDatagram();
      const from = arguments[2] as RemoteInfo | undefined;
      if (from?.address !== remote.ip || from.port !== remote.port) {
        counts.foreignDatagrams++;
        return false;
      }
    }
    return Reflect.apply(emit, this, arguments) as boolean;
  } as Socket['emit'];
}

/** One received Opus packet with its RTP sequence number and timestamp (null when the library did not say). */
export interface ReceivedPacket {
  payload: Buffer;
  sequence: number | null;
  timestamp: number | null;
}

// 0.19.2 pushes bare Buffers and drops the RTP header, so loss and reordering would be invisible.
// parsePacket returns the very Buffer that is then pushed: remember its header by identity (weakly,
// so nothing is kept once the chunk is consumed). The next release pushes
// `AudioPacket { payload, sequence, timestamp }` itself (#11432); `packetOf` takes either.
const rtpOf = new WeakMap<Buffer, { sequence: number; timestamp: number }>();

type ParsePacket = (buffer: Buffer, mode: unknown, nonce: unknown, key: unknown, userId: unknown) => Buffer | null | undefined;
type Decrypt = (buffer: Buffer, mode: unknown, nonce: Buffer, key: Uint8Array) => Buffer;

/** What tapRtp keeps per receiver; its parsePacket reads these maps from its closure, not through a WeakMap per packet. */
interface Tap {
  // parsePacket returns null when DAVE dropped the frame: a decryption failure the library swallows
  // (during a transition, or below its failure tolerance, e.g. a sender whose key the bot never got).
  // Nothing reaches the stream then, not even an error, so the subscription is told here.
  daveDrops: Map<string, () => void>;
  // A subscribed user's packets go from parsePacket straight to the subscription, with their RTP position,
  // and parsePacket then answers null so the library pushes nothing into the stream: per packet that saves
  // the Readable machinery ('data', a nextTick), the stream's end-timer renewal and the WeakMap entry.
  // The stream still exists: the library destroys it on a decrypt error, and it is what we end.
  direct: Map<string, (p: ReceivedPacket) => void>;
}
const taps = new WeakMap<VoiceReceiver, Tap>();

const AES_GCM_MODE = 'aead_aes256_gcm_rtpsize';
const NONCE_BYTES = 4;
const TAG_BYTES = 16;
const GCM_OPTIONS = Object.freeze({ authTagLength: TAG_BYTES });

/**
 * The library's transport decryption for aead_aes256_gcm_rtpsize (the same node:crypto/OpenSSL AES-256-GCM, the
 * same header, nonce and tag positions), without its per-packet waste: GCM is a stream mode, so update() returns
 * the whole plaintext and final() only checks the tag (it throws on a mismatch, as before): the library's
 * Buffer.concat of the two (an allocation and a copy per packet) goes. The tag must be all 16 bytes (the library
 * let node:crypto accept a truncated one from a short packet). Other modes stay the library's.
 */
function leanDecrypt(receiver: VoiceReceiver): void {
  const r = receiver as unknown as { decrypt?: Decrypt };
  const original = r.decrypt;
  if (typeof original !== 'function') return; // another library version
  r.decrypt = function (this: unknown, buffer: Buffer, mode: unknown, nonce: Buffer, key: Uint8Array): Buffer {
    if (mode !== AES_GCM_MODE) return original.call(this, buffer, mode, nonce, key);
    buffer.copy(nonce, 0, buffer.length - NONCE_BYTES);
    const headerBytes = (buffer[0]! >> 4) & 1 ? 16 : 12; // the X bit: a 4-byte extension header in clear
    const tagAt = buffer.length - TAG_BYTES - NONCE_BYTES;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
    decipher.setAAD(buffer.subarray(0, headerBytes));
    decipher.setAuthTag(buffer.subarray(tagAt, buffer.length - NONCE_BYTES));
    const plain = decipher.update(buffer.subarray(headerBytes, tagAt));
    decipher.final();
    return plain;
  };
}

/**
 * The library's speaking map clears and re-creates a 100-ms timer for every packet of every speaker; an
 * existing timer is refreshed in place instead (same callback, same delay from now: the same 'end' events).
 */
function refreshSpeakingTimers(receiver: VoiceReceiver): void {
  const speaking = receiver.speaking as unknown as { speakingTimeouts?: unknown; onPacket?: (userId: string) => void };
  const original = speaking.onPacket;
  const timers = speaking.speakingTimeouts;
  if (typeof original !== 'function' || !(timers instanceof Map)) return; // another library version
  speaking.onPacket = function (this: unknown, userId: string) {
    const t = timers.get(userId) as NodeJS.Timeout | undefined;
    if (t && typeof t.refresh === 'function') t.refresh();
    else original.call(this, userId);
  };
}

function tapRtp(receiver: VoiceReceiver): Tap {
  let tap = taps.get(receiver);
  if (tap) return tap;
  const { daveDrops, direct } = (tap = { daveDrops: new Map(), direct: new Map() });
  taps.set(receiver, tap);
  refreshSpeakingTimers(receiver);
  leanDecrypt(receiver);
  const r = receiver as unknown as { parsePacket?: ParsePacket };
  const original = r.parsePacket;
  if (typeof original !== 'function') return tap; // another library version: arrival order only
  // Named parameters, not a rest array spread into the call: no array per packet.
  r.parsePacket = function (this: unknown, buffer: Buffer, mode: unknown, nonce: unknown, key: unknown, userId: unknown) {
    const out = original.call(this, buffer, mode, nonce, key, userId);
    if (!out) {
      if (typeof userId === 'string') daveDrops.get(userId)?.();
      return out;
    }
    if (buffer.length < 12) return out;
    const deliver = typeof userId === 'string' ? direct.get(userId) : undefined;
    if (deliver) {
      deliver({ payload: out, sequence: buffer.readUInt16BE(2), timestamp: buffer.readUInt32BE(4) });
      return null;
    }
    rtpOf.set(out, { sequence: buffer.readUInt16BE(2), timestamp: buffer.readUInt32BE(4) });
    return out;
  };
  return tap;
}

/** Normalises what a receive stream emits (a Buffer in 0.19, an AudioPacket later) into a ReceivedPacket. */
export function packetOf(chunk: unknown): ReceivedPacket | null {
  if (Buffer.isBuffer(chunk)) {
    const rtp = rtpOf.get(chunk);
    return { payload: chunk, sequence: rtp?.sequence ?? null, timestamp: rtp?.timestamp ?? null };
  }
  const p = chunk as { payload?: unknown; sequence?: unknown; timestamp?: unknown } | null;
  if (p && Buffer.isBuffer(p.payload)) {
    return {
      payload: p.payload,
      sequence: typeof p.sequence === 'number' ? p.sequence : null,
      timestamp: typeof p.timestamp === 'number' ? p.timestamp : null,
    };
  }
  return null;
}

export interface UtteranceStreamHandlers {
  onPacket(packet: ReceivedPacket): void;
  /** A decrypt failure or corrupt packet: the library destroys the stream; 'close' follows. */
  onError(error: Error): void;
  /** Always called once, after silence, an error, or destroy(): the utterance is over. */
  onClose(): void;
  /** A frame DAVE decryption dropped without an error (it never reaches the stream). */
  onDrop?(): void;
}

/**
 * Subscribes to one user's audio until `silenceMs` of silence. Every stream gets an 'error' listener
 * (without one a single bad packet kills the process) and ends on 'close', which fires after 'end'
 * and after an error alike. The library starts its silence timer only at the first packet, so a
 * stream that never gets one is ended here after `silenceMs` too. Returns null when a subscription
 * already exists (it is still feeding).
 */
export function subscribeUtterance(receiver: VoiceReceiver, userId: string, silenceMs: number, h: UtteranceStreamHandlers): AudioReceiveStream | null {
  const { daveDrops: drops, direct: directs } = tapRtp(receiver);
  if (receiver.subscriptions.has(userId)) return null;
  const stream = receiver.subscribe(userId, { end: { behavior: EndBehaviorType.AfterSilence, duration: silenceMs } });
  // The utterance ends `silenceMs` after its last packet (Opus silence frames, which clients send as they
  // stop, do not count, as in the library's AfterSilence), or after the subscription began if none came.
  // One timer per utterance, re-armed for what is left when it fires, instead of one per packet.
  let last = performance.now();
  let packets = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const expire = (confirmed = false): void => {
    if (ended) return;
    const left = last + silenceMs - performance.now();
    if (left > 0) {
      timer = setTimeout(expire, left);
      return;
    }
    timer = null;
    // Timers run before I/O: when the loop was busy (or the socket resting between reads), this speaker's packets
    // may be waiting unread. The utterance ends only once the socket has been read past its silence, so a stall
    // does not split it in two.
    const reader = confirmed ? undefined : readers.get(receiver);
    if (reader) reader.afterRead(() => expire(true));
    else stream.destroy();
  };
  timer = setTimeout(expire, silenceMs);
  // Frames DAVE drops are still someone speaking: they keep a packetless subscription open (so the
  // failures go on being seen) until `silenceMs` after the last one.
  drops.set(userId, () => {
    if (packets === 0) last = performance.now();
    h.onDrop?.();
  });
  const take = (p: ReceivedPacket): void => {
    if (packets++ === 0 || !isSilenceFrame(p.payload)) last = performance.now();
    h.onPacket(p);
  };
  directs.set(userId, take);
  // What still comes through the stream: packets from a library without parsePacket (arrival order only).
  stream.on('data', (chunk: unknown) => {
    const p = packetOf(chunk);
    if (p) take(p);
  });
  stream.on('error', (e: Error) => h.onError(e));
  stream.once('close', () => {
    ended = true;
    if (timer) clearTimeout(timer);
    timer = null;
    drops.delete(userId);
    if (directs.get(userId) === take) directs.delete(userId);
    stream.removeAllListeners('data');
    h.onClose();
  });
  return stream;
}

/** Opus silence (F8 FF FE), which Discord clients send a few of as they stop talking. */
function isSilenceFrame(b: Buffer): boolean {
  return b.length === 3 && b[0] === 0xf8 && b[1] === 0xff && b[2] === 0xfe;
}
