// The utterance assembler: RTP order restored, lost packets filled to length, bad and encrypted frames skipped, never a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDecoder, isDaveCiphertext, seqDelta, UtteranceAssembler, type OpusDecoder } from '../../../src/bot/voice/utterance.js';
import type { ReceivedPacket } from '../../../src/bot/voice/receive.js';
import { ravdessClips } from '../../emulator/voice-note.js';
import { opusFrames } from '../../voice/opus-speech.js';

let frames: Buffer[];
/** What one decoder makes of the frames in order, as the core's floats (each s16 sample / 32768). */
let clean: Float32Array;
const FRAME = 320; // 20 ms of 16 kHz mono

beforeAll(async () => {
  frames = await opusFrames(ravdessClips({ actor: 5, emotion: '03', intensity: '02' }).slice(0, 1));
  const dec = createDecoder();
  const s16 = Buffer.concat(frames.map((f) => dec.decode(f)));
  clean = Float32Array.from({ length: s16.length / 2 }, (_, i) => s16.readInt16LE(2 * i) / 32768);
});

function packets(start = 65_500, ts0 = 4_294_960_000): ReceivedPacket[] {
  // Start near the top of both counters so the test crosses the 16- and 32-bit wrap.
  return frames.map((payload, i) => ({ payload, sequence: (start + i) & 0xffff, timestamp: (ts0 + i * 960) >>> 0 }));
}

function assemble(list: ReceivedPacket[], decoder: OpusDecoder = createDecoder()) {
  const a = new UtteranceAssembler(decoder);
  for (const p of list) a.push(p);
  return { pcm: a.takeMono16k(), stats: a.stats };
}

/** Frame k of assembled samples. */
const frame = (x: Float32Array, k: number) => x.subarray(k * FRAME, (k + 1) * FRAME);
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('UtteranceAssembler', () => {
  it('in order, it is exactly what one decoder makes of the packets', () => {
    const { pcm, stats } = assemble(packets());
    expect(pcm.length).toBe(frames.length * FRAME);
    expect(same(pcm, clean)).toBe(true);
    expect(stats).toMatchObject({ packets: frames.length, decoded: frames.length, lost: 0, reordered: 0, dropped: 0 });
  });

  it('puts swapped packets back in order (same audio as in-order arrival)', () => {
    const list = packets();
    for (let i = 10; i + 1 < list.length; i += 7) [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
    const { pcm, stats } = assemble(list);
    expect(same(pcm, clean)).toBe(true);
    expect(stats.reordered).toBeGreaterThan(10);
    expect(stats.lost).toBe(0);
  });

  it('fills lost packets so the utterance keeps its length, and every frame that arrived lands at its own time', () => {
    const list = packets();
    const lost = new Set([5, 30, 31, 90, list.length - 3]);
    const { pcm, stats } = assemble(list.filter((_, i) => !lost.has(i)));
    expect(stats.lost).toBe(lost.size);
    expect(pcm.length).toBe(clean.length);
    // After a gap the decoder state differs a little, so compare a frame well before the first gap exactly
    // and later frames by energy: same place, same loudness (a shifted frame would not match).
    expect(same(frame(pcm, 3), frame(clean, 3))).toBe(true);
    const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    for (const k of [20, 60, 120]) expect(Math.abs(rms(frame(pcm, k)) - rms(frame(clean, k)))).toBeLessThan(0.35 * rms(frame(clean, k)) + 30 / 32768);
    // A lost frame is the previous one faded, not silence and not a copy at full level.
    const filled = rms(frame(pcm, 5));
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThan(rms(frame(pcm, 4)));
  });

  it('keeps a pause the client did not send (RTP timestamp jump) as silence, up to a limit', () => {
    const list = packets(0, 0);
    const shifted = list.map((p, i) => (i >= 50 ? { ...p, timestamp: p.timestamp! + 960 * 10 } : p)); // 200 ms pause
    const { pcm } = assemble(shifted);
    expect(pcm.length).toBe(clean.length + 10 * FRAME);
    expect(frame(pcm, 55).every((b) => b === 0)).toBe(true);
  });

  it('drops late and duplicate packets instead of writing them twice', () => {
    const list = packets();
    const late = list[20]!;
    const withLate = [...list.slice(0, 20), ...list.slice(21, 30), late, list[25]!, ...list.slice(30)];
    const { pcm, stats } = assemble(withLate);
    expect(stats.lost).toBe(1); // 20 was given up after 4 later packets arrived
    expect(stats.dropped).toBe(2); // the late 20 and the duplicate 25
    expect(pcm.length).toBe(clean.length);
  });

  it('skips corrupt Opus, DAVE ciphertext (…FA FA) and empty payloads without throwing, and counts them', () => {
    const list = packets();
    list[10] = { ...list[10]!, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]) };
    list[11] = { ...list[11]!, payload: Buffer.concat([Buffer.alloc(40, 7), Buffer.from([0x85, 0x01, 13, 0xfa, 0xfa])]) };
    list[12] = { ...list[12]!, payload: Buffer.alloc(0) };
    const decoded: number[] = [];
    const spy: OpusDecoder = (() => {
      const real = createDecoder();
      return { decode: (b: Buffer) => (decoded.push(b.length), real.decode(b)) };
    })();
    const { stats } = assemble(list, spy);
    expect(stats).toMatchObject({ encryptedFrames: 1, decoded: frames.length - 3 });
    expect(stats.badFrames).toBeLessThanOrEqual(1); // libopus may accept some garbage; it must not throw
    expect(decoded).not.toContain(0); // an empty buffer would be 120 ms of concealment
  });

  it('takes packets without RTP information in arrival order', () => {
    const { pcm } = assemble(frames.map((payload) => ({ payload, sequence: null, timestamp: null })));
    expect(same(pcm, clean)).toBe(true);
  });
});

describe('RTP helpers', () => {
  it('seqDelta wraps around 16 bits', () => {
    expect(seqDelta(2, 65_534)).toBe(4);
    expect(seqDelta(65_534, 2)).toBe(-4);
    expect(seqDelta(7, 7)).toBe(0);
  });
  it('isDaveCiphertext wants the FA FA magic after an Opus-sized supplemental block: tag, ULEB128 nonce, size byte', () => {
    const body = Buffer.alloc(30, 1);
    const tag = Buffer.alloc(8, 0x5a);
    const frame = (nonce: number[], size = 8 + nonce.length + 3) => Buffer.concat([body, tag, Buffer.from(nonce), Buffer.from([size, 0xfa, 0xfa])]);
    expect(isDaveCiphertext(frame([0x05]))).toBe(true); // 12 bytes: a one-byte nonce
    expect(isDaveCiphertext(frame([0x81, 0x80, 0x80, 0x80, 0x01]))).toBe(true); // 16 bytes: the longest 32-bit nonce
    expect(isDaveCiphertext(frame([0x01, 0x01]))).toBe(false); // not ULEB128: its first byte ends the number
    expect(isDaveCiphertext(frame([0x81]))).toBe(false); // not ULEB128: the number never ends
    expect(isDaveCiphertext(frame([0x81, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe(false); // 17 bytes: Opus has no unencrypted ranges
    expect(isDaveCiphertext(Buffer.concat([Buffer.alloc(30, 1), Buffer.from([5, 0xfa, 0xfa])]))).toBe(false); // too small to hold the tag
    expect(isDaveCiphertext(Buffer.concat([Buffer.alloc(6, 1), Buffer.from([14, 0xfa, 0xfa])]))).toBe(false); // larger than the frame
    expect(isDaveCiphertext(Buffer.concat([Buffer.from([0xfa, 0xfa]), Buffer.alloc(30, 1)]))).toBe(false);
    expect(isDaveCiphertext(Buffer.from([0xfa, 0xfa]))).toBe(false);
  });
});
