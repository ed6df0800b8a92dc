// One speaker's utterance from Opus packets: a small jitter buffer (RTP order), per-frame decode, loss filled, PCM out.
// It runs in a pool worker (packets.ts hands it one utterance's packets); the bot's main thread never decodes.
import { Buffer } from 'node:buffer';
import { loadOpusAddon, type OpusAddon } from '../../core/audio/opus-addon.js';
import { SAMPLE_RATE } from '../../core/pcm.js';
import type { ReceivedPacket } from './receive.js';

/** What decodes one speaker's Opus (an @discordjs/opus OpusEncoder); it holds state between frames. */
export interface OpusDecoder {
  decode(packet: Buffer): Buffer;
}

/**
 * Discord sends 48 kHz stereo Opus. libopus decodes it straight to what the core analyzes, mono
 * 16 kHz, with its own band-limiting and down-mix (as the core does for voice messages): a third
 * of the output and no resampling pass on the event loop (converting a 15-s piece from 48 kHz
 * stereo took about 60 ms of main-thread time).
 */
export const DECODE_RATE = SAMPLE_RATE;
const RTP_RATE = 48_000; // RTP timestamps count 48 kHz samples whatever we decode to
const TS_PER_SAMPLE = RTP_RATE / DECODE_RATE;
const BYTES_PER_SAMPLE = 2; // mono s16le
/** Discord clients send 20-ms frames; used only until a frame has been decoded and measured. */
const DEFAULT_FRAME_SAMPLES = DECODE_RATE / 50;

// libopus is loaded by the first decoder (in a worker), not at import: the main thread imports this module's pure parts only.
let addon: OpusAddon | null = null;

/** A fresh decoder (one per utterance piece: its state matters only from frame to frame within it). */
export function createDecoder(): OpusDecoder {
  addon ??= loadOpusAddon();
  return new addon.OpusEncoder(DECODE_RATE, 1);
}

export interface AssemblerOptions {
  /** Packets held back waiting for a missing earlier one before it is given up as lost. */
  reorderFrames: number;
  /** A pause inside an utterance (RTP timestamp jump with no lost packets) is filled with at most this much silence. */
  maxPauseSec: number;
}

export const DEFAULT_ASSEMBLER: AssemblerOptions = { reorderFrames: 4, maxPauseSec: 0.8 };

/**
 * Where the packets before this piece left the RTP counters: the next sequence number expected and the
 * last timestamp placed (null: nothing before). Carried across pieces so a packet of the previous piece
 * arriving late is dropped, as one assembler would, rather than taken as a new start.
 */
export interface RtpPosition {
  nextSeq: number | null;
  lastTs: number | null;
}

export interface AssemblyStats {
  packets: number;
  decoded: number;
  /** Opus the decoder rejected ("The compressed data passed is corrupted"). */
  badFrames: number;
  /** Frames still ending in the DAVE magic FA FA (E2EE ciphertext that passed through undecrypted). */
  encryptedFrames: number;
  /** Sequence numbers never received (filled by repeating the previous frame, faded). */
  lost: number;
  /** Packets that arrived after a later one and were put back in order. */
  reordered: number;
  /** Packets that came too late (their place was already filled) or twice. */
  dropped: number;
}

export function emptyStats(): AssemblyStats {
  return { packets: 0, decoded: 0, badFrames: 0, encryptedFrames: 0, lost: 0, reordered: 0, dropped: 0 };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Signed distance a - b on the 16-bit RTP sequence circle. */
export function seqDelta(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}

/** Signed distance a - b on the 32-bit RTP timestamp circle. */
export function tsDelta(a: number, b: number): number {
  return ((a - b + 0x8000_0000) >>> 0) - 0x8000_0000;
}

/**
 * A DAVE frame still encrypted: it ends in the magic FA FA, preceded by the size of the supplemental
 * data. For Opus that is the 8-byte tag, the nonce as ULEB128 (1–5 bytes), no unencrypted ranges,
 * this size byte and the magic: 12–16 bytes, with a well-formed ULEB128 where the nonce sits. Plain
 * Opus ends in FA FA now and then by chance: of the voice bench's 36,384 distinct speech frames, 30
 * do, a size of 12..n took 8 of them for ciphertext, the 12–16 bound 1. One skipped frame costs 20 ms.
 */
export function isDaveCiphertext(opus: Uint8Array): boolean {
  const n = opus.length;
  if (n < 12 || opus[n - 1] !== 0xfa || opus[n - 2] !== 0xfa) return false;
  const size = opus[n - 3]!;
  if (size < 12 || size > 16 || size > n) return false;
  // The nonce: every byte but its last carries the ULEB128 continuation bit.
  const last = n - 4;
  for (let i = n - size + 8; i < last; i++) if ((opus[i]! & 0x80) === 0) return false;
  return (opus[last]! & 0x80) === 0;
}

/**
 * Collects one utterance's decoded PCM (mono 16 kHz s16le). Packets are put back in RTP sequence order
 * through a buffer of `reorderFrames`; a packet missing for that long is lost and its 20 ms are
 * filled with the previous frame, faded, so neither the timing nor the spectrum shows a hole. Packets
 * without RTP information (another library version) are taken in arrival order.
 */
export class UtteranceAssembler {
  readonly stats: AssemblyStats = emptyStats();
  private chunks: Buffer[] = [];
  private bytes = 0;
  private pending = new Map<number, ReceivedPacket>();
  private nextSeq: number | null = null;
  private lastTs: number | null = null;
  private lastFrame: Buffer | null = null;
  private frameSamples = DEFAULT_FRAME_SAMPLES;

  constructor(
    private readonly decoder: OpusDecoder,
    private readonly opts: AssemblerOptions = DEFAULT_ASSEMBLER,
    from: RtpPosition = { nextSeq: null, lastTs: null },
  ) {
    this.nextSeq = from.nextSeq;
    this.lastTs = from.lastTs;
  }

  push(p: ReceivedPacket): void {
    this.stats.packets++;
    if (p.sequence === null) {
      this.decodeInto(p);
      return;
    }
    if (this.nextSeq === null) this.nextSeq = p.sequence;
    const ahead = seqDelta(p.sequence, this.nextSeq);
    if (ahead === 0 && this.pending.size === 0) {
      // The next one, nothing waiting (almost every packet): what a trip through `pending` would do, without the Map.
      this.decodeInto(p);
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      return;
    }
    if (ahead < 0 || this.pending.has(p.sequence)) {
      this.stats.dropped++;
      return;
    }
    if (ahead > 0 || this.pending.size > 0) {
      // Something later is already waiting: this one arrived out of order.
      for (const s of this.pending.keys()) if (seqDelta(s, p.sequence) > 0) { this.stats.reordered++; break; }
    }
    this.pending.set(p.sequence, p);
    this.drain(false);
  }

  /**
   * Everything assembled (waiting packets included) as mono 16 kHz float samples in [-1, 1] for the core,
   * converted frame by frame without joining them first; the assembler starts afresh.
   */
  takeMono16k(): Float32Array {
    this.drain(true);
    const out = new Float32Array(this.bytes / BYTES_PER_SAMPLE);
    let at = 0;
    for (const c of this.chunks) at = samplesInto(out, at, c);
    this.chunks = [];
    this.bytes = 0;
    this.lastFrame = null;
    return out;
  }

  private drain(all: boolean): void {
    while (this.pending.size > 0 && this.nextSeq !== null) {
      const p = this.pending.get(this.nextSeq);
      if (p) {
        this.pending.delete(this.nextSeq);
        this.decodeInto(p);
        this.nextSeq = (this.nextSeq + 1) & 0xffff;
        continue;
      }
      if (!all && this.pending.size <= this.opts.reorderFrames) return;
      // Give the missing ones up: jump to the earliest packet we do have.
      let first = -1;
      let best = Infinity;
      for (const s of this.pending.keys()) {
        const d = seqDelta(s, this.nextSeq);
        if (d < best) [best, first] = [d, s];
      }
      this.conceal(best);
      this.nextSeq = first;
    }
  }

  private conceal(frames: number): void {
    this.stats.lost += frames;
    if (this.lastTs !== null) this.lastTs = (this.lastTs + frames * this.frameSamples * TS_PER_SAMPLE) >>> 0;
    if (!this.lastFrame) return; // nothing to repeat before the first frame: the utterance just starts later
    for (let k = 1; k <= frames; k++) this.append(fade(this.lastFrame, 0.5 ** k));
  }

  private decodeInto(p: ReceivedPacket): void {
    // Never hand libopus an empty packet (that is 120 ms of loss concealment), and skip DAVE
    // ciphertext that passed through undecrypted: it decodes to noise or throws.
    if (p.payload.length === 0) return;
    if (isDaveCiphertext(p.payload)) {
      this.stats.encryptedFrames++;
      return;
    }
    let frame: Buffer;
    try {
      frame = this.decoder.decode(p.payload);
    } catch {
      this.stats.badFrames++; // one corrupt packet costs its 20 ms, not the utterance
      return;
    }
    if (frame.length === 0) return;
    this.stats.decoded++;
    const samples = frame.length / BYTES_PER_SAMPLE;
    if (p.timestamp !== null) {
      if (this.lastTs !== null) {
        // A pause the client did not send (DTX): keep its length, up to maxPauseSec.
        const gap = Math.round((tsDelta(p.timestamp, this.lastTs) - this.frameSamples * TS_PER_SAMPLE) / TS_PER_SAMPLE);
        const limit = Math.round(this.opts.maxPauseSec * DECODE_RATE);
        if (gap > 0 && this.chunks.length) this.append(Buffer.alloc(Math.min(gap, limit) * BYTES_PER_SAMPLE));
      }
      this.lastTs = p.timestamp;
    }
    this.frameSamples = samples;
    this.lastFrame = frame;
    this.append(frame);
  }

  private append(b: Buffer): void {
    this.chunks.push(b);
    this.bytes += b.length;
  }
}

/**
 * An s16le frame as floats into `out` from `at`; returns where it ends. A function of its own: inlined in
 * takeMono16k, its loop was optimised on-stack before the rest of takeMono16k had run, and that code then
 * deoptimised at every call ("insufficient type feedback", seen with --trace-deopt in a worker).
 */
function samplesInto(out: Float32Array, at: number, c: Buffer): number {
  const n = c.length / BYTES_PER_SAMPLE;
  if (c.byteOffset % BYTES_PER_SAMPLE === 0 && LITTLE_ENDIAN) {
    const v = new Int16Array(c.buffer, c.byteOffset, n);
    for (let i = 0; i < n; i++) out[at + i] = v[i]! / 32768;
  } else {
    for (let i = 0; i < n; i++) out[at + i] = c.readInt16LE(2 * i) / 32768;
  }
  return at + n;
}

/** A copy of an s16le frame scaled by `gain`. */
function fade(frame: Buffer, gain: number): Buffer {
  const out = Buffer.allocUnsafe(frame.length);
  for (let i = 0; i + 1 < frame.length; i += 2) out.writeInt16LE(Math.round(frame.readInt16LE(i) * gain), i);
  return out;
}
