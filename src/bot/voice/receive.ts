// The one place that touches @discordjs/voice's receive API: subscribe per utterance, and each packet's RTP position.
import { Buffer } from 'node:buffer';
import { EndBehaviorType, type AudioReceiveStream, type VoiceReceiver } from '@discordjs/voice';

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
const tapped = new WeakSet<VoiceReceiver>();

type ParsePacket = (buffer: Buffer, ...rest: unknown[]) => Buffer | null | undefined;

function tapRtp(receiver: VoiceReceiver): void {
  if (tapped.has(receiver)) return;
  tapped.add(receiver);
  const r = receiver as unknown as { parsePacket?: ParsePacket };
  const original = r.parsePacket;
  if (typeof original !== 'function') return; // another library version: arrival order only
  r.parsePacket = function (this: unknown, buffer: Buffer, ...rest: unknown[]) {
    const out = original.call(this, buffer, ...rest);
    if (out && buffer.length >= 12) rtpOf.set(out, { sequence: buffer.readUInt16BE(2), timestamp: buffer.readUInt32BE(4) });
    return out;
  };
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
}

/**
 * Subscribes to one user's audio until `silenceMs` of silence. Every stream gets an 'error' listener
 * (without one a single bad packet kills the process) and ends on 'close', which fires after 'end'
 * and after an error alike. The library starts its silence timer only at the first packet, so a
 * stream that never gets one is ended here after `silenceMs` too. Returns null when a subscription
 * already exists (it is still feeding).
 */
export function subscribeUtterance(receiver: VoiceReceiver, userId: string, silenceMs: number, h: UtteranceStreamHandlers): AudioReceiveStream | null {
  tapRtp(receiver);
  if (receiver.subscriptions.has(userId)) return null;
  const stream = receiver.subscribe(userId, { end: { behavior: EndBehaviorType.AfterSilence, duration: silenceMs } });
  let idle: NodeJS.Timeout | null = setTimeout(() => stream.destroy(), silenceMs);
  stream.on('data', (chunk: unknown) => {
    if (idle) clearTimeout(idle);
    idle = null;
    const p = packetOf(chunk);
    if (p) h.onPacket(p);
  });
  stream.on('error', (e: Error) => h.onError(e));
  stream.once('close', () => {
    if (idle) clearTimeout(idle);
    stream.removeAllListeners('data');
    h.onClose();
  });
  return stream;
}
