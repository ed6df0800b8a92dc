// One speaker's utterance as the main thread keeps it: the received Opus packets, undecoded, with their RTP position.
// At the end of the utterance (or the 15-s cut) they go to a pool worker in one message; decodeBatch runs there.
import { Buffer } from 'node:buffer';
import type { ReceivedPacket } from './receive.js';
import { DEFAULT_ASSEMBLER, isDaveCiphertext, seqDelta, tsDelta, UtteranceAssembler, type AssemblerOptions, type AssemblyStats, type OpusDecoder } from './utterance.js';

/** One utterance piece's packets as sent to a worker: four transferable arrays, no per-packet objects. */
export interface PacketBatch {
  /** The payloads back to back. */
  bytes: Uint8Array;
  /** Where each payload ends in `bytes`. */
  ends: Uint32Array;
  /** RTP sequence number per packet, -1 when the library did not say. */
  seq: Int32Array;
  /** RTP timestamp per packet (uint32), -1 when the library did not say. */
  ts: Float64Array;
  /** The first `preroll` packets end the piece before (a cut inside one utterance): decoded only to prime the decoder. */
  preroll: number;
  /**
   * Where the piece before left the RTP counters: [the next sequence number, the last timestamp], -1 for nothing
   * before. Numbers in a typed array, not properties: a timestamp is a small integer one time and a heap number
   * the next (it passes 2^30), and reading it as a property of the cloned batch sent decodeBatch into a
   * deoptimise/reoptimise loop (each reoptimisation 20-90 ms of compiler time).
   */
  carry: Float64Array;
}

const RTP_RATE = 48_000;
const FRAME_SEC = 0.02;
/** Packets of the previous piece decoded again (output dropped) at a cut, so the decoder enters the next one in its state. */
const PREROLL = 3;
/** A piece is cut at this many payload bytes whatever its length says (64 kbps voice is ~120 KB in 15 s). */
export const MAX_PIECE_BYTES = 2 * 1024 * 1024;

/**
 * The packets of one speaker's current utterance, in arrival order (the worker restores RTP order). Each
 * payload is copied on arrival into a few growing typed arrays: the main thread keeps no object per
 * packet for the seconds an utterance lasts (a packet's Buffer would also pin its 8-KB pool slab).
 */
export class PacketCollector {
  private data = new Uint8Array(0);
  private ends = new Uint32Array(0);
  private seqs = new Int32Array(0);
  private stamps = new Float64Array(0);
  private count = 0;
  private size = 0;
  private firstTs = -1;
  /** Furthest RTP timestamp seen, as a distance from firstTs (48 kHz samples). */
  private spanTs = 0;
  /** The highest sequence number sent so far (on the 16-bit circle) and its timestamp: where the next piece starts. */
  private maxSeq = -1;
  private tsAtMax = -1;
  /** The last few decodable payloads of the piece before, when it was cut mid-utterance. */
  private tail: Uint8Array[] = [];
  /** Date.now() at the piece's first packet. */
  startedAt = 0;
  /** Packets of the piece that are DAVE ciphertext (never decodable), and that are neither that nor empty. */
  encrypted = 0;
  audible = 0;

  get packets(): number {
    return this.count;
  }

  get bytes(): number {
    return this.size;
  }

  /**
   * Seconds of audio the piece will make, without decoding: its RTP timestamp span plus a frame, or 20 ms
   * per packet when that is more (packets without RTP information, or repeating timestamps). It leaves out
   * what the decoder alone knows (frames that fail, DAVE ciphertext, pauses longer than the assembler fills):
   * it decides only where a long utterance is cut; the worker measures the real length.
   */
  get seconds(): number {
    const n = this.count;
    if (n === 0) return 0;
    return Math.max(n * FRAME_SEC, this.firstTs < 0 ? 0 : this.spanTs / RTP_RATE + FRAME_SEC);
  }

  /** Keeps one packet (`now`: its arrival, Date.now() when not given); says whether it is DAVE ciphertext that passed through (it will not decode). */
  push(p: ReceivedPacket, now?: number): boolean {
    if (this.count === 0) this.startedAt = now ?? Date.now(); // read once per piece, not per packet
    const ciphertext = isDaveCiphertext(p.payload);
    if (ciphertext) this.encrypted++;
    else if (p.payload.length > 0) this.audible++;
    const n = this.count;
    if (n === this.ends.length) this.growIndex(Math.max(64, 2 * n));
    if (this.size + p.payload.length > this.data.length) this.data = grown(this.data, Math.max(16_384, 2 * (this.size + p.payload.length)), this.size);
    this.data.set(p.payload, this.size);
    this.size += p.payload.length;
    this.ends[n] = this.size;
    this.seqs[n] = p.sequence ?? -1;
    this.stamps[n] = p.timestamp ?? -1;
    this.count = n + 1;
    if (p.timestamp !== null) {
      if (this.firstTs < 0) this.firstTs = p.timestamp;
      else this.spanTs = Math.max(this.spanTs, tsDelta(p.timestamp, this.firstTs));
    }
    if (p.sequence !== null && (this.maxSeq < 0 || seqDelta(p.sequence, this.maxSeq) > 0)) {
      this.maxSeq = p.sequence;
      this.tsAtMax = p.timestamp ?? -1;
    }
    return ciphertext;
  }

  /**
   * The piece as one batch (its buffers are new and may be transferred); the collector starts the next
   * piece empty. `cut`: the speaker is still talking, so the next piece continues this one (its decoder is
   * primed with this piece's last packets); otherwise the next piece is a new utterance.
   */
  take(cut: boolean): PacketBatch {
    const n = this.count;
    const pre = this.tail.length;
    let primer = 0;
    for (const t of this.tail) primer += t.length;
    const bytes = new Uint8Array(primer + this.size);
    const ends = new Uint32Array(pre + n);
    const seq = new Int32Array(pre + n).fill(-1);
    const ts = new Float64Array(pre + n).fill(-1);
    let at = 0;
    for (let i = 0; i < pre; i++) {
      bytes.set(this.tail[i]!, at);
      at += this.tail[i]!.length;
      ends[i] = at;
    }
    bytes.set(this.data.subarray(0, this.size), primer);
    for (let i = 0; i < n; i++) ends[pre + i] = primer + this.ends[i]!;
    seq.set(this.seqs.subarray(0, n), pre);
    ts.set(this.stamps.subarray(0, n), pre);
    const batch: PacketBatch = { bytes, ends, seq, ts, preroll: pre, carry: Float64Array.of(this.carrySeq, this.carryTs) };
    this.carrySeq = this.maxSeq < 0 ? this.carrySeq : (this.maxSeq + 1) & 0xffff;
    this.carryTs = this.maxSeq < 0 ? this.carryTs : this.tsAtMax;
    this.tail = cut ? this.lastDecodable(PREROLL) : [];
    this.clear();
    return batch;
  }

  /** The utterance ended with nothing after a cut: the primer kept for its next piece goes (no audio outlives an utterance). */
  endUtterance(): void {
    this.tail = [];
  }

  /** Drops everything (the user opted out or left, or the piece is not analyzed): no audio is kept. */
  discard(): void {
    this.clear();
    this.tail = [];
    this.carrySeq = -1;
    this.carryTs = -1;
  }

  private carrySeq = -1;
  private carryTs = -1;

  /** Up to `k` payloads from the end that a decoder can take (not empty, not DAVE ciphertext), in order, copied. */
  private lastDecodable(k: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = this.count - 1; i >= 0 && out.length < k; i--) {
      const p = this.data.subarray(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
      if (p.length > 0 && !isDaveCiphertext(p)) out.unshift(p.slice());
    }
    return out;
  }

  private growIndex(cap: number): void {
    this.ends = grown(this.ends, cap, this.count);
    this.seqs = grown(this.seqs, cap, this.count);
    this.stamps = grown(this.stamps, cap, this.count);
  }

  /** Empties the piece; the arrays go too (they are zeroed by the next allocation, never kept with old audio). */
  private clear(): void {
    this.data = new Uint8Array(0);
    this.ends = new Uint32Array(0);
    this.seqs = new Int32Array(0);
    this.stamps = new Float64Array(0);
    this.count = 0;
    this.size = 0;
    this.firstTs = -1;
    this.spanTs = 0;
    this.maxSeq = -1;
    this.tsAtMax = -1;
    this.encrypted = 0;
    this.audible = 0;
  }
}

/** A bigger copy of `a` holding its first `used` elements. */
function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(a: T, cap: number, used: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  out.set(a.subarray(0, used) as never);
  return out;
}

/** What a worker makes of a batch: mono 16 kHz samples and the assembler's counts. */
export interface DecodedBatch {
  samples: Float32Array;
  stats: AssemblyStats;
}

/**
 * Decodes one batch with its own decoder, through the same assembler the packets used to go through one by
 * one on arrival (jitter buffer, loss concealment, DTX pauses, DAVE ciphertext and bad frames skipped), in
 * the order they arrived. Runs in a pool worker.
 */
export function decodeBatch(b: PacketBatch, decoder: OpusDecoder, opts: AssemblerOptions = DEFAULT_ASSEMBLER): DecodedBatch {
  const payload = (i: number): Buffer => {
    const start = i === 0 ? 0 : b.ends[i - 1]!;
    return Buffer.from(b.bytes.buffer, b.bytes.byteOffset + start, b.ends[i]! - start);
  };
  for (let i = 0; i < b.preroll; i++) {
    try {
      decoder.decode(payload(i));
    } catch {
      // a primer that does not decode only leaves the decoder as it was
    }
  }
  const nextSeq = b.carry[0]!;
  const lastTs = b.carry[1]!;
  const a = new UtteranceAssembler(decoder, opts, { nextSeq: nextSeq < 0 ? null : nextSeq, lastTs: lastTs < 0 ? null : lastTs });
  for (let i = b.preroll; i < b.ends.length; i++) {
    a.push({ payload: payload(i), sequence: b.seq[i]! < 0 ? null : b.seq[i]!, timestamp: b.ts[i]! < 0 ? null : b.ts[i]! });
  }
  return { samples: a.takeMono16k(), stats: a.stats };
}

/** The batch's buffers, to transfer with it. */
export function batchTransfer(b: PacketBatch): ArrayBuffer[] {
  return [b.bytes.buffer, b.ends.buffer, b.seq.buffer, b.ts.buffer, b.carry.buffer] as ArrayBuffer[];
}
